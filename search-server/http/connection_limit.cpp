#include "connection_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

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

std::shared_ptr<void> ConnectionLimit::acquire() {
  std::size_t now = open_->fetch_add(1) + 1;
  if (now > cap_) {
    open_->fetch_sub(1);
    return nullptr;
  }
  // Points at the counter (never null, so that the slot tests true) and owns a reference to it.
  return std::shared_ptr<void>(open_.get(), [open = open_](void*) { open->fetch_sub(1); });
}

}  // namespace evidence::server
