#pragma once
// The bearer-token check for API routes that need a role: request headers in, the token's
// owner or an error (kUnauthorized → 401 with WWW-Authenticate, kForbidden → 403) out.
// Used by the write routes (write/write_routes.cpp) and GET /api/whoami.

#include <string>
#include <utility>
#include <vector>

#include "error.hpp"
#include "token_store.hpp"

namespace evidence::server {

/// Reads `Authorization: Bearer TOKEN` (header names in lower case, as in ApiRequest),
/// verifies the token and checks it has the role (an editor may do what a reader may).
core::Result<TokenIdentity> authorize(const std::vector<std::pair<std::string, std::string>>& headers,
                                      TokenStore& store, Role required_role);

}  // namespace evidence::server
