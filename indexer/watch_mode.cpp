#include "watch_mode.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "corpus_watcher.hpp"
#include "indexer.hpp"
#include "text.hpp"

namespace evidence::indexer {

namespace {

using Clock = std::chrono::steady_clock;

// The signal handler's only channels: a lock-free flag and a pipe that wakes poll().
std::atomic<bool> g_stop{false};
int g_wake_fd = -1;

void on_stop_signal(int) {
  g_stop.store(true);
  if (g_wake_fd >= 0) {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(g_wake_fd, &byte, 1);
  }
}

// Catches SIGINT and SIGTERM for the life of the watch (no SA_RESTART: poll wakes up).
class StopSignals {
 public:
  StopSignals() {
    if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) pipe_[0] = pipe_[1] = -1;
    g_stop.store(false);
    g_wake_fd = pipe_[1];
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    g_wake_fd = -1;
    for (int fd : pipe_) {
      if (fd >= 0) ::close(fd);
    }
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  int fd() const { return pipe_[0]; }

 private:
  int pipe_[2] = {-1, -1};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// One line per pass, then a line per new failure (the remembered ones were told before).
void print_pass(std::FILE* out, bool json, int pass, const IndexSummary& s) {
  if (json) {
    nlohmann::json line = summary_to_json(s);
    line["pass"] = pass;
    line["time"] = utc_now();
    std::fprintf(out, "%s\n", line.dump().c_str());
    std::fflush(out);
    return;
  }
  std::fprintf(out,
               "pass %d at %s: %zu added, %zu updated, %zu removed, %zu unchanged, %zu failed; %zu pages "
               "extracted (%zu by OCR) in %.2f s; the index holds %zu documents, %zu pages%s\n",
               pass, utc_now().c_str(), s.added, s.updated, s.removed, s.unchanged, s.failed.size(),
               s.pages_extracted, s.pages_ocr, s.seconds, s.documents_in_index, s.pages_in_index,
               s.interrupted ? " (interrupted)" : "");
  if (s.compaction) std::fprintf(out, "  %s", compaction_to_text(*s.compaction).c_str());
  if (!s.compaction_problem.empty()) std::fprintf(out, "  not compacted: %s\n", s.compaction_problem.c_str());
  for (const auto& f : s.failed) {
    if (!f.remembered) std::fprintf(out, "  failed: %s: %s\n", core::printable(f.path).c_str(), core::printable(f.reason).c_str());
  }
  std::fflush(out);
}

// Waits for one of the descriptors or the timeout (negative: none); returns the poll result.
int wait_for(pollfd* fds, nfds_t count, Clock::duration timeout) {
  int ms = timeout < Clock::duration::zero()
               ? -1
               : static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
  int ready = ::poll(fds, count, ms);
  return ready < 0 && errno == EINTR ? 0 : ready;
}

// After a first event: waits until the corpus has been quiet for kWatchQuiet and no file
// is still being written (or one has not been written to for kWatchStalledWrite).
void wait_until_settled(CorpusWatcher& watcher, int stop_fd) {
  auto last_event = Clock::now();
  while (!g_stop.load() && !watcher.root_gone()) {
    auto quiet_for = watcher.files_being_written() > 0 ? kWatchStalledWrite : kWatchQuiet;
    auto left = last_event + quiet_for - Clock::now();
    if (left <= Clock::duration::zero()) return;
    pollfd fds[2] = {{watcher.fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    if (wait_for(fds, 2, left) > 0 && (fds[0].revents & POLLIN) && watcher.read_events()) last_event = Clock::now();
  }
}

// One pass of run_indexer(). While another process writes the index (the server taking an
// upload, another evidence-index), waits for it; nothing when a signal comes meanwhile.
std::optional<core::Result<IndexSummary>> run_pass(const IndexerConfig& config, ProgressBar& progress,
                                                   std::FILE* status, int stop_fd) {
  auto summary = run_indexer(config, progress, &g_stop);
  if (summary || summary.error().code != core::ErrorCode::kIndexLocked) return summary;
  std::fprintf(status, "the index is being written by another process; waiting for it\n");
  std::fflush(status);
  pollfd stop{stop_fd, POLLIN, 0};
  while (!g_stop.load()) {
    wait_for(&stop, 1, kWatchLockRetry);
    if (g_stop.load()) break;
    summary = run_indexer(config, progress, &g_stop);
    if (summary || summary.error().code != core::ErrorCode::kIndexLocked) break;
  }
  if (g_stop.load()) return std::nullopt;
  return summary;
}

}  // namespace

int run_watch(const IndexerConfig& config, ProgressBar& progress, std::FILE* out) {
  StopSignals signals;
  // With --json, stdout carries only the passes' JSON lines; the rest goes to stderr.
  std::FILE* status = config.json_summary ? stderr : out;
  auto watcher = CorpusWatcher::open(config.corpus, config.index);
  if (!watcher) {
    std::fprintf(stderr, "evidence-index: %s\n", watcher.error().message.c_str());
    return 3;
  }
  std::fprintf(status, "watching %s for changes (index %s); Ctrl-C or SIGTERM stops\n",
               core::printable(config.corpus.string()).c_str(), core::printable(config.index.string()).c_str());
  std::fflush(status);
  bool ocr_problem_told = false;
  int pass = 0;
  bool pending = true;  // the first pass brings the index up to date with the corpus
  while (!g_stop.load()) {
    for (const auto& warning : watcher->take_warnings()) {
      std::fprintf(stderr, "evidence-index: cannot watch %s\n", core::printable(warning).c_str());
    }
    if (watcher->root_gone()) {
      std::fprintf(stderr, "evidence-index: the corpus folder %s was removed or moved; stopping\n",
                   core::printable(config.corpus.string()).c_str());
      return 3;
    }
    if (pending) {
      auto outcome = run_pass(config, progress, status, signals.fd());
      if (!outcome) break;
      const auto& summary = *outcome;
      if (!summary) {
        std::fprintf(stderr, "evidence-index: %s\n", summary.error().message.c_str());
        if (summary.error().code != core::ErrorCode::kIo) return 5;
      } else {
        print_pass(out, config.json_summary, ++pass, *summary);
        if (!summary->ocr_problem.empty() && !ocr_problem_told) {
          std::fprintf(stderr, "evidence-index: OCR is off: %s\n", summary->ocr_problem.c_str());
          ocr_problem_told = true;
        }
      }
      pending = false;
    }
    pollfd fds[2] = {{watcher->fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
    if (wait_for(fds, 2, Clock::duration(-1)) > 0 && (fds[0].revents & POLLIN) && watcher->read_events()) {
      wait_until_settled(*watcher, signals.fd());
      pending = true;
    }
  }
  std::fprintf(status, "stopped\n");
  std::fflush(status);
  return 0;
}

}  // namespace evidence::indexer
