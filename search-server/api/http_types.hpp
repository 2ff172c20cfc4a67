#pragma once
// The request and response the API works with, independent of any HTTP library.

#include <unistd.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evidence::server {

struct ApiRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // raw request target: "/api/search?q=x"
  std::vector<std::pair<std::string, std::string>> headers{};  // names in lower case, in order
  std::string client{};  // the client's address ("127.0.0.1"), for logs; empty when unknown
};

/// The first value of a request header (name in lower case), if present.
inline std::optional<std::string> header(const ApiRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

/// A file open for reading, closed when the last response that holds it is gone.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile() { ::close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

/// A response body that is a byte range of a file, streamed by the HTTP layer (never read
/// into memory whole).
struct FileBody {
  std::shared_ptr<const OpenFile> file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

/// Where a streamed request body goes as it arrives (an upload), a piece at a time, so that
/// it never sits in memory whole.
class BodySink {
 public:
  virtual ~BodySink() = default;
  /// The next bytes of the body; false refuses the rest of it.
  virtual bool take(std::string_view bytes) = 0;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::optional<FileBody> file{};  // when set, the body (and body is empty)
};

}  // namespace evidence::server
