#include "pages.hpp"

#include <optional>

#include "assets.hpp"
#include "document_page.hpp"
#include "error_responses.hpp"
#include "html.hpp"
#include "layout.hpp"
#include "params.hpp"
#include "search_page.hpp"
#include "search_state.hpp"

namespace evidence::server::web {

using core::Error;
using core::ErrorCode;

namespace {

constexpr std::string_view kSiteName = "Evidence Library";

}  // namespace

ApiResponse search_page(const Target& target, const Api& api) {
  SearchState state(target);
  SearchBox box{state.query(), state.with_query("").form_params(), true, api.reader};
  if (!state.searching()) {
    ServerHealth health = api.health();
    const IndexHealth* library = health.status() != IndexStatus::kUnavailable ? &*health.index : nullptr;
    return html_response(page_html(kSiteName, box, welcome_html(library)), 200);
  }
  auto results = api.search(state.api_search());
  if (!results) return error_page(results.error(), box);
  std::string title = (state.query().empty() ? std::string("Browse") : state.query()) + " — " + std::string(kSiteName);
  return html_response(page_html(title, box, results_html(state, *results)), 200);
}

ApiResponse document_page(const Target& target, const std::string& id, const Api& api) {
  std::string query = param(target, "q").value_or("");
  SearchBox box{query, {}, false, api.reader};
  auto page = int_param(target, "page", 0, 1, 1'000'000);
  if (!page) return error_page(page.error(), box);
  auto document = api.document(id);
  if (!document) return error_page(document.error(), box);
  bool readable = !document->info.catalogue;  // a catalogue record: no text to search or show
  std::optional<Widened<DocumentHits>> hits;
  bool page_is_hit = false;
  if (readable && !query.empty()) {
    auto found = api.hits(id, query);
    if (!found) return error_page(found.error(), box);
    hits = std::move(found).value();
    for (const auto& hit : hits->result.pages) page_is_hit = page_is_hit || hit.page == *page;
  }
  std::optional<PageText> page_text;
  if (readable && *page > 0 && !page_is_hit) {
    auto text = api.page(id, static_cast<int>(*page));
    if (!text) return error_page(text.error(), box);
    page_text = std::move(text).value();
  }
  DocumentView view{query, readable ? static_cast<int>(*page) : 0, &*document, hits ? &*hits : nullptr,
                    page_text ? &*page_text : nullptr};
  const std::string& title = document->info.metadata.title;
  return html_response(
      page_html((title.empty() ? id : title) + " — " + std::string(kSiteName), box, document_html(view)),
      200);
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
