#pragma once
// Expected failures as values: an ErrorCode plus a message meant for a person.

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace evidence::core {

enum class ErrorCode {
  kInvalidArgument,   // a caller-supplied value is malformed (bad query, bad parameter)
  kInvalidMetadata,   // a sidecar does not satisfy the document schema
  kNotFound,          // the named document or page does not exist
  kNotPdf,            // the file is not a PDF
  kEmptyFile,         // the file has no bytes
  kEncrypted,         // the PDF needs a password
  kDamaged,           // the PDF cannot be parsed
  kExtractionFailed,  // the extraction worker crashed, timed out or ran out of memory
  kIo,                // a file system operation failed
  kIndexLocked,       // another process holds the index's write lock
  kIndexUnavailable,  // the index cannot be opened or read
  kUnauthorized,      // no credentials, malformed ones, or a token that does not verify
  kForbidden,         // a valid token without the role the action needs
  kConflict,          // the document (same bytes or same id) is already there
  kTooLarge,          // a request body or upload over its limit
  kInternal,          // anything unexpected
};

/// A stable snake_case name for the code, used in JSON errors and summaries.
const char* error_code_name(ErrorCode code);
/// The code with that name (the inverse of error_code_name()); kInternal for an unknown one.
ErrorCode error_code_from_name(std::string_view name);

struct Error {
  ErrorCode code;
  std::string message;
  std::string field{};  // the input field at fault ("date", "authors[0].family"), when one is
};

/// Either a value or an Error; callers must look at it.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}      // NOLINT(google-explicit-constructor)
  Result(ErrorCode code, std::string message) : state_(Error{code, std::move(message)}) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// Result for operations that return nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  Status(ErrorCode code, std::string message) : error_{code, std::move(message)}, ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInternal, {}};
  bool ok_ = true;
};

}  // namespace evidence::core
