#pragma once
// Frames exchanged between evidence-index and its extraction workers over pipes:
// one type byte, a 32-bit little-endian length, the payload (CBOR or a serialised
// Xapian document).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evidence::indexer {

enum class FrameType : std::uint8_t {
  kJob = 'J',       // parent → worker: CBOR ExtractionJob
  kOpened = 'O',    // worker → parent: CBOR {pages}
  kLanguage = 'L',  // worker → parent: CBOR result header (language, metadata), once the
                    // first part has found its language, before its first page
  kPage = 'P',      // worker → parent: serialised page record (one per page, in order)
  kDone = 'D',      // worker → parent: CBOR result with the serialised document record
  kFailed = 'F',    // worker → parent: CBOR {code, message}
};

/// Largest frame accepted; a bigger length means a corrupt stream.
inline constexpr std::uint32_t kMaxFrameSize = 1U << 30;

/// Writes a whole frame to a blocking descriptor; false when the peer is gone.
bool write_frame(int fd, FrameType type, std::string_view payload);

struct Frame {
  FrameType type;
  std::string payload;
};

/// Reassembles frames from bytes read in arbitrary pieces.
class FrameReader {
 public:
  void append(const char* data, std::size_t size) { buffer_.append(data, size); }
  /// The next complete frame, if any; sets corrupt() on an impossible length.
  std::optional<Frame> next();
  bool corrupt() const { return corrupt_; }

 private:
  std::string buffer_;
  std::size_t offset_ = 0;
  bool corrupt_ = false;
};

/// Reads one frame from a blocking descriptor (the worker's side); nullopt at end of input.
std::optional<Frame> read_frame(int fd);

}  // namespace evidence::indexer
