#pragma once
// The single index writer: one thread applies a run's changes to the Xapian database in
// batches, each batch one transaction, so that a crash or a kill leaves the last committed
// batch readable. A write that fails stops the writer at once: failed() turns true, every
// later operation is refused, and the index keeps its last committed batch.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <xapian.h>

#include "error.hpp"
#include "records.hpp"

namespace evidence::indexer {

class IndexWriter {
 public:
  /// Starts the writer thread on an open database. A batch is committed once it holds
  /// `batch_pages` pages (each operation counts one more) or is 30 seconds old.
  IndexWriter(Xapian::WritableDatabase database, std::size_t batch_pages);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Each operation is queued and applied in the order given. It blocks while much extracted
  // text waits for the writer, and returns false once the writer has failed.

  /// Adds document `info.id` from its extracted record (a serialised Xapian document, which
  /// gets `info` as data) and page records, in place of any document of that id and of the
  /// documents `replaces` names; the remembered failures of its files are forgotten.
  bool add_document(core::DocumentInfo info, std::string record, std::vector<std::string> pages,
                    std::set<std::string> replaces);
  /// Stores `info` as the record of document `info.id` (its files changed, not its content).
  bool update_record(core::DocumentInfo info);
  /// Removes a document and its pages.
  bool remove_document(std::string id);
  /// Remembers that the corpus file `path` failed (`record`: the encoded failure), and removes
  /// the documents `replaces` names (what the index held for the file's earlier content).
  bool remember_failure(std::string path, std::string record, std::set<std::string> replaces);
  /// Forgets a remembered failure (the file is gone).
  bool forget_failure(std::string path);
  /// Records the index layout version; with `clear`, first removes every document (a rebuild).
  bool set_schema(std::string version, bool clear);
  /// Records the index's shard name.
  bool set_shard(std::string name);

  /// True once a write has failed: the run should stop; finish() returns the error.
  bool failed() const { return failed_.load(); }

  /// Applies what is queued, commits the last batch, stops the thread; the first write
  /// error, if any.
  core::Status finish();

 private:
  struct AddDocument {
    core::DocumentInfo info;
    std::string record;
    std::vector<std::string> pages;
    std::set<std::string> replaces;
  };
  struct UpdateRecord {
    core::DocumentInfo info;
  };
  struct RemoveDocument {
    std::string id;
  };
  struct RememberFailure {
    std::string path;
    std::string record;
    std::set<std::string> replaces;
  };
  struct ForgetFailure {
    std::string path;
  };
  struct SetSchema {
    std::string version;
    bool clear = false;
  };
  struct SetShard {
    std::string name;
  };
  using Change = std::variant<AddDocument, UpdateRecord, RemoveDocument, RememberFailure, ForgetFailure,
                              SetSchema, SetShard>;
  struct Queued {
    Change change;
    std::size_t pages = 0;
  };

  bool submit(Change change, std::size_t pages);
  std::optional<Queued> next_change();
  void loop();
  void stop_with(core::Error error);
  // On the writer thread: one change each.
  void apply(AddDocument& add);
  void apply(UpdateRecord& update);
  void apply(RemoveDocument& remove);
  void apply(RememberFailure& failure);
  void apply(ForgetFailure& forget);
  void apply(SetSchema& schema);
  void apply(SetShard& shard);

  Xapian::WritableDatabase database_;
  std::size_t batch_pages_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Queued> queue_;
  std::size_t queued_pages_ = 0;
  bool closing_ = false;
  std::optional<core::Error> error_;
  std::atomic<bool> failed_{false};
  std::thread thread_;
};

}  // namespace evidence::indexer
