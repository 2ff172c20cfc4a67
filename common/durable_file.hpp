#pragma once
// Writing files so that a crash leaves the old content or the new, never half: whole
// writes, a temporary file beside the target, fsync, rename, fsync of the folder. Used for
// the token file, sidecars written by the server, and uploads moved into the corpus.

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "error.hpp"

namespace evidence::core {

/// Writes all of bytes to fd (retrying short writes and EINTR); kIo naming path otherwise.
Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path);

/// Makes the entries of folder (a new file, a rename) survive a crash.
Status sync_folder(const std::filesystem::path& folder);

/// Replaces path with bytes atomically and durably, the file created with mode. The
/// temporary file is hidden (".NAME.XXXXXX"), so the corpus scan passes it by.
Status replace_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode);

/// Renames from to to (creating to's folder) and syncs both folders.
Status move_file(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace evidence::core
