#pragma once
// One run of evidence-index: scan the corpus, compare with the index, extract what is new
// or changed on all cores, write it, remove what is gone.

#include "indexer_config.hpp"
#include "error.hpp"
#include "progress.hpp"
#include "summary.hpp"

namespace evidence::indexer {

/// Brings the index in line with the corpus. Fails only when it could not do its job
/// (corpus unreadable, index locked or unwritable); files that fail are in the summary.
core::Result<IndexSummary> run_indexer(const IndexerConfig& config, ProgressBar& progress);

}  // namespace evidence::indexer
