#pragma once
// Open-file and connection limits of the server: thousands of idle or slow clients must
// neither exhaust its file descriptors nor stop it from answering the others, and one
// client address must not take every connection slot.

#include <cstddef>
#include <memory>
#include <string>

namespace evidence::server {

/// Raises the soft limit on open files to the hard limit; returns the soft limit now in force.
std::size_t raise_open_file_limit();

/// The connections the server may hold open: max_connections, but never so many that the
/// descriptors left under open_file_limit fall below a reserve for index files and the like.
std::size_t connection_cap(std::size_t max_connections, std::size_t open_file_limit);

/// How many connections may be open at once.
struct ConnectionCaps {
  std::size_t total = 10000;                // from everyone
  std::size_t per_address = 512;            // from one client address (an IPv6 client: its /64)
  std::size_t unfinished_per_address = 64;  // from one address, not yet through their first
                                            // request header (a slow-header client's state)
};

/// The key a client address is counted under: the address itself, or for IPv6 its /64
/// network (one host commonly holds a whole /64). address is in text form ("127.0.0.1").
std::string address_key(const std::string& address);

class ConnectionSlot;

/// Counts open connections against the caps, in total and per client address.
class ConnectionLimit {
 public:
  explicit ConnectionLimit(ConnectionCaps caps);
  ~ConnectionLimit();

  /// A slot for a new connection from address (text form), or null when the server or
  /// that address is at a cap; then *refused says which (for the log).
  std::unique_ptr<ConnectionSlot> acquire(const std::string& address, std::string* refused);
  const ConnectionCaps& caps() const { return caps_; }
  /// Connections open now.
  std::size_t open() const;

 private:
  friend class ConnectionSlot;
  struct State;
  ConnectionCaps caps_;
  std::shared_ptr<State> state_;  // shared with the slots, which may outlive the limit
};

/// One connection's place under the limits, given back when destroyed.
class ConnectionSlot {
 public:
  ~ConnectionSlot();
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  /// The connection's first request header has arrived: it no longer counts as unfinished.
  void header_received();

 private:
  friend class ConnectionLimit;
  ConnectionSlot(std::shared_ptr<ConnectionLimit::State> state, std::string key)
      : state_(std::move(state)), key_(std::move(key)) {}
  std::shared_ptr<ConnectionLimit::State> state_;
  std::string key_;
  bool unfinished_ = true;
};

}  // namespace evidence::server
