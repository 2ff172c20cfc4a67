#include "authorize.hpp"

#include <string_view>

namespace evidence::server {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view text) {
  // The scheme is case-insensitive (RFC 7235); the token has no spaces (RFC 6750 b64token).
  constexpr std::string_view kScheme = "bearer";
  bool bearer = text.size() > kScheme.size() && is_space(text[kScheme.size()]);
  for (std::size_t i = 0; bearer && i < kScheme.size(); ++i) {
    bearer = (text[i] | 0x20) == kScheme[i];
  }
  if (!bearer) return std::nullopt;
  text.remove_prefix(kScheme.size());
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty() || text.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return text;
}

core::Result<TokenIdentity> authorize(const std::vector<std::pair<std::string, std::string>>& headers,
                                      TokenStore& store, Role required_role) {
  using core::Error;
  using core::ErrorCode;
  const std::string* value = nullptr;
  int count = 0;
  for (const auto& [name, header_value] : headers) {
    if (name == "authorization") {
      value = &header_value;
      ++count;
    }
  }
  if (count == 0) return Error{ErrorCode::kUnauthorized, "this action needs a token: Authorization: Bearer TOKEN"};
  if (count > 1) return Error{ErrorCode::kUnauthorized, "more than one Authorization header"};
  auto token = bearer_token(*value);
  if (!token) return Error{ErrorCode::kUnauthorized, "the Authorization header must be: Bearer TOKEN"};
  auto identity = store.verify(*token);
  if (!identity) return identity.error();
  if (required_role == Role::kEditor && identity->role != Role::kEditor) {
    return Error{ErrorCode::kForbidden, "token " + identity->name + " is a reader token; this action needs an editor"};
  }
  return identity;
}

}  // namespace evidence::server
