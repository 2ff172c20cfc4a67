#pragma once
// The Request access link of a listed document a caller may not read (docs/operating.md,
// "Who may read what"): the server's --request-access template, a mailto: or https: URL,
// with the document's title, id and stable link filled in.

#include <optional>
#include <string>
#include <string_view>

namespace evidence::server {

/// Why a template cannot be used (the text after "--request-access: "), or nothing when it
/// can: a mailto: or https: URL without spaces, quotes or angle brackets, whose only
/// placeholders are {title}, {id} and {link}.
std::optional<std::string> request_access_problem(std::string_view url_template);

/// The template with {title}, {id} and {link} replaced by the document's title, id and
/// stable link (public_url + "/d/" + id, or "/d/" + id without a public URL), each
/// percent-encoded so that it stays one part of the URL.
std::string request_access_link(std::string_view url_template, std::string_view title, std::string_view id,
                                std::string_view public_url);

}  // namespace evidence::server
