#pragma once
// Citations of a document, or of one passage of it, in the formats reference managers
// and style guides expect: BibTeX, RIS, CSL-JSON, Harvard and APA 7 text. Pure functions
// of the document's metadata: no index, no clock, no HTTP.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "records.hpp"

namespace evidence::server {

enum class CitationFormat { kBibtex, kRis, kCslJson, kHarvard, kApa };

/// Longest quoted passage a citation carries, in bytes.
inline constexpr std::size_t kMaxQuoteLength = 1000;

/// What is cited: a document, or a passage on one of its pages.
struct Citation {
  core::DocumentInfo document;
  std::optional<int> page;        // physical page, 1-based; empty: the whole document
  std::string page_label;         // the page's printed label ("iv"); empty: the page number
  std::string quote;              // quoted passage (one line, at most kMaxQuoteLength); may be empty
  std::chrono::year_month_day accessed{};  // when the reader consulted it
  std::string base_url;           // public address of the library, no trailing '/'
};

/// "bibtex", "ris", "csl-json", "harvard", "apa"; kInvalidArgument for anything else.
core::Result<CitationFormat> parse_citation_format(std::string_view name);

/// The media type of a format ("application/x-bibtex; charset=utf-8", ...).
std::string citation_content_type(CitationFormat format);

/// The file name extension of a format, without the dot ("bib", "ris", "json", "txt").
std::string citation_file_extension(CitationFormat format);

/// The stable link of what is cited: <base>/d/<id>, with ?page=N for a passage.
std::string citation_link(const Citation& citation);

/// A quoted passage as a citation carries it: whitespace runs (line ends included) become
/// one space, control characters go, the ends are trimmed.
std::string quote_text(std::string_view passage);

/// One citation in a format. BibTeX and RIS end with a line end; CSL-JSON is an array of
/// one item; Harvard and APA are the reference, preceded by an in-text citation (with
/// the quote) when a page or a quote is given.
std::string format_citation(const Citation& citation, CitationFormat format);

/// Several citations in one file, for reference managers: BibTeX entries and RIS records
/// one after the other, a CSL-JSON array of all items; Harvard and APA one per paragraph.
std::string format_citations(const std::vector<Citation>& citations, CitationFormat format);

}  // namespace evidence::server
