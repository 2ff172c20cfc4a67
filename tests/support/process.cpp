#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace evidence::testing {

namespace {

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& cwd, int& out_fd,
            int& err_fd) {
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::string folder = cwd.string();  // before fork: the child only calls what is safe there
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    if (!folder.empty() && ::chdir(folder.c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  out_fd = out[0];
  err_fd = err[0];
  return pid;
}

// Reads both pipes until both reach end of file.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? out : err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
}

void decode_status(int status, ProcessResult& result) {
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  int out_fd = -1;
  int err_fd = -1;
  pid_t pid = spawn(argv, cwd, out_fd, err_fd);
  ProcessResult result;
  drain(out_fd, err_fd, result.out, result.err);
  int status = 0;
  ::waitpid(pid, &status, 0);
  decode_status(status, result);
  return result;
}

Child::Child(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
  pid_ = spawn(argv, cwd, out_fd_, err_fd_);
}

Child::~Child() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

std::string Child::wait_for_line(const std::string& prefix, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::size_t start = 0;
    while (true) {
      auto newline = out_.find('\n', start);
      if (newline == std::string::npos) break;
      std::string line = out_.substr(start, newline - start);
      if (line.rfind(prefix, 0) == 0) return line;
      start = newline + 1;
    }
    pollfd fd{out_fd_, POLLIN, 0};
    if (::poll(&fd, 1, 100) > 0) {
      char buffer[4096];
      ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      out_.append(buffer, static_cast<std::size_t>(n));
    }
  }
  throw std::runtime_error("no line starting with '" + prefix + "' from the child; it printed: " + out_);
}

void Child::signal(int sig) { ::kill(pid_, sig); }

ProcessResult Child::wait(std::chrono::seconds timeout) {
  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  reaped_ = true;
  decode_status(status, result);
  // What it printed since the last wait_for_line, and on stderr (its ends of the pipes are
  // closed now).
  auto read_rest = [](int from, std::string& into) {
    pollfd fd{from, POLLIN, 0};
    char buffer[4096];
    ssize_t n = 0;
    while (::poll(&fd, 1, 100) > 0 && (n = ::read(from, buffer, sizeof buffer)) > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
    }
  };
  read_rest(out_fd_, out_);
  read_rest(err_fd_, result.err);
  result.out = out_;
  return result;
}

}  // namespace evidence::testing
