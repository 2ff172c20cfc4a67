#include "errors.hpp"

#include <nlohmann/json.hpp>

namespace evidence::server {

int http_status_for(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidMetadata: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kNotPdf: return 415;
    case ErrorCode::kEmptyFile:
    case ErrorCode::kEncrypted:
    case ErrorCode::kDamaged:
    case ErrorCode::kExtractionFailed: return 422;
    case ErrorCode::kIndexLocked:
    case ErrorCode::kIndexUnavailable: return 503;
    case ErrorCode::kIo:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

ApiResponse error_response(int status, const std::string& code, const std::string& message) {
  nlohmann::json body = {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
  ApiResponse response{status, "application/json",
                       body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
  // RFC 6750: a 401 names the scheme the client should use.
  if (status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

ApiResponse error_response(const core::Error& error) {
  return error_response(http_status_for(error.code), core::error_code_name(error.code), error.message);
}

}  // namespace evidence::server
