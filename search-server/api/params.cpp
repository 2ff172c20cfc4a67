#include "params.hpp"

#include <charconv>

#include "text.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decoded text goes into JSON bodies and Xapian terms, so it must be UTF-8.
const char* const kNotUtf8 = "the request target is not UTF-8 once decoded";

}  // namespace

std::string percent_encode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || keep.find(ch) != std::string_view::npos;
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

core::Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
        return Error{ErrorCode::kInvalidArgument, "bad percent-escape in the request target"};
      }
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<Target> parse_target(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') {
    return Error{ErrorCode::kInvalidArgument, "the request target must start with '/'"};
  }
  auto question = raw.find('?');
  std::string_view path = raw.substr(0, question);
  if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  Target target;
  auto decoded = percent_decode(path, false);
  if (!decoded) return decoded.error();
  target.path = std::move(decoded).value();
  if (!core::is_valid_utf8(target.path)) return Error{ErrorCode::kInvalidArgument, kNotUtf8};
  std::size_t start = 1;
  while (start <= target.path.size()) {
    auto slash = target.path.find('/', start);
    if (slash == std::string::npos) slash = target.path.size();
    if (slash > start) target.segments.push_back(target.path.substr(start, slash - start));
    start = slash + 1;
  }
  if (question == std::string_view::npos) return target;
  std::string_view query = raw.substr(question + 1);
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key) return key.error();
    if (!value) return value.error();
    if (!core::is_valid_utf8(*key) || !core::is_valid_utf8(*value)) {
      return Error{ErrorCode::kInvalidArgument, kNotUtf8};
    }
    target.params.emplace(std::move(key).value(), std::move(value).value());
  }
  return target;
}

std::optional<std::string> param(const Target& target, const std::string& name) {
  auto [begin, end] = target.params.equal_range(name);
  if (begin == end) return std::nullopt;
  return std::prev(end)->second;
}

std::vector<std::string> all_params(const Target& target, const std::string& name) {
  std::vector<std::string> values;
  auto [begin, end] = target.params.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (!it->second.empty()) values.push_back(it->second);
  }
  return values;
}

core::Result<long long> int_param(const Target& target, const std::string& name, long long fallback,
                                  long long min, long long max) {
  auto text = param(target, name);
  if (!text) return fallback;
  long long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return Error{ErrorCode::kInvalidArgument, "parameter '" + name + "' must be a whole number from " +
                                                  std::to_string(min) + " to " + std::to_string(max)};
  }
  return value;
}

}  // namespace evidence::server
