#pragma once
// One PDF's extraction as a job for a worker process, and what comes back.

#include <optional>
#include <string>
#include <vector>

#include "error.hpp"
#include "metadata.hpp"

namespace evidence::indexer {

struct ExtractionJob {
  std::string path;         // absolute path of the PDF (raw bytes)
  std::string file_name;    // last path component, the title of last resort
  std::string document_id;
  std::optional<core::DocumentMetadata> sidecar;  // validated sidecar metadata, if any
  bool ocr = true;                                // read scanned pages with OCR
  int ocr_max_pages = 0;                          // scans OCR reads in the document at most; 0: no bound
  // The pages to read. A long PDF is read in parts by several workers: the first part
  // detects the language; each later part reads its pages in it.
  int first_page = 1;
  int last_page = 0;        // 0: to the last page
  std::string language;     // a later part: the document's language
  // How many first pages the language is guessed from; 0: the usual few. 1 on the retry of
  // a PDF that stalled while its language was guessed, so that its pages are sent sooner.
  int language_sample_pages = 0;
};

/// What the worker sends in its Done frame, after every page record.
struct ExtractionResult {
  core::DocumentMetadata metadata;  // sidecar metadata completed from the PDF's info
  std::string metadata_source;      // "sidecar", "pdf" or "file name"
  std::string language;
  bool language_detected = false;   // guessed from the text, not given by the sidecar
  int page_count = 0;
  std::vector<int> ocr_pages;           // pages whose text came from OCR
  std::vector<int> pages_without_text;  // pages still without text after OCR
  std::string ocr_problem;          // why pages that needed OCR were not read (not installed)
  int ocr_pages_skipped = 0;        // scanned pages not read: the document reached ocr_max_pages
  std::string document_record;      // serialised Xapian document (no data yet); of a
                                    // later part, its pages' text only
  // Set by the parent, never sent: the pages a worker did not finish before it was stopped
  // (it timed out), and why. The pages before them are indexed.
  std::vector<int> pages_not_read;
  std::string pages_not_read_reason;
};

std::string encode_job(const ExtractionJob& job);
core::Result<ExtractionJob> decode_job(const std::string& payload);
std::string encode_result(const ExtractionResult& result);
core::Result<ExtractionResult> decode_result(const std::string& payload);
/// The page count announced by a worker's Opened frame.
int decode_opened(const std::string& payload);
/// The language announced by a worker's Language frame.
std::string decode_language(const std::string& payload);
/// A first part's Language frame: the result as known before any page (metadata, language,
/// page count; no record), kept in case the worker never sends its Done frame.
std::string encode_result_header(const ExtractionResult& result);
std::string encode_failure(const core::Error& error);
core::Error decode_failure(const std::string& payload);

/// The worker process: reads jobs from in_fd, writes frames to out_fd until in_fd closes.
/// Returns the process exit status.
int run_worker(int in_fd, int out_fd);

}  // namespace evidence::indexer
