#include "indexer.hpp"

#include <algorithm>
#include <chrono>

#include <xapian.h>

#include "change_plan.hpp"
#include "compaction.hpp"
#include "corpus_scan.hpp"
#include "index_layout.hpp"
#include "index_writer.hpp"
#include "records.hpp"
#include "worker_pool.hpp"

namespace evidence::indexer {

namespace fs = std::filesystem;
namespace layout = core::layout;
using core::DocumentInfo;
using core::Error;
using core::ErrorCode;

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

// The shard name this run writes: --shard, or the one the index already has. An index
// keeps its name for good, and an index of unsharded documents does not become a shard,
// because either change would change every document id.
core::Result<std::string> choose_shard(const Xapian::WritableDatabase& db, const std::string& wanted,
                                       bool rebuild) {
  std::string stored = db.get_metadata(layout::kShardKey);
  if (wanted.empty() || wanted == stored) return stored;
  if (!stored.empty()) {
    return Error{ErrorCode::kInvalidArgument, "the index is shard '" + stored + "', not '" + wanted +
                                                  "'; a shard keeps its name (use another index folder)"};
  }
  if (!rebuild && db.get_termfreq(layout::kDocumentKindTerm) > 0) {
    return Error{ErrorCode::kInvalidArgument,
                 "the index already holds documents that are not in a shard; "
                 "write shard '" +
                     wanted + "' into a new index folder"};
  }
  return wanted;
}

// How a run reads one PDF as document `id`.
ExtractionJob extraction_job(const IndexerConfig& config, const fs::path& pdf, const std::string& id,
                             const std::optional<core::DocumentMetadata>& sidecar) {
  ExtractionJob job;
  job.path = pdf.string();
  job.file_name = pdf.filename().string();
  job.document_id = id;
  job.sidecar = sidecar;
  job.ocr = config.ocr;
  job.ocr_max_pages = config.ocr_max_pages;
  return job;
}

std::string worker_executable(const IndexerConfig& config) {
  if (!config.worker_executable.empty()) return config.worker_executable;
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).string();
}

// The record of a document read from the files of `extraction`.
DocumentInfo document_info(const PlannedExtraction& extraction, ExtractionResult& result) {
  DocumentInfo info;
  info.id = extraction.id;
  info.sha256 = extraction.group.sha256;
  info.size = extraction.group.primary->stamp.size;
  info.page_count = result.page_count;
  info.language = result.language;
  info.language_detected = result.language_detected;
  info.metadata_source = result.metadata_source;
  info.metadata = std::move(result.metadata);
  for (const auto* file : extraction.group.files) info.files.push_back(file->stamp);
  info.sidecar = extraction.group.primary->sidecar;
  info.indexed_at = now_seconds();
  info.ocr_pages = std::move(result.ocr_pages);
  info.pages_without_text = std::move(result.pages_without_text);
  info.ocr_pages_skipped = result.ocr_pages_skipped;
  info.pages_not_read = std::move(result.pages_not_read);
  info.pages_not_read_reason = std::move(result.pages_not_read_reason);
  return info;
}

// One run: plan against the index, hand the writer what the plan and the extractions give.
// The run stops as soon as the writer fails: no extraction starts after a failed write.
class Run {
 public:
  Run(const IndexerConfig& config, ProgressBar& progress, const std::atomic<bool>* stop,
      std::vector<PreparedDocument>* prepared)
      : config_(config), progress_(progress), stop_(stop), prepared_(prepared) {}

  core::Result<IndexSummary> execute();

 private:
  void compact_after_full_build(Xapian::WritableDatabase& db);
  void fail(const std::string& path, const Error& error) {
    summary_.failed.push_back({path, core::error_code_name(error.code), error.message, false});
  }
  core::Status prepare_index(Xapian::WritableDatabase& db);
  void write_plan(const CorpusScan& scan);
  void extract_all();
  bool write_prepared(const PlannedExtraction& extraction);
  void write_document(ExtractedDocument&& extracted, const PlannedExtraction& extraction);
  void write_failure(const PlannedExtraction& extraction, const Error& error);
  void count_extracted(const ExtractedDocument& extracted, const DocumentInfo& info);
  bool cancelled();
  void count_index();

  const IndexerConfig& config_;
  ProgressBar& progress_;
  const std::atomic<bool>* stop_;
  std::vector<PreparedDocument>* prepared_;
  IndexSummary summary_;
  IndexState state_;
  std::unique_ptr<IndexWriter> writer_;
  std::vector<PlannedExtraction> extractions_;
  std::string shard_;  // the index's shard name, empty when it is not a shard
  bool full_build_ = false;  // the run started from an index without documents (or rebuilds it)
};

// Reads what the index holds and starts the writer, with the layout version and shard name
// queued first.
core::Status Run::prepare_index(Xapian::WritableDatabase& db) {
  const std::string version = std::to_string(layout::kSchemaVersion);
  std::string stored_version = db.get_metadata(layout::kSchemaVersionKey);
  bool schema_matches = stored_version.empty() || stored_version == version;
  auto shard = choose_shard(db, config_.shard, !schema_matches);
  if (!shard) return shard.error();
  shard_ = std::move(shard).value();
  bool name_shard = db.get_metadata(layout::kShardKey) != shard_;  // read before the writer owns db
  full_build_ = !schema_matches || db.get_termfreq(layout::kDocumentKindTerm) == 0;
  state_ = load_index_state(db, schema_matches);
  writer_ = std::make_unique<IndexWriter>(db, config_.batch_pages);
  // An index of another layout version is rebuilt from scratch.
  if (!schema_matches || stored_version.empty()) (void)writer_->set_schema(version, !schema_matches);
  if (name_shard) (void)writer_->set_shard(shard_);
  return {};
}

void Run::write_plan(const CorpusScan& scan) {
  ChangePlan plan = plan_changes(scan, state_, {config_.corpus, shard_, config_.retry_failed}, summary_);
  for (auto& info : plan.record_updates) (void)writer_->update_record(std::move(info));
  for (auto& id : plan.removals) (void)writer_->remove_document(std::move(id));
  for (auto& path : plan.forgotten_failures) (void)writer_->forget_failure(std::move(path));
  extractions_ = std::move(plan.extractions);
}

void Run::count_extracted(const ExtractedDocument& extracted, const DocumentInfo& info) {
  summary_.pages_extracted += extracted.pages.size();
  if (extracted.parts > 1) ++summary_.documents_split;
  summary_.pages_ocr += info.ocr_pages.size();
  summary_.pages_without_text += info.pages_without_text.size();
  if (info.ocr_pages_skipped > 0) {
    summary_.pages_ocr_skipped += static_cast<std::size_t>(info.ocr_pages_skipped);
    ++summary_.documents_ocr_limited;
  }
}

void Run::write_document(ExtractedDocument&& extracted, const PlannedExtraction& extraction) {
  if (extraction.update)
    ++summary_.updated;
  else
    ++summary_.added;
  DocumentInfo info = document_info(extraction, extracted.result);
  count_extracted(extracted, info);
  if (!info.pages_not_read.empty()) {
    summary_.partial.push_back(
        {extraction.group.primary->stamp.path, info.pages_not_read, info.pages_not_read_reason, false});
  }
  if (!extracted.result.ocr_problem.empty() && summary_.ocr_problem.empty()) {
    summary_.ocr_problem = std::move(extracted.result.ocr_problem);
  }
  (void)writer_->add_document(std::move(info), std::move(extracted.result.document_record),
                              std::move(extracted.pages), extraction.replaces);
}

void Run::write_failure(const PlannedExtraction& extraction, const Error& error) {
  const CorpusFile& primary = *extraction.group.primary;
  fail(primary.stamp.path, error);
  (void)writer_->remember_failure(primary.stamp.path, encode_failure_record(primary, error),
                                  extraction.replaces);
}

// Writes the extraction from a prepared document of the same content, id and sidecar, if
// there is one.
bool Run::write_prepared(const PlannedExtraction& extraction) {
  if (prepared_ == nullptr) return false;
  auto it = std::find_if(prepared_->begin(), prepared_->end(), [&](const PreparedDocument& ready) {
    return ready.sha256 == extraction.group.sha256 && ready.document_id == extraction.id &&
           ready.sidecar == extraction.sidecar;
  });
  if (it == prepared_->end()) return false;
  write_document(std::move(it->extracted), extraction);
  prepared_->erase(it);
  return true;
}

// Asked by the workers' loop on every wake-up: a stop signal or a failed write ends the
// extraction, the workers are stopped.
bool Run::cancelled() {
  if (stop_ != nullptr && stop_->load()) summary_.interrupted = true;
  return summary_.interrupted || writer_->failed();
}

void Run::extract_all() {
  std::erase_if(extractions_,
                [this](const PlannedExtraction& extraction) { return write_prepared(extraction); });
  // Largest files first, so that no big file starts last and holds up the end of the run.
  std::stable_sort(extractions_.begin(), extractions_.end(),
                   [](const PlannedExtraction& a, const PlannedExtraction& b) {
                     return a.group.primary->stamp.size > b.group.primary->stamp.size;
                   });
  std::vector<ExtractionJob> jobs;
  std::uint64_t bytes = 0;
  for (const auto& extraction : extractions_) {
    jobs.push_back(
        extraction_job(config_, extraction.group.primary->absolute, extraction.id, extraction.sidecar));
    bytes += extraction.group.primary->stamp.size;
  }
  progress_.start(jobs.size(), bytes);
  if (jobs.empty() || writer_->failed()) return;
  // As many workers as files, or more when a long PDF can be read in parts (a worker is
  // started only when there is work for it).
  int workers = config_.limits.split_pages > 0 ? config_.jobs : std::min<int>(config_.jobs, static_cast<int>(jobs.size()));
  WorkerPool pool(worker_executable(config_), workers, config_.limits);
  WorkerCallbacks callbacks;
  callbacks.page_done = [&](std::size_t) { progress_.pages_done(1); };
  callbacks.done = [&](std::size_t job, ExtractedDocument&& document) {
    write_document(std::move(document), extractions_[job]);
    progress_.file_done(extractions_[job].group.primary->stamp.size);
  };
  callbacks.failed = [&](std::size_t job, Error&& error) {
    // Ctrl-C reaches the workers too (one process group): a worker killed while the run
    // stops says nothing about its file, which must not be remembered as failed.
    if (cancelled()) return;
    write_failure(extractions_[job], error);
    progress_.file_done(extractions_[job].group.primary->stamp.size);
  };
  callbacks.cancelled = [this] { return cancelled(); };
  pool.run(jobs, callbacks);
}

void Run::count_index() {
  try {
    Xapian::Database db(config_.index.string());
    summary_.documents_in_index = db.get_termfreq(layout::kDocumentKindTerm);
    summary_.pages_in_index = db.get_termfreq(layout::kPageKindTerm);
  } catch (const Xapian::Error&) {
  }
}

// A full build commits many batches, and Xapian's copy-on-write leaves about half of what
// it wrote free; compacting at once, with the lock still held, halves the index before
// anything reads it much. An update of a built index leaves little free space: it does not.
void Run::compact_after_full_build(Xapian::WritableDatabase& db) {
  if (!full_build_ || !config_.compact || summary_.interrupted || summary_.added == 0) return;
  auto compacted = compact_locked(db, config_.index);
  if (compacted) {
    summary_.compaction = *compacted;
  } else {
    summary_.compaction_problem = compacted.error().message;
  }
}

core::Result<IndexSummary> Run::execute() {
  auto started = std::chrono::steady_clock::now();
  auto scan = scan_corpus(config_.corpus);
  if (!scan) return scan.error();
  auto opened = open_index(config_.index, /*create=*/true);
  if (!opened) return opened.error();
  Xapian::WritableDatabase db = std::move(opened).value();
  if (auto prepared = prepare_index(db); !prepared) return prepared.error();
  write_plan(*scan);
  extract_all();
  core::Status written = writer_->finish();
  writer_.reset();
  progress_.finish();
  if (written) compact_after_full_build(db);
  db.close();
  if (!written) return written.error();
  count_index();
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(summary_);
}

}  // namespace

core::Result<Xapian::WritableDatabase> open_index(const fs::path& path, bool create) {
  try {
    std::error_code ec;
    // A compaction that crashed between its fallback's two renames left no index at the path.
    if (!fs::exists(path, ec)) clean_up_compaction(path);
    if (create) fs::create_directories(path, ec);
    Xapian::WritableDatabase db(path.string(), create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN);
    clean_up_compaction(path);  // the lock is held: a copy beside the index is a crashed compaction's
    return db;
  } catch (const Xapian::DatabaseLockError&) {
    return Error{ErrorCode::kIndexLocked,
                 "the index " + path.string() +
                     " is being written by another process (another evidence-index run, or an "
                     "evidence-server taking an upload); wait for it to finish and run again"};
  } catch (const Xapian::Error& e) {
    return Error{ErrorCode::kIndexUnavailable,
                 "cannot open the index " + path.string() + ": " + e.get_description()};
  }
}

core::Result<ExtractedDocument> extract_document(const IndexerConfig& config, const fs::path& pdf,
                                                 const std::string& document_id,
                                                 const std::optional<core::DocumentMetadata>& sidecar,
                                                 const std::atomic<bool>* stop) {
  int workers = config.limits.split_pages > 0 ? std::max(1, config.jobs) : 1;
  WorkerPool pool(worker_executable(config), workers, config.limits);
  std::optional<core::Result<ExtractedDocument>> outcome;
  WorkerCallbacks callbacks;
  callbacks.done = [&](std::size_t, ExtractedDocument&& document) { outcome.emplace(std::move(document)); };
  callbacks.failed = [&](std::size_t, Error&& error) { outcome.emplace(std::move(error)); };
  if (stop != nullptr) callbacks.cancelled = [stop] { return stop->load(); };
  pool.run({extraction_job(config, pdf, document_id, sidecar)}, callbacks);
  if (stop != nullptr && stop->load())
    return Error{ErrorCode::kExtractionFailed, "the extraction was stopped"};
  if (!outcome) return Error{ErrorCode::kInternal, "the extraction ended without a result"};
  return std::move(*outcome);
}

core::Result<IndexSummary> run_indexer(const IndexerConfig& config, ProgressBar& progress,
                                       const std::atomic<bool>* stop,
                                       std::vector<PreparedDocument>* prepared) {
  Run run(config, progress, stop, prepared);
  return run.execute();
}

}  // namespace evidence::indexer
