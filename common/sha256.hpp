#pragma once
// SHA-256 through OpenSSL's EVP interface (hardware-accelerated where the CPU has it).

#include <filesystem>
#include <string>
#include <string_view>

#include "error.hpp"

namespace evidence::core {

/// SHA-256 of bytes that arrive a piece at a time (an upload streamed to disk).
class Sha256 {
 public:
  Sha256();  // throws std::runtime_error if OpenSSL has no SHA-256
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  /// The hex digest of everything so far; call once, at the end.
  std::string hex();

 private:
  void* context_;  // EVP_MD_CTX
};

/// Hex SHA-256 of a file's content, read in large blocks.
Result<std::string> sha256_file(const std::filesystem::path& path);

/// Hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);

}  // namespace evidence::core
