#pragma once
// What a run of evidence-index did, for the terminal and for scripts (--json).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "compaction.hpp"

namespace evidence::indexer {

struct FileFailure {
  std::string path;    // relative to the corpus (raw bytes)
  std::string code;    // error_code_name()
  std::string reason;  // for a person
  bool remembered = false;  // failed in an earlier run and unchanged since, not retried
};

/// A document indexed without some of its pages: the worker reading them timed out.
struct PartialDocument {
  std::string path;                 // relative to the corpus (raw bytes)
  std::vector<int> pages_not_read;  // ascending
  std::string reason;               // for a person: "timed out: no progress for 60 s"
  bool remembered = false;          // indexed so in an earlier run and unchanged since, not read again
};

/// "3-5", "2, 7-9": a list of ascending page numbers, runs joined.
std::string page_ranges(const std::vector<int>& pages);

struct IndexSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t removed = 0;
  std::size_t unchanged = 0;
  std::vector<FileFailure> failed;
  std::vector<PartialDocument> partial;  // indexed, but with pages not read
  std::size_t other_files = 0;       // neither PDF nor sidecar
  std::size_t pages_extracted = 0;
  std::size_t pages_ocr = 0;           // of the pages extracted, read by OCR
  std::size_t pages_without_text = 0;  // of the pages extracted, still without text
  std::string ocr_problem;             // why OCR did not run where it was needed
  std::size_t pages_ocr_skipped = 0;   // scanned pages not read: their document reached --ocr-max-pages
  std::size_t documents_ocr_limited = 0;  // documents that reached --ocr-max-pages
  std::size_t documents_split = 0;     // long PDFs read in parts by several workers
  std::size_t documents_in_index = 0;
  std::size_t pages_in_index = 0;
  double seconds = 0;
  bool interrupted = false;  // stopped by a signal before every file was extracted
  std::optional<CompactionReport> compaction;  // a full build compacts the index at its end
  std::string compaction_problem;              // why that compaction failed (the index stays whole)
};

/// A compaction as JSON: bytes before and after, seconds, whether the folders were exchanged.
nlohmann::json compaction_to_json(const CompactionReport& report);

/// "compacted the index: 209.0 MiB -> 105.0 MiB in 3.20 s", one line.
std::string compaction_to_text(const CompactionReport& report);

/// The summary as JSON (paths with invalid UTF-8 shown with U+FFFD).
nlohmann::json summary_to_json(const IndexSummary& summary);

/// The summary as lines for a person.
std::string summary_to_text(const IndexSummary& summary);

}  // namespace evidence::indexer
