#include "progress.hpp"

#include <string>

namespace evidence::indexer {

using Clock = std::chrono::steady_clock;

ProgressBar::ProgressBar(std::FILE* stream, bool enabled) : stream_(stream), enabled_(enabled) {}

void ProgressBar::start(std::size_t files) {
  files_total_ = files;
  started_ = Clock::now();
  draw(true);
}

void ProgressBar::file_done() {
  ++files_done_;
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
  constexpr int kWidth = 24;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  double rate = elapsed > 0 ? static_cast<double>(pages_done_) / elapsed : 0;
  std::string eta = "--:--";
  if (files_done_ > 0 && fraction < 1.0) {
    auto remaining = static_cast<long>(elapsed / fraction * (1.0 - fraction));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", remaining / 60, remaining % 60);
    eta = buffer;
  }
  std::fprintf(stream_, "\r\033[K[%s] %zu/%zu files  %zu pages  %.0f pages/s  ETA %s", bar.c_str(),
               files_done_, files_total_, pages_done_, rate, eta.c_str());
  std::fflush(stream_);
}

}  // namespace evidence::indexer
