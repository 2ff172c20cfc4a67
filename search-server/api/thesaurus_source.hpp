#pragma once
// The thesaurus file as the server sees it: read at start, and read again when staff edit
// it (its modification time is looked at no more than once a second). A file that no longer
// reads leaves the last good thesaurus in use, and the error is reported in /healthz.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "thesaurus.hpp"

namespace evidence::server {

class ThesaurusSource {
 public:
  /// An empty path means no thesaurus.
  explicit ThesaurusSource(std::filesystem::path path);

  /// The thesaurus in force; thread-safe.
  std::shared_ptr<const core::Thesaurus> current();
  /// Why the file last failed to load, or empty.
  std::string error();
  const std::filesystem::path& path() const { return path_; }

 private:
  void load_if_changed();

  std::filesystem::path path_;
  std::mutex mutex_;
  std::shared_ptr<const core::Thesaurus> thesaurus_;
  std::filesystem::file_time_type loaded_mtime_{};
  std::chrono::steady_clock::time_point last_check_{};
  std::string error_;
};

}  // namespace evidence::server
