#pragma once
// The HTML side of evidence-server: the search page "/", document pages "/d/{id}", their
// assets "/static/…", and the pages for errors. The route table (app/routes.cpp) sends
// requests here. The pages get their data by calling the API in-process (the same results
// clients get as JSON, as types); they know nothing of the index, of search, or of sockets.

#include <functional>
#include <string>
#include <string_view>

#include "error.hpp"
#include "http_types.hpp"
#include "params.hpp"
#include "results.hpp"

namespace evidence::server::web {

/// The API the pages read, called in-process: each gives exactly what the route of the same
/// name answers (api/read_routes.hpp), as its type (api/results.hpp), or its error.
struct Api {
  std::function<ServerHealth()> health;
  std::function<core::Result<Widened<SearchResult>>(const Target& search)> search;
  std::function<core::Result<ListedDocument>(const std::string& id)> document;
  std::function<core::Result<Widened<DocumentHits>>(const std::string& id, const std::string& query)> hits;
  std::function<core::Result<PageText>(const std::string& id, int page)> page;
  std::string reader{};  // the name of the token the request reads with; empty: none
};

/// GET /: the search page (the welcome page without a query or filters).
ApiResponse search_page(const Target& target, const Api& api);
/// GET /d/{id}: a document's page, with its hits for ?q= and the text of ?page=.
ApiResponse document_page(const Target& target, const std::string& id, const Api& api);
/// GET /static/{name}?v=HASH, and /favicon.ico (browsers ask for it on pages that name no
/// icon, the PDF viewer's for one).
ApiResponse asset(const Target& target, const std::string& name);
ApiResponse favicon();
/// The page for an error of a request for a page (a bad target, an unknown path, 405).
ApiResponse error_page_for(const core::Error& error);

/// The 401 page of a private library: why, and a link to /admin to sign in.
ApiResponse sign_in_page(const core::Error& error);

}  // namespace evidence::server::web
