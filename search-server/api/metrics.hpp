#pragma once
// GET /metrics in Prometheus' text format: requests by route and status, the time they
// took, and gauges read when asked (the index or each shard, open connections, the process).
// Knows nothing of sockets: the HTTP layer records each answer and asks for the text.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "results.hpp"

namespace evidence::server {

class RequestMetrics {
 public:
  /// Upper bounds of the time histogram's buckets, in seconds.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5};

  /// Counts one answer; thread-safe.
  void record(std::string_view route, int status, double seconds);
  /// The counters and histograms, in the text format.
  std::string render() const;

 private:
  struct Durations {
    std::uint64_t count = 0;
    double sum = 0;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Durations> durations_;
};

/// Gauges from the index's health (whether it answers, documents, pages, and each shard's
/// state; an index that cannot be read is IndexHealth{}) and the open connections, in the
/// text format.
std::string gauges_text(const IndexHealth& health, std::size_t open_connections);

/// The process's resident memory, open file descriptors and start time, in the text format
/// (the names Prometheus' own clients use).
std::string process_text();

}  // namespace evidence::server
