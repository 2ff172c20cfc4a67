#include "request_access.hpp"

#include <algorithm>
#include <array>

#include "params.hpp"

namespace evidence::server {

namespace {

constexpr std::size_t kMaxTemplateLength = 2000;
constexpr std::array<std::string_view, 3> kPlaceholders = {"{title}", "{id}", "{link}"};

}  // namespace

std::optional<std::string> request_access_problem(std::string_view url_template) {
  const std::string example = " (mailto:library@example.org?subject=Access%20to%20{title}&body={link})";
  bool mailto = url_template.starts_with("mailto:");
  bool https = url_template.starts_with("https://");
  if (!mailto && !https) return "must be a mailto: or https:// URL" + example;
  std::size_t rest = mailto ? 7 : 8;
  if (url_template.size() <= rest || url_template[rest] == '/' || url_template[rest] == '?')
    return std::string(mailto ? "must name an address after mailto:" : "must name a host after https://") +
           example;
  if (url_template.size() > kMaxTemplateLength)
    return "is longer than " + std::to_string(kMaxTemplateLength) + " bytes";
  if (url_template.find_first_of(" \t\r\n\"'<>\\`") != std::string_view::npos)
    return "must not hold white space, quotes, backslashes or angle brackets: write them percent-encoded "
           "(a space as %20)";
  for (std::size_t at = url_template.find_first_of("{}"); at != std::string_view::npos;
       at = url_template.find_first_of("{}", at)) {
    std::size_t end = url_template.find('}', at);
    std::string_view found = url_template.substr(at, end == std::string_view::npos ? 1 : end - at + 1);
    bool known = url_template[at] == '{' && end != std::string_view::npos &&
                 std::find(kPlaceholders.begin(), kPlaceholders.end(), found) != kPlaceholders.end();
    if (!known)
      return "has " + std::string(found) + " where only the placeholders {title}, {id} and {link} may stand";
    at = end + 1;
  }
  return std::nullopt;
}

std::string request_access_link(std::string_view url_template, std::string_view title, std::string_view id,
                                std::string_view public_url) {
  std::string link = std::string(public_url) + "/d/" + percent_encode(id);
  std::string out;
  for (std::size_t at = 0; at < url_template.size();) {
    std::size_t open = url_template.find('{', at);
    out.append(url_template.substr(at, open - at));
    if (open == std::string_view::npos) break;
    std::size_t close = url_template.find('}', open);
    std::string_view name = url_template.substr(open, close - open + 1);
    if (name == "{title}")
      out += percent_encode(title);
    else if (name == "{id}")
      out += percent_encode(id);
    else if (name == "{link}")
      out += percent_encode(link);
    else
      out.append(name);  // not a placeholder: request_access_problem refuses such templates
    at = close == std::string_view::npos ? url_template.size() : close + 1;
  }
  return out;
}

}  // namespace evidence::server
