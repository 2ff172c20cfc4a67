#pragma once
// evidence-index --watch: index, then keep watching the corpus and index again a moment
// after changes settle, until SIGINT or SIGTERM.

#include <cstdio>

#include "indexer_config.hpp"
#include "progress.hpp"

namespace evidence::indexer {

/// How long the corpus must be quiet (no file event) before a pass starts.
inline constexpr std::chrono::milliseconds kWatchQuiet{1000};
/// A file still open for writing holds a pass back until it is closed or has not been
/// written to for this long (a stalled copy).
inline constexpr std::chrono::milliseconds kWatchStalledWrite{10000};
/// While another process writes the index, try again this often.
inline constexpr std::chrono::milliseconds kWatchLockRetry{1000};

/// Runs passes of run_indexer() as the corpus changes, one summary line each on `out`
/// (JSON lines with config.json_summary); returns the exit status: 0 after a signal, 3
/// when the corpus cannot be read or is removed, 5 when the index cannot be written.
int run_watch(const IndexerConfig& config, ProgressBar& progress, std::FILE* out);

}  // namespace evidence::indexer
