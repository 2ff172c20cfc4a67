#include "progress.hpp"

#include <string>

namespace evidence::indexer {

using Clock = std::chrono::steady_clock;

ProgressBar::ProgressBar(std::FILE* stream, bool enabled) : stream_(stream), enabled_(enabled) {}

void ProgressBar::start(std::size_t files, std::uint64_t bytes) {
  files_total_ = files;
  bytes_total_ = bytes;
  files_done_ = 0;  // --watch starts one bar per pass
  bytes_done_ = 0;
  pages_done_ = 0;
  started_ = Clock::now();
  draw(true);
}

void ProgressBar::file_done(std::uint64_t bytes) {
  ++files_done_;
  bytes_done_ += bytes;
  draw(false);
}

void ProgressBar::pages_done(std::size_t pages) {
  pages_done_ += pages;
  draw(false);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::fprintf(stream_, "\r\033[K");
  std::fflush(stream_);
}

void ProgressBar::draw(bool force) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - started_).count();
  double fraction = files_total_ == 0 ? 1.0 : static_cast<double>(files_done_) / static_cast<double>(files_total_);
  // Time goes with bytes more than with files (the largest files are extracted first).
  double work = bytes_total_ == 0 ? fraction : static_cast<double>(bytes_done_) / static_cast<double>(bytes_total_);
  constexpr int kWidth = 24;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  double rate = elapsed > 0 ? static_cast<double>(pages_done_) / elapsed : 0;
  std::string eta = "--:--";
  if (work > 0 && work < 1.0) {
    auto remaining = static_cast<long>(elapsed / work * (1.0 - work));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", remaining / 60, remaining % 60);
    eta = buffer;
  }
  std::fprintf(stream_, "\r\033[K[%s] %zu/%zu files  %zu pages  %.0f pages/s  ETA %s", bar.c_str(),
               files_done_, files_total_, pages_done_, rate, eta.c_str());
  std::fflush(stream_);
}

}  // namespace evidence::indexer
