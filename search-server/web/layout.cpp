#include "layout.hpp"

#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "error_responses.hpp"
#include "html.hpp"

namespace evidence::server::web {

namespace {

constexpr std::string_view kSyntaxHelp = R"(<details class="syntax"><summary>Search syntax</summary>
<dl>
<dt><code>"safe house"</code></dt><dd>the exact phrase</dd>
<dt><code>shelter OR refuge</code>, <code>shelter NOT police</code></dt><dd>either word; leave a word out (all words are required otherwise)</dd>
<dt><code>debt NEAR/5 bondage</code></dt><dd>words within 5 words of each other</dd>
<dt><code>recruit*</code></dt><dd>words that begin with <i>recruit</i></dd>
<dt><code>title:guidance</code>, <code>org:harbour</code>, <code>author:smith</code></dt><dd>words in one field</dd>
<dt><code>country:moldova</code>, <code>theme:prevention</code>, <code>lang:fr</code></dt><dd>documents about a country, on a theme, in a language</dd>
<dt><code>year:2015..2020</code></dt><dd>documents published from 2015 to 2020</dd>
</dl></details>)";

std::string search_form(const SearchBox& box) {
  std::string html = R"(<form class="search" role="search" action="/" method="get">)"
                     R"(<label for="q">Search the evidence library</label><div class="search-row">)"
                     R"(<input id="q" name="q" type="search" maxlength="1000" autocomplete="off" value=")" +
                     escape(box.query) + R"(" aria-describedby="q-hint">)";
  html += hidden_fields(box.keep) + R"(<button type="submit">Search</button></div>)";
  html += R"(<p id="q-hint" class="hint">Words, "phrases", OR, NOT, NEAR, wildcards*, and fields such as )"
          R"(<code>country:</code> or <code>year:2015..2020</code>.</p>)";
  if (box.syntax_help) html += kSyntaxHelp;
  return html + "</form>";
}

std::string error_message(const ApiResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object() &&
      body["error"].value("message", "") != "") {
    return body["error"]["message"].get<std::string>();
  }
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();  // /healthz when the index is unavailable
  }
  return "the request could not be answered";
}

}  // namespace

std::string page_html(std::string_view title, const SearchBox& box, std::string_view main) {
  std::string html = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href=")" + escape(asset_url("icon.svg")) + R"(" type="image/svg+xml">
<title>)";
  html += escape(title);
  html += R"(</title>
<link rel="stylesheet" href=")" + escape(asset_url("site.css")) + R"(">
<script src=")" + escape(asset_url("site.js")) + R"(" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<div class="site-inner">
<a class="brand" href="/">Evidence Library</a>
)";
  html += search_form(box);
  if (!box.signed_in.empty()) {
    html += R"(<p class="session">Signed in as <strong>)" + escape(box.signed_in) +
            R"(</strong> · <a href="/admin#sign-out">Sign out</a></p>)";
  }
  html += "\n</div>\n</header>\n";
  html += main;
  html += R"(
<footer class="site"><p>Evidence Library · full-text search of the network’s reports, guidance and research · )"
          R"(<a href="/api/search?q=trafficking">JSON API</a></p></footer>
</body>
</html>
)";
  return html;
}

ApiResponse html_response(std::string body, int status) {
  ApiResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  response.headers = {{"Cache-Control", "no-cache"},
                      {"Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; object-src 'self'; frame-ancestors 'none'; "
                       "base-uri 'none'; form-action 'self'"},
                      {"Referrer-Policy", "same-origin"}};
  return response;
}

ApiResponse error_page(const core::Error& error, const SearchBox& box) {
  return error_page(error_response(error), box);
}

ApiResponse error_page(const ApiResponse& api_error, const SearchBox& box) {
  int status = api_error.status;
  std::string heading = status == 404   ? "Not found"
                        : status == 400 ? "This search cannot be run"
                        : status == 503 ? "The library is not available just now"
                                        : "Something went wrong";
  std::string main = R"(<main id="main" class="narrow"><h1>)" + escape(heading) +
                     R"(</h1><p class="error" role="alert">)" + escape(error_message(api_error)) +
                     R"(</p><p><a href="/">Go to the search page</a></p></main>)";
  return html_response(page_html(heading + " — Evidence Library", box, main), status);
}

}  // namespace evidence::server::web
