#include "worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "worker_protocol.hpp"

namespace evidence::indexer {

using Clock = std::chrono::steady_clock;
using core::Error;
using core::ErrorCode;

struct WorkerPool::Worker {
  pid_t pid = -1;
  int to_worker = -1;
  int from_worker = -1;
  std::optional<std::size_t> job;  // the job in progress
  ExtractedDocument document;
  FrameReader reader;
  Clock::time_point deadline;
};

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

// The environment of this process, with ASAN_OPTIONS extended so that under ASan (where
// an address-space limit cannot work: the shadow memory reserves terabytes) a worker is
// still stopped when its resident memory passes the limit.
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

}  // namespace

WorkerPool::WorkerPool(std::string executable, int workers, WorkerLimits limits)
    : executable_(std::move(executable)), limits_(limits), workers_(static_cast<std::size_t>(std::max(1, workers))) {
  ::signal(SIGPIPE, SIG_IGN);  // a dead worker must not kill us through its pipe
  environment_ = worker_environment(limits_.memory_limit_mib);
}

WorkerPool::~WorkerPool() {
  for (auto& worker : workers_) stop(worker);
}

bool WorkerPool::spawn(Worker& worker) {
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return false;
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return false;
  }
  std::vector<char*> envp;
  for (auto& variable : environment_) envp.push_back(variable.data());
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
    struct rlimit no_core {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    if (limits_.memory_limit_mib > 0 && !kAddressSanitizer && !kThreadSanitizer) {
      rlim_t bytes = static_cast<rlim_t>(limits_.memory_limit_mib) * 1024 * 1024;
      struct rlimit memory {bytes, bytes};
      ::setrlimit(RLIMIT_AS, &memory);
    }
    const char* argv[] = {executable_.c_str(), "--extraction-worker", nullptr};
    ::execve(executable_.c_str(), const_cast<char* const*>(argv), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  worker.pid = pid;
  worker.to_worker = in_pipe[1];
  worker.from_worker = out_pipe[0];
  worker.reader = FrameReader();
  return true;
}

void WorkerPool::stop(Worker& worker) {
  if (worker.pid > 0) {
    ::kill(worker.pid, SIGKILL);
    ::waitpid(worker.pid, nullptr, 0);
  }
  if (worker.to_worker >= 0) ::close(worker.to_worker);
  if (worker.from_worker >= 0) ::close(worker.from_worker);
  worker.pid = -1;
  worker.to_worker = worker.from_worker = -1;
  worker.job.reset();
}

std::string WorkerPool::death_reason(int status) const {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::string name = sigabbrev_np(sig) ? std::string("SIG") + sigabbrev_np(sig) : std::to_string(sig);
    if (sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS) {
      std::string reason = "the PDF reader crashed on this file (" + name + ")";
      if (limits_.memory_limit_mib > 0) {
        reason += ", or it needed more than the memory limit of " + std::to_string(limits_.memory_limit_mib) + " MiB";
      }
      return reason;
    }
    return "the extraction worker was killed (" + name + ")";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return "cannot start the extraction worker " + executable_;
  }
  return "the extraction worker stopped unexpectedly (exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
}

void WorkerPool::run(const std::vector<ExtractionJob>& jobs, const WorkerCallbacks& callbacks) {
  std::size_t next_job = 0;
  auto fail_current = [&](Worker& worker, Error error) {
    std::size_t job = *worker.job;
    stop(worker);
    callbacks.failed(job, std::move(error));
  };

  while (true) {
    if (callbacks.cancelled && callbacks.cancelled()) {
      for (auto& worker : workers_) stop(worker);
      return;
    }
    // Hand out jobs to idle workers.
    for (auto& worker : workers_) {
      if (worker.job || next_job >= jobs.size()) continue;
      if (worker.pid < 0 && !spawn(worker)) {
        callbacks.failed(next_job++, Error{ErrorCode::kExtractionFailed,
                                           std::string("cannot start a worker: ") + std::strerror(errno)});
        continue;
      }
      worker.job = next_job;
      worker.document = ExtractedDocument{};
      worker.deadline = Clock::now() + limits_.stall_timeout;
      if (!write_frame(worker.to_worker, FrameType::kJob, encode_job(jobs[next_job]))) {
        int status = 0;
        ::waitpid(worker.pid, &status, 0);
        worker.pid = -1;
        fail_current(worker, Error{ErrorCode::kExtractionFailed, death_reason(status)});
      }
      ++next_job;
    }

    std::vector<pollfd> fds;
    std::vector<Worker*> busy;
    Clock::time_point earliest = Clock::time_point::max();
    for (auto& worker : workers_) {
      if (!worker.job) continue;
      fds.push_back({worker.from_worker, POLLIN, 0});
      busy.push_back(&worker);
      earliest = std::min(earliest, worker.deadline);
    }
    if (busy.empty()) {
      if (next_job >= jobs.size()) break;
      continue;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - Clock::now()).count();
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));

    for (std::size_t i = 0; i < busy.size(); ++i) {
      Worker& worker = *busy[i];
      if (fds[i].revents != 0) {
        char buffer[1 << 16];
        ssize_t n = ::read(worker.from_worker, buffer, sizeof buffer);
        if (n > 0) {
          worker.reader.append(buffer, static_cast<std::size_t>(n));
          worker.deadline = Clock::now() + limits_.stall_timeout;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          int status = 0;
          ::waitpid(worker.pid, &status, 0);
          worker.pid = -1;
          fail_current(worker, Error{ErrorCode::kExtractionFailed, death_reason(status)});
          continue;
        }
        while (worker.job) {
          auto frame = worker.reader.next();
          if (!frame) break;
          std::size_t job = *worker.job;
          switch (frame->type) {
            case FrameType::kOpened: {
              int pages = decode_opened(frame->payload);
              if (limits_.max_pages > 0 && pages > limits_.max_pages) {
                fail_current(worker, Error{ErrorCode::kExtractionFailed,
                                           "the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                                               std::to_string(limits_.max_pages) + " (--max-pages)"});
                break;
              }
              if (callbacks.opened) callbacks.opened(job, pages);
              break;
            }
            case FrameType::kPage:
              worker.document.pages.push_back(std::move(frame->payload));
              if (callbacks.page_done) callbacks.page_done(job);
              break;
            case FrameType::kDone: {
              auto result = decode_result(frame->payload);
              worker.job.reset();
              if (!result) {
                callbacks.failed(job, Error(result.error()));
              } else {
                worker.document.result = std::move(result).value();
                callbacks.done(job, std::move(worker.document));
              }
              break;
            }
            case FrameType::kFailed:
              worker.job.reset();
              callbacks.failed(job, decode_failure(frame->payload));
              break;
            default:
              fail_current(worker, Error{ErrorCode::kInternal, "unexpected frame from the worker"});
              break;
          }
        }
        if (worker.job && worker.reader.corrupt()) {
          fail_current(worker, Error{ErrorCode::kInternal, "corrupt output from the worker"});
        }
      } else if (Clock::now() >= worker.deadline) {
        fail_current(worker, Error{ErrorCode::kExtractionFailed,
                                   "timed out: no progress for " +
                                       std::to_string(limits_.stall_timeout.count()) + " s"});
      }
    }
  }
}

}  // namespace evidence::indexer
