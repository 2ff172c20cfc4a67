#pragma once
// Request targets: splitting path and query, percent-decoding, reading parameters.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace evidence::server {

/// A parsed request target: the decoded path segments and the query parameters.
struct Target {
  std::string path;                                   // decoded path, "/api/search"
  std::vector<std::string> segments;                  // decoded, split on '/'
  std::multimap<std::string, std::string> params;     // decoded query parameters
};

/// Percent-encodes every byte but the unreserved ones (RFC 3986) and those in `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = {});

/// Decodes %XX escapes (and '+' as space when plus_is_space); fails on a bad escape.
core::Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// Parses an origin-form request target ("/path?query"). Bad escapes, a path or parameter
/// that is not UTF-8 once decoded, or a target that does not start with '/' are
/// kInvalidArgument.
core::Result<Target> parse_target(std::string_view target);

/// The last value of a parameter, if present.
std::optional<std::string> param(const Target& target, const std::string& name);

/// Every non-empty value of a repeatable parameter, in order.
std::vector<std::string> all_params(const Target& target, const std::string& name);

/// An integer parameter in [min, max], or fallback when absent; kInvalidArgument otherwise.
core::Result<long long> int_param(const Target& target, const std::string& name, long long fallback,
                                  long long min, long long max);

}  // namespace evidence::server
