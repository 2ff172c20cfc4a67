#pragma once
// Request → response for every route of the server; called by the HTTP layer and by tests.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "http_types.hpp"
#include "index_reader.hpp"
#include "thesaurus_source.hpp"

namespace evidence::server {

/// What the routes need to know about the server beyond the index.
struct ApiOptions {
  std::string public_url = "http://localhost:8080";  // base of the stable links in citations, no trailing '/'
  std::filesystem::path corpus = "corpus/sample";    // where the PDFs the index names are
  std::function<std::chrono::year_month_day()> today;  // the accessed date of citations; empty: today (UTC)
};

/// Answers one request. Never throws: anything unexpected becomes a 500 JSON error.
/// thesaurus (may be null) widens the query text of searches, trends and hits.
ApiResponse handle_request(const ApiRequest& request, IndexReader& index, ThesaurusSource* thesaurus = nullptr,
                           const ApiOptions& options = {});

}  // namespace evidence::server
