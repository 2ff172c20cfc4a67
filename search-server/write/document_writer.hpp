#pragma once
// The server's one writer: adds, edits and withdraws documents. Every change goes to the
// corpus first (temporary file, fsync, rename), then the index is brought in line with the
// corpus by the indexer's own pass (run_indexer), so the server and evidence-index never
// disagree about what a corpus means. One change at a time; while another process holds
// the index's write lock, the writer waits for it (up to lock_timeout). An upload's PDF is
// read before its change takes its turn (uploads one at a time), so an edit or a withdrawal
// never waits while a long PDF is read; the pass then writes what was read.

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "indexer.hpp"
#include "indexer_config.hpp"
#include "metadata.hpp"
#include "progress.hpp"
#include "records.hpp"
#include "summary.hpp"
#include "upload.hpp"
#include "worker_pool.hpp"

namespace evidence::server {

struct WriterConfig {
  std::filesystem::path corpus;
  std::filesystem::path index;
  int jobs = 1;                                 // extraction workers for a pass
  indexer::WorkerLimits limits;                 // per-worker time and memory limits
  std::string worker_executable;                // run with --extraction-worker; empty: this binary
  std::chrono::milliseconds lock_timeout{60000};  // how long to wait for another writer
  std::chrono::seconds deadline{600};             // a change's extraction and commit, at most
  int ocr_max_pages = 500;                        // scanned pages OCR reads in one document; 0: no bound
};

/// Who asked for a change, for the audit log.
struct Editor {
  std::string token_name;
};

/// The outcome of a change: the JSON answer, and what the audit log should record.
struct WriteOutcome {
  nlohmann::json body;
  std::string document_id;
  std::string sha256;
  nlohmann::json changes{};  // an edit: {"field": {"from": old, "to": new}}; long values by length
};

class DocumentWriter {
 public:
  /// committed is called after each change the index committed (so readers reopen).
  DocumentWriter(WriterConfig config, std::function<void()> committed);

  /// A new document: 201 material. kConflict when the bytes or the id are already there,
  /// kInvalidMetadata (with the field), kNotPdf / kDamaged / kEncrypted / kEmptyFile /
  /// kExtractionFailed when the PDF cannot be read or its extraction passed the deadline,
  /// kIndexLocked when the index stayed locked.
  core::Result<WriteOutcome> add(Upload upload);
  /// Applies a JSON merge patch (RFC 7396) to a document's metadata.
  core::Result<WriteOutcome> edit(const std::string& id, const nlohmann::json& patch);
  /// Takes a document out of the corpus (into .withdrawn/, recoverable) and the index.
  core::Result<WriteOutcome> withdraw(const std::string& id);

  /// The document an add() refused with kConflict is in the way of (call on the same thread).
  static const std::string& conflicting_id();
  const WriterConfig& config() const { return config_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct NewDocument {
    core::DocumentMetadata metadata;
    std::string id;
  };

  struct PlacedUpload {
    std::filesystem::path pdf;
    std::filesystem::path sidecar;
    std::string relative;  // the PDF's corpus path
  };
  core::Result<PlacedUpload> place_upload(Upload& upload, const std::string& id);
  /// What an upload becomes, or why it cannot: its metadata, and an id nothing else has.
  core::Result<NewDocument> check_new(const Upload& upload);
  /// Brings the index in line with the corpus (the indexer's pass), by `deadline`; a file
  /// of `prepared` is written without being read again. The number of documents.
  core::Result<std::size_t> reindex(Clock::time_point deadline,
                                    std::vector<indexer::PreparedDocument>* prepared = nullptr);
  core::Result<std::size_t> reindex() { return reindex(Clock::now() + config_.deadline); }
  /// The indexer settings of this writer's passes and extractions.
  indexer::IndexerConfig indexer_config() const;
  /// The refusal of a change that ran past its deadline.
  core::Error too_slow() const;
  core::Result<core::DocumentInfo> find(const std::string& id);
  std::optional<std::string> id_for_hash(const std::string& sha256);
  std::string shard() const;  // the index's shard name, empty when it is none
  /// Whether the last pass could not index the file at this corpus path, and why.
  std::optional<indexer::FileFailure> failure_of(const std::string& path) const;

  WriterConfig config_;
  std::function<void()> committed_;
  core::MetadataValidator validator_;
  std::mutex mutex_;         // one change of the corpus and index at a time
  std::mutex upload_mutex_;  // one upload read at a time, before it takes mutex_
  std::vector<indexer::FileFailure> last_failures_;
};

/// The folder inside the corpus where withdrawn documents are kept.
std::filesystem::path withdrawn_folder(const std::filesystem::path& corpus);

}  // namespace evidence::server
