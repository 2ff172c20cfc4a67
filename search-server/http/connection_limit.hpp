#pragma once
// Open-file and connection limits of the server: thousands of idle or slow clients must
// neither exhaust its file descriptors nor stop it from answering the others.

#include <atomic>
#include <cstddef>
#include <memory>

namespace evidence::server {

/// Raises the soft limit on open files to the hard limit; returns the soft limit now in force.
std::size_t raise_open_file_limit();

/// The connections the server may hold open: max_connections, but never so many that the
/// descriptors left under open_file_limit fall below a reserve for index files and the like.
std::size_t connection_cap(std::size_t max_connections, std::size_t open_file_limit);

/// Counts open connections against a cap; a slot gives its place back when destroyed.
class ConnectionLimit {
 public:
  explicit ConnectionLimit(std::size_t cap) : cap_(cap), open_(std::make_shared<std::atomic<std::size_t>>(0)) {}
  /// A slot for a new connection, or null when cap connections are open already.
  std::shared_ptr<void> acquire();
  std::size_t cap() const { return cap_; }
  std::size_t open() const { return open_->load(); }

 private:
  std::size_t cap_;
  std::shared_ptr<std::atomic<std::size_t>> open_;
};

}  // namespace evidence::server
