#pragma once
// Watching a corpus folder for changes with inotify: every folder below it, new ones as
// they appear, except names that start with '.' (what the corpus scan passes over) and
// the index folder when it lies inside the corpus.

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "error.hpp"

namespace evidence::indexer {

class CorpusWatcher {
 public:
  /// Watches root and every folder below it; `ignore` (the index folder) is never watched.
  static core::Result<CorpusWatcher> open(const std::filesystem::path& root, const std::filesystem::path& ignore);
  ~CorpusWatcher();
  CorpusWatcher(CorpusWatcher&& other) noexcept;
  CorpusWatcher& operator=(CorpusWatcher&&) = delete;
  CorpusWatcher(const CorpusWatcher&) = delete;
  CorpusWatcher& operator=(const CorpusWatcher&) = delete;

  /// The inotify descriptor, readable when events are pending (for poll).
  int fd() const { return fd_; }

  /// Reads the pending events, watches new folders; true when one concerned the corpus.
  bool read_events();

  /// Files written to and not yet closed: a copy may still be in progress.
  std::size_t files_being_written() const { return being_written_.size(); }

  /// True once the corpus folder itself was deleted or moved away.
  bool root_gone() const { return root_gone_; }

  /// Folders that could not be watched (inotify limits), with the reason; cleared on read.
  std::vector<std::string> take_warnings();

 private:
  CorpusWatcher(int fd, std::filesystem::path root, std::filesystem::path ignore);
  void watch_tree(const std::filesystem::path& dir);
  void rewatch_all();

  int fd_ = -1;
  std::filesystem::path root_;
  std::filesystem::path ignore_;
  std::map<int, std::filesystem::path> folders_;  // watch descriptor → folder
  std::set<std::string> being_written_;           // files opened for writing, not yet closed
  std::vector<std::string> warnings_;
  bool root_gone_ = false;
};

}  // namespace evidence::indexer
