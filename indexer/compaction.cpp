#include "compaction.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "durable_file.hpp"
#include "indexer.hpp"

namespace evidence::indexer {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

// "var/index/" and "var/index" name the same folder; its siblings are named from "index".
fs::path without_trailing_slash(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  return normal.has_filename() ? normal : normal.parent_path();
}

// Where the two-rename fallback puts the old copy while the new one is moved in.
fs::path old_copy_sibling(const fs::path& index) {
  fs::path folder = without_trailing_slash(index);
  return folder.parent_path() / ("." + folder.filename().string() + ".compact-old");
}

std::uint64_t folder_bytes(const fs::path& folder) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      auto size = it->file_size(size_error);
      if (!size_error) bytes += size;
    }
  }
  return bytes;
}

// Xapian syncs what it writes, but the copy must be on disk before its name replaces the
// index's, whatever Xapian's settings: a crash after the exchange must find it whole.
core::Status sync_tree(const fs::path& folder) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    bool synced = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!synced)
      return Error{ErrorCode::kIo, "cannot sync " + it->path().string() + ": " + std::strerror(errno)};
  }
  if (ec) return Error{ErrorCode::kIo, "cannot read " + folder.string() + ": " + ec.message()};
  return core::sync_folder(folder);
}

// Puts `copy` at `index` and the index at `copy`'s name in one step, so that the path never
// lacks a whole index. Where the file system refuses the exchange (EINVAL: some network and
// FUSE file systems), two renames, with a moment in which the path is empty that
// clean_up_compaction() repairs after a crash.
core::Status exchange(const fs::path& copy, const fs::path& index, bool& exchanged) {
  if (::renameat2(AT_FDCWD, copy.c_str(), AT_FDCWD, index.c_str(), RENAME_EXCHANGE) == 0) {
    exchanged = true;
    return {};
  }
  if (errno != EINVAL && errno != ENOSYS) {
    return Error{ErrorCode::kIo,
                 "cannot put the compacted copy in place of " + index.string() + ": " + std::strerror(errno)};
  }
  exchanged = false;
  fs::path old_copy = old_copy_sibling(index);
  if (::rename(index.c_str(), old_copy.c_str()) != 0) {
    return Error{ErrorCode::kIo, "cannot move " + index.string() + " aside: " + std::strerror(errno)};
  }
  if (::rename(copy.c_str(), index.c_str()) != 0) {
    int error = errno;
    (void)::rename(old_copy.c_str(), index.c_str());
    return Error{ErrorCode::kIo,
                 "cannot put the compacted copy in place of " + index.string() + ": " + std::strerror(error)};
  }
  // The old copy takes the name the exchange would have given it, for the removal below.
  return ::rename(old_copy.c_str(), copy.c_str()) == 0
             ? core::Status{}
             : core::Status{ErrorCode::kIo,
                            "cannot rename " + old_copy.string() + ": " + std::strerror(errno)};
}

}  // namespace

fs::path compaction_sibling(const fs::path& index) {
  fs::path folder = without_trailing_slash(index);
  return folder.parent_path() / ("." + folder.filename().string() + ".compact");
}

void clean_up_compaction(const fs::path& index) {
  fs::path copy = compaction_sibling(index);
  fs::path old_copy = old_copy_sibling(index);
  std::error_code ec;
  if (!fs::exists(index, ec) && fs::exists(old_copy, ec)) {
    // A crash between the fallback's two renames: the copy was whole and synced before the
    // index was moved aside, so it goes in; without it, the old index goes back.
    bool copy_whole = fs::exists(copy / "iamglass", ec);
    (void)::rename((copy_whole ? copy : old_copy).c_str(), index.c_str());
  }
  fs::remove_all(copy, ec);
  fs::remove_all(old_copy, ec);
}

core::Result<CompactionReport> compact_locked(Xapian::WritableDatabase& locked, const fs::path& path,
                                              const CompactionHooks& hooks) {
  auto started = std::chrono::steady_clock::now();
  fs::path index = without_trailing_slash(path);
  fs::path copy = compaction_sibling(index);
  CompactionReport report;
  report.bytes_before = folder_bytes(index);
  try {
    // Another handle reads the committed revision; the lock stays with `locked`. Keeping
    // document ids lets a reader's cached ids and every stored link stay valid.
    Xapian::Database(index.string()).compact(copy.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    std::error_code ec;
    fs::remove_all(copy, ec);
    return Error{ErrorCode::kIndexUnavailable,
                 "cannot compact the index " + index.string() + ": " + e.get_description()};
  }
  if (core::Status synced = sync_tree(copy); !synced) {
    std::error_code ec;
    fs::remove_all(copy, ec);
    return synced.error();
  }
  report.bytes_after = folder_bytes(copy);
  if (hooks.before_swap) hooks.before_swap();
  if (core::Status swapped = exchange(copy, index, report.exchanged); !swapped) {
    std::error_code ec;
    fs::remove_all(copy, ec);
    return swapped.error();
  }
  (void)core::sync_folder(index.parent_path());
  // The lock was the old copy's; from the exchange on, writers open the compacted copy at
  // the path. Readers that still have the old copy's files open keep reading them after
  // they are removed, until they reopen.
  locked.close();
  std::error_code ec;
  fs::remove_all(copy, ec);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

core::Result<CompactionReport> compact_index(const fs::path& path, const CompactionHooks& hooks) {
  fs::path index = without_trailing_slash(path);
  std::error_code ec;
  if (!fs::exists(index, ec)) {
    clean_up_compaction(index);  // a crash may have left it moved aside
    if (!fs::exists(index, ec)) return Error{ErrorCode::kNotFound, "there is no index at " + index.string()};
  }
  if (!fs::exists(index / "iamglass", ec)) {
    return Error{ErrorCode::kNotFound, index.string() + " is not an index (no Xapian glass database in it)"};
  }
  auto locked = open_index(index, /*create=*/false);
  if (!locked) return locked.error();
  try {
    return compact_locked(*locked, index, hooks);
  } catch (const Xapian::Error& e) {
    return Error{ErrorCode::kIndexUnavailable,
                 "cannot compact the index " + index.string() + ": " + e.get_description()};
  }
}

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  if (bytes >= 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  } else {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  }
  return text;
}

}  // namespace evidence::indexer
