#pragma once
// The HTML side of evidence-server: the search page "/", document pages "/d/{id}", their
// assets "/static/…", and a friendly 404 for any other path outside the API. The pages
// get their data by calling the API (the same JSON clients get); they know nothing of the
// index, of search, or of sockets.

#include <functional>
#include <string>
#include <string_view>

#include "error.hpp"
#include "http_types.hpp"

namespace evidence::server::web {

/// Answers an API request target ("/api/search?q=x") with the API's response.
using ApiCall = std::function<ApiResponse(const std::string& target)>;

/// Whether a raw request target is for the pages: any path outside /api/, /healthz,
/// /metrics and /documents/ (the PDFs).
bool owns(std::string_view raw_target);

/// The response for a request the pages own. Bad parameters give the page with the
/// message (400), unknown paths a 404 page; statuses come from the error table.
ApiResponse respond(const ApiRequest& request, const ApiCall& api);

/// The 401 page of a private library: why, and a link to /admin to sign in.
ApiResponse sign_in_page(const core::Error& error);

}  // namespace evidence::server::web
