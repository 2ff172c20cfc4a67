#include "worker_protocol.hpp"

#include <unistd.h>

#include <cerrno>

namespace evidence::indexer {

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::uint32_t decode_length(const char* p) {
  auto b = [p](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
  return b(1) | (b(2) << 8) | (b(3) << 16) | (b(4) << 24);
}

}  // namespace

bool write_frame(int fd, FrameType type, std::string_view payload) {
  char header[5];
  auto length = static_cast<std::uint32_t>(payload.size());
  header[0] = static_cast<char>(type);
  for (int i = 0; i < 4; ++i) header[1 + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return write_all(fd, header, sizeof header) && write_all(fd, payload.data(), payload.size());
}

std::optional<Frame> FrameReader::next() {
  if (corrupt_ || buffer_.size() - offset_ < 5) return std::nullopt;
  const char* header = buffer_.data() + offset_;
  std::uint32_t length = decode_length(header);
  if (length > kMaxFrameSize) {
    corrupt_ = true;
    return std::nullopt;
  }
  if (buffer_.size() - offset_ < 5 + std::size_t{length}) return std::nullopt;
  Frame frame{static_cast<FrameType>(header[0]), buffer_.substr(offset_ + 5, length)};
  offset_ += 5 + std::size_t{length};
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ > (1U << 20)) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  return frame;
}

std::optional<Frame> read_frame(int fd) {
  char header[5];
  if (!read_all(fd, header, sizeof header)) return std::nullopt;
  std::uint32_t length = decode_length(header);
  if (length > kMaxFrameSize) return std::nullopt;
  std::string payload(length, '\0');
  if (!read_all(fd, payload.data(), length)) return std::nullopt;
  return Frame{static_cast<FrameType>(header[0]), std::move(payload)};
}

}  // namespace evidence::indexer
