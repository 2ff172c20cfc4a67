// Tests of search-server/api/params.hpp: percent-decoding, request targets, parameters.

#include <boost/test/unit_test.hpp>

#include <iterator>
#include <string>
#include <vector>

#include "params.hpp"

namespace {

using evidence::core::ErrorCode;
using evidence::server::int_param;
using evidence::server::param;
using evidence::server::parse_target;
using evidence::server::percent_decode;
using evidence::server::Target;

const std::string kBadEscape = "bad percent-escape in the request target";

template <class T>
std::string error_of(const evidence::core::Result<T>& result) {
  return result.ok() ? std::string() : result.error().message;
}

template <class T>
bool is_invalid_argument(const evidence::core::Result<T>& result) {
  return !result.ok() && result.error().code == ErrorCode::kInvalidArgument;
}

Target parsed(const std::string& raw) {
  auto target = parse_target(raw);
  BOOST_REQUIRE_MESSAGE(target.ok(), raw + ": " + error_of(target));
  return std::move(target).value();
}

std::vector<std::string> values_of(const Target& target, const std::string& name) {
  std::vector<std::string> values;
  auto [begin, end] = target.params.equal_range(name);
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  return values;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(params)

BOOST_AUTO_TEST_CASE(percent_escapes_are_decoded) {
  BOOST_TEST(*percent_decode("%41", false) == "A");
  BOOST_TEST(*percent_decode("%41%62c", false) == "Abc");
  BOOST_TEST(*percent_decode("caf%C3%A9", false) == "caf\xC3\xA9");
  BOOST_TEST(*percent_decode("%e9", false) == "\xE9");  // bytes, not checked as UTF-8
  BOOST_TEST(*percent_decode("%2B%25", true) == "+%");
  BOOST_TEST(*percent_decode("a%00b", false) == std::string("a\0b", 3));
  BOOST_TEST(*percent_decode("", false) == "");
}

BOOST_AUTO_TEST_CASE(plus_is_space_only_when_asked) {
  BOOST_TEST(*percent_decode("forced+labour", true) == "forced labour");
  BOOST_TEST(*percent_decode("forced+labour", false) == "forced+labour");
}

BOOST_AUTO_TEST_CASE(bad_escapes_fail) {
  for (const char* text : {"%4", "%zz", "%", "abc%", "%4g", "%g4", "a%2"}) {
    auto decoded = percent_decode(text, false);
    BOOST_TEST(is_invalid_argument(decoded), text);
    BOOST_TEST(error_of(decoded) == kBadEscape, text);
  }
}

BOOST_AUTO_TEST_CASE(path_segments_are_decoded) {
  Target target = parsed("/api/documents/caf%C3%A9%20report/pages/2");
  BOOST_TEST(target.path == "/api/documents/caf\xC3\xA9 report/pages/2");
  const std::vector<std::string> expected{"api", "documents", "caf\xC3\xA9 report", "pages", "2"};
  BOOST_TEST(target.segments == expected, boost::test_tools::per_element());
  BOOST_TEST(target.params.empty());
}

BOOST_AUTO_TEST_CASE(plus_in_path_is_not_a_space) {
  Target target = parsed("/a+b?q=a+b");
  BOOST_TEST(target.path == "/a+b");
  BOOST_TEST(*param(target, "q") == "a b");
}

BOOST_AUTO_TEST_CASE(empty_segments_are_skipped) {
  BOOST_TEST(parsed("/").segments.empty());
  BOOST_TEST(parsed("/").path == "/");
  const std::vector<std::string> expected{"api", "search"};
  BOOST_TEST(parsed("//api//search/").segments == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(query_parameters_are_decoded) {
  Target target = parsed("/api/search?q=forced+labour%21&country=gb");
  BOOST_TEST(target.path == "/api/search");
  BOOST_TEST(target.params.size() == 2U);
  BOOST_TEST(*param(target, "q") == "forced labour!");
  BOOST_TEST(*param(target, "country") == "gb");
  BOOST_TEST(!param(target, "limit").has_value());
}

BOOST_AUTO_TEST_CASE(repeated_parameters_are_all_kept) {
  Target target = parsed("/api/search?theme=prevention&q=x&theme=supply-chains&theme=");
  const std::vector<std::string> expected{"prevention", "supply-chains", ""};
  BOOST_TEST(values_of(target, "theme") == expected, boost::test_tools::per_element());
  BOOST_TEST(*param(target, "theme") == "");  // param() gives the last one
}

BOOST_AUTO_TEST_CASE(parameter_without_value_is_empty) {
  Target target = parsed("/api/search?debug&q=x&&");
  BOOST_TEST(target.params.size() == 2U);
  BOOST_REQUIRE(param(target, "debug").has_value());
  BOOST_TEST(*param(target, "debug") == "");
  BOOST_TEST(*param(target, "q") == "x");
}

BOOST_AUTO_TEST_CASE(encoded_names_and_separators) {
  Target target = parsed("/x?a%26b=c%3Dd&%71=1");
  BOOST_TEST(*param(target, "a&b") == "c=d");
  BOOST_TEST(*param(target, "q") == "1");
}

BOOST_AUTO_TEST_CASE(fragment_is_ignored) {
  Target target = parsed("/api/search?q=x#results");
  BOOST_TEST(*param(target, "q") == "x");
  BOOST_TEST(parsed("/healthz#top").path == "/healthz");
}

BOOST_AUTO_TEST_CASE(target_must_start_with_slash) {
  for (const char* raw : {"", "api/search", "http://localhost/api/search", "*"}) {
    auto target = parse_target(raw);
    BOOST_TEST(is_invalid_argument(target), raw);
    BOOST_TEST(error_of(target) == "the request target must start with '/'", raw);
  }
}

BOOST_AUTO_TEST_CASE(bad_escape_in_target_fails) {
  for (const char* raw : {"/api/%zz", "/api/search?q=%zz", "/api/search?%4=1", "/x?q=100%"}) {
    auto target = parse_target(raw);
    BOOST_TEST(is_invalid_argument(target), raw);
    BOOST_TEST(error_of(target) == kBadEscape, raw);
  }
}

// fuzz_request_target's UTF-8 property: decoded bytes that are not UTF-8 used to reach the
// handlers, which then searched for them and echoed them replaced by U+FFFD.
BOOST_AUTO_TEST_CASE(target_that_is_not_utf8_fails) {
  for (const char* raw : {"/api/search?q=%FF", "/api/search?q=caf\xE9", "/api/%C0%80", "/x?%ED%A0%80=1",
                          "/api/search?q=%E2%82"}) {
    auto target = parse_target(raw);
    BOOST_TEST(is_invalid_argument(target), raw);
    BOOST_TEST(error_of(target) == "the request target is not UTF-8 once decoded", raw);
  }
  BOOST_TEST(*param(parsed("/api/search?q=%E2%82%AC"), "q") == "\xE2\x82\xAC");
}

BOOST_AUTO_TEST_CASE(int_param_fallback_when_absent) {
  auto value = int_param(parsed("/api/search?q=x"), "limit", 10, 1, 100);
  BOOST_REQUIRE(value.ok());
  BOOST_TEST(*value == 10);
}

BOOST_AUTO_TEST_CASE(int_param_reads_values_in_range) {
  BOOST_TEST(*int_param(parsed("/s?limit=1"), "limit", 10, 1, 100) == 1);
  BOOST_TEST(*int_param(parsed("/s?limit=100"), "limit", 10, 1, 100) == 100);
  BOOST_TEST(*int_param(parsed("/s?limit=007"), "limit", 10, 1, 100) == 7);
  BOOST_TEST(*int_param(parsed("/s?n=-3"), "n", 0, -5, 5) == -3);
  BOOST_TEST(*int_param(parsed("/s?limit=5&limit=6"), "limit", 10, 1, 100) == 6);
}

BOOST_AUTO_TEST_CASE(int_param_rejects_bad_values) {
  const std::string message = "parameter 'limit' must be a whole number from 1 to 100";
  for (const char* raw : {"/s?limit=0", "/s?limit=101", "/s?limit=-1", "/s?limit=abc", "/s?limit=5x",
                          "/s?limit=", "/s?limit", "/s?limit=+5", "/s?limit=2.5", "/s?limit=%205",
                          "/s?limit=99999999999999999999"}) {
    auto value = int_param(parsed(raw), "limit", 10, 1, 100);
    BOOST_TEST(is_invalid_argument(value), raw);
    BOOST_TEST(error_of(value) == message, raw);
  }
}

BOOST_AUTO_TEST_CASE(int_param_message_names_the_parameter_and_range) {
  auto value = int_param(parsed("/s?offset=x"), "offset", 0, 0, 100000);
  BOOST_TEST(error_of(value) == "parameter 'offset' must be a whole number from 0 to 100000");
}

BOOST_AUTO_TEST_SUITE_END()
