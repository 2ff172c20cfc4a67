#pragma once
// Change detection: what the index holds, compared with a corpus scan, says what a run must
// do — documents unchanged, records to update, files to extract, documents to remove,
// remembered failures to keep or forget. Nothing here writes the index.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "corpus_scan.hpp"
#include "error.hpp"
#include "metadata.hpp"
#include "records.hpp"
#include "summary.hpp"

namespace evidence::indexer {

/// What the index holds before a run.
struct IndexState {
  std::map<std::string, core::DocumentInfo> documents;  // by id
  std::map<std::string, std::string> id_by_path;        // corpus path → id
  std::map<std::string, std::string> id_by_sha;         // content → id
  std::map<std::string, nlohmann::json> failures;       // corpus path → remembered failure
};

/// Reads the index's document records (none when its layout version is another one, as it
/// is rebuilt) and remembered failures.
IndexState load_index_state(const Xapian::Database& db, bool schema_matches);

/// One document to be: every corpus file with the same bytes.
struct ContentGroup {
  std::string sha256;
  std::vector<const CorpusFile*> files;  // sorted by path
  const CorpusFile* primary = nullptr;   // whose sidecar gives the metadata
};

/// A document to extract and write as `id`, and the documents it replaces.
struct PlannedExtraction {
  ContentGroup group;
  std::string id;
  std::optional<core::DocumentMetadata> sidecar;
  std::set<std::string> replaces;  // ids of earlier documents of these files, now gone
  bool update = false;             // counts as updated rather than added
};

/// What a run writes, in this order, besides what its extractions give.
struct ChangePlan {
  std::vector<core::DocumentInfo> record_updates;  // same content and sidecar, other files
  std::vector<std::string> removals;               // ids of documents no longer in the corpus
  std::vector<std::string> forgotten_failures;     // paths of failed files no longer in the corpus
  std::vector<PlannedExtraction> extractions;      // in order of content
};

struct PlanSettings {
  std::filesystem::path corpus;  // where the sidecars are read
  std::string shard;             // the shard name document ids get, empty for none
  bool retry_failed = false;     // extract remembered failures again
};

/// Compares the scan with the index. Counts the unchanged, updated and removed documents and
/// the files that fail here (unreadable, invalid sidecar, an id used twice, remembered
/// failures) in `summary`. The plan points into `scan`.
ChangePlan plan_changes(const CorpusScan& scan, const IndexState& state, const PlanSettings& settings,
                        IndexSummary& summary);

/// The failure remembered in the index for a file: its stamp, code and reason.
std::string encode_failure_record(const CorpusFile& file, const core::Error& error);

}  // namespace evidence::indexer
