#pragma once
// The search page ("/"): the results of /api/search rendered as HTML, readable without
// JavaScript, every state in the URL.

#include <string>

#include "results.hpp"
#include "search_state.hpp"

namespace evidence::server::web {

/// The main content and sidebar for a search's answer (what GET /api/search answers).
std::string results_html(const SearchState& state, const Widened<SearchResult>& answer);

/// The content of "/" before anything is searched: what the library holds (null when the
/// index does not answer) and how to search it.
std::string welcome_html(const IndexHealth* library);

/// The link to a document page for a query, at a page when page > 0.
std::string document_url(const std::string& id, const std::string& query, int page = 0);

/// The link that opens a document's PDF at a page (the browser's viewer reads #page=N).
std::string pdf_url(const std::string& id, int page = 0);

/// "Organisation · 2023 · Report · 24 pages" for a document's metadata (a catalogue record
/// has no page count to give).
std::string document_meta_line(const ListedDocument& document);

/// The access badge of a document that is not public: "Members only", "Restricted:
/// steering-group" (its groups as its readers see them), "Restricted" (a catalogue record,
/// which shows none); empty for a public document.
std::string access_badge(const core::DocumentInfo& info);

}  // namespace evidence::server::web
