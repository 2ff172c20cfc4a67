#pragma once
// One extraction worker process: `evidence-index --extraction-worker` started with its
// limits (no core file, an address-space limit, killed when the indexer dies), the pipes
// to and from it, and why it ended when it ends unasked.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace evidence::indexer {

class WorkerProcess {
 public:
  /// Starts `executable --extraction-worker` with `environment` (from worker_environment())
  /// under an address-space limit of `memory_limit_mib` (0: none); false, with errno set,
  /// when it cannot.
  bool start(const std::string& executable, const std::vector<std::string>& environment,
             std::uint64_t memory_limit_mib);
  /// Kills the process if it runs, reaps it and closes the pipes.
  void stop();
  /// Waits for a process whose output has ended; its wait status. stop() closes the pipes.
  int reap();

  bool running() const { return pid_ > 0; }
  /// The pipe the worker reads its jobs from.
  int input() const { return to_worker_; }
  /// The pipe the worker writes its frames to.
  int output() const { return from_worker_; }

 private:
  pid_t pid_ = -1;
  int to_worker_ = -1;
  int from_worker_ = -1;
};

/// The environment of this process for its workers, with ASAN_OPTIONS extended so that
/// under ASan (where an address-space limit cannot work: the shadow memory reserves
/// terabytes) a worker is still stopped when its resident memory passes the limit.
std::vector<std::string> worker_environment(std::uint64_t memory_limit_mib);

/// Why a worker ended with `wait_status`, for a person (the file's failure reason).
std::string worker_death_reason(int wait_status, const std::string& executable,
                                std::uint64_t memory_limit_mib);

}  // namespace evidence::indexer
