#pragma once
// Building and reading the records of the index layout (index_layout.hpp): what the
// indexer writes and the server reads back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <xapian.h>

#include "error.hpp"
#include "metadata.hpp"

namespace evidence::core {

/// A file of the corpus as the indexer last saw it (path relative to the corpus, raw bytes).
struct FileStamp {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

/// Stored with every document record.
struct DocumentInfo {
  std::string id;
  std::string sha256;
  std::uint64_t size = 0;
  int page_count = 0;
  std::string language;            // effective language (sidecar, else guessed, else "en")
  bool language_detected = false;  // guessed from the text
  std::string metadata_source;     // "sidecar", "pdf" or "file name"
  DocumentMetadata metadata;       // effective metadata (sidecar, else from the PDF)
  std::vector<FileStamp> files;    // every corpus file with these bytes, sorted
  std::optional<FileStamp> sidecar;  // the sidecar the metadata came from
  std::int64_t indexed_at = 0;     // seconds since the epoch
  std::vector<int> ocr_pages;           // pages whose text came from OCR, ascending
  std::vector<int> pages_without_text;  // pages still without text after OCR, ascending
  int ocr_pages_skipped = 0;  // scanned pages OCR did not read: the document reached the indexer's bound
  std::vector<int> pages_not_read;    // pages the worker did not finish (it timed out), ascending
  std::string pages_not_read_reason;  // why: "timed out: no progress for 60 s"
  bool catalogue = false;             // a catalogue record's: the brief summary only (catalogue_info)
};

/// Stored with every page record.
struct PageInfo {
  int number = 0;     // physical page, 1-based
  std::string label;  // printed page label ("iv", "12"), the number when the PDF has none
  std::string text;   // normalised page text
  std::vector<std::string> headings;  // lines set larger than the body text, in page order
  bool ocr = false;   // the text was read from the rendered page by OCR (no text layer)
};

std::string encode_document_info(const DocumentInfo& info);
Result<DocumentInfo> decode_document_info(std::string_view data);
std::string encode_page_info(const PageInfo& info);
Result<PageInfo> decode_page_info(std::string_view data);

/// The public JSON view of a document (API responses): metadata, pages, files, hash, its
/// access level and "readable": true. A catalogue record's: its brief summary, its level
/// (without groups) and "readable": false.
nlohmann::json document_info_to_json(const DocumentInfo& info);

/// What a catalogue record holds of a document: its id, language as the sidecar gives it,
/// and the brief summary (title, organisations, date, type, summary, countries, themes) with
/// its access level but not its groups. Nothing read from the PDF's text.
DocumentInfo catalogue_info(const DocumentInfo& info);

/// The catalogue record of a document (layout::kCatalogueKindTerm): the brief summary's
/// words, facet terms and values, the document's access terms (groups too: the filter needs
/// them), and catalogue_info as data.
Xapian::Document make_catalogue_record(const DocumentInfo& info);

/// A page's words as the term generator makes them (stemmed by the document's language):
/// its text, then its headings once more so that their words count for more, each word
/// with its position on the page.
Xapian::Document page_words(std::string_view language, const PageInfo& page);

/// The record of one page: its words (page_words) with their weights and without positions,
/// number, label, parent id, its document's access terms and text.
Xapian::Document make_page_record(std::string_view document_id, std::string_view language,
                                  const PageInfo& page, const Xapian::Document& words,
                                  const DocumentAccess& access = {});
Xapian::Document make_page_record(std::string_view document_id, std::string_view language,
                                  const PageInfo& page, const DocumentAccess& access = {});

/// Adds a document's access terms (layout::access_term, layout::reader_group_term) to one
/// of its records.
void add_access_terms(Xapian::Document& record, const DocumentAccess& access);

/// Adds the words of a part's text_part() to a document record, with their weights (wdf)
/// and positions; ids and filters are not words and stay out.
void append_text_part(Xapian::Document& record, const Xapian::Document& part);

/// Accumulates the document record while its pages are extracted: their words, weights
/// and positions, each page's positions in its own range (layout::kPagePositions).
class DocumentRecordBuilder {
 public:
  DocumentRecordBuilder(std::string id, std::string language);
  /// Adds page `number`'s words (page_words) to the document's.
  void add_page(int number, const Xapian::Document& words);
  /// Adds metadata terms and values and returns the record (its data is set by the writer).
  Xapian::Document finish(const DocumentMetadata& metadata) { return finish(metadata, false); }
  /// The pages' words added so far, without metadata: one part of a long document whose
  /// pages were read in parts (see append_text_part).
  Xapian::Document text_part() const { return document_; }

 private:
  friend Xapian::Document make_catalogue_record(const DocumentInfo& info);
  /// catalogue: a catalogue record's kind and unique terms in place of a document record's.
  Xapian::Document finish(const DocumentMetadata& metadata, bool catalogue);

  std::string id_;
  std::string language_;
  Xapian::Document document_;
  Xapian::TermGenerator generator_;
};

}  // namespace evidence::core
