// multipart/form-data parsing as the bytes arrive, and the upload receiver on top of it.
#define BOOST_TEST_MODULE write
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "multipart.hpp"
#include "sha256.hpp"
#include "temp_dir.hpp"
#include "upload.hpp"

namespace fs = std::filesystem;
using evidence::core::ErrorCode;
using evidence::core::Status;
using evidence::server::multipart_boundary;
using evidence::server::MultipartParser;
using evidence::server::PartHandler;
using evidence::server::PartHeaders;
using evidence::server::UploadReceiver;
using evidence::testing::TempDir;

namespace {

// Records the parts as "name|filename|type|data" strings.
struct Recorder : PartHandler {
  std::vector<std::string> parts;
  std::string current;
  Status begin_part(const PartHeaders& h) override {
    current = h.name + "|" + h.filename.value_or("-") + "|" + h.content_type + "|";
    return {};
  }
  Status part_data(std::string_view bytes) override {
    current.append(bytes);
    return {};
  }
  Status end_part() override {
    parts.push_back(current);
    return {};
  }
};

const std::string kBody =
    "preamble to ignore\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"metadata\"\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "\r\n"
    "{\"title\": \"A\"}\r\n"
    "--XyZ  \r\n"
    "content-disposition: form-data; name=file; filename=\"a \\\"quoted\\\" name.pdf\"\r\n"
    "\r\n"
    "%PDF-1.4 --XyZ is not a boundary here\r\n-XyZ neither\r\n\r\n"
    "--XyZ--\r\n"
    "epilogue to ignore";

// Feeds body in pieces of chunk bytes.
std::pair<Status, std::vector<std::string>> parse(const std::string& body, std::size_t chunk,
                                                  const std::string& boundary = "XyZ") {
  MultipartParser parser(boundary);
  Recorder recorder;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    if (Status status = parser.feed(std::string_view(body).substr(at, chunk), recorder); !status) {
      return {status, recorder.parts};
    }
  }
  return {parser.finish(), recorder.parts};
}

}  // namespace

BOOST_AUTO_TEST_CASE(boundary_from_content_type) {
  BOOST_TEST(multipart_boundary("multipart/form-data; boundary=XyZ").value() == "XyZ");
  BOOST_TEST(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"").value() == "a b:c");
  BOOST_TEST(!multipart_boundary("multipart/form-data").has_value());
  BOOST_TEST(!multipart_boundary("application/json; boundary=XyZ").has_value());
  BOOST_TEST(!multipart_boundary("multipart/form-data; boundary=").has_value());
  BOOST_TEST(!multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')).has_value());
}

BOOST_AUTO_TEST_CASE(parts_are_the_same_whatever_the_pieces) {
  const std::vector<std::string> expected{
      "metadata|-|application/json|{\"title\": \"A\"}",
      "file|a \"quoted\" name.pdf||%PDF-1.4 --XyZ is not a boundary here\r\n-XyZ neither\r\n"};
  for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}, kBody.size()}) {
    auto [status, parts] = parse(kBody, chunk);
    BOOST_TEST(status.ok(), chunk);
    BOOST_TEST(parts == expected, chunk);
  }
}

BOOST_AUTO_TEST_CASE(a_body_may_start_with_its_boundary_and_filename_star_wins) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\n"
      "data\r\n--b--";
  auto [status, parts] = parse(body, 5, "b");
  BOOST_TEST(status.ok());
  BOOST_TEST(parts == std::vector<std::string>{"file|r\xC3\xA9sum\xC3\xA9.pdf||data"});
}

BOOST_AUTO_TEST_CASE(malformed_bodies_are_refused_with_a_reason) {
  auto reason = [](const std::string& body) {
    auto [status, parts] = parse(body, 4, "b");
    return status.ok() ? std::string("ok") : status.error().message;
  };
  BOOST_TEST(reason("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc") ==
             "malformed multipart/form-data body: it ended before the closing boundary");
  BOOST_TEST(reason("no boundary at all") == "malformed multipart/form-data body: it ended before the closing boundary");
  BOOST_TEST(reason("--b\r\nContent-Type: text/plain\r\n\r\nabc\r\n--b--") ==
             "malformed multipart/form-data body: every part needs a Content-Disposition: form-data header with a name");
  BOOST_TEST(reason("--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nabc\r\n--b--") ==
             "malformed multipart/form-data body: a part's Content-Disposition is not form-data");
  BOOST_TEST(reason("--b\r\nContent-Disposition: form-data; name=\"f\r\n\r\nabc\r\n--b--") ==
             "malformed multipart/form-data body: a part's Content-Disposition parameters cannot be read");
  BOOST_TEST(reason("--bjunk\r\n") == "malformed multipart/form-data body: text after a boundary on its line");
  // A boundary inside the data ends the part (senders choose one that does not occur).
  BOOST_TEST(reason("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--b and more\r\n--b--") ==
             "malformed multipart/form-data body: text after a boundary on its line");
  BOOST_TEST(reason("--b\r\nX-Long: " + std::string(9000, 'a')) ==
             "malformed multipart/form-data body: a part's headers are larger than 8 KiB");
  std::string many;
  for (int i = 0; i < 17; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
  BOOST_TEST(reason(many + "--b--") == "malformed multipart/form-data body: more than 16 parts");
}

// Found by fuzz_multipart: a refusal gave another reason when the body came in other
// pieces. Each limit and check now answers the same for every piece size.
BOOST_AUTO_TEST_CASE(limits_answer_the_same_whatever_the_pieces) {
  auto reasons = [](const std::string& body) {
    std::set<std::string> out;
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{17}, body.size()}) {
      auto [status, parts] = parse(body, chunk, "b");
      out.insert(status.ok() ? std::string("ok") : status.error().message);
    }
    return out;
  };
  auto one = [](const std::string& reason) { return std::set<std::string>{reason}; };
  const std::string part = "Content-Disposition: form-data; name=\"f\"";
  // Text on a boundary's line that ends far away: the text is the reason, in every piece size.
  BOOST_TEST(reasons("--b\r\x00" + std::string(300, 'x') + "\r\n" + part + "\r\n\r\nx\r\n--b--") ==
             one("malformed multipart/form-data body: text after a boundary on its line"));
  // Padding longer than a boundary line may be, then its line break.
  BOOST_TEST(reasons("--b" + std::string(300, ' ') + "\r\n" + part + "\r\n\r\nx\r\n--b--") ==
             one("malformed multipart/form-data body: a boundary line does not end"));
  BOOST_TEST(reasons("--b" + std::string(200, ' ') + "\r\n" + part + "\r\n\r\nx\r\n--b--") == one("ok"));
  // Headers that end exactly at the limit pass; one byte more does not.
  std::string filler = "\r\nX-Filler: ";
  std::string at_limit = part + filler + std::string(MultipartParser::kMaxHeaderBytes - part.size() - filler.size(), 'a');
  BOOST_REQUIRE_EQUAL(at_limit.size(), MultipartParser::kMaxHeaderBytes);
  BOOST_TEST(reasons("--b\r\n" + at_limit + "\r\n\r\nx\r\n--b--") == one("ok"));
  BOOST_TEST(reasons("--b\r\n" + at_limit + "a\r\n\r\nx\r\n--b--") ==
             one("malformed multipart/form-data body: a part's headers are larger than 8 KiB"));
}

BOOST_AUTO_TEST_CASE(the_receiver_writes_the_pdf_and_hashes_it) {
  TempDir dir;
  std::string pdf = "%PDF-1.7\n" + std::string(200000, 'q') + "\n%%EOF\n";
  std::string body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n\r\n" + pdf +
                     "\r\n--b\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"title\":\"R\"}\r\n--b--\r\n";
  auto receiver = UploadReceiver::create(dir.path(), "b", 1 << 20);
  BOOST_TEST_REQUIRE(receiver.ok());
  for (std::size_t at = 0; at < body.size(); at += 4096) {
    BOOST_TEST_REQUIRE((*receiver)->feed(std::string_view(body).substr(at, 4096)).ok());
  }
  auto upload = (*receiver)->finish();
  BOOST_TEST_REQUIRE(upload.ok());
  BOOST_TEST(upload->file_name == "r.pdf");
  BOOST_TEST(upload->size == pdf.size());
  BOOST_TEST(upload->sha256 == evidence::core::sha256_hex(pdf));
  BOOST_TEST(upload->metadata.value() == "{\"title\":\"R\"}");
  BOOST_TEST(fs::file_size(upload->pdf.path()) == pdf.size());
  BOOST_TEST(upload->pdf.path().parent_path() == dir.path() / ".incoming");
  fs::path written = upload->pdf.path();
  { auto gone = std::move(upload).value(); }
  BOOST_TEST(!fs::exists(written));  // not kept: removed with the Upload
}

BOOST_AUTO_TEST_CASE(the_receiver_refuses_early) {
  TempDir dir;
  auto code_of = [&](const std::string& body, std::uint64_t limit) {
    auto receiver = UploadReceiver::create(dir.path(), "b", limit);
    BOOST_REQUIRE(receiver.ok());
    if (!(*receiver)->feed(body).ok()) return (*receiver)->error->code;
    auto upload = (*receiver)->finish();
    return upload.ok() ? ErrorCode::kInternal : upload.error().code;
  };
  std::string head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n\r\n";
  // Not a PDF: known after the first kilobyte, before the rest arrives.
  BOOST_TEST((code_of(head + std::string(2000, 'x'), 1 << 20) == ErrorCode::kNotPdf));
  BOOST_TEST((code_of(head + "\r\n--b--", 1 << 20) == ErrorCode::kEmptyFile));
  BOOST_TEST((code_of(head + "tiny\r\n--b--", 1 << 20) == ErrorCode::kNotPdf));
  BOOST_TEST((code_of(head + "%PDF-" + std::string(5000, 'x'), 4096) == ErrorCode::kTooLarge));
  BOOST_TEST((code_of("--b\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n" + std::string((1 << 20) + 100, ' '),
                      1 << 20) == ErrorCode::kTooLarge));
  BOOST_TEST((code_of("--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx", 1 << 20) ==
              ErrorCode::kInvalidArgument));
  BOOST_TEST((code_of("--b\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{}\r\n--b--", 1 << 20) ==
              ErrorCode::kInvalidArgument));  // no file part
  // Nothing is left behind by refused uploads.
  BOOST_TEST(fs::is_empty(dir.path() / ".incoming"));
}
