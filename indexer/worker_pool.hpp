#pragma once
// Extraction worker processes: each runs `evidence-index --extraction-worker`, one PDF at
// a time, under a memory limit, and is killed when it makes no progress for too long. A
// worker that crashes, hangs or runs out of memory fails only its current PDF.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "error.hpp"
#include "extraction.hpp"

namespace evidence::indexer {

struct WorkerLimits {
  /// A worker that sends nothing for this long (opening the PDF or one page) is killed.
  std::chrono::seconds stall_timeout{60};
  /// Address-space limit of each worker in MiB (0: none).
  std::uint64_t memory_limit_mib = 2048;
  /// A PDF with more pages than this fails before any page is read (0: no limit).
  int max_pages = 100'000;
  /// A PDF with more pages than this is read in parts of this many pages, by as many
  /// workers as are free, so that one long file does not hold up the end of a run (0: never).
  int split_pages = 200;
};

/// A finished extraction: the serialised page records in page order and the result.
struct ExtractedDocument {
  std::vector<std::string> pages;
  ExtractionResult result;
  int parts = 1;  // how many workers' parts it was put together from
};

struct WorkerCallbacks {
  std::function<void(std::size_t job, int page_count)> opened;
  std::function<void(std::size_t job)> page_done;
  std::function<void(std::size_t job, ExtractedDocument&&)> done;
  std::function<void(std::size_t job, core::Error&&)> failed;
  /// Asked on every wake-up (at least once a second); true stops the workers and ends
  /// run() at once, with the jobs in progress and those not started left undone.
  std::function<bool()> cancelled;
};

class WorkerPool {
 public:
  /// executable is the evidence-index binary that is started with --extraction-worker.
  WorkerPool(std::string executable, int workers, WorkerLimits limits);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Extracts every job, calling back on this thread as results arrive.
  void run(const std::vector<ExtractionJob>& jobs, const WorkerCallbacks& callbacks);

 private:
  struct Task;
  struct Worker;
  struct Split;
  class Dispatch;  // one run()
  bool spawn(Worker& worker);
  void stop(Worker& worker);

  std::string executable_;
  WorkerLimits limits_;
  std::vector<std::string> environment_;  // the workers' environment, prepared before any fork
  std::vector<Worker> workers_;
};

}  // namespace evidence::indexer
