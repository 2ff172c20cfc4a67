#pragma once
// evidence-index configuration: defaults, and the one function that reads flags and
// environment into it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "worker_pool.hpp"

namespace evidence::indexer {

enum class ProgressMode { kAuto, kAlways, kNever };

struct IndexerConfig {
  std::filesystem::path corpus;                // the folder of PDFs and sidecars (required)
  std::filesystem::path index = "index";       // the Xapian index folder, created if missing
  int jobs = 0;                                // extraction workers; 0 = one per core
  WorkerLimits limits;                         // per-worker time and memory limits
  std::size_t batch_pages = 5000;              // pages per committed transaction
  bool json_summary = false;                   // print the summary as JSON on stdout
  ProgressMode progress = ProgressMode::kAuto;  // progress bar (auto: when stderr is a terminal)
  bool retry_failed = false;                   // retry files that failed before and did not change
  std::string worker_executable;               // the binary run as worker; default: this one
};

/// The outcome of reading the command line: a config, or an exit code and text to print
/// (help, version, usage errors).
struct ParsedIndexerArgs {
  std::optional<IndexerConfig> config;
  int exit_code = 0;
  std::string message;
};

/// Reads argv (and EVIDENCE_INDEX, EVIDENCE_JOBS from the environment).
ParsedIndexerArgs parse_indexer_args(const std::vector<std::string>& args);

}  // namespace evidence::indexer
