#include "error.hpp"

namespace evidence::core {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kInvalidMetadata: return "invalid_metadata";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kNotPdf: return "not_pdf";
    case ErrorCode::kEmptyFile: return "empty_file";
    case ErrorCode::kEncrypted: return "encrypted";
    case ErrorCode::kDamaged: return "damaged";
    case ErrorCode::kExtractionFailed: return "extraction_failed";
    case ErrorCode::kIo: return "io_error";
    case ErrorCode::kIndexLocked: return "index_locked";
    case ErrorCode::kIndexUnavailable: return "index_unavailable";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

ErrorCode error_code_from_name(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    auto code = static_cast<ErrorCode>(i);
    if (name == error_code_name(code)) return code;
  }
  return ErrorCode::kInternal;
}

}  // namespace evidence::core
