#pragma once
// The handlers of the routes that read the library: search, trends, the documents, their
// pages, hits and similar documents, the PDFs and /healthz. Each takes the request's parsed
// target and what it reads from; none knows of sockets, tokens or the route table
// (search-server/app/routes.cpp, which calls them).

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "http_types.hpp"
#include "index_reader.hpp"
#include "params.hpp"
#include "thesaurus_source.hpp"

namespace evidence::server {

/// What the routes need to know about the server beyond the index.
struct ApiOptions {
  std::string public_url = "http://localhost:8080";  // base of the stable links in citations, no trailing '/'
  std::filesystem::path corpus = "corpus/sample";    // where the PDFs the index names are
  std::function<std::chrono::year_month_day()> today;  // the accessed date of citations; empty: today (UTC)
  std::string request_access;  // the Request access link's template (request_access.hpp); empty: none
};

/// Gives a catalogue record its Request access link (when the options have a template).
void offer_access(ListedDocument& document, const ApiOptions& options);

/// A JSON answer, invalid UTF-8 replaced.
ApiResponse json_response(const nlohmann::json& body, int status = 200);

/// What the search, hits and /healthz routes answer, as types (results.hpp), their
/// parameters checked as the routes check them: for the pages to call in-process. The routes
/// write these as JSON.
core::Result<Widened<SearchResult>> search_answer(const Target& target, IndexReader& index,
                                                  ThesaurusSource* thesaurus, const ApiOptions& options);
core::Result<Widened<DocumentHits>> hits_answer(const Target& target, const std::string& id,
                                                IndexReader& index, ThesaurusSource* thesaurus);
ServerHealth server_health(IndexReader& index, ThesaurusSource* thesaurus);

/// GET /api/search. thesaurus (may be null) widens the query text, here and in trends and hits.
ApiResponse search(const Target& target, IndexReader& index, ThesaurusSource* thesaurus,
                   const ApiOptions& options);
/// GET /api/trends
ApiResponse trends(const Target& target, IndexReader& index, ThesaurusSource* thesaurus);
/// GET /api/documents: every document, a page of them at a time.
ApiResponse list_documents(const Target& target, IndexReader& index, const ApiOptions& options);
/// GET /api/documents/{id}: the document, or the catalogue record of a listed one the
/// caller may not read.
core::Result<ListedDocument> document_answer(const std::string& id, IndexReader& index,
                                             const ApiOptions& options);
ApiResponse document(const std::string& id, IndexReader& index, const ApiOptions& options);
/// GET /api/documents/{id}/hits?q=
ApiResponse hits(const Target& target, const std::string& id, IndexReader& index, ThesaurusSource* thesaurus);
/// GET /api/documents/{id}/similar
ApiResponse similar(const Target& target, const std::string& id, IndexReader& index);
/// GET /api/documents/{id}/pages/{n}
ApiResponse page(const std::string& id, const std::string& number, IndexReader& index);
/// GET /documents/{id}.pdf: the file the index's record names, from the corpus (or the
/// shard's corpus, or a redirect to the shard's own site).
ApiResponse document_file(const ApiRequest& request, const std::string& id, IndexReader& index,
                          const ApiOptions& options);
/// GET /healthz: 503 when nothing answers, so that a load balancer stops sending searches here.
ApiResponse health(IndexReader& index, ThesaurusSource* thesaurus);

}  // namespace evidence::server
