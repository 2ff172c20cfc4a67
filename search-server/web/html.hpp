#pragma once
// Small pieces of HTML and URL text for the pages: escaping, passages, query strings.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evidence::server::web {

/// Text made safe for HTML content and attribute values (& < > " ' escaped).
std::string escape(std::string_view text);

/// An API snippet (escaped text with <mark>…</mark>) as HTML: the text is decoded and
/// escaped again, and only the mark tags are kept, so nothing else can become markup.
std::string snippet_html(std::string_view snippet);

/// The plain text of an API snippet: marks dropped, entities decoded, the ellipses that
/// mark a cut at either end removed. Used as the quotation of a passage citation.
std::string snippet_text(std::string_view snippet);

/// Percent-encodes a query parameter value or a path segment (unreserved characters kept).
std::string url_encode(std::string_view text);

/// "?a=1&b=x%20y" from name/value pairs in order; empty when there are none.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

/// <input type="hidden"> fields for name/value pairs, so that a form keeps a page's state.
std::string hidden_fields(const std::vector<std::pair<std::string, std::string>>& fields);

/// "p. 12", with the printed label beside it when it differs: "p. 12 (printed 10)".
std::string page_name(int page, const std::string& label);

}  // namespace evidence::server::web
