#include "durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace evidence::core {

namespace fs = std::filesystem;

namespace {

Status io_error(const std::string& what, const fs::path& path) {
  return Error{ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(errno)};
}

}  // namespace

Status write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot write", path);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status sync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", folder);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("cannot sync", folder);
  return {};
}

Status replace_file(const fs::path& path, std::string_view bytes, mode_t mode) {
  fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot create " + folder.string() + ": " + ec.message()};
  std::string temporary = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temporary.data());  // mode 0600 until fchmod
  if (fd < 0) return io_error("cannot create a temporary file in", folder);
  Status written = write_all(fd, bytes, temporary);
  if (written && ::fchmod(fd, mode) != 0) written = io_error("cannot set the mode of", temporary);
  if (written && ::fsync(fd) != 0) written = io_error("cannot sync", temporary);
  if (::close(fd) != 0 && written) written = io_error("cannot write", temporary);
  if (written && ::rename(temporary.c_str(), path.c_str()) != 0) written = io_error("cannot replace", path);
  if (!written) {
    ::unlink(temporary.c_str());
    return written;
  }
  return sync_folder(folder);
}

Status move_file(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Error{ErrorCode::kIo, "cannot move " + from.string() + " to " + to.string() + ": " + std::strerror(errno)};
  }
  if (Status synced = sync_folder(to.parent_path()); !synced) return synced;
  return sync_folder(from.parent_path());
}

}  // namespace evidence::core
