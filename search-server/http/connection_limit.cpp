#include "connection_limit.hpp"

#include <arpa/inet.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <unordered_map>

namespace evidence::server {

namespace {

// Descriptors kept for everything that is not a connection: index files (a few per thread),
// the corpus PDFs being sent, the thesaurus, tokens, logs.
constexpr std::size_t kReservedFiles = 128;

}  // namespace

std::size_t raise_open_file_limit() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    struct rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(1) << 20 : static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t connection_cap(std::size_t max_connections, std::size_t open_file_limit) {
  std::size_t available = open_file_limit > 2 * kReservedFiles ? open_file_limit - kReservedFiles : open_file_limit / 2;
  return std::max<std::size_t>(1, std::min(max_connections, available));
}

std::string address_key(const std::string& address) {
  std::array<unsigned char, 16> bytes{};
  if (address.find(':') == std::string::npos || ::inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) {
    return address;
  }
  // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d) is that IPv4 address.
  static constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) {
    char text[INET_ADDRSTRLEN];
    if (::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text) != nullptr) return text;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  char text[INET6_ADDRSTRLEN];
  if (::inet_ntop(AF_INET6, bytes.data(), text, sizeof text) == nullptr) return address;
  return std::string(text) + "/64";
}

struct ConnectionLimit::State {
  struct Counts {
    std::size_t open = 0;
    std::size_t unfinished = 0;
  };
  std::mutex mutex;
  std::size_t open = 0;
  std::unordered_map<std::string, Counts> by_address;  // only addresses with open connections
};

ConnectionLimit::ConnectionLimit(ConnectionCaps caps) : caps_(caps), state_(std::make_shared<State>()) {}
ConnectionLimit::~ConnectionLimit() = default;

std::unique_ptr<ConnectionSlot> ConnectionLimit::acquire(const std::string& address, std::string* refused) {
  std::string key = address_key(address);
  std::lock_guard lock(state_->mutex);
  if (state_->open >= caps_.total) {
    if (refused != nullptr) *refused = "connection limit of " + std::to_string(caps_.total) + " reached";
    return nullptr;
  }
  auto found = state_->by_address.find(key);
  if (found != state_->by_address.end()) {
    const State::Counts& counts = found->second;
    if (counts.open >= caps_.per_address) {
      if (refused != nullptr) {
        *refused = key + " holds " + std::to_string(counts.open) + " connections, its limit";
      }
      return nullptr;
    }
    if (counts.unfinished >= caps_.unfinished_per_address) {
      if (refused != nullptr) {
        *refused = key + " holds " + std::to_string(counts.unfinished) +
                   " connections that have not sent a request header, its limit";
      }
      return nullptr;
    }
  }
  State::Counts& counts = state_->by_address[key];
  ++counts.open;
  ++counts.unfinished;
  ++state_->open;
  return std::unique_ptr<ConnectionSlot>(new ConnectionSlot(state_, std::move(key)));
}

std::size_t ConnectionLimit::open() const {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}

void ConnectionSlot::header_received() {
  if (!unfinished_) return;
  unfinished_ = false;
  std::lock_guard lock(state_->mutex);
  --state_->by_address[key_].unfinished;
}

ConnectionSlot::~ConnectionSlot() {
  std::lock_guard lock(state_->mutex);
  --state_->open;
  auto found = state_->by_address.find(key_);
  if (found == state_->by_address.end()) return;
  if (unfinished_) --found->second.unfinished;
  if (--found->second.open == 0) state_->by_address.erase(found);
}

}  // namespace evidence::server
