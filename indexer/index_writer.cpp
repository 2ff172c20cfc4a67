#include "index_writer.hpp"

#include <chrono>

namespace evidence::indexer {

using core::Error;
using core::ErrorCode;

namespace {
// How much extracted text may wait for the writer before extraction is held back.
constexpr std::size_t kMaxQueuedPages = 20000;
constexpr auto kMaxBatchAge = std::chrono::seconds(30);
}  // namespace

IndexWriter::IndexWriter(Xapian::WritableDatabase database, std::size_t batch_pages)
    : database_(std::move(database)), batch_pages_(batch_pages), thread_([this] { loop(); }) {}

IndexWriter::~IndexWriter() {
  if (thread_.joinable()) (void)finish();
}

bool IndexWriter::submit(Change change, std::size_t pages) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || queued_pages_ < kMaxQueuedPages || queue_.empty(); });
  if (error_) return false;
  queued_pages_ += pages;
  queue_.emplace_back(std::move(change), pages);
  changed_.notify_all();
  return true;
}

core::Status IndexWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (error_) return *error_;
  return {};
}

void IndexWriter::loop() {
  std::size_t batch = 0;
  bool in_transaction = false;
  auto batch_started = std::chrono::steady_clock::now();
  try {
    while (true) {
      std::pair<Change, std::size_t> item;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) break;  // closing and drained
        item = std::move(queue_.front());
        queue_.pop_front();
        queued_pages_ -= item.second;
        changed_.notify_all();
      }
      if (!in_transaction) {
        database_.begin_transaction();
        in_transaction = true;
        batch = 0;
        batch_started = std::chrono::steady_clock::now();
      }
      item.first(database_);
      batch += item.second + 1;
      if (batch >= batch_pages_ || std::chrono::steady_clock::now() - batch_started > kMaxBatchAge) {
        database_.commit_transaction();
        in_transaction = false;
      }
    }
    if (in_transaction) database_.commit_transaction();
  } catch (const Xapian::Error& e) {
    std::lock_guard lock(mutex_);
    // kIndexUnavailable, not kIo: evidence-index exits 5 (index), not 3 (corpus), on a full disk.
    error_ = Error{ErrorCode::kIndexUnavailable, "cannot write the index: " + e.get_description()};
    queue_.clear();
    queued_pages_ = 0;
    changed_.notify_all();
  }
}

}  // namespace evidence::indexer
