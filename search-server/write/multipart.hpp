#pragma once
// multipart/form-data (RFC 7578 on RFC 2046), parsed as the bytes arrive: a part's data
// goes to the handler a piece at a time, so an upload of any size is never held in memory.
// No sockets or files here.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "error.hpp"

namespace evidence::server {

/// What the headers of one part say.
struct PartHeaders {
  std::string name;                     // Content-Disposition: form-data; name="..."
  std::optional<std::string> filename;  // ...; filename="..." (file parts)
  std::string content_type;             // Content-Type, lower case, parameters dropped
};

/// Receives the parts in order. An error from any call stops the parse with that error.
class PartHandler {
 public:
  virtual ~PartHandler() = default;
  virtual core::Status begin_part(const PartHeaders& headers) = 0;
  virtual core::Status part_data(std::string_view bytes) = 0;
  virtual core::Status end_part() = 0;
};

/// The boundary parameter of a multipart/form-data Content-Type, if it is one.
std::optional<std::string> multipart_boundary(std::string_view content_type);

class MultipartParser {
 public:
  static constexpr std::size_t kMaxHeaderBytes = 8 * 1024;  // of one part's header block
  static constexpr std::size_t kMaxParts = 16;

  /// boundary: from multipart_boundary(), 1 to 70 characters.
  explicit MultipartParser(std::string boundary);

  /// Parses the next bytes of the body. Errors are kInvalidArgument (malformed body) or
  /// whatever the handler returned; after an error the parser takes nothing more.
  core::Status feed(std::string_view bytes, PartHandler& handler);
  /// The body has ended: an error unless the closing boundary was seen.
  core::Status finish() const;

 private:
  enum class State { kPreamble, kHeaders, kData, kAfterBoundary, kEpilogue, kFailed };
  core::Status fail(std::string message);
  core::Status take_headers(std::string_view block, PartHandler& handler);

  std::string delimiter_;  // "\r\n--" + boundary
  std::string pending_;    // bytes that may still be the start of a delimiter or a header block
  State state_ = State::kPreamble;
  std::size_t parts_ = 0;
};

}  // namespace evidence::server
