#pragma once
// evidence-index configuration: defaults, and the one function that reads flags and
// environment into it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "command_line.hpp"

#include "worker_pool.hpp"

namespace evidence::indexer {

enum class ProgressMode { kAuto, kAlways, kNever };

/// What evidence-index is asked to do: bring the index in line with a corpus, or compact it.
enum class IndexerCommand { kIndex, kCompact };

struct IndexerConfig {
  IndexerCommand command = IndexerCommand::kIndex;  // `evidence-index compact` (no corpus): kCompact
  std::filesystem::path corpus;                // the folder of PDFs and sidecars (required)
  std::filesystem::path data_dir = "var";      // the data directory, where the index is by default
  std::filesystem::path index = "var/index";   // the Xapian index folder, created if missing
  int jobs = 0;                                // extraction workers; 0 = one per core
  WorkerLimits limits;                         // per-worker time and memory limits
  std::size_t batch_pages = 5000;              // pages per committed transaction
  bool json_summary = false;                   // print the summary as JSON on stdout
  ProgressMode progress = ProgressMode::kAuto;  // progress bar (auto: when stderr is a terminal)
  bool retry_failed = false;                   // retry files that failed before and did not change
  bool ocr = true;                             // read scanned pages with OCR
  int ocr_max_pages = 500;                     // scanned pages OCR reads per document at most;
                                               // 0: no bound
  bool compact = true;                         // compact the index after a full build (a run that
                                               // started from an empty index)
  bool watch = false;                          // keep running, index again as the corpus changes
  std::string shard;                           // shard name (ids become SHARD.id); empty: the
                                               // index's own, or none
  std::string worker_executable;               // the binary run as worker; default: this one
  int compact_pause_ms = 0;                    // tests: `compact` holds the lock this long, its
                                               // copy built, before the exchange
};

using ParsedIndexerArgs = core::ParsedArgs<IndexerConfig>;

/// Reads argv (and EVIDENCE_DATA_DIR, EVIDENCE_INDEX, EVIDENCE_JOBS from the environment); the
/// data directory and the index become absolute paths. `evidence-index compact [--index DIR]
/// [--data-dir DIR] [--json]` gives a config with command kCompact. A data directory named but missing ends
/// the program (exit code 2).
ParsedIndexerArgs parse_indexer_args(const std::vector<std::string>& args);

}  // namespace evidence::indexer
