#include "indexer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "corpus_scan.hpp"
#include "index_layout.hpp"
#include "index_writer.hpp"
#include "metadata.hpp"
#include "records.hpp"
#include "sha256.hpp"
#include "worker_pool.hpp"

namespace evidence::indexer {

namespace fs = std::filesystem;
namespace layout = core::layout;
using core::DocumentInfo;
using core::Error;
using core::ErrorCode;
using core::FileStamp;
using nlohmann::json;

namespace {

constexpr std::uintmax_t kMaxSidecarBytes = 1 << 20;

// What the index holds before the run.
struct IndexState {
  std::map<std::string, DocumentInfo> documents;     // by id
  std::map<std::string, std::string> id_by_path;     // corpus path → id
  std::map<std::string, std::string> id_by_sha;      // content → id
  std::map<std::string, json> failures;              // corpus path → remembered failure
};

// One document to be: every corpus file with the same bytes.
struct Group {
  std::string sha256;
  std::vector<const CorpusFile*> files;  // sorted by path
  const CorpusFile* primary = nullptr;   // whose sidecar gives the metadata
};

// A planned extraction and what it replaces.
struct Extraction {
  Group group;
  std::string id;
  std::optional<core::DocumentMetadata> sidecar;
  std::set<std::string> replaces;  // ids of earlier documents of these files, now gone
  bool update = false;             // counts as updated rather than added
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

core::Result<Xapian::WritableDatabase> open_index(const fs::path& path) {
  try {
    std::error_code ec;
    fs::create_directories(path, ec);
    return Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE_OR_OPEN);
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

IndexState load_state(const Xapian::Database& db, bool schema_matches) {
  IndexState state;
  if (schema_matches) {
    for (auto it = db.postlist_begin(layout::kDocumentKindTerm); it != db.postlist_end(layout::kDocumentKindTerm); ++it) {
      auto info = core::decode_document_info(db.get_document(*it).get_data());
      if (!info) continue;  // an unreadable record is replaced as if it were missing
      for (const auto& file : info->files) state.id_by_path[file.path] = info->id;
      state.id_by_sha[info->sha256] = info->id;
      state.documents.emplace(info->id, std::move(info).value());
    }
  }
  const std::string key_prefix = layout::kFailedFileKeyPrefix;
  for (auto it = db.metadata_keys_begin(key_prefix); it != db.metadata_keys_end(key_prefix); ++it) {
    std::string value = db.get_metadata(*it);
    try {
      state.failures[(*it).substr(key_prefix.size())] = json::from_cbor(value.begin(), value.end());
    } catch (const json::exception&) {
    }
  }
  return state;
}

json stamp_json(const CorpusFile& file) {
  json j = {{"size", file.stamp.size}, {"mtime_ns", file.stamp.mtime_ns}};
  if (file.sidecar) j["sidecar"] = {{"size", file.sidecar->size}, {"mtime_ns", file.sidecar->mtime_ns}};
  return j;
}

std::string encode_failure_record(const CorpusFile& file, const Error& error) {
  json j = {{"stamp", stamp_json(file)}, {"code", core::error_code_name(error.code)}, {"reason", error.message}};
  auto bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

core::Result<core::DocumentMetadata> read_sidecar(const fs::path& corpus, const FileStamp& sidecar,
                                                  const core::MetadataValidator& validator) {
  fs::path path = corpus / sidecar.path;
  if (sidecar.size > kMaxSidecarBytes) {
    return Error{ErrorCode::kInvalidMetadata, sidecar.path + ": larger than 1 MiB"};
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Error{ErrorCode::kIo, "cannot read " + sidecar.path};
  auto metadata = validator.parse(text.str());
  if (!metadata) {
    return Error{ErrorCode::kInvalidMetadata, "invalid metadata in " + sidecar.path + ": " + metadata.error().message};
  }
  return metadata;
}

// The corpus's own words feed "did you mean": unprefixed words of 3 to 30 bytes without
// digits (prefixed terms start with a capital letter). Every such word goes in, however
// rare: a word missing from the spelling table would be "corrected" into another one.
void add_spellings(Xapian::WritableDatabase& db, const Xapian::Document& document) {
  for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
    const std::string& term = *it;
    if (term.size() < 3 || term.size() > 30 || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    if (term.find_first_of("0123456789") != std::string::npos) continue;
    db.add_spelling(term, 1);
  }
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

void remove_document(Xapian::WritableDatabase& db, const std::string& id) {
  db.delete_document(layout::document_id_term(id));
  db.delete_document(layout::parent_term(id));
}

class Run {
 public:
  Run(const IndexerConfig& config, ProgressBar& progress, const std::atomic<bool>* stop,
      std::vector<PreparedDocument>* prepared)
      : config_(config), progress_(progress), stop_(stop), prepared_(prepared) {}

  core::Result<IndexSummary> execute();

 private:
  void fail(const std::string& path, const Error& error, bool remembered = false) {
    summary_.failed.push_back({path, core::error_code_name(error.code), error.message, remembered});
  }
  void plan(const CorpusScan& scan);
  void plan_group(Group& group);
  void plan_removals();
  void extract_all();
  bool write_prepared(const Extraction& extraction);
  void write_document(ExtractedDocument&& extracted, const Extraction& extraction);
  void write_failure(const Extraction& extraction, const Error& error);
  void count_index();

  const IndexerConfig& config_;
  ProgressBar& progress_;
  const std::atomic<bool>* stop_;
  std::vector<PreparedDocument>* prepared_;
  core::MetadataValidator validator_;
  IndexSummary summary_;
  IndexState state_;
  std::unique_ptr<IndexWriter> writer_;
  std::set<std::string> claimed_;  // ids that stay in (or come into) the index
  std::vector<Extraction> extractions_;
  std::vector<std::string> forget_failures_;  // remembered failures of files now fine or gone
  std::string shard_;  // the index's shard name, empty when it is not a shard
};

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
    return Error{ErrorCode::kInvalidArgument, "the index already holds documents that are not in a shard; "
                                              "write shard '" + wanted + "' into a new index folder"};
  }
  return wanted;
}

void Run::plan(const CorpusScan& scan) {
  for (const auto& rejection : scan.rejected) fail(rejection.path, rejection.error);
  summary_.other_files = scan.other_files;

  // Hash what changed; reuse the stored hash where size and mtime are unchanged.
  std::map<std::string, Group> groups;
  for (const auto& file : scan.pdfs) {
    std::string sha;
    if (auto known = state_.id_by_path.find(file.stamp.path); known != state_.id_by_path.end()) {
      const DocumentInfo& info = state_.documents.at(known->second);
      for (const auto& stamp : info.files) {
        if (stamp == file.stamp) sha = info.sha256;
      }
    }
    if (sha.empty()) {
      auto hashed = core::sha256_file(file.absolute);
      if (!hashed) {
        fail(file.stamp.path, hashed.error());
        continue;
      }
      sha = std::move(hashed).value();
    }
    Group& group = groups[sha];
    group.sha256 = sha;
    group.files.push_back(&file);
  }
  for (auto& [sha, group] : groups) plan_group(group);
  plan_removals();

  std::set<std::string> present;
  for (const auto& file : scan.pdfs) present.insert(file.stamp.path);
  for (const auto& [path, failure] : state_.failures) {
    if (!present.count(path)) forget_failures_.push_back(path);
  }
}

void Run::plan_group(Group& group) {
  group.primary = group.files.front();
  for (const auto* file : group.files) {
    if (file->sidecar) {
      group.primary = file;
      break;
    }
  }
  std::vector<FileStamp> stamps;
  for (const auto* file : group.files) stamps.push_back(file->stamp);
  const CorpusFile& primary = *group.primary;

  // Same bytes and the same sidecar as last time: at most the list of files changed.
  if (auto known = state_.id_by_sha.find(group.sha256); known != state_.id_by_sha.end()) {
    const DocumentInfo& info = state_.documents.at(known->second);
    if (info.sidecar == primary.sidecar && !claimed_.count(info.id)) {
      claimed_.insert(info.id);
      if (info.files == stamps) {
        ++summary_.unchanged;
        return;
      }
      ++summary_.updated;
      DocumentInfo updated = info;
      updated.files = stamps;
      (void)writer_->submit([updated](Xapian::WritableDatabase& db) {
        auto posting = db.postlist_begin(layout::document_id_term(updated.id));
        if (posting == db.postlist_end(layout::document_id_term(updated.id))) return;
        Xapian::Document record = db.get_document(*posting);
        record.set_data(core::encode_document_info(updated));
        db.replace_document(*posting, record);
      }, 0);
      return;
    }
  }

  auto keep_previous = [&] {
    if (auto it = state_.id_by_path.find(primary.stamp.path); it != state_.id_by_path.end()) claimed_.insert(it->second);
  };
  if (auto remembered = state_.failures.find(primary.stamp.path); remembered != state_.failures.end()) {
    if (!config_.retry_failed && remembered->second.value("stamp", json()) == stamp_json(primary)) {
      summary_.failed.push_back({primary.stamp.path, remembered->second.value("code", "internal"),
                                 remembered->second.value("reason", ""), true});
      keep_previous();
      return;
    }
  }

  std::optional<core::DocumentMetadata> sidecar;
  if (primary.sidecar) {
    auto metadata = read_sidecar(config_.corpus, *primary.sidecar, validator_);
    if (!metadata) {
      // Keep what the index has for this file rather than index it with wrong metadata.
      fail(primary.stamp.path, metadata.error());
      keep_previous();
      return;
    }
    sidecar = std::move(metadata).value();
  }
  std::string id = layout::shard_document_id(
      shard_, sidecar && !sidecar->id.empty() ? sidecar->id : layout::content_document_id(group.sha256));
  if (claimed_.count(id)) {
    fail(primary.stamp.path, Error{ErrorCode::kInvalidMetadata,
                                   "the document id '" + id + "' is already used by another PDF of the corpus"});
    return;
  }
  claimed_.insert(id);
  Extraction extraction{group, id, std::move(sidecar), {}, state_.documents.count(id) > 0};
  for (const auto* file : group.files) {
    if (auto it = state_.id_by_path.find(file->stamp.path); it != state_.id_by_path.end()) {
      extraction.update = true;
      extraction.replaces.insert(it->second);
    }
  }
  extractions_.push_back(std::move(extraction));
}

void Run::plan_removals() {
  std::set<std::string> replaced;
  for (auto& extraction : extractions_) {
    std::set<std::string> gone;
    for (const auto& id : extraction.replaces) {
      if (!claimed_.count(id)) gone.insert(id);
    }
    extraction.replaces = std::move(gone);
    replaced.insert(extraction.replaces.begin(), extraction.replaces.end());
  }
  for (const auto& [id, info] : state_.documents) {
    if (claimed_.count(id) || replaced.count(id)) continue;
    ++summary_.removed;
    (void)writer_->submit([id = id](Xapian::WritableDatabase& db) { remove_document(db, id); }, 0);
  }
}

void Run::write_document(ExtractedDocument&& extracted, const Extraction& extraction) {
  DocumentInfo info;
  info.id = extraction.id;
  info.sha256 = extraction.group.sha256;
  info.size = extraction.group.primary->stamp.size;
  info.page_count = extracted.result.page_count;
  info.language = extracted.result.language;
  info.language_detected = extracted.result.language_detected;
  info.metadata_source = extracted.result.metadata_source;
  info.metadata = std::move(extracted.result.metadata);
  for (const auto* file : extraction.group.files) info.files.push_back(file->stamp);
  info.sidecar = extraction.group.primary->sidecar;
  info.indexed_at = now_seconds();
  info.ocr_pages = std::move(extracted.result.ocr_pages);
  info.pages_without_text = std::move(extracted.result.pages_without_text);
  info.ocr_pages_skipped = extracted.result.ocr_pages_skipped;
  summary_.pages_extracted += extracted.pages.size();
  if (extracted.parts > 1) ++summary_.documents_split;
  summary_.pages_ocr += info.ocr_pages.size();
  summary_.pages_without_text += info.pages_without_text.size();
  if (info.ocr_pages_skipped > 0) {
    summary_.pages_ocr_skipped += static_cast<std::size_t>(info.ocr_pages_skipped);
    ++summary_.documents_ocr_limited;
  }
  if (!extracted.result.ocr_problem.empty() && summary_.ocr_problem.empty()) {
    summary_.ocr_problem = std::move(extracted.result.ocr_problem);
  }

  std::vector<std::string> paths;
  for (const auto* file : extraction.group.files) paths.push_back(file->stamp.path);
  std::size_t pages = extracted.pages.size();
  bool existed = state_.documents.count(extraction.id) > 0;
  auto change = [info = std::move(info), pages = std::move(extracted.pages),
                 record = std::move(extracted.result.document_record), replaces = extraction.replaces,
                 paths = std::move(paths), existed](Xapian::WritableDatabase& db) {
    for (const auto& old_id : replaces) remove_document(db, old_id);
    // A run killed after committing this document left it behind: replace, never duplicate.
    if (existed || !replaces.empty()) remove_document(db, info.id);
    Xapian::Document document = Xapian::Document::unserialise(record);
    document.add_boolean_term(layout::hash_term(info.sha256));
    document.set_data(core::encode_document_info(info));
    db.add_document(document);
    add_spellings(db, document);
    for (const auto& page : pages) db.add_document(Xapian::Document::unserialise(page));
    for (const auto& path : paths) db.set_metadata(layout::kFailedFileKeyPrefix + path, "");
  };
  (void)writer_->submit(std::move(change), pages);
}

void Run::write_failure(const Extraction& extraction, const Error& error) {
  const CorpusFile& primary = *extraction.group.primary;
  fail(primary.stamp.path, error);
  std::string key = layout::kFailedFileKeyPrefix + primary.stamp.path;
  std::string value = encode_failure_record(primary, error);
  auto replaces = extraction.replaces;
  (void)writer_->submit([key, value, replaces](Xapian::WritableDatabase& db) {
    // The file's content changed: what the index held for it is no longer true.
    for (const auto& old_id : replaces) remove_document(db, old_id);
    db.set_metadata(key, value);
  }, 0);
}

// Writes the extraction from a prepared document of the same content, id and sidecar, if
// there is one.
bool Run::write_prepared(const Extraction& extraction) {
  if (prepared_ == nullptr) return false;
  auto it = std::find_if(prepared_->begin(), prepared_->end(), [&](const PreparedDocument& ready) {
    return ready.sha256 == extraction.group.sha256 && ready.document_id == extraction.id &&
           ready.sidecar == extraction.sidecar;
  });
  if (it == prepared_->end()) return false;
  if (extraction.update)
    ++summary_.updated;
  else
    ++summary_.added;
  write_document(std::move(it->extracted), extraction);
  prepared_->erase(it);
  return true;
}

void Run::extract_all() {
  std::erase_if(extractions_, [this](const Extraction& extraction) { return write_prepared(extraction); });
  // Largest files first, so that no big file starts last and holds up the end of the run.
  std::stable_sort(extractions_.begin(), extractions_.end(), [](const Extraction& a, const Extraction& b) {
    return a.group.primary->stamp.size > b.group.primary->stamp.size;
  });
  std::vector<ExtractionJob> jobs;
  for (const auto& extraction : extractions_) {
    jobs.push_back(
        extraction_job(config_, extraction.group.primary->absolute, extraction.id, extraction.sidecar));
  }
  std::uint64_t bytes = 0;
  for (const auto& extraction : extractions_) bytes += extraction.group.primary->stamp.size;
  progress_.start(jobs.size(), bytes);
  if (jobs.empty()) return;
  std::string executable = worker_executable(config_);
  // As many workers as files, or more when a long PDF can be read in parts (a worker is
  // started only when there is work for it).
  int workers = config_.limits.split_pages > 0 ? config_.jobs : std::min<int>(config_.jobs, static_cast<int>(jobs.size()));
  WorkerPool pool(executable, workers, config_.limits);
  WorkerCallbacks callbacks;
  callbacks.page_done = [&](std::size_t) { progress_.pages_done(1); };
  callbacks.done = [&](std::size_t job, ExtractedDocument&& document) {
    const Extraction& extraction = extractions_[job];
    if (extraction.update) ++summary_.updated; else ++summary_.added;
    write_document(std::move(document), extraction);
    progress_.file_done(extraction.group.primary->stamp.size);
  };
  callbacks.failed = [&](std::size_t job, Error&& error) {
    // Ctrl-C reaches the workers too (one process group): a worker killed while the run
    // stops says nothing about its file, which must not be remembered as failed.
    if (stop_ != nullptr && stop_->load()) return;
    write_failure(extractions_[job], error);
    progress_.file_done(extractions_[job].group.primary->stamp.size);
  };
  if (stop_ != nullptr) {
    callbacks.cancelled = [this] {
      if (stop_->load()) summary_.interrupted = true;
      return summary_.interrupted;
    };
  }
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

core::Result<IndexSummary> Run::execute() {
  auto started = std::chrono::steady_clock::now();
  auto scan = scan_corpus(config_.corpus);
  if (!scan) return scan.error();
  auto opened = open_index(config_.index);
  if (!opened) return opened.error();
  Xapian::WritableDatabase db = std::move(opened).value();

  const std::string version = std::to_string(layout::kSchemaVersion);
  std::string stored_version = db.get_metadata(layout::kSchemaVersionKey);
  bool schema_matches = stored_version.empty() || stored_version == version;
  auto shard = choose_shard(db, config_.shard, !schema_matches);
  if (!shard) return shard.error();
  shard_ = std::move(shard).value();
  bool name_shard = db.get_metadata(layout::kShardKey) != shard_;  // read before the writer owns db
  state_ = load_state(db, schema_matches);
  writer_ = std::make_unique<IndexWriter>(db, config_.batch_pages);
  if (!schema_matches || stored_version.empty()) {
    // An index of another layout version is rebuilt from scratch.
    bool rebuild = !schema_matches;
    (void)writer_->submit([version, rebuild](Xapian::WritableDatabase& w) {
      if (rebuild) {
        std::vector<Xapian::docid> all;
        for (auto it = w.postlist_begin(""); it != w.postlist_end(""); ++it) all.push_back(*it);
        for (auto docid : all) w.delete_document(docid);
      }
      w.set_metadata(layout::kSchemaVersionKey, version);
    }, 0);
  }

  if (name_shard) {
    (void)writer_->submit([shard = shard_](Xapian::WritableDatabase& w) { w.set_metadata(layout::kShardKey, shard); }, 0);
  }
  plan(*scan);
  for (const auto& path : forget_failures_) {
    (void)writer_->submit([key = layout::kFailedFileKeyPrefix + path](Xapian::WritableDatabase& w) {
      w.set_metadata(key, "");
    }, 0);
  }
  extract_all();
  core::Status written = writer_->finish();
  writer_.reset();
  db.close();
  progress_.finish();
  if (!written) return written.error();
  count_index();
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(summary_);
}

}  // namespace

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
