#pragma once
// API tokens: created with `evidence-server token add`, kept in a JSON file as SHA-256
// hashes only (a token is shown once, when it is made, and never stored in clear). The
// server verifies presented tokens against the file and re-reads it when it changes, so a
// revoke takes effect without a restart. No sockets here.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace evidence::server {

enum class Role { kReader, kEditor };

/// "reader" or "editor".
const char* role_name(Role role);
/// The role with that name, if any.
std::optional<Role> role_from_name(std::string_view name);

/// What the file records about a token; never the token itself.
struct TokenInfo {
  std::string name;
  Role role = Role::kReader;
  std::string created;  // ISO-8601 UTC, e.g. 2026-11-28T18:20:00Z
  std::string sha256;   // hex SHA-256 of the token
  std::vector<std::string> groups;  // the restricted documents' groups it may read
};

/// Who a verified token belongs to.
struct TokenIdentity {
  std::string name;
  Role role = Role::kReader;
  std::vector<std::string> groups;  // may read documents restricted to these groups
};

struct TokenStoreOptions {
  std::filesystem::path path = "var/tokens.json";  // the token file; missing means no tokens
  std::chrono::milliseconds check_interval{1000};  // how often verify() looks for a new file
};

/// Every token name starts with this, so a token is recognisable in logs and scanners.
inline constexpr std::string_view kTokenPrefix = "evl_";

class TokenStore {
 public:
  explicit TokenStore(TokenStoreOptions options);

  /// Makes a new random token for name (which must be new) and saves its hash; returns the
  /// token in clear, the only time it is available. groups: well-formed group names
  /// (core::is_valid_group_name) whose restricted documents the token may read.
  core::Result<std::string> add(const std::string& name, Role role, std::vector<std::string> groups = {});
  /// Removes name's token; kNotFound when there is none.
  core::Status revoke(const std::string& name);
  /// The tokens in the file, in the order they were added.
  core::Result<std::vector<TokenInfo>> list() const;

  /// The name and role of a presented token; kUnauthorized when it is malformed, unknown or
  /// revoked. Compares against every entry in constant time. Thread-safe.
  core::Result<TokenIdentity> verify(std::string_view presented);

  /// Why the file last failed to load (no token verifies then), or empty.
  std::string error();
  const std::filesystem::path& path() const { return options_.path; }

 private:
  struct FileStamp {
    bool exists = false;
    long long inode = 0, size = 0, mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  void load_if_changed();

  TokenStoreOptions options_;
  std::mutex mutex_;
  std::shared_ptr<const std::vector<TokenInfo>> tokens_;
  std::optional<FileStamp> loaded_;
  std::chrono::steady_clock::time_point last_check_{};
  std::string error_;
};

/// The tokens in a token file (none when it does not exist).
core::Result<std::vector<TokenInfo>> read_token_file(const std::filesystem::path& path);
/// Replaces the token file atomically (temporary file, fsync, rename), mode 0600.
core::Status write_token_file(const std::filesystem::path& path, const std::vector<TokenInfo>& tokens);

/// A time as ISO-8601 UTC with seconds: 2026-11-28T18:20:00Z.
std::string iso8601_utc(std::chrono::system_clock::time_point time);

}  // namespace evidence::server
