#pragma once
// The single index writer: one thread applies changes to the Xapian database in batches,
// each batch one transaction, so a crash or kill leaves the last committed batch readable.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include <xapian.h>

#include "error.hpp"

namespace evidence::indexer {

class IndexWriter {
 public:
  using Change = std::function<void(Xapian::WritableDatabase&)>;

  /// Starts the writer thread on an open database.
  IndexWriter(Xapian::WritableDatabase database, std::size_t batch_pages);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  /// Queues a change worth `pages` pages towards the batch size; blocks while the queue is
  /// full. Returns false once the writer has failed (see finish()).
  bool submit(Change change, std::size_t pages);

  /// Applies what is queued, commits, stops the thread; the first write error, if any.
  core::Status finish();

 private:
  void loop();

  Xapian::WritableDatabase database_;
  std::size_t batch_pages_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<Change, std::size_t>> queue_;
  std::size_t queued_pages_ = 0;
  bool closing_ = false;
  std::optional<core::Error> error_;
  std::thread thread_;
};

}  // namespace evidence::indexer
