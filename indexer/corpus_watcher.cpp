#include "corpus_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "corpus_scan.hpp"

namespace evidence::indexer {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

// Creation, writes, the end of a write, deletion, renames in and out, and metadata (touch).
constexpr std::uint32_t kFolderEvents = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                                        IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

}  // namespace

CorpusWatcher::CorpusWatcher(int fd, fs::path root, fs::path ignore)
    : fd_(fd), root_(std::move(root)), ignore_(std::move(ignore)) {}

CorpusWatcher::CorpusWatcher(CorpusWatcher&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      root_(std::move(other.root_)),
      ignore_(std::move(other.ignore_)),
      folders_(std::move(other.folders_)),
      being_written_(std::move(other.being_written_)),
      warnings_(std::move(other.warnings_)),
      root_gone_(other.root_gone_) {}

CorpusWatcher::~CorpusWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<CorpusWatcher> CorpusWatcher::open(const fs::path& root, const fs::path& ignore) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return Error{ErrorCode::kIo, "the corpus folder " + root.string() + " does not exist or is not a folder"};
  }
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kIo, std::string("cannot watch the corpus (inotify): ") + std::strerror(errno)};
  fs::path ignored = fs::weakly_canonical(ignore, ec);
  CorpusWatcher watcher(fd, canonical, ec ? ignore : ignored);
  watcher.watch_tree(canonical);
  if (watcher.folders_.empty()) {
    return Error{ErrorCode::kIo, "cannot watch the corpus folder " + root.string() + ": " +
                                     (watcher.warnings_.empty() ? "" : watcher.warnings_.front())};
  }
  return watcher;
}

void CorpusWatcher::watch_tree(const fs::path& dir) {
  if (dir == ignore_) return;
  int wd = ::inotify_add_watch(fd_, dir.c_str(), kFolderEvents);
  if (wd < 0) {
    if (errno != ENOENT && errno != ENOTDIR) warnings_.push_back(dir.string() + ": " + std::strerror(errno));
    return;
  }
  folders_[wd] = dir;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    // Symbolic links are not followed: the folders they lead to inside the corpus are watched there.
    if (it->is_directory(ec) && !it->is_symlink(ec) && !is_hidden_name(it->path().filename().native())) {
      watch_tree(it->path());
    }
  }
}

void CorpusWatcher::rewatch_all() {
  for (const auto& [wd, path] : folders_) ::inotify_rm_watch(fd_, wd);
  folders_.clear();
  being_written_.clear();
  watch_tree(root_);
}

bool CorpusWatcher::read_events() {
  bool changed = false;
  bool rewatch = false;
  alignas(inotify_event) char buffer[16 * 1024];
  while (true) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) break;  // EAGAIN: nothing more for now
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {  // events were lost: look at everything again
        changed = rewatch = true;
        continue;
      }
      auto folder = folders_.find(event->wd);
      if (folder == folders_.end()) continue;
      if (event->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        if (folder->second == root_) root_gone_ = true;
        changed = true;
        continue;
      }
      if (event->mask & IN_IGNORED) {
        folders_.erase(folder);
        continue;
      }
      std::string name = event->len > 0 ? std::string(event->name) : std::string();
      if (name.empty() || is_hidden_name(name)) continue;
      fs::path path = folder->second / name;
      if (path == ignore_) continue;
      changed = true;
      if (event->mask & IN_ISDIR) {
        if (event->mask & (IN_MOVED_FROM | IN_MOVED_TO)) rewatch = true;  // paths below it changed
        if (event->mask & IN_CREATE) watch_tree(path);
        continue;
      }
      // A file created or written is complete when closed; one moved in is complete already.
      if (event->mask & (IN_CREATE | IN_MODIFY)) being_written_.insert(path.native());
      if (event->mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)) being_written_.erase(path.native());
    }
  }
  if (rewatch) rewatch_all();
  return changed;
}

std::vector<std::string> CorpusWatcher::take_warnings() { return std::exchange(warnings_, {}); }

}  // namespace evidence::indexer
