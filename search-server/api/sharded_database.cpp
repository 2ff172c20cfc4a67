#include "sharded_database.hpp"

#include <filesystem>
#include <string_view>

#include "index_layout.hpp"
#include "read_scope.hpp"

namespace evidence::server {

namespace layout = core::layout;
using core::Error;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

ShardedDatabase::ShardedDatabase(ShardSet shards, std::chrono::milliseconds refresh_interval, SharedRevision* shared)
    : set_(std::move(shards)), refresh_interval_(refresh_interval), shared_(shared), states_(set_.shards.size()) {}

void SharedRevision::set_aside(std::size_t shard, SetAside why) {
  std::lock_guard lock(mutex_);
  set_aside_[shard] = std::move(why);
  changes_.fetch_add(1, std::memory_order_release);
}

std::optional<std::map<std::size_t, SharedRevision::SetAside>> SharedRevision::set_aside_since(std::uint64_t& seen) {
  if (changes_.load(std::memory_order_acquire) == seen) return std::nullopt;
  std::lock_guard lock(mutex_);
  seen = changes_.load(std::memory_order_acquire);
  return set_aside_;
}

void SharedRevision::saw(const std::string& uuid, Xapian::rev revision) {
  std::lock_guard lock(newest_mutex_);
  if (uuid == newest_uuid_ && revision <= newest_revision_) return;
  newest_uuid_ = uuid;
  newest_revision_ = revision;
  newest_changes_.fetch_add(1, std::memory_order_release);
}

bool SharedRevision::behind(const Xapian::Database& database, std::uint64_t& checked) {
  if (newest_changes_.load(std::memory_order_acquire) == checked) return false;
  std::string uuid = database.get_uuid();
  std::lock_guard lock(newest_mutex_);
  if (uuid != newest_uuid_ || database.get_revision() < newest_revision_) return true;
  checked = newest_changes_.load(std::memory_order_acquire);
  return false;
}

void ShardedDatabase::set_aside(std::size_t shard, const std::string& error) {
  State& state = states_[shard];
  state.database.reset();
  state.error = error;
  // A local folder costs nothing to look at again; a remote shard may cost a timeout, so
  // the other threads leave it alone too until it is due.
  state.retry_at = Clock::now();
  if (set_.shards[shard].remote()) {
    state.retry_at += set_.retry_interval;
    if (shared_ != nullptr) shared_->set_aside(shard, {state.retry_at, error});
  }
}

// What other threads found down since we last looked, and is not due again yet.
void ShardedDatabase::follow_set_aside() {
  if (shared_ == nullptr) return;
  auto set_aside = shared_->set_aside_since(set_aside_seen_);
  if (!set_aside) return;
  auto now = Clock::now();
  bool changed = false;
  for (const auto& [shard, why] : *set_aside) {
    State& state = states_[shard];
    if (why.until <= now || state.retry_at >= why.until) continue;
    state.retry_at = why.until;
    state.error = why.error;
    if (state.database) {
      state.database.reset();
      changed = true;
    }
  }
  if (changed) combine();
}

bool ShardedDatabase::open(std::size_t shard_index) {
  const Shard& shard = set_.shards[shard_index];
  states_[shard_index].database.reset();
  try {
    Xapian::Database database;
    if (shard.remote()) {
      database = Xapian::Remote::open(shard.host, shard.port, static_cast<unsigned>(set_.timeout.count()),
                                      static_cast<unsigned>(set_.connect_timeout.count()));
    } else {
      // A glass database, or a replica's stub (xapian-replicate keeps two copies behind one).
      if (!std::filesystem::exists(shard.index / "iamglass") && !std::filesystem::exists(shard.index / "XAPIANDB")) {
        set_aside(shard_index, shard.name.empty() ? "the index is not built yet; run evidence-index on the corpus"
                                                  : "no index at " + shard.index.string() + " yet");
        return false;
      }
      database = Xapian::Database(shard.index.string());
    }
    if (!shard.name.empty()) {
      // The shard must be the index evidence-index wrote under that name: its ids carry it.
      std::string stored = database.get_metadata(layout::kShardKey);
      if (stored != shard.name) {
        set_aside(shard_index, stored.empty() ? "the index is not a shard (build it with evidence-index --shard " +
                                                    shard.name + ")"
                                              : "the index is shard '" + stored + "', not '" + shard.name + "'");
        return false;
      }
    }
    states_[shard_index].database = std::move(database);
    states_[shard_index].error.clear();
    return true;
  } catch (const Xapian::Error& e) {
    set_aside(shard_index, (shard.remote() ? "cannot reach " + shard.address() + ": " : "the index cannot be opened: ") +
                               e.get_description());
    return false;
  }
}

void ShardedDatabase::combine() {
  ++generation_;
  members_.clear();
  Xapian::Database combined;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (!states_[i].database) continue;
    combined.add_database(*states_[i].database);
    members_.push_back(i);
  }
  if (members_.empty()) {
    combined_.reset();
  } else {
    combined_ = std::move(combined);
  }
  last_refresh_ = Clock::now();
}

void ShardedDatabase::reset() {
  ++generation_;
  for (auto& state : states_) state.database.reset();
  members_.clear();
  combined_.reset();
}

// A remote shard failed: a timeout sets it aside; a closed connection (xapian-tcpsrv ends
// idle ones) gets one fresh try first.
void ShardedDatabase::lost(std::size_t shard, const Xapian::NetworkError& error) {
  if (std::string_view(error.get_type()) == "NetworkTimeoutError") {  // Xapian's errors have no vtable
    set_aside(shard, "no answer from " + set_.shards[shard].address() + " within " +
                         std::to_string(set_.timeout.count()) + " ms: " + error.get_description());
  } else {
    (void)open(shard);
  }
}

void ShardedDatabase::recover(const Xapian::NetworkError& error) {
  // Xapian names the remote database an error comes from in its context.
  for (std::size_t i : members_) {
    const Shard& shard = set_.shards[i];
    if (shard.remote() && error.get_context() == "remote:tcp(" + shard.host + ":" + std::to_string(shard.port) + ")") {
      lost(i, error);
      combine();
      return;
    }
  }
  for (std::size_t i : std::vector<std::size_t>(members_)) {
    State& state = states_[i];
    if (!state.database) continue;
    try {
      state.database->reopen();  // a round trip to a remote shard
    } catch (const Xapian::NetworkError& e) {
      lost(i, e);
    } catch (const Xapian::Error& e) {
      set_aside(i, e.get_description());
    }
  }
  combine();
}

// The threads agree on the newest index only when the set is one local index: a remote
// shard does not tell its revision.
bool ShardedDatabase::follows_shared_revision() const {
  return shared_ != nullptr && set_.shards.size() == 1 && !set_.shards.front().remote();
}

bool ShardedDatabase::behind_shared_revision() {
  return follows_shared_revision() && combined_ && shared_->behind(*combined_, newest_checked_);
}

// Tells the other threads what this one opened, each time that changed. What it tells is
// what it just read at the index's path, so a new copy (after a compaction) replaces the
// one known, even at a lower revision.
void ShardedDatabase::follow_shared_revision() {
  if (!follows_shared_revision() || !combined_ || published_generation_ == generation_) return;
  shared_->saw(combined_->get_uuid(), combined_->get_revision());
  published_generation_ = generation_;
}

// Opens what is due, or reopens what is open. Xapian's reopen() follows a compaction too:
// it reads the index's path again and moves to the copy there, the new UUID and all.
void ShardedDatabase::refresh(Clock::time_point now) {
  bool reopened = false;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (!states_[i].database && now >= states_[i].retry_at) reopened |= open(i);
  }
  if (reopened || !combined_) {
    combine();
  } else {
    bool behind = behind_shared_revision();
    if (now - last_refresh_ >= refresh_interval_ || behind) {
      if (combined_->reopen()) ++generation_;  // picks up revisions committed since, on every shard
      last_refresh_ = now;
      // Another thread may have told an older copy after this one's (a race with the
      // compaction's exchange): what was just read at the path is the newest.
      if (behind) published_generation_ = 0;
    }
  }
  follow_shared_revision();
}

core::Result<Xapian::Database*> ShardedDatabase::get() {
  follow_set_aside();
  auto now = Clock::now();
  // A reader that opens the index in the instant a compaction exchanges the folders may read
  // the old copy's version file and the new copy's tables: one more try finds them alike.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      refresh(now);
      break;
    } catch (const Xapian::NetworkError& e) {
      recover(e);
      break;
    } catch (const Xapian::Error& e) {
      reset();
      if (attempt == 0 && !set_.networked()) continue;
      if (states_.size() == 1) states_.front().error = "the index cannot be opened: " + e.get_description();
      return Error{ErrorCode::kIndexUnavailable, "the index cannot be opened: " + e.get_description()};
    }
  }
  if (!combined_) {
    if (states_.size() == 1) return Error{ErrorCode::kIndexUnavailable, states_.front().error};
    std::string reasons;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      reasons += (reasons.empty() ? "" : "; ") + set_.shards[i].name + ": " + states_[i].error;
    }
    return Error{ErrorCode::kIndexUnavailable, "no shard answers (" + reasons + ")"};
  }
  return &*combined_;
}

const Shard& ShardedDatabase::shard_of(Xapian::docid docid) const {
  // Xapian interleaves the sub-databases' document ids: 1, 2, ... n are each one's first.
  return set_.shards[members_[(docid - 1) % members_.size()]];
}

ShardCoverage ShardedDatabase::coverage() const {
  ShardCoverage coverage;
  for (std::size_t i : members_) coverage.answered.push_back(set_.shards[i].name);
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (!states_[i].database) coverage.unavailable.push_back({set_.shards[i].name, states_[i].error});
  }
  return coverage;
}

std::vector<ShardHealth> ShardedDatabase::shard_health() {
  std::vector<ShardHealth> shards;
  bool changed = false;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const Shard& shard = set_.shards[i];
    ShardHealth health;
    health.name = shard.name;
    health.remote = shard.remote();
    health.address = shard.address();
    if (State& state = states_[i]; state.database) {
      try {
        // Public ones only: /healthz and /metrics are open to anyone.
        health.documents = public_records(*state.database, layout::kDocumentKindTerm);
        health.pages = public_records(*state.database, layout::kPageKindTerm);
        // Xapian's remote protocol does not carry the revision.
        if (!shard.remote()) health.revision = state.database->get_revision();
      } catch (const Xapian::Error& e) {
        set_aside(i, "cannot read it: " + e.get_description());
        changed = true;
      }
    }
    health.answers = states_[i].database.has_value();
    if (!health.answers) health.error = states_[i].error;
    shards.push_back(std::move(health));
  }
  if (changed) combine();
  return shards;
}

}  // namespace evidence::server
