#include "document_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>
#include <xapian.h>

#include "corpus_scan.hpp"
#include "durable_file.hpp"
#include "index_layout.hpp"
#include "indexer.hpp"
#include "records.hpp"

namespace evidence::server {

namespace fs = std::filesystem;
namespace layout = core::layout;
using core::Error;
using core::ErrorCode;
using core::Status;
using nlohmann::json;

namespace {

// A file name for the corpus from what the client called the file: lower-case ASCII
// letters, digits and dashes, at most 80 characters.
std::string safe_stem(const std::string& file_name, const std::string& fallback) {
  std::string stem = file_name.substr(0, file_name.rfind('.'));
  std::string out;
  for (char c : stem) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 80) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? fallback : out;
}

std::string utc_stamp() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

std::optional<std::string> read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What an extraction tells the person who uploaded the file.
json extraction_report(const core::DocumentInfo& info) {
  json report = {{"pages", info.page_count},
                 {"language", info.language},
                 {"language_detected", info.language_detected},
                 {"metadata_source", info.metadata_source},
                 {"ocr_pages", info.ocr_pages},
                 {"pages_without_text", info.pages_without_text},
                 {"ocr_pages_skipped", info.ocr_pages_skipped}};
  json warnings = json::array();
  if (!info.pages_without_text.empty()) {
    warnings.push_back(std::to_string(info.pages_without_text.size()) +
                       " page(s) have no text layer and OCR found none: they cannot be found by search");
  }
  if (info.ocr_pages_skipped > 0) {
    warnings.push_back(
        std::to_string(info.ocr_pages_skipped) +
        " scanned page(s) were not read by OCR: the document reached the limit of pages OCR reads "
        "in one document");
  }
  if (info.language_detected) {
    warnings.push_back("the language was not given; it was detected from the text as '" + info.language + "'");
  }
  report["warnings"] = std::move(warnings);
  return report;
}

// What an edit changed, for the audit log: each field whose value differs, with the old and
// the new value where both are short (a summary is named with its lengths).
json changed_fields(const json& before, const json& after) {
  constexpr std::size_t kShort = 200;
  json changes = json::object();
  auto note = [&](const std::string& field, const json& from, const json& to) {
    if (from == to) return;
    std::string from_text = from.is_null() ? "" : from.dump();
    std::string to_text = to.is_null() ? "" : to.dump();
    if (from_text.size() <= kShort && to_text.size() <= kShort) {
      changes[field] = {{"from", from}, {"to", to}};
    } else {
      changes[field] = {{"from_bytes", from_text.size()}, {"to_bytes", to_text.size()}};
    }
  };
  for (const auto& [field, value] : after.items()) note(field, before.value(field, json()), value);
  for (const auto& [field, value] : before.items()) {
    if (!after.contains(field)) note(field, value, json());
  }
  return changes;
}

// Runs work(stop) and turns `stop` if `deadline` passes before it returns; the work stops
// itself when the flag turns (no new extraction, workers killed, what is done committed).
template <class Work>
auto within_deadline(std::chrono::steady_clock::time_point deadline, Work work) {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mutex);
    if (!finished.wait_until(lock, deadline, [&] { return done; })) stop = true;
  });
  auto result = work(&stop);
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  finished.notify_one();
  watchdog.join();
  return result;
}

// Set by add() when it refuses a document with kConflict: who is in the way.
thread_local std::string conflicting_document;

}  // namespace

const std::string& DocumentWriter::conflicting_id() { return conflicting_document; }

fs::path withdrawn_folder(const fs::path& corpus) { return corpus / ".withdrawn"; }

DocumentWriter::DocumentWriter(WriterConfig config, std::function<void()> committed)
    : config_(std::move(config)), committed_(std::move(committed)) {}

indexer::IndexerConfig DocumentWriter::indexer_config() const {
  indexer::IndexerConfig run;
  run.corpus = config_.corpus;
  run.index = config_.index;
  run.jobs = std::max(1, config_.jobs);
  run.limits = config_.limits;
  run.worker_executable = config_.worker_executable;
  run.progress = indexer::ProgressMode::kNever;
  run.ocr_max_pages = config_.ocr_max_pages;
  run.compact = false;  // a change must not wait for a compaction; `evidence-index compact` does it
  return run;
}

Error DocumentWriter::too_slow() const {
  return Error{ErrorCode::kExtractionFailed, "the PDF took longer to read than the write limit of " +
                                                 std::to_string(config_.deadline.count()) +
                                                 " s (evidence-server --write-timeout); nothing was changed"};
}

core::Result<std::size_t> DocumentWriter::reindex(Clock::time_point deadline,
                                                  std::vector<indexer::PreparedDocument>* prepared) {
  indexer::IndexerConfig run = indexer_config();
  auto locked_until = Clock::now() + config_.lock_timeout;
  bool said = false;
  while (true) {
    indexer::ProgressBar quiet(stderr, false);
    auto summary = within_deadline(deadline, [&](const std::atomic<bool>* stop) {
      return indexer::run_indexer(run, quiet, stop, prepared);
    });
    if (summary && summary->interrupted) {
      // What was committed stays (a later pass finishes the rest); the caller takes back
      // the file it added, so the change is refused whole.
      if (committed_) committed_();
      return too_slow();
    }
    if (summary) {
      spdlog::info("index updated: {} added, {} updated, {} removed, {} failed in {:.2f} s", summary->added,
                   summary->updated, summary->removed, summary->failed.size(), summary->seconds);
      last_failures_ = std::move(summary->failed);
      if (committed_) committed_();
      return summary->documents_in_index;
    }
    if (summary.error().code != ErrorCode::kIndexLocked || Clock::now() >= locked_until) {
      if (summary.error().code == ErrorCode::kIndexLocked) {
        return Error{ErrorCode::kIndexLocked,
                     "the index stayed locked by another writer (an evidence-index run?) for " +
                         std::to_string(config_.lock_timeout.count() / 1000) + " s; nothing was changed, try again"};
      }
      return summary.error();
    }
    if (!said) {
      spdlog::info("the index is being written by another process; waiting for it");
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

core::Result<core::DocumentInfo> DocumentWriter::find(const std::string& id) {
  try {
    Xapian::Database db(config_.index.string());
    std::string term = layout::document_id_term(id);
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) return Error{ErrorCode::kNotFound, "no document with id '" + id + "'"};
    return core::decode_document_info(db.get_document(*posting).get_data());
  } catch (const Xapian::DatabaseOpeningError&) {
    return Error{ErrorCode::kNotFound, "no document with id '" + id + "' (the index is empty)"};
  } catch (const Xapian::Error& e) {
    return Error{ErrorCode::kIndexUnavailable, "the index cannot be read: " + e.get_description()};
  }
}

std::string DocumentWriter::shard() const {
  try {
    return Xapian::Database(config_.index.string()).get_metadata(layout::kShardKey);
  } catch (const Xapian::Error&) {
    return {};  // no index yet: not a shard
  }
}

std::optional<std::string> DocumentWriter::id_for_hash(const std::string& sha256) {
  try {
    Xapian::Database db(config_.index.string());
    std::string term = layout::hash_term(sha256);
    auto posting = db.postlist_begin(term);
    if (posting == db.postlist_end(term)) return std::nullopt;
    auto info = core::decode_document_info(db.get_document(*posting).get_data());
    if (info) return info->id;
  } catch (const Xapian::Error&) {
  }
  return std::nullopt;
}

std::optional<indexer::FileFailure> DocumentWriter::failure_of(const std::string& path) const {
  for (const auto& failure : last_failures_) {
    if (failure.path == path) return failure;
  }
  return std::nullopt;
}

core::Result<DocumentWriter::NewDocument> DocumentWriter::check_new(const Upload& upload) {
  if (!upload.metadata) {
    return Error{ErrorCode::kInvalidMetadata, "title: an upload needs a 'metadata' part with at least a title", "title"};
  }
  auto metadata = validator_.parse(*upload.metadata);
  if (!metadata) return metadata.error();
  if (metadata->title.empty()) {
    return Error{ErrorCode::kInvalidMetadata, "title: required for an upload", "title"};
  }
  conflicting_document.clear();
  if (auto existing = id_for_hash(upload.sha256)) {
    conflicting_document = *existing;
    return Error{ErrorCode::kConflict, "the same PDF is already in the library as document '" + *existing + "'",
                 "file"};
  }
  // In a shard the index calls the document SHARD.id, as evidence-index does.
  std::string id = layout::shard_document_id(
      shard(), metadata->id.empty() ? layout::content_document_id(upload.sha256) : metadata->id);
  if (!metadata->id.empty() && find(id)) {
    conflicting_document = id;
    return Error{ErrorCode::kConflict, "the id '" + metadata->id + "' is already used by another document", "id"};
  }
  return NewDocument{std::move(metadata).value(), std::move(id)};
}

// The upload's files in the corpus, under uploads/ with a name that neither a PDF nor a
// sidecar has: the sidecar first, then the PDF, so that a crash between the two leaves a
// lone sidecar (which the indexer ignores), never a PDF indexed without its metadata.
core::Result<DocumentWriter::PlacedUpload> DocumentWriter::place_upload(Upload& upload, const std::string& id) {
  fs::path folder = config_.corpus / "uploads";
  std::error_code ec;
  fs::create_directories(folder, ec);
  std::string stem = safe_stem(upload.file_name, id);
  for (int n = 2; fs::exists(folder / (stem + ".pdf")) || fs::exists(folder / (stem + ".json")); ++n) {
    stem = safe_stem(upload.file_name, id) + "-" + std::to_string(n);
  }
  PlacedUpload placed{folder / (stem + ".pdf"), folder / (stem + ".json"), "uploads/" + stem + ".pdf"};
  json sidecar_json = json::parse(*upload.metadata);
  if (Status written = core::replace_file(placed.sidecar, sidecar_json.dump(2) + "\n", 0640); !written) {
    return written.error();
  }
  if (Status moved = core::move_file(upload.pdf.path(), placed.pdf); !moved) {
    std::error_code ignored;
    fs::remove(placed.sidecar, ignored);
    return moved.error();
  }
  upload.pdf.keep();
  return placed;
}

core::Result<WriteOutcome> DocumentWriter::add(Upload upload) {
  auto deadline = Clock::now() + config_.deadline;
  // The PDF is read before the change takes its turn, one upload at a time, so that edits
  // and withdrawals do not wait while a long file is read.
  std::lock_guard reading(upload_mutex_);
  auto checked = check_new(upload);
  if (!checked) return checked.error();
  auto extracted = within_deadline(deadline, [&](const std::atomic<bool>* stop) {
    return indexer::extract_document(indexer_config(), upload.pdf.path(), checked->id, checked->metadata,
                                     stop);
  });
  if (!extracted) {
    if (Clock::now() >= deadline) return too_slow();
    return Error{extracted.error().code, "the PDF cannot be indexed: " + extracted.error().message};
  }
  std::vector<indexer::PreparedDocument> prepared;
  prepared.push_back({upload.sha256, checked->id, checked->metadata, std::move(extracted).value()});

  std::lock_guard lock(mutex_);
  checked = check_new(upload);  // another process may have added it while it was read
  if (!checked) return checked.error();
  const std::string& id = checked->id;

  auto placed = place_upload(upload, id);
  if (!placed) return placed.error();
  const auto& [pdf, sidecar, relative] = *placed;
  auto undo = [&] {
    std::error_code ignored;
    fs::remove(pdf, ignored);
    fs::remove(sidecar, ignored);
  };

  auto indexed = reindex(deadline, &prepared);
  if (!indexed) {
    undo();
    return indexed.error();
  }
  if (auto failure = failure_of(relative)) {
    undo();
    (void)reindex();  // forget the failure of a file that is no longer there
    return Error{core::error_code_from_name(failure->code), "the PDF cannot be indexed: " + failure->reason};
  }
  auto info = find(id);
  if (!info) {
    undo();
    (void)reindex();
    return Error{ErrorCode::kInternal, "the upload was indexed but its record cannot be found: " + info.error().message};
  }
  json body = {{"id", id},
               {"link", "/d/" + id},
               {"pdf", "/documents/" + id + ".pdf"},
               {"file", relative},
               {"report", extraction_report(*info)},
               {"document", core::document_info_to_json(*info)}};
  return WriteOutcome{std::move(body), id, upload.sha256};
}

core::Result<WriteOutcome> DocumentWriter::edit(const std::string& id, const json& patch) {
  std::lock_guard lock(mutex_);
  if (!patch.is_object()) {
    return Error{ErrorCode::kInvalidMetadata, "(document): the patch must be a JSON object", "(document)"};
  }
  auto info = find(id);
  if (!info) return info.error();
  if (info->files.empty()) return Error{ErrorCode::kInternal, "the document '" + id + "' has no file"};

  // The sidecar as it is, or the metadata the index shows when there is none yet.
  fs::path sidecar = config_.corpus / (info->sidecar ? info->sidecar->path : indexer::sidecar_path_for(info->files.front().path));
  std::optional<std::string> before = info->sidecar ? read_small_file(sidecar) : std::nullopt;
  json current = core::metadata_to_json(info->metadata);
  if (before) {
    try {
      current = json::parse(*before);
    } catch (const json::exception&) {
    }
  }
  json updated = current;
  updated.merge_patch(patch);
  std::string old_id = current.value("id", std::string());
  if (updated.value("id", std::string()) != old_id && !(old_id.empty() && updated.value("id", std::string()) == id)) {
    return Error{ErrorCode::kInvalidMetadata, "id: a document's id cannot be changed", "id"};
  }
  auto metadata = validator_.validate(updated);
  if (!metadata) return metadata.error();
  if (metadata->title.empty()) return Error{ErrorCode::kInvalidMetadata, "title: cannot be removed", "title"};

  if (Status written = core::replace_file(sidecar, updated.dump(2) + "\n", 0640); !written) return written.error();
  auto restore = [&] {
    if (before) {
      (void)core::replace_file(sidecar, *before, 0640);
    } else {
      std::error_code ignored;
      fs::remove(sidecar, ignored);
    }
  };
  auto indexed = reindex();
  if (!indexed) {
    restore();
    return indexed.error();
  }
  for (const auto& file : info->files) {
    if (auto failure = failure_of(file.path)) {
      // The document must not be left half edited: the old sidecar back, and indexed again.
      restore();
      (void)reindex();
      return Error{core::error_code_from_name(failure->code), "the edit cannot be indexed: " + failure->reason};
    }
  }
  auto after = find(id);
  if (!after) {
    restore();
    (void)reindex();
    return Error{ErrorCode::kInternal, "the edited document cannot be found in the index: " + after.error().message};
  }
  return WriteOutcome{json{{"id", id}, {"document", core::document_info_to_json(*after)}}, id, after->sha256,
                      changed_fields(current, updated)};
}

core::Result<WriteOutcome> DocumentWriter::withdraw(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto info = find(id);
  if (!info) return info.error();

  // Everything of the document moves, keeping its path, to .withdrawn/STAMP-ID/, with a note
  // of what it was; moving it back into the corpus restores it.
  std::string kept = ".withdrawn/" + utc_stamp() + "-" + id;
  fs::path destination = config_.corpus / kept;
  std::vector<std::pair<fs::path, fs::path>> moved;
  std::vector<std::string> paths;
  for (const auto& file : info->files) paths.push_back(file.path);
  if (info->sidecar) paths.push_back(info->sidecar->path);
  auto put_back = [&] {
    for (auto it = moved.rbegin(); it != moved.rend(); ++it) (void)core::move_file(it->second, it->first);
  };
  for (const auto& path : paths) {
    fs::path from = config_.corpus / path;
    fs::path to = destination / path;
    if (!fs::exists(from)) continue;
    if (Status status = core::move_file(from, to); !status) {
      put_back();
      return status.error();
    }
    moved.emplace_back(from, to);
  }
  json note = {{"id", id}, {"sha256", info->sha256}, {"withdrawn_at", utc_stamp()}, {"files", paths},
               {"document", core::document_info_to_json(*info)}};
  (void)core::replace_file(destination / "withdrawn.json", note.dump(2) + "\n", 0640);
  auto indexed = reindex();
  if (!indexed) {
    put_back();
    return indexed.error();
  }
  return WriteOutcome{json{{"id", id}, {"withdrawn", true}, {"kept_in", kept}}, id, info->sha256};
}

}  // namespace evidence::server
