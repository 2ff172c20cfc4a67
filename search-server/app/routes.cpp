#include "routes.hpp"

#include <array>

#include <xapian.h>

#include "citation_routes.hpp"
#include "error_responses.hpp"
#include "web/admin_page.hpp"
#include "web/pages.hpp"
#include "write_routes.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;

namespace {

// What a page handler reads: the API's own answers, called in-process (the outer request
// has already passed the gate).
web::Api api_for(RouteCall& call) {
  IndexReader& index = *call.context.index;
  ThesaurusSource* thesaurus = call.context.thesaurus;
  const ApiOptions& options = *call.context.options;
  return web::Api{
      [&index, thesaurus] { return server_health(index, thesaurus); },
      [&index, thesaurus, &options](const Target& search) {
        return search_answer(search, index, thesaurus, options);
      },
      [&index, &options](const std::string& id) { return document_answer(id, index, options); },
      [&index, thesaurus](const std::string& id, const std::string& query) {
        return hits_answer(Target{{}, {}, {{"q", query}}}, id, index, thesaurus);
      },
      [&index](const std::string& id, int page) { return index.page(id, page); },
      call.caller.name,
  };
}

}  // namespace

ApiResponse no_writes() {
  ApiResponse refused = error_response(405, "method_not_allowed",
                                       "this server searches the shards of a network and takes no writes; "
                                       "add, edit and withdraw documents on the member's own server");
  refused.headers.emplace_back("Allow", "GET, HEAD");
  return refused;
}

namespace {

IndexReader& index(RouteCall& c) { return *c.context.index; }
const std::string& id(RouteCall& c) { return c.params.front(); }
// Whether browsers reach the server over https (its --public-url): the session cookie is then Secure.
bool secure(RouteCall& c) { return c.context.options->public_url.starts_with("https://"); }

// The table. Adding a route: one line here, its handler (a function of api/, write/ or
// web/), and its entry in schemas/openapi.json.
// clang-format off
constexpr std::array kRoutes = {
  Route{"GET",    "/api/search",                    "search",   Access::kReader, BodyKind::kNone, false, Reads::kText,
        [](RouteCall& c) { return search(c.target, index(c), c.context.thesaurus, *c.context.options); }},
  Route{"GET",    "/api/trends",                    "trends",   Access::kReader, BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return trends(c.target, index(c), c.context.thesaurus); }},
  Route{"GET",    "/api/documents",                 "documents", Access::kReader, BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return list_documents(c.target, index(c), *c.context.options); }},
  Route{"POST",   "/api/documents",                 "documents", Access::kEditor, BodyKind::kUpload, false, Reads::kNothing,
        [](RouteCall& c) {
          return c.context.writes->add(std::move(*c.upload), c.caller, c.request.client); }},
  Route{"GET",    "/api/documents/{id}",            "document", Access::kReader, BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return document(id(c), index(c), *c.context.options); }},
  Route{"PATCH",  "/api/documents/{id}",            "document", Access::kEditor, BodyKind::kJson, false, Reads::kNothing,
        [](RouteCall& c) { return c.context.writes->edit(id(c), c.request, c.body, c.caller); }},
  Route{"DELETE", "/api/documents/{id}",            "document", Access::kEditor, BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return c.context.writes->withdraw(id(c), c.caller, c.request.client); }},
  Route{"GET",    "/api/documents/{id}/hits",       "hits",     Access::kReader, BodyKind::kNone, false, Reads::kText,
        [](RouteCall& c) { return hits(c.target, id(c), index(c), c.context.thesaurus); }},
  Route{"GET",    "/api/documents/{id}/similar",    "similar",  Access::kReader, BodyKind::kNone, false, Reads::kText,
        [](RouteCall& c) { return similar(c.target, id(c), index(c)); }},
  Route{"GET",    "/api/documents/{id}/pages/{n}",  "page",     Access::kReader, BodyKind::kNone, false, Reads::kText,
        [](RouteCall& c) { return page(id(c), c.params[1], index(c)); }},
  Route{"GET",    "/api/documents/{id}/cite",       "cite",     Access::kReader, BodyKind::kNone, false, Reads::kText,
        [](RouteCall& c) { return cite_document(c.target, id(c), index(c), *c.context.options); }},
  Route{"GET",    "/api/export",                    "export",   Access::kReader, BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return export_citations(c.target, index(c), *c.context.options); }},
  Route{"GET",    "/api/whoami",                    "whoami",   Access::kOpen,   BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return c.context.writes != nullptr ? c.context.writes->whoami(c.request) : no_writes(); }},
  Route{"POST",   "/api/session",                   "session",  Access::kOpen,   BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) {
          return c.context.writes != nullptr ? c.context.writes->sign_in(c.request, secure(c)) : no_writes(); }},
  Route{"DELETE", "/api/session",                   "session",  Access::kOpen,   BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return c.context.writes != nullptr ? c.context.writes->sign_out(secure(c)) : no_writes(); }},
  Route{"GET",    "/documents/{id}.pdf",            "pdf",      Access::kReader, BodyKind::kNone, false, Reads::kAll,
        [](RouteCall& c) { return document_file(c.request, id(c), index(c), *c.context.options); }},
  Route{"GET",    "/healthz",                       "healthz",  Access::kOpen,   BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) { return health(index(c), c.context.thesaurus); }},
  Route{"GET",    "/metrics",                       "metrics",  Access::kOpen,   BodyKind::kNone, false, Reads::kNothing,
        [](RouteCall& c) {
          return ApiResponse{200, "text/plain; version=0.0.4; charset=utf-8", c.context.metrics(), {}}; }},
  Route{"GET",    "/",                              "search_page", Access::kReader, BodyKind::kNone, true, Reads::kText,
        [](RouteCall& c) { return web::search_page(c.target, api_for(c)); }},
  Route{"GET",    "/d/{id}",                        "document_page", Access::kReader, BodyKind::kNone, true, Reads::kAll,
        [](RouteCall& c) { return web::document_page(c.target, id(c), api_for(c)); }},
  Route{"GET",    "/admin",                         "admin_page", Access::kOpen, BodyKind::kNone, true, Reads::kNothing,
        [](RouteCall&) { return web::admin_page(); }},
  Route{"GET",    "/static/{name}",                 "static",   Access::kOpen,   BodyKind::kNone, true, Reads::kNothing,
        [](RouteCall& c) { return web::asset(c.target, id(c)); }},
  Route{"GET",    "/favicon.ico",                   "static",   Access::kOpen,   BodyKind::kNone, true, Reads::kNothing,
        [](RouteCall&) { return web::favicon(); }},
};
// clang-format on

// The segments of a pattern ("/api/documents/{id}" → api, documents, {id}; "/" → none).
std::vector<std::string_view> pattern_segments(std::string_view pattern) {
  std::vector<std::string_view> segments;
  for (std::size_t at = 1; at < pattern.size();) {
    std::size_t end = pattern.find('/', at);
    if (end == std::string_view::npos) end = pattern.size();
    segments.push_back(pattern.substr(at, end - at));
    at = end + 1;
  }
  return segments;
}

// Whether the segments fit the pattern; the placeholders' values in `params`.
bool fits(std::string_view pattern, const std::vector<std::string>& segments,
          std::vector<std::string>& params) {
  auto wanted = pattern_segments(pattern);
  if (wanted.size() != segments.size()) return false;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    std::string_view part = wanted[i];
    const std::string& segment = segments[i];
    if (part.empty() || part.front() != '{') {
      if (segment != part) return false;
      continue;
    }
    std::string_view ending = part.substr(part.find('}') + 1);  // "{id}.pdf" → ".pdf"
    if (segment.size() <= ending.size() || !std::string_view(segment).ends_with(ending)) return false;
    values.push_back(segment.substr(0, segment.size() - ending.size()));
  }
  params = std::move(values);
  return true;
}

// The pages own every path outside the API's, /healthz, /metrics and the PDFs.
bool is_page_path(std::string_view first_segment) {
  for (std::string_view other : {"api", "healthz", "metrics", "documents"}) {
    if (first_segment == other) return false;
  }
  return true;
}

// A target that does not parse: the pages' when its first segment is theirs (or cannot be
// read at all), so that the page can say what is wrong.
bool is_page_target(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') return false;
  std::string_view path = raw.substr(1);
  path = path.substr(0, path.find_first_of("?#"));
  auto first = percent_decode(path.substr(0, path.find('/')), false);
  return !first || is_page_path(*first);
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

RouteMatch match_route(std::string_view method, std::string_view raw_target) {
  RouteMatch match;
  match.target = parse_target(raw_target);
  if (!match.target) {
    match.page = is_page_target(raw_target);
    return match;
  }
  const auto& segments = match.target->segments;
  match.page = segments.empty() || is_page_path(segments.front());
  std::string_view asked = method == "HEAD" ? "GET" : method;
  for (const Route& route : kRoutes) {
    std::vector<std::string> params;
    if (!fits(route.pattern, segments, params)) continue;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
    if (route.method == "GET") match.allow += ", HEAD";
    if (route.method == asked && match.route == nullptr) {
      match.route = &route;
      match.params = std::move(params);
    }
  }
  return match;
}

ApiResponse unrouted(const RouteMatch& match) {
  if (!match.target)
    return match.page ? web::error_page_for(match.target.error()) : error_response(match.target.error());
  const std::string& path = match.target->path;
  if (!match.allow.empty()) {
    ApiResponse response = error_response(405, "method_not_allowed", "use " + match.allow + " for " + path);
    response.headers.emplace_back("Allow", match.allow);
    return response;
  }
  if (match.page)
    return web::error_page_for(Error{ErrorCode::kNotFound, "There is no page at " + path + "."});
  return error_response(404, "not_found", "no such resource: " + path);
}

ApiResponse dispatch(const RouteMatch& match, RouteCall& call) {
  if (match.route == nullptr) return unrouted(match);
  if (match.route->access == Access::kEditor && call.context.writes == nullptr) return no_writes();
  try {
    return match.route->handler(call);
  } catch (const std::exception& e) {
    return error_response(Error{ErrorCode::kInternal, std::string("internal error: ") + e.what()});
  } catch (const Xapian::Error& e) {
    return error_response(Error{ErrorCode::kInternal, "internal error: " + e.get_description()});
  }
}

ApiResponse handle_request(const ApiRequest& request, IndexReader& index, ThesaurusSource* thesaurus,
                           const ApiOptions& options) {
  RouteMatch match = match_route(request.method, request.target);
  if (match.route == nullptr) return unrouted(match);
  RouteContext context{&index, thesaurus, &options, nullptr, [] { return std::string(); }};
  RouteCall call{request, *match.target, match.params, context};
  return dispatch(match, call);
}

}  // namespace evidence::server
