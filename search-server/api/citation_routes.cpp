#include "citation_routes.hpp"

#include <algorithm>

#include "citation.hpp"
#include "error_responses.hpp"
#include "text.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;

namespace {

constexpr std::size_t kMaxExportDocuments = 1000;

std::chrono::year_month_day today(const ApiOptions& options) {
  if (options.today) return options.today();
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

Citation document_citation(core::DocumentInfo document, const ApiOptions& options) {
  Citation citation;
  citation.document = std::move(document);
  citation.accessed = today(options);
  citation.base_url = options.public_url;
  return citation;
}

core::Result<CitationFormat> read_format(const Target& target) {
  return parse_citation_format(param(target, "format").value_or(""));
}

// The page (with its printed label) and the quoted passage of a passage-level citation.
core::Status add_passage(const Target& target, IndexReader& index, Citation& citation) {
  if (param(target, "page")) {
    int pages = std::max(citation.document.page_count, 1);
    auto number = int_param(target, "page", 1, 1, pages);
    if (!number) return number.error();
    auto page = index.page_info(citation.document.id, static_cast<int>(*number));
    if (!page) return page.error();
    citation.page = page->number;
    citation.page_label = page->label;
  }
  std::string quote = quote_text(param(target, "quote").value_or(""));
  if (quote.size() > kMaxQuoteLength) {
    return Error{ErrorCode::kInvalidArgument, "parameter 'quote' is too long (" + std::to_string(quote.size()) +
                                                  " bytes; at most " + std::to_string(kMaxQuoteLength) + ")"};
  }
  if (!core::is_valid_utf8(quote)) return Error{ErrorCode::kInvalidArgument, "parameter 'quote' is not UTF-8"};
  citation.quote = std::move(quote);
  return {};
}

// The requested ids, each once, in the order given.
core::Result<std::vector<std::string>> export_ids(const Target& target) {
  std::vector<std::string> ids;
  for (const auto& id : all_params(target, "id")) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (ids.empty()) return Error{ErrorCode::kInvalidArgument, "parameter 'id' is required (one per document)"};
  if (ids.size() > kMaxExportDocuments) {
    return Error{ErrorCode::kInvalidArgument,
                 "at most " + std::to_string(kMaxExportDocuments) + " documents can be exported at once"};
  }
  return ids;
}

}  // namespace

ApiResponse cite_document(const Target& target, const std::string& id, IndexReader& index,
                          const ApiOptions& options) {
  auto format = read_format(target);
  if (!format) return error_response(format.error());
  auto document = index.document_info(id);
  if (!document) return error_response(document.error());
  Citation citation = document_citation(std::move(document).value(), options);
  if (core::Status passage = add_passage(target, index, citation); !passage) return error_response(passage.error());
  return ApiResponse{200, citation_content_type(*format), format_citation(citation, *format), {}};
}

ApiResponse export_citations(const Target& target, IndexReader& index, const ApiOptions& options) {
  // A file for reference managers: the text styles are for reading, one at a time.
  auto format = read_format(target);
  if (!format || *format == CitationFormat::kHarvard || *format == CitationFormat::kApa) {
    return error_response(Error{ErrorCode::kInvalidArgument, "parameter 'format' must be bibtex, ris or csl-json"});
  }
  auto ids = export_ids(target);
  if (!ids) return error_response(ids.error());
  std::vector<Citation> citations;
  for (const auto& id : *ids) {
    auto document = index.document_info(id);
    if (!document) return error_response(document.error());
    citations.push_back(document_citation(std::move(document).value(), options));
  }
  // Ids are [a-z0-9._-] (index_layout.hpp), safe in a quoted file name.
  std::string name = ids->size() == 1 ? ids->front() : "evidence-library";
  ApiResponse response{200, citation_content_type(*format), format_citations(citations, *format), {}};
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + name + "." + citation_file_extension(*format) + "\"");
  return response;
}

}  // namespace evidence::server
