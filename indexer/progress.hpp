#pragma once
// A one-line progress bar on a terminal: files, pages, rate and ETA.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace evidence::indexer {

class ProgressBar {
 public:
  /// Draws on stream only when enabled; otherwise every call does nothing.
  ProgressBar(std::FILE* stream, bool enabled);
  /// Starts the clock for this many files of this many bytes in all.
  void start(std::size_t files, std::uint64_t bytes);
  /// One file finished (extracted or failed); bytes is its size, for the ETA.
  void file_done(std::uint64_t bytes);
  void pages_done(std::size_t pages);
  /// Clears the line so that the summary starts on a clean one.
  void finish();

 private:
  void draw(bool force);

  std::FILE* stream_;
  bool enabled_;
  std::size_t files_total_ = 0;
  std::size_t files_done_ = 0;
  std::uint64_t bytes_total_ = 0;
  std::uint64_t bytes_done_ = 0;
  std::size_t pages_done_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace evidence::indexer
