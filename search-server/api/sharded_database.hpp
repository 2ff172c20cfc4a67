#pragma once
// The shards of a ShardSet opened as one Xapian database (Xapian's own multi-database
// search, remote shards through its remote backend), for one server thread. A shard that
// fails or times out is set aside and tried again later; the others go on answering.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "error.hpp"
#include "results.hpp"
#include "shard_set.hpp"

namespace evidence::server {

/// What the threads of one server tell each other: the newest index any of them has seen
/// (so that none answers from an older one), and the shards one of them found down (so that
/// the others do not each wait for the same timeout). The newest index is a copy (its UUID:
/// a compaction puts a new copy, from revision 1, at the index's path) at a revision.
struct SharedRevision {
  /// Records that the database at the index's path, read just now, is copy `uuid` at
  /// `revision`: a later revision of the copy known, or another copy (which replaces it).
  void saw(const std::string& uuid, Xapian::rev revision);
  /// Whether `database` (one local index) is behind what a thread saw; `checked` is the
  /// caller's note of what it compared with last, so that most calls cost one atomic load.
  bool behind(const Xapian::Database& database, std::uint64_t& checked);
  struct SetAside {
    std::chrono::steady_clock::time_point until;
    std::string error;
  };
  /// Records that a shard is down until `until`.
  void set_aside(std::size_t shard, SetAside why);
  /// The shards set aside now, with the count of changes, when it differs from `seen`.
  std::optional<std::map<std::size_t, SetAside>> set_aside_since(std::uint64_t& seen);

 private:
  std::mutex mutex_;
  std::atomic<std::uint64_t> changes_{0};
  std::map<std::size_t, SetAside> set_aside_;
  std::mutex newest_mutex_;
  std::atomic<std::uint64_t> newest_changes_{0};
  std::string newest_uuid_;
  Xapian::rev newest_revision_ = 0;
};

class ShardedDatabase {
 public:
  /// refresh_interval: how often to look for new revisions; shared (may be null) links the
  /// threads of one server (used when the set is one local index).
  ShardedDatabase(ShardSet shards, std::chrono::milliseconds refresh_interval, SharedRevision* shared);

  /// The database of every shard that answers, opened, reopened or retried as due.
  core::Result<Xapian::Database*> get();
  /// After a Xapian::NetworkError: sets aside the shard the error names (its context), or
  /// else each shard that no longer answers.
  void recover(const Xapian::NetworkError& error);
  /// Reopen on the next get() (the index changed while it was read).
  void refresh_next() { last_refresh_ = {}; }
  /// Forget every open database (it could not be read).
  void reset();

  /// Changes whenever the database returned by get() may hold other records than before
  /// (opened again, a shard set aside or back, a new revision): what was read from it and
  /// kept is to be read again.
  std::uint64_t generation() const { return generation_; }
  /// The shard a document of the database returned by get() comes from.
  const Shard& shard_of(Xapian::docid docid) const;
  bool networked() const { return set_.networked(); }
  /// Which shards a result covers: those that answered, and those set aside with why.
  ShardCoverage coverage() const;
  /// Each shard: name, kind, address, and its size or why it does not answer.
  std::vector<ShardHealth> shard_health();

 private:
  struct State {
    std::optional<Xapian::Database> database;  // open and answering
    std::string error;                         // why not
    std::chrono::steady_clock::time_point retry_at;
  };
  bool open(std::size_t shard);
  void set_aside(std::size_t shard, const std::string& error);
  void combine();
  void refresh(std::chrono::steady_clock::time_point now);
  bool follows_shared_revision() const;
  bool behind_shared_revision();
  void follow_shared_revision();
  void follow_set_aside();
  void lost(std::size_t shard, const Xapian::NetworkError& error);

  ShardSet set_;
  std::chrono::milliseconds refresh_interval_;
  SharedRevision* shared_;
  std::uint64_t generation_ = 0;
  std::vector<State> states_;
  std::vector<std::size_t> members_;  // the shard of each sub-database of combined_, in order
  std::optional<Xapian::Database> combined_;
  std::chrono::steady_clock::time_point last_refresh_;
  std::uint64_t set_aside_seen_ = 0;
  std::uint64_t newest_checked_ = 0;        // SharedRevision::behind()'s note
  std::uint64_t published_generation_ = 0;  // the generation last told to SharedRevision
};

}  // namespace evidence::server
