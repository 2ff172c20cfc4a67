#pragma once
// Compaction of a built index: Xapian's copy-on-write leaves about half of an index free
// between commits; a compacted copy drops that space. The copy is built beside the index
// while its write lock is held, then put in its place with one atomic exchange of the two
// folder names, so that the path always holds a whole index (the last good one or the
// compacted one) and no writer's change can land in the copy being dropped.

#include <cstdint>
#include <filesystem>
#include <functional>

#include <xapian.h>

#include "error.hpp"

namespace evidence::indexer {

/// What a compaction did.
struct CompactionReport {
  std::uint64_t bytes_before = 0;  // the index's files before
  std::uint64_t bytes_after = 0;   // the compacted copy's files
  double seconds = 0;
  bool exchanged = true;  // false: the file system refused an atomic exchange; two renames were used
};

/// Test hooks (null in production): called at the named moments while the lock is held.
struct CompactionHooks {
  std::function<void()> before_swap;  // the copy is built and synced, not yet in place
};

/// The folder a compaction of `index` builds its copy in (and, after the exchange, the old
/// copy until it is removed): a hidden sibling in the same parent, so on the same file system.
std::filesystem::path compaction_sibling(const std::filesystem::path& index);

/// Puts right what a compaction that crashed left: an index moved aside by the two-rename
/// fallback goes back to its path, and the sibling folder is removed. Call with the index's
/// write lock held, or when nothing is at the path.
void clean_up_compaction(const std::filesystem::path& index);

/// Compacts the index at `index`, whose write lock `locked` holds (a WritableDatabase open
/// on it, with nothing uncommitted); the lock is released (`locked` closed) before the old
/// copy is removed. Document ids stay the same.
core::Result<CompactionReport> compact_locked(Xapian::WritableDatabase& locked,
                                              const std::filesystem::path& index,
                                              const CompactionHooks& hooks = {});

/// Takes the write lock of the index at `index` and compacts it. kIndexLocked when another
/// writer holds it, kNotFound when there is no index at the path.
core::Result<CompactionReport> compact_index(const std::filesystem::path& index,
                                             const CompactionHooks& hooks = {});

/// "105.3 MiB": a size for a person.
std::string format_bytes(std::uint64_t bytes);

}  // namespace evidence::indexer
