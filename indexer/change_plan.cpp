#include "change_plan.hpp"

#include <fstream>
#include <sstream>

#include "index_layout.hpp"
#include "sha256.hpp"

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

json stamp_json(const CorpusFile& file) {
  json j = {{"size", file.stamp.size}, {"mtime_ns", file.stamp.mtime_ns}};
  if (file.sidecar) j["sidecar"] = {{"size", file.sidecar->size}, {"mtime_ns", file.sidecar->mtime_ns}};
  return j;
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
    return Error{ErrorCode::kInvalidMetadata,
                 "invalid metadata in " + sidecar.path + ": " + metadata.error().message};
  }
  return metadata;
}

// One comparison of a scan with the index: the plan it builds and the ids it claims.
class Planner {
 public:
  Planner(const IndexState& state, const PlanSettings& settings, IndexSummary& summary)
      : state_(state), settings_(settings), summary_(summary) {}

  ChangePlan plan(const CorpusScan& scan);

 private:
  void fail(const std::string& path, const Error& error) {
    summary_.failed.push_back({path, core::error_code_name(error.code), error.message, false});
  }
  std::map<std::string, ContentGroup> group_by_content(const CorpusScan& scan);
  void plan_group(ContentGroup& group);
  bool unchanged_content(const ContentGroup& group, const std::vector<FileStamp>& stamps);
  bool remembered_failure(const CorpusFile& primary);
  void keep_previous(const CorpusFile& primary);
  void plan_removals();
  void plan_forgotten_failures(const CorpusScan& scan);

  const IndexState& state_;
  const PlanSettings& settings_;
  IndexSummary& summary_;
  core::MetadataValidator validator_;
  std::set<std::string> claimed_;  // ids that stay in (or come into) the index
  ChangePlan plan_;
};

ChangePlan Planner::plan(const CorpusScan& scan) {
  for (const auto& rejection : scan.rejected) fail(rejection.path, rejection.error);
  summary_.other_files = scan.other_files;
  auto groups = group_by_content(scan);
  for (auto& [sha, group] : groups) plan_group(group);
  plan_removals();
  plan_forgotten_failures(scan);
  return std::move(plan_);
}

// Hashes what changed; reuses the stored hash where size and mtime are unchanged.
std::map<std::string, ContentGroup> Planner::group_by_content(const CorpusScan& scan) {
  std::map<std::string, ContentGroup> groups;
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
    ContentGroup& group = groups[sha];
    group.sha256 = sha;
    group.files.push_back(&file);
  }
  return groups;
}

void Planner::plan_group(ContentGroup& group) {
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
  if (unchanged_content(group, stamps) || remembered_failure(primary)) return;

  std::optional<core::DocumentMetadata> sidecar;
  if (primary.sidecar) {
    auto metadata = read_sidecar(settings_.corpus, *primary.sidecar, validator_);
    if (!metadata) {
      // Keep what the index has for this file rather than index it with wrong metadata.
      fail(primary.stamp.path, metadata.error());
      keep_previous(primary);
      return;
    }
    sidecar = std::move(metadata).value();
  }
  std::string id = layout::shard_document_id(
      settings_.shard,
      sidecar && !sidecar->id.empty() ? sidecar->id : layout::content_document_id(group.sha256));
  if (claimed_.count(id)) {
    fail(primary.stamp.path,
         Error{ErrorCode::kInvalidMetadata,
               "the document id '" + id + "' is already used by another PDF of the corpus"});
    return;
  }
  claimed_.insert(id);
  PlannedExtraction extraction{group, id, std::move(sidecar), {}, state_.documents.count(id) > 0};
  for (const auto* file : group.files) {
    if (auto it = state_.id_by_path.find(file->stamp.path); it != state_.id_by_path.end()) {
      extraction.update = true;
      extraction.replaces.insert(it->second);
    }
  }
  plan_.extractions.push_back(std::move(extraction));
}

// Same bytes and the same sidecar as last time: the document stays, at most its list of
// files changed.
bool Planner::unchanged_content(const ContentGroup& group, const std::vector<FileStamp>& stamps) {
  auto known = state_.id_by_sha.find(group.sha256);
  if (known == state_.id_by_sha.end()) return false;
  const DocumentInfo& info = state_.documents.at(known->second);
  if (info.sidecar != group.primary->sidecar || claimed_.count(info.id)) return false;
  // A document indexed without some pages is read again like a failed file: when it
  // changes, or with --retry-failed; otherwise it stays as it is, and is named again.
  if (!info.pages_not_read.empty()) {
    if (settings_.retry_failed) return false;
    summary_.partial.push_back(
        {group.primary->stamp.path, info.pages_not_read, info.pages_not_read_reason, true});
  }
  claimed_.insert(info.id);
  if (info.files == stamps) {
    ++summary_.unchanged;
    return true;
  }
  ++summary_.updated;
  DocumentInfo updated = info;
  updated.files = stamps;
  plan_.record_updates.push_back(std::move(updated));
  return true;
}

// A file that failed before and has not changed since is not read again (unless
// --retry-failed): it fails as it did.
bool Planner::remembered_failure(const CorpusFile& primary) {
  auto remembered = state_.failures.find(primary.stamp.path);
  if (remembered == state_.failures.end()) return false;
  if (settings_.retry_failed || remembered->second.value("stamp", json()) != stamp_json(primary))
    return false;
  summary_.failed.push_back({primary.stamp.path, remembered->second.value("code", "internal"),
                             remembered->second.value("reason", ""), true});
  keep_previous(primary);
  return true;
}

// A file that cannot be indexed now keeps the document the index has for it.
void Planner::keep_previous(const CorpusFile& primary) {
  if (auto it = state_.id_by_path.find(primary.stamp.path); it != state_.id_by_path.end())
    claimed_.insert(it->second);
}

void Planner::plan_removals() {
  std::set<std::string> replaced;
  for (auto& extraction : plan_.extractions) {
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
    plan_.removals.push_back(id);
  }
}

void Planner::plan_forgotten_failures(const CorpusScan& scan) {
  std::set<std::string> present;
  for (const auto& file : scan.pdfs) present.insert(file.stamp.path);
  for (const auto& [path, failure] : state_.failures) {
    if (!present.count(path)) plan_.forgotten_failures.push_back(path);
  }
}

}  // namespace

IndexState load_index_state(const Xapian::Database& db, bool schema_matches) {
  IndexState state;
  if (schema_matches) {
    for (auto it = db.postlist_begin(layout::kDocumentKindTerm);
         it != db.postlist_end(layout::kDocumentKindTerm); ++it) {
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

ChangePlan plan_changes(const CorpusScan& scan, const IndexState& state, const PlanSettings& settings,
                        IndexSummary& summary) {
  return Planner(state, settings, summary).plan(scan);
}

std::string encode_failure_record(const CorpusFile& file, const Error& error) {
  json j = {
      {"stamp", stamp_json(file)}, {"code", core::error_code_name(error.code)}, {"reason", error.message}};
  auto bytes = json::to_cbor(j);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace evidence::indexer
