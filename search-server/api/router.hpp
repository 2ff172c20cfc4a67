#pragma once
// Request → response for every route of the server; called by the HTTP layer and by tests.

#include "http_types.hpp"
#include "index_reader.hpp"

namespace evidence::server {

/// Answers one request. Never throws: anything unexpected becomes a 500 JSON error.
ApiResponse handle_request(const ApiRequest& request, IndexReader& index);

}  // namespace evidence::server
