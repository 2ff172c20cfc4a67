#include "audit_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "token_store.hpp"

namespace evidence::server {

const char* audit_action_name(AuditAction action) {
  switch (action) {
    case AuditAction::kAdd: return "add";
    case AuditAction::kEdit: return "edit";
    case AuditAction::kWithdraw: return "withdraw";
    case AuditAction::kRead:
      return "read";
  }
  return "add";
}

std::string audit_line(const AuditEntry& entry) {
  nlohmann::json line = {{"time", iso8601_utc(entry.time)},
                         {"token", entry.token},
                         {"action", audit_action_name(entry.action)},
                         {"document", entry.document}};
  if (!entry.sha256.empty()) line["sha256"] = entry.sha256;
  if (!entry.route.empty()) line["route"] = entry.route;
  if (!entry.client.empty()) line["client"] = entry.client;
  if (!entry.changes.is_null()) line["changes"] = entry.changes;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

core::Result<AuditLog> AuditLog::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return core::Error{core::ErrorCode::kIo, "cannot open " + path.string() + ": " + std::strerror(errno)};
  return AuditLog(path, fd);
}

AuditLog::~AuditLog() {
  if (fd_ >= 0) ::close(fd_);
}

AuditLog::AuditLog(AuditLog&& other) noexcept : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

AuditLog& AuditLog::operator=(AuditLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

core::Status AuditLog::write_whole(const std::string& lines) {
  ssize_t written = -1;
  do {
    written = ::write(fd_, lines.data(), lines.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) return {core::ErrorCode::kIo, "cannot write " + path_.string() + ": " + std::strerror(errno)};
  // A short write would leave half a line that a second write could not make atomic again.
  if (static_cast<std::size_t>(written) != lines.size()) {
    return {core::ErrorCode::kIo, "short write to " + path_.string() + " (disk full?)"};
  }
  return {};
}

core::Status AuditLog::append(std::span<const AuditEntry> entries) {
  std::string lines;
  for (const auto& entry : entries) lines += audit_line(entry);
  if (lines.empty()) return {};
  return write_whole(lines);
}

core::Status AuditLog::record(const AuditEntry& entry) {
  if (core::Status written = write_whole(audit_line(entry)); !written) return written;
  if (::fsync(fd_) != 0) return {core::ErrorCode::kIo, "cannot sync " + path_.string() + ": " + std::strerror(errno)};
  return {};
}

}  // namespace evidence::server
