#pragma once
// Running the project's executables from tests: capture output, wait, or kill.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace evidence::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

/// Runs a program to completion and captures its stdout and stderr; in folder cwd when given.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});

/// A child process running in the background, killed (SIGKILL) when destroyed.
class Child {
 public:
  /// Starts argv[0] (a path), in folder cwd when given.
  explicit Child(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  /// Reads stdout until a line starting with prefix appears; returns that line.
  std::string wait_for_line(const std::string& prefix, std::chrono::seconds timeout);
  /// Sends a signal.
  void signal(int sig);
  /// Waits for the child to end and returns its status, all it printed on stdout and what
  /// stderr still holds (a pipe's worth); SIGKILL after the timeout.
  ProcessResult wait(std::chrono::seconds timeout);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  bool reaped_ = false;
};

}  // namespace evidence::testing
