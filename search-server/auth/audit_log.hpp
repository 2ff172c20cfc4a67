#pragma once
// The audit log: one JSON line per write action (who, what, which document, which file),
// appended and synced before the action is reported done, and one per read of a document
// not open to everyone (who, which document, which route), appended before the answer is
// sent. For the upload, edit and withdraw routes and the application's audit of reads
// (app/application.cpp); no sockets here.

#include <chrono>
#include <filesystem>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "error.hpp"

namespace evidence::server {

enum class AuditAction { kAdd, kEdit, kWithdraw, kRead };

/// "add", "edit", "withdraw" or "read".
const char* audit_action_name(AuditAction action);

struct AuditEntry {
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  std::string token;     // the token's name, never the token
  AuditAction action = AuditAction::kAdd;
  std::string document;  // the document id
  std::string sha256;    // a write: hex SHA-256 of the PDF
  std::string client{};  // the address the request came from; empty: not recorded
  nlohmann::json changes{};  // an edit: {"field": {"from": old, "to": new}} (see WriteOutcome)
  std::string route{};       // a read: the route's name in the route table ("page", "pdf")
};

/// {"time", "token", "action", "document"} as one line of JSON, with the newline; "sha256",
/// "route", "client" and "changes" too when they are set.
std::string audit_line(const AuditEntry& entry);

class AuditLog {
 public:
  /// Opens (creating, mode 0600) the log for appending; kIo when it cannot.
  static core::Result<AuditLog> open(const std::filesystem::path& path);
  ~AuditLog();
  AuditLog(AuditLog&& other) noexcept;
  AuditLog& operator=(AuditLog&& other) noexcept;
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  /// Appends the entry's line with one write() and fsyncs it. Thread-safe: O_APPEND keeps
  /// lines from different threads and processes whole.
  core::Status record(const AuditEntry& entry);
  /// Appends the entries' lines with one write(), not synced: the reads of one answer, so
  /// that a member's search costs one system call. Lines a returned write() holds survive a
  /// crash of the server (they are in the kernel's cache), not a crash of the machine.
  core::Status append(std::span<const AuditEntry> entries);
  const std::filesystem::path& path() const { return path_; }

 private:
  AuditLog(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  core::Status write_whole(const std::string& lines);
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace evidence::server
