#include "read_routes.hpp"

#include <nlohmann/json.hpp>

#include "citation_routes.hpp"
#include "document_file.hpp"
#include "error_responses.hpp"
#include "params.hpp"
#include "query.hpp"
#include "request_access.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

constexpr long long kMaxLimit = 100;
constexpr long long kMaxOffset = 100000;

template <class T>
ApiResponse from_result(const core::Result<T>& result) {
  return result ? json_response(json(*result)) : error_response(result.error());
}

// country=GB&country=NG&theme=...&year_from=2019: OR within a facet, AND across facets.
core::Result<core::SearchFilters> read_filters(const Target& target) {
  core::SearchFilters filters;
  filters.countries = all_params(target, "country");
  filters.themes = all_params(target, "theme");
  filters.exploitation = all_params(target, "exploitation");
  filters.types = all_params(target, "type");
  filters.languages = all_params(target, "lang");
  filters.organisations = all_params(target, "org");
  for (auto [name, field] :
       {std::pair{"year_from", &filters.year_from}, std::pair{"year_to", &filters.year_to}}) {
    if (!param(target, name)) continue;
    auto year = int_param(target, name, 0, 1000, 9999);
    if (!year) return year.error();
    *field = static_cast<int>(*year);
  }
  return filters;
}

// The query text: required unless filters narrow the documents (browsing by facet).
core::Result<std::string> read_query(const Target& target, bool filters_given) {
  std::string query = param(target, "q").value_or("");
  if (query.empty() && !filters_given) {
    return Error{ErrorCode::kInvalidArgument,
                 "parameter 'q' (the query) is required unless a filter is given"};
  }
  if (query.size() > core::kMaxQueryLength) {
    return Error{ErrorCode::kInvalidArgument, "parameter 'q' is too long (" + std::to_string(query.size()) +
                                                  " bytes; at most " + std::to_string(core::kMaxQueryLength) +
                                                  ")"};
  }
  return query;
}

core::Result<SortOrder> read_sort(const Target& target) {
  std::string sort = param(target, "sort").value_or("relevance");
  if (sort == "relevance") return SortOrder::kRelevance;
  if (sort == "newest") return SortOrder::kNewest;
  if (sort == "oldest") return SortOrder::kOldest;
  if (sort == "title") return SortOrder::kTitle;
  return Error{ErrorCode::kInvalidArgument, "parameter 'sort' must be relevance, newest, oldest or title"};
}

// The query widened by the thesaurus, and what it added. What the user sent is held to
// kMaxQueryLength (read_query); its widening, to kMaxExpandedQueryLength.
core::Result<core::Expansion> expand(const std::string& query, ThesaurusSource* thesaurus) {
  if (thesaurus == nullptr || query.empty()) return core::Expansion{query, {}};
  core::Expansion expansion = thesaurus->current()->expand(query);
  if (expansion.query.size() > core::kMaxExpandedQueryLength) {
    return Error{ErrorCode::kInvalidArgument,
                 "the query is too long once the thesaurus widens it (" +
                     std::to_string(expansion.query.size()) + " bytes; at most " +
                     std::to_string(core::kMaxExpandedQueryLength) +
                     "): search fewer of its synonyms and acronyms at once, or write =WORD to search a word "
                     "only as written"};
  }
  return expansion;
}

// The answer to a widened query: it names the query as the user wrote it, and what else
// was searched.
template <class T>
core::Result<Widened<T>> widened(core::Result<T> result, const std::string& query,
                                 const core::Expansion& expansion) {
  if (!result) return result.error();
  return Widened<T>{std::move(result).value(), query, expansion.also_searched};
}

}  // namespace

ApiResponse json_response(const json& body, int status) {
  return ApiResponse{
      status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

namespace {

// What search and trends both read: the filters, the query as typed, and its widening.
struct Question {
  core::SearchFilters filters;
  std::string query;
  core::Expansion expansion;
};

core::Result<Question> read_question(const Target& target, ThesaurusSource* thesaurus) {
  auto filters = read_filters(target);
  if (!filters) return filters.error();
  auto query = read_query(target, !filters->empty());
  if (!query) return query.error();
  auto expansion = expand(*query, thesaurus);
  if (!expansion) return expansion.error();
  return Question{std::move(filters).value(), std::move(query).value(), std::move(expansion).value()};
}

}  // namespace

void offer_access(ListedDocument& document, const ApiOptions& options) {
  if (!document.info.catalogue || options.request_access.empty()) return;
  document.request_access = request_access_link(options.request_access, document.info.metadata.title,
                                                document.info.id, options.public_url);
}

core::Result<Widened<SearchResult>> search_answer(const Target& target, IndexReader& index,
                                                  ThesaurusSource* thesaurus, const ApiOptions& options) {
  auto question = read_question(target, thesaurus);
  if (!question) return question.error();
  auto sort = read_sort(target);
  if (!sort) return sort.error();
  auto offset = int_param(target, "offset", 0, 0, kMaxOffset);
  if (!offset) return offset.error();
  auto limit = int_param(target, "limit", 10, 1, kMaxLimit);
  if (!limit) return limit.error();
  auto pages = int_param(target, "pages", 3, 0, 20);
  if (!pages) return pages.error();
  auto facets = int_param(target, "facets", 1, 0, 1);
  if (!facets) return facets.error();
  SearchRequest request{
      question->expansion.query, question->query,          question->filters,        *sort,
      static_cast<int>(*offset), static_cast<int>(*limit), static_cast<int>(*pages), *facets == 1};
  auto result = index.search(request);
  if (result) {
    for (auto& found : result->documents) offer_access(found.ranked.document, options);
  }
  return widened(std::move(result), question->query, question->expansion);
}

core::Result<Widened<DocumentHits>> hits_answer(const Target& target, const std::string& id,
                                                IndexReader& index, ThesaurusSource* thesaurus) {
  auto query = read_query(target, false);
  if (!query) return query.error();
  auto expansion = expand(*query, thesaurus);
  if (!expansion) return expansion.error();
  return widened(index.hits(id, expansion->query), *query, *expansion);
}

ServerHealth server_health(IndexReader& index, ThesaurusSource* thesaurus) {
  ServerHealth health{index.health(), std::nullopt};
  // An index that cannot be read is all the answer says (so it has always been).
  if (health.index && thesaurus != nullptr) {
    health.thesaurus =
        ThesaurusHealth{thesaurus->path().string(), thesaurus->current()->group_count(), thesaurus->error()};
  }
  return health;
}

ApiResponse search(const Target& target, IndexReader& index, ThesaurusSource* thesaurus,
                   const ApiOptions& options) {
  return from_result(search_answer(target, index, thesaurus, options));
}

ApiResponse trends(const Target& target, IndexReader& index, ThesaurusSource* thesaurus) {
  auto question = read_question(target, thesaurus);
  if (!question) return error_response(question.error());
  return from_result(widened(index.trends(question->expansion.query, question->filters), question->query,
                             question->expansion));
}

ApiResponse hits(const Target& target, const std::string& id, IndexReader& index,
                 ThesaurusSource* thesaurus) {
  return from_result(hits_answer(target, id, index, thesaurus));
}

ApiResponse health(IndexReader& index, ThesaurusSource* thesaurus) {
  ServerHealth health = server_health(index, thesaurus);
  return json_response(json(health), health.status() == IndexStatus::kUnavailable ? 503 : 200);
}

// The document's PDF: the id is looked up in the index, the path comes from there. A
// shard's PDFs are served from its corpus folder when this server has it, or else by the
// member's own site, where this redirects (a browser keeps the #page=N of the link).
ApiResponse document_file(const ApiRequest& request, const std::string& id, IndexReader& index,
                          const ApiOptions& options) {
  auto located = index.locate(id);
  if (!located) return error_response(located.error());
  const Shard& shard = *located->shard;
  if (shard.name.empty()) return serve_document_file(request, located->info, options.corpus);
  if (!shard.corpus.empty()) return serve_document_file(request, located->info, shard.corpus);
  if (shard.pdf_base_url.empty() || located->info.files.empty()) {
    return error_response(404, "not_found", "the PDFs of shard '" + shard.name + "' are not served here");
  }
  ApiResponse response{302, "application/json", {}, {}};
  std::string location = shard.pdf_base_url + percent_encode(located->info.files.front().path, "/");
  response.body = json{{"location", location}}.dump();
  response.headers.emplace_back("Location", location);
  return response;
}

ApiResponse list_documents(const Target& target, IndexReader& index, const ApiOptions& options) {
  auto offset = int_param(target, "offset", 0, 0, kMaxOffset);
  if (!offset) return error_response(offset.error());
  auto limit = int_param(target, "limit", 100, 1, 1000);
  if (!limit) return error_response(limit.error());
  auto list = index.list(static_cast<int>(*offset), static_cast<int>(*limit));
  if (list) {
    for (auto& document : list->documents) offer_access(document, options);
  }
  return from_result(list);
}

core::Result<ListedDocument> document_answer(const std::string& id, IndexReader& index,
                                             const ApiOptions& options) {
  auto document = index.document(id);
  if (document) offer_access(*document, options);
  return document;
}

ApiResponse document(const std::string& id, IndexReader& index, const ApiOptions& options) {
  return from_result(document_answer(id, index, options));
}

ApiResponse similar(const Target& target, const std::string& id, IndexReader& index) {
  auto limit = int_param(target, "limit", 10, 1, kMaxLimit);
  if (!limit) return error_response(limit.error());
  return from_result(index.similar(id, static_cast<int>(*limit)));
}

ApiResponse page(const std::string& id, const std::string& number, IndexReader& index) {
  auto n = int_param(Target{{}, {}, {{"page", number}}}, "page", 0, 1, 1'000'000);
  if (!n)
    return error_response(
        Error{ErrorCode::kInvalidArgument, "the page number must be a whole number from 1"});
  return from_result(index.page(id, static_cast<int>(*n)));
}

}  // namespace evidence::server
