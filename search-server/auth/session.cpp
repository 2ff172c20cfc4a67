#include "session.hpp"

namespace evidence::server {

namespace {

std::string cookie(std::string_view value, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

}  // namespace

std::string session_cookie(std::string_view token, bool secure) {
  return cookie(token, kSessionMaxAge, secure);
}

std::string ended_session_cookie(bool secure) { return cookie("", std::chrono::seconds(0), secure); }

std::optional<std::string> session_token(std::string_view cookies) {
  std::string name = std::string(kSessionCookie) + "=";
  for (std::size_t at = 0; at < cookies.size();) {
    std::size_t end = cookies.find(';', at);
    std::string_view cookie =
        cookies.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    while (!cookie.empty() && cookie.front() == ' ') cookie.remove_prefix(1);
    if (cookie.starts_with(name) && cookie.size() > name.size())
      return std::string(cookie.substr(name.size()));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace evidence::server
