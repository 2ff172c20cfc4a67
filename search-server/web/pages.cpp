#include "pages.hpp"

#include <nlohmann/json.hpp>

#include "admin_page.hpp"
#include "assets.hpp"
#include "document_page.hpp"
#include "errors.hpp"
#include "html.hpp"
#include "layout.hpp"
#include "params.hpp"
#include "search_page.hpp"
#include "search_state.hpp"

namespace evidence::server::web {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

constexpr std::string_view kSiteName = "Evidence Library";

json body_of(const ApiResponse& response) { return json::parse(response.body, nullptr, false); }

ApiResponse search_page(const Target& target, const ApiCall& api) {
  SearchState state(target);
  SearchBox box{state.query(), state.with_query("").form_params(), true};
  if (!state.searching()) {
    ApiResponse health = api("/healthz");
    json counts = health.status == 200 ? body_of(health) : json();
    return html_response(page_html(kSiteName, box, welcome_html(counts)), 200);
  }
  ApiResponse response = api(state.api_target());
  if (response.status != 200) return error_page(response, box);
  std::string title = (state.query().empty() ? std::string("Browse") : state.query()) + " — " + std::string(kSiteName);
  return html_response(page_html(title, box, results_html(state, body_of(response))), 200);
}

ApiResponse document_page(const Target& target, const std::string& id, const ApiCall& api) {
  std::string query = param(target, "q").value_or("");
  SearchBox box{query, {}, false};
  auto page = int_param(target, "page", 0, 1, 1'000'000);
  if (!page) return error_page(page.error(), box);
  std::string base = "/api/documents/" + url_encode(id);
  ApiResponse document = api(base);
  if (document.status != 200) return error_page(document, box);
  json metadata = body_of(document);
  json hits;
  bool page_is_hit = false;
  if (!query.empty()) {
    ApiResponse response = api(base + "/hits" + query_string({{"q", query}}));
    if (response.status != 200) return error_page(response, box);
    hits = body_of(response);
    for (const auto& hit : hits["pages"]) page_is_hit = page_is_hit || hit["page"] == *page;
  }
  json page_text;
  if (*page > 0 && !page_is_hit) {
    ApiResponse response = api(base + "/pages/" + std::to_string(*page));
    if (response.status != 200) return error_page(response, box);
    page_text = body_of(response);
  }
  DocumentView view{query, static_cast<int>(*page), &metadata, query.empty() ? nullptr : &hits,
                    page_text.is_null() ? nullptr : &page_text};
  std::string title = metadata.value("title", id) + " — " + std::string(kSiteName);
  return html_response(page_html(title, box, document_html(view)), 200);
}

ApiResponse not_found(const std::string& path) {
  return error_page(Error{ErrorCode::kNotFound, "There is no page at " + path + "."});
}

}  // namespace

bool owns(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') return false;
  std::string_view path = raw.substr(1);
  path = path.substr(0, path.find_first_of("?#"));
  std::string_view first = path.substr(0, path.find('/'));
  auto decoded = percent_decode(first, false);
  if (!decoded) return true;  // a bad escape: the page says so
  for (std::string_view api : {"api", "healthz", "metrics", "documents"}) {
    if (*decoded == api) return false;
  }
  return true;
}

ApiResponse respond(const ApiRequest& request, const ApiCall& api) {
  auto target = parse_target(request.target);
  if (!target) return error_page(target.error());
  if (request.method != "GET" && request.method != "HEAD") {
    ApiResponse response = error_response(405, "method_not_allowed", "use GET for " + target->path);
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  const auto& s = target->segments;
  if (s.empty()) return search_page(*target, api);
  if (s.size() == 2 && s[0] == "d") return document_page(*target, s[1], api);
  if (s.size() == 1 && s[0] == "admin") return admin_page();
  // Browsers ask for /favicon.ico on pages that name no icon (the PDF viewer's, for one).
  if (s.size() == 1 && s[0] == "favicon.ico") return *asset_response("icon.svg", "");
  if (s.size() == 2 && s[0] == "static") {
    if (auto asset = asset_response(s[1], param(*target, "v").value_or(""))) return *asset;
  }
  return not_found(target->path);
}

ApiResponse sign_in_page(const core::Error& error) {
  std::string main = R"(<main id="main" class="narrow"><h1>Sign in to search</h1><p class="error" role="alert">)" +
                     escape(error.message) +
                     R"(</p><p><a href="/admin">Sign in with your token</a>, then come back to this page.</p></main>)";
  ApiResponse response = html_response(page_html("Sign in — Evidence Library", SearchBox{}, main), 401);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace evidence::server::web
