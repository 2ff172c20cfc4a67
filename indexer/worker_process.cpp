#include "worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace evidence::indexer {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif
// ThreadSanitizer reserves its shadow memory too: no address-space limit under it either.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif

}  // namespace

std::vector<std::string> worker_environment(std::uint64_t memory_limit_mib) {
  std::vector<std::string> out;
  std::string asan_options;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string variable(*entry);
    if (variable.rfind("ASAN_OPTIONS=", 0) == 0) {
      asan_options = variable.substr(13);
    } else {
      out.push_back(std::move(variable));
    }
  }
  if (kAddressSanitizer && memory_limit_mib > 0) {
    // ASan's own resident memory (shadow pages, allocator metadata, a quarantine of freed
    // blocks, kept small here) comes on top of what the PDF needs: a plain PDF's worker
    // reaches about 290 MiB under ASan. The limit grows by that much, so that it still
    // stops the same runaway files and no ordinary one.
    constexpr std::uint64_t kAsanOverheadMib = 384;
    if (!asan_options.empty()) asan_options += ':';
    asan_options += "hard_rss_limit_mb=" + std::to_string(memory_limit_mib + kAsanOverheadMib) +
                    ":quarantine_size_mb=32:abort_on_error=1";
  }
  if (!asan_options.empty()) out.push_back("ASAN_OPTIONS=" + asan_options);
  return out;
}

bool WorkerProcess::start(const std::string& executable, const std::vector<std::string>& environment,
                          std::uint64_t memory_limit_mib) {
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return false;
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return false;
  }
  std::vector<char*> envp;
  for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the indexer
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
    struct rlimit no_core {
      0, 0
    };
    ::setrlimit(RLIMIT_CORE, &no_core);
    if (memory_limit_mib > 0 && !kAddressSanitizer && !kThreadSanitizer) {
      rlim_t bytes = static_cast<rlim_t>(memory_limit_mib) * 1024 * 1024;
      struct rlimit memory {
        bytes, bytes
      };
      ::setrlimit(RLIMIT_AS, &memory);
    }
    const char* argv[] = {executable.c_str(), "--extraction-worker", nullptr};
    ::execve(executable.c_str(), const_cast<char* const*>(argv), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  pid_ = pid;
  to_worker_ = in_pipe[1];
  from_worker_ = out_pipe[0];
  return true;
}

void WorkerProcess::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (to_worker_ >= 0) ::close(to_worker_);
  if (from_worker_ >= 0) ::close(from_worker_);
  pid_ = -1;
  to_worker_ = from_worker_ = -1;
}

int WorkerProcess::reap() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string worker_death_reason(int status, const std::string& executable, std::uint64_t memory_limit_mib) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::string name = sigabbrev_np(sig) ? std::string("SIG") + sigabbrev_np(sig) : std::to_string(sig);
    if (sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS) {
      std::string reason = "the PDF reader crashed on this file (" + name + ")";
      if (memory_limit_mib > 0) {
        reason += ", or it needed more than the memory limit of " + std::to_string(memory_limit_mib) + " MiB";
      }
      return reason;
    }
    return "the extraction worker was killed (" + name + ")";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return "cannot start the extraction worker " + executable;
  }
  return "the extraction worker stopped unexpectedly (exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
}

}  // namespace evidence::indexer
