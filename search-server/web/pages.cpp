#include "pages.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace

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

ApiResponse asset(const Target& target, const std::string& name) {
  if (auto found = asset_response(name, param(target, "v").value_or(""))) return *found;
  return error_page(Error{ErrorCode::kNotFound, "There is no page at " + target.path + "."});
}

ApiResponse favicon() { return *asset_response("icon.svg", ""); }

ApiResponse error_page_for(const core::Error& error) { return error_page(error); }

ApiResponse sign_in_page(const core::Error& error) {
  std::string main = R"(<main id="main" class="narrow"><h1>Sign in to search</h1><p class="error" role="alert">)" +
                     escape(error.message) +
                     R"(</p><p><a href="/admin">Sign in with your token</a>, then come back to this page.</p></main>)";
  ApiResponse response = html_response(page_html("Sign in — Evidence Library", SearchBox{}, main), 401);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace evidence::server::web
