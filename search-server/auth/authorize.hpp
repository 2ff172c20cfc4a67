#pragma once
// The bearer-token check for API routes that need a role: request headers in, the token's
// owner or an error (kUnauthorized → 401 with WWW-Authenticate, kForbidden → 403) out.
// Used by the write routes (write/write_routes.cpp) and GET /api/whoami.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "token_store.hpp"

namespace evidence::server {

/// The TOKEN of an Authorization header's "Bearer TOKEN", or nullopt when it is not of that form.
std::optional<std::string_view> bearer_token(std::string_view header_value);

/// Reads `Authorization: Bearer TOKEN` (header names in lower case, as in ApiRequest),
/// verifies the token and checks it has the role (an editor may do what a reader may).
core::Result<TokenIdentity> authorize(const std::vector<std::pair<std::string, std::string>>& headers,
                                      TokenStore& store, Role required_role);

}  // namespace evidence::server
