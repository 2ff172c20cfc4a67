#pragma once
// SHA-256 through OpenSSL's EVP interface (hardware-accelerated where the CPU has it).

#include <filesystem>
#include <string>
#include <string_view>

#include "error.hpp"

namespace evidence::core {

/// Hex SHA-256 of a file's content, read in large blocks.
Result<std::string> sha256_file(const std::filesystem::path& path);

/// Hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);

}  // namespace evidence::core
