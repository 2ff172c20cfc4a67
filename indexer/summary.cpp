#include "summary.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "text.hpp"

namespace evidence::indexer {

std::string page_ranges(const std::vector<int>& pages) {
  std::string out;
  for (std::size_t i = 0; i < pages.size();) {
    std::size_t end = i;
    while (end + 1 < pages.size() && pages[end + 1] == pages[end] + 1) ++end;
    if (!out.empty()) out += ", ";
    out += std::to_string(pages[i]);
    if (end > i) out += "-" + std::to_string(pages[end]);
    i = end + 1;
  }
  return out;
}

nlohmann::json compaction_to_json(const CompactionReport& report) {
  return {{"bytes_before", report.bytes_before},
          {"bytes_after", report.bytes_after},
          {"seconds", report.seconds},
          {"exchanged", report.exchanged}};
}

std::string compaction_to_text(const CompactionReport& report) {
  char line[160];
  std::snprintf(
      line, sizeof line, "compacted the index: %s -> %s in %.2f s%s\n",
      format_bytes(report.bytes_before).c_str(), format_bytes(report.bytes_after).c_str(), report.seconds,
      report.exchanged ? "" : " (the file system refused an atomic exchange: two renames were used)");
  return line;
}

nlohmann::json summary_to_json(const IndexSummary& s) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& f : s.failed) {
    failed.push_back({{"path", core::to_valid_utf8(f.path)},
                      {"code", f.code},
                      {"reason", core::to_valid_utf8(f.reason)},
                      {"remembered", f.remembered}});
  }
  nlohmann::json partial = nlohmann::json::array();
  for (const auto& p : s.partial) {
    partial.push_back({{"path", core::to_valid_utf8(p.path)},
                       {"pages_not_read", p.pages_not_read},
                       {"reason", core::to_valid_utf8(p.reason)},
                       {"remembered", p.remembered}});
  }
  return {{"added", s.added},
          {"updated", s.updated},
          {"removed", s.removed},
          {"unchanged", s.unchanged},
          {"failed", std::move(failed)},
          {"partial", std::move(partial)},
          {"other_files", s.other_files},
          {"pages_extracted", s.pages_extracted},
          {"pages_ocr", s.pages_ocr},
          {"pages_without_text", s.pages_without_text},
          {"ocr_problem", s.ocr_problem},
          {"pages_ocr_skipped", s.pages_ocr_skipped},
          {"documents_ocr_limited", s.documents_ocr_limited},
          {"documents_split", s.documents_split},
          {"documents_in_index", s.documents_in_index},
          {"pages_in_index", s.pages_in_index},
          {"seconds", s.seconds},
          {"interrupted", s.interrupted},
          {"compaction", s.compaction ? compaction_to_json(*s.compaction) : nlohmann::json(nullptr)},
          {"compaction_problem", s.compaction_problem}};
}

std::string summary_to_text(const IndexSummary& s) {
  char line[256];
  std::snprintf(line, sizeof line,
                "%zu added, %zu updated, %zu removed, %zu unchanged, %zu failed\n"
                "%zu pages extracted in %.2f s; the index holds %zu documents, %zu pages\n",
                s.added, s.updated, s.removed, s.unchanged, s.failed.size(), s.pages_extracted,
                s.seconds, s.documents_in_index, s.pages_in_index);
  std::string out = line;
  if (s.pages_ocr > 0 || s.pages_without_text > 0) {
    std::snprintf(line, sizeof line, "%zu pages read by OCR, %zu pages without text\n", s.pages_ocr,
                  s.pages_without_text);
    out += line;
  }
  if (s.documents_ocr_limited > 0) {
    std::snprintf(line, sizeof line, "%zu scanned pages not read by OCR: %zu %s reached --ocr-max-pages\n",
                  s.pages_ocr_skipped, s.documents_ocr_limited,
                  s.documents_ocr_limited == 1 ? "document" : "documents");
    out += line;
  }
  if (!s.ocr_problem.empty()) {
    out += "OCR is off: " + s.ocr_problem + "; pages without a text layer were not read\n";
  }
  if (s.documents_split > 0) {
    out += std::to_string(s.documents_split) + (s.documents_split == 1 ? " long PDF" : " long PDFs") +
           " read in parts by several workers\n";
  }
  if (s.compaction) out += compaction_to_text(*s.compaction);
  if (!s.compaction_problem.empty()) out += "not compacted: " + s.compaction_problem + "\n";
  if (s.interrupted) out += "interrupted: the files not extracted yet are indexed by the next run\n";
  if (s.other_files > 0) {
    out += std::to_string(s.other_files) + " other files (not PDFs) passed over\n";
  }
  for (const auto& p : s.partial) {
    out += "partly read: " + core::printable(p.path) + ": " +
           (p.pages_not_read.size() == 1 ? "page " : "pages ") + page_ranges(p.pages_not_read) +
           " not read (" + core::printable(p.reason) + ")";
    if (p.remembered) out += " (unchanged since; --retry-failed reads it again)";
    out += "\n";
  }
  for (const auto& f : s.failed) {
    out += "failed: " + core::printable(f.path) + ": " + core::printable(f.reason);
    if (f.remembered) out += " (unchanged since it failed before; --retry-failed tries again)";
    out += "\n";
  }
  return out;
}

}  // namespace evidence::indexer
