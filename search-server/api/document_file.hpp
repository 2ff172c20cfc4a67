#pragma once
// Serving a document's PDF from the corpus: the file is found through the index (the id
// is the only thing taken from the request), never outside the corpus, and answered with
// byte ranges, validators (ETag, Last-Modified) and conditional requests, streamed.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"
#include "records.hpp"

namespace evidence::server {

/// A PDF may be kept by any cache, but asked for again before every use (a 304 when it has
/// not changed), so that a withdrawn document is gone from every cache at its next use.
inline constexpr const char* kDocumentFileCacheControl = "public, no-cache";

/// A byte range of a file, or why there is none.
struct ByteRange {
  enum class Kind { kWhole, kPart, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  std::uint64_t first = 0;   // kPart: offset of the first byte
  std::uint64_t length = 0;  // kPart: number of bytes
};

/// Reads a Range header for a file of `size` bytes. One range ("bytes=0-99", "bytes=100-",
/// "bytes=-500") is a kPart, clipped to the file; a range that starts past the end, or
/// "-0", is kUnsatisfiable. Several ranges, another unit or bad syntax give kWhole: the
/// whole file (RFC 9110 lets a server ignore Range).
ByteRange parse_byte_range(std::string_view header, std::uint64_t size);

/// An HTTP date (IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::int64_t seconds_since_epoch);

/// The seconds since the epoch of an IMF-fixdate, or nothing when it is not one.
std::optional<std::int64_t> parse_http_date(std::string_view text);

/// `inline; filename="..."` with an ASCII fallback, and filename* (RFC 6266, RFC 8187)
/// when the name is not plain ASCII.
std::string content_disposition(const std::string& file_name);

/// Answers GET or HEAD /documents/{id}.pdf for a document found in the index: tries each
/// of its files in the corpus, preferring one unchanged since indexing; 404 when none is
/// left or all would resolve outside the corpus.
ApiResponse serve_document_file(const ApiRequest& request, const core::DocumentInfo& document,
                                const std::filesystem::path& corpus);

}  // namespace evidence::server
