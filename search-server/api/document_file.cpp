#include "document_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

#include "error_responses.hpp"
#include "text.hpp"

namespace evidence::server {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A file of the document, open, with what it is now.
struct CorpusFile {
  std::shared_ptr<const OpenFile> file;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string name;        // the file name, for Content-Disposition
  bool as_indexed = false;  // same size and mtime as when it was indexed
};

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Opens one corpus file of the document, refusing anything that resolves (through "..",
// an absolute path or a symbolic link) outside the corpus, and anything not a regular file.
std::optional<CorpusFile> open_in_corpus(const fs::path& root, const core::FileStamp& stamp) {
  std::error_code ec;
  fs::path path = fs::weakly_canonical(root / stamp.path, ec);
  if (ec) return std::nullopt;
  fs::path relative = path.lexically_relative(root);
  if (relative.empty() || *relative.begin() == ".." || relative.is_absolute()) return std::nullopt;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  auto file = std::make_shared<const OpenFile>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  CorpusFile found{file, static_cast<std::uint64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                   fs::path(stamp.path).filename().string(), false};
  found.as_indexed = found.size == stamp.size && found.mtime_ns == stamp.mtime_ns;
  return found;
}

// The first file unchanged since indexing, else the first that is still there.
core::Result<CorpusFile> open_document_file(const core::DocumentInfo& document, const fs::path& corpus) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(corpus, ec);
  if (ec) return Error{ErrorCode::kIo, "the corpus folder cannot be read: " + ec.message()};
  std::optional<CorpusFile> changed;
  for (const auto& stamp : document.files) {
    auto file = open_in_corpus(root, stamp);
    if (file && file->as_indexed) return std::move(*file);
    if (file && !changed) changed = std::move(file);
  }
  if (changed) return std::move(*changed);
  return Error{ErrorCode::kNotFound, "the file of document '" + document.id + "' is no longer in the corpus"};
}

// Strong ETag: the indexed content hash while the file is as indexed; otherwise its size
// and modification time (which change whenever the file is rewritten).
std::string entity_tag(const core::DocumentInfo& document, const CorpusFile& file) {
  if (file.as_indexed && !document.sha256.empty()) return "\"" + document.sha256 + "\"";
  auto hex = [](auto value) {
    std::array<char, 24> buffer{};
    return std::string(buffer.data(), std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, 16).ptr);
  };
  return "\"" + hex(file.size) + "-" + hex(file.mtime_ns) + "\"";
}

// The entity tags of an If-None-Match or If-Range value; "*" is kept as "*".
std::vector<std::string> entity_tags(std::string_view value, bool keep_weak_prefix) {
  std::vector<std::string> tags;
  std::size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (c == ' ' || c == '\t' || c == ',') {
      ++i;
    } else if (c == '*') {
      tags.emplace_back("*");
      ++i;
    } else {
      bool weak = value.substr(i, 2) == "W/";
      std::size_t open = weak ? i + 2 : i;
      if (open >= value.size() || value[open] != '"') break;
      std::size_t close = value.find('"', open + 1);
      if (close == std::string_view::npos) break;
      tags.push_back((weak && keep_weak_prefix ? "W/" : "") + std::string(value.substr(open, close - open + 1)));
      i = close + 1;
    }
  }
  return tags;
}

// RFC 9110 13.1.2: If-None-Match compares weakly, and "*" matches any current file.
bool none_match(std::string_view value, const std::string& tag) {
  for (const auto& candidate : entity_tags(value, false)) {
    if (candidate == "*" || candidate == tag) return false;
  }
  return true;
}

// RFC 9110 13.1.5: the range is sent when If-Range names the current strong ETag or the
// exact Last-Modified date; otherwise the whole file is.
bool range_still_valid(const std::optional<std::string>& if_range, const std::string& tag, std::int64_t mtime) {
  if (!if_range) return true;
  std::string_view value = trim(*if_range);
  if (!value.empty() && (value.front() == '"' || value.substr(0, 2) == "W/")) {
    auto tags = entity_tags(value, true);
    return tags.size() == 1 && tags[0] == tag;
  }
  auto date = parse_http_date(value);
  return date && *date == mtime;
}

bool not_modified(const ApiRequest& request, const std::string& tag, std::int64_t mtime) {
  if (auto if_none_match = header(request, "if-none-match")) return !none_match(*if_none_match, tag);
  if (auto since = header(request, "if-modified-since")) {
    auto date = parse_http_date(trim(*since));
    return date && mtime <= *date;
  }
  return false;
}

}  // namespace

ByteRange parse_byte_range(std::string_view header_value, std::uint64_t size) {
  std::string_view value = trim(header_value);
  if (value.size() < 6 || value.find(',') != std::string_view::npos) return {};
  for (std::size_t i = 0; i < 5; ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != "bytes"[i]) return {};
  }
  value = trim(value.substr(5));
  if (value.empty() || value.front() != '=') return {};
  value = trim(value.substr(1));
  auto dash = value.find('-');
  if (dash == std::string_view::npos) return {};
  std::string_view first_text = trim(value.substr(0, dash));
  std::string_view last_text = trim(value.substr(dash + 1));
  if (first_text.empty()) {  // suffix: the last N bytes
    auto suffix = to_number(last_text);
    if (!suffix) return {};
    if (*suffix == 0 || size == 0) return {ByteRange::Kind::kUnsatisfiable};
    std::uint64_t length = std::min(*suffix, size);
    return {ByteRange::Kind::kPart, size - length, length};
  }
  auto first = to_number(first_text);
  if (!first) return {};
  std::optional<std::uint64_t> last;
  if (!last_text.empty()) {
    last = to_number(last_text);
    if (!last || *last < *first) return {};
  }
  if (*first >= size) return {ByteRange::Kind::kUnsatisfiable};
  std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return {ByteRange::Kind::kPart, *first, end - *first + 1};
}

std::string http_date(std::int64_t seconds_since_epoch) {
  namespace chrono = std::chrono;
  chrono::sys_seconds time{chrono::seconds(seconds_since_epoch)};
  chrono::sys_days day = chrono::floor<chrono::days>(time);
  chrono::year_month_day date{day};
  chrono::hh_mm_ss time_of_day{time - day};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[chrono::weekday(day).c_encoding()].data(), unsigned(date.day()),
                kMonths[unsigned(date.month()) - 1].data(), int(date.year()), int(time_of_day.hours().count()),
                int(time_of_day.minutes().count()), int(time_of_day.seconds().count()));
  return text;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) { return to_number(text.substr(at, length)); };
  auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2), second = number(23, 2);
  std::size_t month = 0;
  while (month < kMonths.size() && kMonths[month] != text.substr(8, 3)) ++month;
  if (!day || !year || !hour || !minute || !second || month == kMonths.size() || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':' || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  namespace chrono = std::chrono;
  chrono::year_month_day date{chrono::year(static_cast<int>(*year)), chrono::month(static_cast<unsigned>(month + 1)),
                              chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  auto time = chrono::sys_days(date) + chrono::hours(static_cast<long>(*hour)) +
              chrono::minutes(static_cast<long>(*minute)) + chrono::seconds(static_cast<long>(*second));
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

std::string content_disposition(const std::string& file_name) {
  static constexpr std::string_view kAttrChars = "!#$&+-.^_`|~";
  std::string fallback;
  std::string encoded;
  bool plain = true;
  for (char ch : file_name) {
    auto c = static_cast<unsigned char>(ch);
    bool printable = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    plain = plain && printable;
    fallback += printable ? ch : '_';
    if (std::isalnum(c) || kAttrChars.find(ch) != std::string_view::npos) {
      encoded += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      encoded += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  std::string out = "inline; filename=\"" + fallback + "\"";
  if (!plain && core::is_valid_utf8(file_name)) out += "; filename*=UTF-8''" + encoded;
  return out;
}

ApiResponse serve_document_file(const ApiRequest& request, const core::DocumentInfo& document,
                                const fs::path& corpus) {
  auto opened = open_document_file(document, corpus);
  if (!opened) return error_response(opened.error());
  CorpusFile& file = *opened;
  std::string tag = entity_tag(document, file);
  std::int64_t mtime = file.mtime_ns / 1'000'000'000;
  ApiResponse response{200, "application/pdf", {}, {}};
  response.headers = {{"ETag", tag},
                      {"Last-Modified", http_date(mtime)},
                      {"Cache-Control", kDocumentFileCacheControl},
                      {"Accept-Ranges", "bytes"}};
  if (not_modified(request, tag, mtime)) {
    response.status = 304;
    return response;
  }
  response.headers.emplace_back("Content-Disposition", content_disposition(file.name));
  ByteRange range;  // Range applies to GET only (RFC 9110 14.2)
  auto range_header = header(request, "range");
  if (request.method == "GET" && range_header && range_still_valid(header(request, "if-range"), tag, mtime)) {
    range = parse_byte_range(*range_header, file.size);
  }
  std::string size = std::to_string(file.size);
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    ApiResponse refused = error_response(416, "range_not_satisfiable",
                                         "the requested range is outside the file (" + size + " bytes)");
    refused.headers.emplace_back("Content-Range", "bytes */" + size);
    return refused;
  }
  response.file = FileBody{file.file, 0, file.size};
  if (range.kind == ByteRange::Kind::kPart) {
    response.status = 206;
    response.file->offset = range.first;
    response.file->length = range.length;
    response.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                       std::to_string(range.first + range.length - 1) + "/" + size);
  }
  return response;
}

}  // namespace evidence::server
