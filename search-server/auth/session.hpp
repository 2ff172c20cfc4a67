#pragma once
// The browser session /admin's sign-in starts (docs/operating.md, "Reading in a browser"): a
// cookie that holds the token, verified on every request as a bearer token is, so that a
// revoked token ends every session at once. Only the reading routes take it (the write
// routes need the Authorization header, which another site cannot make a browser send).
// Set by the server, never by a script: HttpOnly keeps it from any script on the page.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace evidence::server {

/// The cookie's name.
inline constexpr std::string_view kSessionCookie = "evidence_token";
/// How long a browser keeps a session once signed in: a working day.
inline constexpr std::chrono::seconds kSessionMaxAge = std::chrono::hours(12);

/// The Set-Cookie value that starts a session with this token: Path=/, Max-Age, HttpOnly,
/// SameSite=Strict, and Secure when the server is reached over https.
std::string session_cookie(std::string_view token, bool secure);

/// The Set-Cookie value that ends one (the same attributes, Max-Age=0).
std::string ended_session_cookie(bool secure);

/// The token a Cookie header's session cookie holds, if it holds one.
std::optional<std::string> session_token(std::string_view cookie_header);

}  // namespace evidence::server
