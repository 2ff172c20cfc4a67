#include "error_responses.hpp"

#include <nlohmann/json.hpp>

namespace evidence::server {

int http_status_for(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kNotPdf: return 415;
    case ErrorCode::kInvalidMetadata:
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
  ApiResponse response = error_response(http_status_for(error.code), core::error_code_name(error.code), error.message);
  if (!error.field.empty()) {
    // The field at fault, for forms that mark it: {"error": {..., "field": "date"}}.
    auto body = nlohmann::json::parse(response.body);
    body["error"]["field"] = error.field;
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return response;
}

}  // namespace evidence::server
