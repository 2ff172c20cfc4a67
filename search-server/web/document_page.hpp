#pragma once
// The document page ("/d/{id}"): metadata, summary, every page that matches the query with
// its passage, links that open the PDF at a page, and the citation panels.

#include <string>

#include "results.hpp"

namespace evidence::server::web {

struct DocumentView {
  std::string query;     // the query the reader came with (may be empty)
  int page = 0;          // the page asked for with ?page=N (0: none)
  const ListedDocument* document = nullptr;     // GET /api/documents/{id}
  const Widened<DocumentHits>* hits = nullptr;  // GET /api/documents/{id}/hits (null without a query)
  const PageText* page_text = nullptr;  // GET /api/documents/{id}/pages/{page} when the page is not a hit
};

/// The main content of the document page.
std::string document_html(const DocumentView& view);

/// The citation panel: links to /api/documents/{id}/cite in each format (what works without
/// JavaScript), which the script turns into a panel with the citation and a Copy button.
/// page 0 cites the whole document; quote may be empty.
std::string cite_panel(const std::string& id, int page, const std::string& quote, const std::string& what);

}  // namespace evidence::server::web
