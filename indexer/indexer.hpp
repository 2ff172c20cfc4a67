#pragma once
// One run of evidence-index: scan the corpus, compare with the index, extract what is new
// or changed on all cores, write it, remove what is gone.

#include <atomic>

#include "indexer_config.hpp"
#include "error.hpp"
#include "progress.hpp"
#include "summary.hpp"

namespace evidence::indexer {

/// Brings the index in line with the corpus. Fails only when it could not do its job
/// (corpus unreadable, index locked or unwritable); files that fail are in the summary.
/// When `stop` becomes true the run ends early: no new extraction starts, the workers are
/// stopped, what was done is committed (the summary says interrupted) and a later run
/// finishes the work.
core::Result<IndexSummary> run_indexer(const IndexerConfig& config, ProgressBar& progress,
                                       const std::atomic<bool>* stop = nullptr);

}  // namespace evidence::indexer
