#pragma once
// What every response says to browsers and caches, whatever route made it: never sniff a
// type, and never let a shared cache keep an answer meant for one caller.

#include "http_types.hpp"

namespace evidence::server {

/// Whether an answer to this request is for its caller alone: the library is private, or
/// the request carries credentials (an Authorization header, the evidence_token cookie).
bool is_personal(const ApiRequest& request, bool private_library);

/// Adds X-Content-Type-Options: nosniff and Vary: Authorization, Cookie to every response;
/// a personal one is Cache-Control private ("public" becomes "private"; none becomes
/// "private, no-cache").
void apply_cache_policy(ApiResponse& response, bool personal);

}  // namespace evidence::server
