// Fuzz target: request targets and their parameters (search-server/api/params.hpp).
// Properties: nothing throws; a parsed target's path, segments, names and values are
// valid UTF-8 (else the call is an error); parsing is deterministic; the parameter
// readers keep their promises (integers in range, no empty values from all_params);
// percent_decode() agrees with a naive decoder written here; decode(encode(x)) is x; and
// a target built by encoding segments and parameters taken from the input parses back
// to exactly those segments and parameters (or is refused when one of them is not UTF-8).

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// The reference: each '%' must be followed by two hex digits, read with strtol.
std::optional<std::string> naive_decode(std::string_view raw, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%') {
      std::string hex(raw.substr(i + 1, 2));
      if (hex.size() != 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
          !std::isxdigit(static_cast<unsigned char>(hex[1]))) {
        return std::nullopt;
      }
      out += static_cast<char>(std::strtol(hex.c_str(), nullptr, 16));
      i += 2;
    } else {
      out += plus_is_space && raw[i] == '+' ? ' ' : raw[i];
    }
  }
  return out;
}

void check_decode(std::string_view raw, bool plus_is_space) {
  auto decoded = evidence::server::percent_decode(raw, plus_is_space);
  auto expected = naive_decode(raw, plus_is_space);
  check(decoded.ok() == expected.has_value(), "percent_decode() refuses what the naive decoder refuses");
  if (decoded) {
    check(*decoded == *expected, "percent_decode() decodes as the naive decoder does");
  } else {
    check(decoded.error().code == ErrorCode::kInvalidArgument,
          "percent_decode() fails with kInvalidArgument");
  }
  std::string encoded = evidence::server::percent_encode(raw);
  for (char c : encoded) {
    check(std::isalnum(static_cast<unsigned char>(c)) ||
              std::string_view("-_.~%").find(c) != std::string_view::npos,
          "percent_encode() writes unreserved characters and escapes only");
  }
  auto round_trip = evidence::server::percent_decode(encoded, plus_is_space);
  check(round_trip.ok() && *round_trip == raw, "percent_decode(percent_encode(x)) is x");
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  for (std::size_t start = 0;;) {
    auto end = text.find(separator, start);
    pieces.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

// The input's first line as path segments (split on '/'), each further line as a parameter
// (name=value): encoded into a target, they must come back as they were.
void check_encoded_target(std::string_view raw) {
  auto lines = split(raw, '\n');
  Target expected;
  bool utf8 = true;
  std::string target;
  for (auto& segment : split(lines.front(), '/')) {
    if (segment.empty()) continue;
    utf8 = utf8 && evidence::core::is_valid_utf8(segment);
    target += "/" + evidence::server::percent_encode(segment);
    expected.path += "/" + segment;
    expected.segments.push_back(std::move(segment));
  }
  if (target.empty()) target = expected.path = "/";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto eq = lines[i].find('=');
    std::string name = lines[i].substr(0, eq);
    std::string value = eq == std::string::npos ? std::string() : lines[i].substr(eq + 1);
    utf8 = utf8 && evidence::core::is_valid_utf8(name) && evidence::core::is_valid_utf8(value);
    target += (i == 1 ? "?" : "&") + evidence::server::percent_encode(name) + "=" +
              evidence::server::percent_encode(value);
    expected.params.emplace(std::move(name), std::move(value));
  }
  auto parsed = evidence::server::parse_target(target);
  check(parsed.ok() == utf8, "an encoded target parses exactly when its parts are UTF-8");
  if (parsed) check(same_target(*parsed, expected), "an encoded target parses back to its parts");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([raw] {
    check_target(raw);
    check_decode(raw, true);
    check_decode(raw, false);
    check_encoded_target(raw);
  });
  return 0;
}
