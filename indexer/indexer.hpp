#pragma once
// One run of evidence-index: scan the corpus, compare with the index, extract what is new
// or changed on all cores, write it, remove what is gone.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "error.hpp"
#include "extraction.hpp"
#include "indexer_config.hpp"
#include "metadata.hpp"
#include "progress.hpp"
#include "summary.hpp"
#include "worker_pool.hpp"

namespace evidence::indexer {

/// A document read before the run, for a run to write without reading its file again.
/// The server reads an upload this way before it takes the index's write lock, so that a
/// long extraction does not hold up other changes.
struct PreparedDocument {
  std::string sha256;
  std::string document_id;
  std::optional<core::DocumentMetadata> sidecar;  // the metadata it was read with
  ExtractedDocument extracted;
};

/// Reads one PDF with config's workers, limits and OCR settings, as a run would read it as
/// document `document_id` with `sidecar`. kExtractionFailed (and the reason) when `stop`
/// turned before it finished; the file's own error when it cannot be read.
core::Result<ExtractedDocument> extract_document(const IndexerConfig& config,
                                                 const std::filesystem::path& pdf,
                                                 const std::string& document_id,
                                                 const std::optional<core::DocumentMetadata>& sidecar,
                                                 const std::atomic<bool>* stop = nullptr);

/// Opens the index for writing and holds its write lock (created when missing, with
/// `create`), after putting right what a crashed compaction left. kIndexLocked when another
/// writer holds the lock.
core::Result<Xapian::WritableDatabase> open_index(const std::filesystem::path& path, bool create);

/// Brings the index in line with the corpus. Fails only when it could not do its job
/// (corpus unreadable, index locked or unwritable); files that fail are in the summary.
/// When `stop` becomes true the run ends early: no new extraction starts, the workers are
/// stopped, what was done is committed (the summary says interrupted) and a later run
/// finishes the work. A file whose content, id and sidecar match one of `prepared` is
/// written from it (and taken out of it) instead of being read.
core::Result<IndexSummary> run_indexer(const IndexerConfig& config, ProgressBar& progress,
                                       const std::atomic<bool>* stop = nullptr,
                                       std::vector<PreparedDocument>* prepared = nullptr);

}  // namespace evidence::indexer
