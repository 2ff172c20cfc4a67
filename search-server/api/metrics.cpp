#include "metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace evidence::server {

namespace {

// A number as Prometheus reads it ("+Inf" for the last bucket).
std::string number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

std::string header(std::string_view name, std::string_view type, std::string_view help) {
  return "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " + std::string(name) + " " +
         std::string(type) + "\n";
}

// A label value with \, " and newlines escaped.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void RequestMetrics::record(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  Durations& durations = durations_[std::string(route)];
  ++durations.count;
  durations.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++durations.buckets[i];
      break;
    }
  }
}

std::string RequestMetrics::render() const {
  std::lock_guard lock(mutex_);
  std::string text = header("evidence_http_requests_total", "counter", "HTTP requests answered, by route and status.");
  for (const auto& [key, count] : requests_) {
    text += "evidence_http_requests_total{route=\"" + label(key.first) + "\",code=\"" + std::to_string(key.second) +
            "\"} " + std::to_string(count) + "\n";
  }
  text += header("evidence_http_request_duration_seconds", "histogram",
                 "Time from a request's header to its answer, by route (a PDF: until its first byte is queued).");
  for (const auto& [route, durations] : durations_) {
    std::string labels = "route=\"" + label(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += durations.buckets[i];
      text += "evidence_http_request_duration_seconds_bucket{" + labels + ",le=\"" + number(kBuckets[i]) + "\"} " +
              std::to_string(cumulative) + "\n";
    }
    text += "evidence_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
            std::to_string(durations.count) + "\n";
    text += "evidence_http_request_duration_seconds_sum{" + labels + "} " + number(durations.sum) + "\n";
    text += "evidence_http_request_duration_seconds_count{" + labels + "} " + std::to_string(durations.count) + "\n";
  }
  return text;
}

std::string gauges_text(const IndexHealth& health, std::size_t open_connections) {
  bool up = health.status != IndexStatus::kUnavailable;
  std::string text = header("evidence_index_up", "gauge", "1 when searches can be answered (some shard answers).");
  text += "evidence_index_up " + std::string(up ? "1" : "0") + "\n";
  text += header("evidence_index_documents", "gauge", "Documents searchable.");
  text += "evidence_index_documents " + std::to_string(health.documents) + "\n";
  text += header("evidence_index_pages", "gauge", "Pages searchable.");
  text += "evidence_index_pages " + std::to_string(health.pages) + "\n";
  if (health.shards) {
    text += header("evidence_shard_up", "gauge", "1 when the shard answers.");
    for (const auto& shard : *health.shards) {
      text += "evidence_shard_up{shard=\"" + label(shard.name) + "\"} " + (shard.answers ? "1" : "0") + "\n";
    }
    text += header("evidence_shard_documents", "gauge", "Documents of each shard that answers.");
    for (const auto& shard : *health.shards) {
      if (shard.answers) {
        text += "evidence_shard_documents{shard=\"" + label(shard.name) + "\"} " +
                std::to_string(shard.documents) + "\n";
      }
    }
  }
  text += header("evidence_http_connections_open", "gauge", "Client connections open now.");
  text += "evidence_http_connections_open " + std::to_string(open_connections) + "\n";
  return text;
}

std::string process_text() {
  std::string text;
  long pages = 0;
  long resident = 0;
  if (std::ifstream statm("/proc/self/statm"); statm >> pages >> resident) {
    text += header("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    text += "process_resident_memory_bytes " + std::to_string(resident * ::sysconf(_SC_PAGESIZE)) + "\n";
  }
  if (DIR* fds = ::opendir("/proc/self/fd")) {
    long open = 0;
    while (const dirent* entry = ::readdir(fds)) {
      if (entry->d_name[0] != '.') ++open;
    }
    ::closedir(fds);
    text += header("process_open_fds", "gauge", "Number of open file descriptors.");
    text += "process_open_fds " + std::to_string(open - 1) + "\n";  // not the one reading the folder
  }
  return text;
}

}  // namespace evidence::server
