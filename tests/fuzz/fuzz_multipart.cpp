// Fuzz target: multipart/form-data parsing as the bytes arrive (search-server/write/
// multipart.cpp), which reads upload bodies from the network. Properties: nothing throws;
// the parts and the outcome do not depend on how the body is cut into pieces (the first
// input byte chooses the piece size); the only parser error is kInvalidArgument with a
// message; the data of all parts never exceeds the body.

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

Outcome parse(std::string_view body, std::size_t piece) {
  MultipartParser parser("fz");
  Recorder recorder;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    auto status = parser.feed(body.substr(at, piece), recorder);
    if (!status) {
      check(status.error().code == core::ErrorCode::kInvalidArgument, "the only parser error is kInvalidArgument");
      check(!status.error().message.empty(), "an error has a message");
      return {false, status.error().message, recorder.parts};
    }
  }
  auto done = parser.finish();
  return {done.ok(), done.ok() ? "" : done.error().message, recorder.parts};
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
    std::size_t bytes = 0;
    for (const auto& part : whole.parts) bytes += part.size();
    check(bytes <= body.size() + 3 * whole.parts.size(), "parts hold no more than the body");
  });
  return 0;
}
