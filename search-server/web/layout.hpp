#pragma once
// The frame every page shares (head, site header, footer), HTML responses and error pages.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "http_types.hpp"

namespace evidence::server::web {

/// The search form of the site header: the query, and the filters it keeps (hidden fields).
struct SearchBox {
  std::string query;
  std::vector<std::pair<std::string, std::string>> keep;
  bool syntax_help = false;  // show the short query syntax under the box
  std::string signed_in{};   // the name of the token a browser session reads with: the header
                             // says so, with a link to sign out; empty: no session
};

/// A whole page: title, the site header with its search form, main content, footer.
std::string page_html(std::string_view title, const SearchBox& box, std::string_view main);

/// An HTML response with the headers every page has (type, caching, content policy).
ApiResponse html_response(std::string body, int status);

/// A page that says what went wrong; the status comes from the error table.
ApiResponse error_page(const core::Error& error, const SearchBox& box = {});

/// The same for an error the API answered (its JSON error body and status).
ApiResponse error_page(const ApiResponse& api_error, const SearchBox& box = {});

}  // namespace evidence::server::web
