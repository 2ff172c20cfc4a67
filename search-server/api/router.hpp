#pragma once
// Request → response for every route of the server; called by the HTTP layer and by tests.

#include "http_types.hpp"
#include "index_reader.hpp"
#include "thesaurus_source.hpp"

namespace evidence::server {

/// Answers one request. Never throws: anything unexpected becomes a 500 JSON error.
/// thesaurus (may be null) widens the query text of searches, trends and hits.
ApiResponse handle_request(const ApiRequest& request, IndexReader& index, ThesaurusSource* thesaurus = nullptr);

}  // namespace evidence::server
