// Fuzz target: multipart/form-data parsing as the bytes arrive (search-server/write/
// multipart.cpp), which reads upload bodies from the network. Properties: nothing throws;
// the parts and the outcome do not depend on how the body is cut into pieces (the first
// input byte chooses the piece size); the only parser error is kInvalidArgument with a
// message; and a body written here from parts taken from the input (the rest of the input
// split at 0xFF bytes: names, file names with quotes and backslashes, content types,
// transport padding, a boundary found in none of them) parses back to exactly those parts,
// whole and in pieces.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "multipart.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;
using evidence::server::MultipartParser;
using evidence::server::PartHandler;
using evidence::server::PartHeaders;

struct Recorder : PartHandler {
  std::vector<std::string> parts;
  std::string current;
  bool open = false;
  core::Status begin_part(const PartHeaders& headers) override {
    check(!open, "parts do not nest");
    check(!headers.name.empty(), "a part has a name");
    open = true;
    current = headers.name + "\n" + headers.filename.value_or("") + "\n" + headers.content_type + "\n";
    return {};
  }
  core::Status part_data(std::string_view bytes) override {
    check(open, "data belongs to a part");
    current.append(bytes);
    return {};
  }
  core::Status end_part() override {
    check(open, "a part ends once");
    open = false;
    parts.push_back(current);
    return {};
  }
};

struct Outcome {
  bool ok;
  std::string error;
  std::vector<std::string> parts;
};

Outcome parse(std::string_view body, std::size_t piece, const std::string& boundary = "fz") {
  MultipartParser parser(boundary);
  Recorder recorder;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    auto status = parser.feed(body.substr(at, piece), recorder);
    if (!status) {
      check(status.error().code == core::ErrorCode::kInvalidArgument,
            "the only parser error is kInvalidArgument");
      check(!status.error().message.empty(), "an error has a message");
      return {false, status.error().message, recorder.parts};
    }
  }
  auto done = parser.finish();
  return {done.ok(), done.ok() ? "" : done.error().message, recorder.parts};
}

// A quoted-string as RFC 2045 writes it: a backslash before '"' and '\\'.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\r' || c == '\n' ? '_' : c;
  }
  return out + "\"";
}

// The input's bytes split at 0xFF into the data of up to kMaxParts parts, written as a
// body as a browser would; parsing it must give those parts back.
void check_written_body(std::string_view input, std::size_t piece) {
  std::vector<std::string> data;
  for (std::size_t start = 0; start <= input.size() && data.size() < MultipartParser::kMaxParts;) {
    auto end = std::min(input.find('\xff', start), input.size());
    data.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::string boundary;
  for (unsigned n = 0; boundary.empty(); ++n) {
    std::string candidate = "fz" + std::to_string(n);
    bool unused = true;
    for (const auto& bytes : data) unused = unused && bytes.find("\r\n--" + candidate) == std::string::npos;
    if (unused) boundary = candidate;
  }
  std::string body;
  std::vector<std::string> expected;
  for (std::size_t k = 0; k < data.size(); ++k) {
    std::string name = "f" + std::to_string(k);
    std::string filename;
    body += "--" + boundary + (k % 3 == 2 ? " \t \r\n" : "\r\n");
    body += "Content-Disposition: form-data; name=" + (k % 2 == 0 ? name : quoted(name));
    if (k % 2 == 1) {
      std::string_view raw = std::string_view(data[k]).substr(0, 12);
      body += "; filename=" + quoted(raw) + "\r\nContent-Type: Application/PDF; x=y";
      filename = raw;
      std::replace_if(
          filename.begin(), filename.end(), [](char c) { return c == '\r' || c == '\n'; }, '_');
    }
    body += "\r\n\r\n" + data[k] + "\r\n";
    expected.push_back(name + "\n" + filename + "\n" + (k % 2 == 1 ? "application/pdf" : "") + "\n" +
                       data[k]);
  }
  body += "--" + boundary + "--\r\n";
  for (std::size_t size : {body.size() + 1, piece}) {
    Outcome written = parse(body, size, boundary);
    check(written.ok, "a written body parses");
    check(written.parts == expected, "a written body gives back its parts");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t piece = 1 + data[0] % 17;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  evidence::fuzz::without_exceptions([&] {
    Outcome whole = parse(body, body.size() + 1);
    Outcome pieces = parse(body, piece);
    check(whole.ok == pieces.ok, "the outcome does not depend on the pieces");
    check(whole.error == pieces.error, "the error does not depend on the pieces");
    check(whole.parts == pieces.parts, "the parts do not depend on the pieces");
    check_written_body(body, piece);
  });
  return 0;
}
