#include "multipart.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace evidence::server {

using core::Error;
using core::ErrorCode;
using core::Status;

namespace {

using Parameters = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxBoundaryLineBytes = 256;  // "--boundary" + padding + CRLF

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 2045 token characters (what a parameter value may be without quotes).
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 8187 ext-value: UTF-8''percent%20encoded (other charsets are refused).
std::optional<std::string> decode_ext_value(std::string_view value) {
  auto quote = value.find("''");
  if (quote == std::string_view::npos || lower(value.substr(0, quote)) != "utf-8") return std::nullopt;
  std::string out;
  for (std::size_t i = quote + 2; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    if (i + 2 >= value.size() || hex_value(value[i + 1]) < 0 || hex_value(value[i + 2]) < 0) return std::nullopt;
    out += static_cast<char>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2]));
    i += 2;
  }
  return out;
}

// The parameters after the first ';' of a header value: name → value, names in lower case.
// Values are tokens or quoted strings (backslash escapes one character).
std::optional<Parameters> parameters(std::string_view text) {
  Parameters out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ';')) ++i;
    if (i == text.size()) break;
    std::size_t name_start = i;
    while (i < text.size() && is_token_char(text[i])) ++i;
    std::string name = lower(text.substr(name_start, i - name_start));
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (name.empty() || i == text.size() || text[i] != '=') return std::nullopt;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < text.size()) c = text[i++];
        value += c;
      }
      if (!closed) return std::nullopt;
    } else {
      std::size_t value_start = i;
      while (i < text.size() && is_token_char(text[i])) ++i;
      value = std::string(text.substr(value_start, i - value_start));
    }
    out.emplace_back(std::move(name), std::move(value));
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] != ';') return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data" || semicolon == std::string_view::npos) {
    return std::nullopt;
  }
  auto params = parameters(content_type.substr(semicolon + 1));
  if (!params) return std::nullopt;
  for (const auto& [name, value] : *params) {
    // RFC 2046: 1 to 70 characters, not ending with a space.
    if (name == "boundary" && !value.empty() && value.size() <= 70 && value.back() != ' ') return value;
  }
  return std::nullopt;
}

MultipartParser::MultipartParser(std::string boundary)
    : delimiter_("\r\n--" + std::move(boundary)),
      // The first boundary may open the body without a line break before it: start as if
      // one had been read.
      pending_("\r\n") {}

Status MultipartParser::fail(std::string message) {
  state_ = State::kFailed;
  pending_.clear();
  return Error{ErrorCode::kInvalidArgument, "malformed multipart/form-data body: " + std::move(message)};
}

Status MultipartParser::take_headers(std::string_view block, PartHandler& handler) {
  PartHeaders headers;
  bool disposition = false;
  while (!block.empty()) {
    auto end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail("a part header line without a name and a colon");
    std::string name = lower(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-type") {
      headers.content_type = lower(trim(value.substr(0, value.find(';'))));
    } else if (name == "content-disposition") {
      auto semicolon = value.find(';');
      if (lower(trim(value.substr(0, semicolon))) != "form-data") {
        return fail("a part's Content-Disposition is not form-data");
      }
      auto params = semicolon == std::string_view::npos ? std::optional<Parameters>(Parameters{})
                                                        : parameters(value.substr(semicolon + 1));
      if (!params) return fail("a part's Content-Disposition parameters cannot be read");
      std::optional<std::string> extended;
      for (auto& [param, text] : *params) {
        if (param == "name") headers.name = text;
        if (param == "filename") headers.filename = text;
        if (param == "filename*") extended = decode_ext_value(text);
      }
      if (extended) headers.filename = std::move(extended);
      disposition = true;
    }
  }
  if (!disposition || headers.name.empty()) {
    return fail("every part needs a Content-Disposition: form-data header with a name");
  }
  return handler.begin_part(headers);
}

// One loop over the parser's states (preamble, part headers, part data, epilogue), kept
// whole on purpose: each state hands the bytes it does not take to the next in the same
// pass, and split into functions the hand-over would need the loop's position threaded
// through each of them.
Status MultipartParser::feed(std::string_view bytes, PartHandler& handler) {
  if (state_ == State::kFailed) return Error{ErrorCode::kInvalidArgument, "malformed multipart/form-data body"};
  if (state_ == State::kEpilogue) return {};  // after the closing boundary: ignored (RFC 2046)
  pending_.append(bytes);
  while (true) {
    switch (state_) {
      case State::kPreamble: {
        auto at = pending_.find(delimiter_);
        if (at == std::string::npos) {
          // Keep only what may be the start of the first boundary.
          if (pending_.size() >= delimiter_.size()) pending_.erase(0, pending_.size() - (delimiter_.size() - 1));
          return {};
        }
        pending_.erase(0, at + delimiter_.size());
        state_ = State::kAfterBoundary;
        break;
      }
      case State::kAfterBoundary: {
        if (pending_.size() < 2) return {};
        if (pending_.compare(0, 2, "--") == 0) {
          state_ = State::kEpilogue;
          pending_.clear();
          return {};
        }
        // Only transport padding (spaces, tabs) may follow a boundary on its line. Each
        // check gives the same answer however the body is cut into pieces (fuzz_multipart).
        std::size_t end = pending_.find_first_not_of(" \t");
        if (end == std::string::npos ? pending_.size() > kMaxBoundaryLineBytes : end > kMaxBoundaryLineBytes) {
          return fail("a boundary line does not end");
        }
        if (end == std::string::npos || end + 1 == pending_.size()) return {};
        if (pending_.compare(end, 2, "\r\n") != 0) return fail("text after a boundary on its line");
        pending_.erase(0, end + 2);
        if (++parts_ > kMaxParts) return fail("more than " + std::to_string(kMaxParts) + " parts");
        state_ = State::kHeaders;
        break;
      }
      case State::kHeaders: {
        std::size_t block_end = 0;
        std::size_t skip = 0;
        if (pending_.compare(0, 2, "\r\n") == 0) {
          skip = 2;  // no headers at all; take_headers() says what is missing
        } else if (auto end = pending_.find("\r\n\r\n"); end != std::string::npos) {
          block_end = end;
          skip = end + 4;
        } else {
          // The blank line may still be arriving ("\r\n\r" so far): only when it can no
          // longer start within the limit are the headers too large.
          if (pending_.size() > kMaxHeaderBytes + 3) return fail("a part's headers are larger than 8 KiB");
          return {};
        }
        if (block_end > kMaxHeaderBytes) return fail("a part's headers are larger than 8 KiB");
        std::string block = pending_.substr(0, block_end);
        pending_.erase(0, skip);
        if (Status status = take_headers(block, handler); !status) {
          state_ = State::kFailed;
          return status;
        }
        state_ = State::kData;
        break;
      }
      case State::kData: {
        auto at = pending_.find(delimiter_);
        std::size_t usable = at != std::string::npos ? at
                             : pending_.size() >= delimiter_.size() ? pending_.size() - (delimiter_.size() - 1)
                                                                     : 0;
        if (usable > 0) {
          Status status = handler.part_data(std::string_view(pending_).substr(0, usable));
          if (!status) {
            state_ = State::kFailed;
            return status;
          }
        }
        if (at == std::string::npos) {
          pending_.erase(0, usable);
          return {};
        }
        pending_.erase(0, at + delimiter_.size());
        if (Status status = handler.end_part(); !status) {
          state_ = State::kFailed;
          return status;
        }
        state_ = State::kAfterBoundary;
        break;
      }
      case State::kEpilogue:
        pending_.clear();
        return {};
      case State::kFailed:
        return Error{ErrorCode::kInvalidArgument, "malformed multipart/form-data body"};
    }
  }
}

Status MultipartParser::finish() const {
  if (state_ == State::kEpilogue) return {};
  if (state_ == State::kFailed) return Error{ErrorCode::kInvalidArgument, "malformed multipart/form-data body"};
  return Error{ErrorCode::kInvalidArgument,
               "malformed multipart/form-data body: it ended before the closing boundary"};
}

}  // namespace evidence::server
