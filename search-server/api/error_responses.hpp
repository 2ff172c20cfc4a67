#pragma once
// The one place where an ErrorCode becomes an HTTP status, and the JSON error body.

#include "error.hpp"
#include "http_types.hpp"

namespace evidence::server {

/// The HTTP status for an error code.
int http_status_for(core::ErrorCode code);

/// {"error": {"status", "code", "message"}} with the status from http_status_for().
ApiResponse error_response(const core::Error& error);

/// An error response with an explicit status, for HTTP-level failures (404 route, 405...).
ApiResponse error_response(int status, const std::string& code, const std::string& message);

}  // namespace evidence::server
