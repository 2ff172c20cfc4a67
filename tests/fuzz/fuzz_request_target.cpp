// Fuzz target: request targets and their parameters (search-server/api/params.hpp).
// Properties: nothing throws; a parsed target's path, segments, names and values are
// valid UTF-8 (else the call is an error); parsing is deterministic; the parameter
// readers keep their promises (integers in range, no empty values from all_params).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.hpp"
#include "params.hpp"
#include "text.hpp"

namespace {

using evidence::core::ErrorCode;
using evidence::fuzz::check;
using evidence::server::Target;

bool same_target(const Target& a, const Target& b) {
  return a.path == b.path && a.segments == b.segments && a.params == b.params;
}

void check_readers(const Target& target) {
  for (const auto& [name, value] : target.params) {
    auto last = evidence::server::param(target, name);
    check(last.has_value(), "param() finds every parsed name");
    for (const auto& each : evidence::server::all_params(target, name)) {
      check(!each.empty(), "all_params() gives no empty value");
    }
    for (auto [min, max] : {std::pair{0LL, 100LL}, std::pair{1LL, 1000000LL}, std::pair{-5LL, 5LL}}) {
      auto number = evidence::server::int_param(target, name, min, min, max);
      if (number) {
        check(*number >= min && *number <= max, "int_param() stays in its range");
      } else {
        check(number.error().code == ErrorCode::kInvalidArgument, "int_param() fails with kInvalidArgument");
      }
    }
  }
  const std::string absent_name = "absent";
  if (target.params.count(absent_name) == 0) {
    auto absent = evidence::server::int_param(target, absent_name, 7, 0, 10);
    check(absent.ok() && *absent == 7, "int_param() gives the fallback when absent");
  }
}

void check_target(std::string_view raw) {
  auto first = evidence::server::parse_target(raw);
  auto second = evidence::server::parse_target(raw);
  check(first.ok() == second.ok(), "parse_target() is deterministic (ok)");
  if (!first) {
    check(first.error().code == ErrorCode::kInvalidArgument, "parse_target() fails with kInvalidArgument");
    check(!first.error().message.empty(), "an error has a message");
    check(first.error().message == second.error().message, "parse_target() is deterministic (message)");
    return;
  }
  check(same_target(*first, *second), "parse_target() is deterministic (value)");
  check(!first->path.empty() && first->path.front() == '/', "the path starts with '/'");
  check(evidence::core::is_valid_utf8(first->path), "the decoded path is UTF-8");
  for (const auto& segment : first->segments) {
    check(!segment.empty(), "segments are not empty");
    check(evidence::core::is_valid_utf8(segment), "decoded segments are UTF-8");
  }
  for (const auto& [name, value] : first->params) {
    check(evidence::core::is_valid_utf8(name), "decoded parameter names are UTF-8");
    check(evidence::core::is_valid_utf8(value), "decoded parameter values are UTF-8");
  }
  check_readers(*first);
}

void check_decode(std::string_view raw, bool plus_is_space) {
  auto decoded = evidence::server::percent_decode(raw, plus_is_space);
  if (decoded) {
    check(decoded->size() <= raw.size(), "decoding never makes text longer");
  } else {
    check(decoded.error().code == ErrorCode::kInvalidArgument, "percent_decode() fails with kInvalidArgument");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([raw] {
    check_target(raw);
    check_decode(raw, true);
    check_decode(raw, false);
  });
  return 0;
}
