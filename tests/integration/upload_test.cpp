// Staff adding, correcting and withdrawing documents through the real evidence-server:
// POST /api/documents (multipart), PATCH and DELETE /api/documents/{id}, with tokens made by
// `evidence-server token add`, over an index the real evidence-index built from generated PDFs.
#define BOOST_TEST_MODULE upload
#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <regex>
#include <thread>

#include <xapian.h>

#include "hostile_pdf.hpp"
#include "test_support.hpp"

namespace {

constexpr const char* kBoundary = "----evidence-test-boundary-7MA4YWxkTrZu0gW";

// A multipart/form-data body with a 'file' part and, when given, a 'metadata' part.
std::string multipart(const std::string& pdf_bytes, const std::string& file_name, const std::optional<std::string>& metadata) {
  std::string body;
  if (metadata) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
            "Content-Type: application/json\r\n\r\n" + *metadata + "\r\n";
  }
  body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file_name +
          "\"\r\nContent-Type: application/pdf\r\n\r\n" + pdf_bytes + "\r\n";
  body += std::string("--") + kBoundary + "--\r\n";
  return body;
}

std::string token_from(const std::string& out) {
  std::smatch match;
  if (!std::regex_search(out, match, std::regex("evl_[A-Za-z0-9_-]+"))) throw std::runtime_error("no token in: " + out);
  return match.str();
}

struct Library : LibraryFixture {
  explicit Library(std::vector<std::string> extra = {}) {
    add_pdf("existing.pdf", {"An existing report on outreach.", "Nothing else."},
            R"({"id": "existing-report", "title": "An existing report"})");
    index_corpus();
    editor = make_token("editor-alice", "editor");
    reader = make_token("reader-bob", "reader");
    extra.insert(extra.end(), {"--tokens", (dir.path() / "tokens.json").string(), "--audit-log", audit().string()});
    start_server(extra);
  }
  std::string make_token(const std::string& name, const std::string& role) {
    auto made = run_process({binary("evidence-server"), "token", "add", name, "--role", role, "--tokens",
                             (dir.path() / "tokens.json").string()});
    BOOST_REQUIRE_EQUAL(made.exit_code, 0);
    return token_from(made.out);
  }
  fs::path audit() const { return dir.path() / "audit.jsonl"; }

  HttpResult upload(const std::string& pdf_bytes, const std::optional<std::string>& metadata,
                    const std::string& token, const std::string& file_name = "report.pdf",
                    HttpClient* via = nullptr) {
    std::map<std::string, std::string> headers{
        {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return (via != nullptr ? via : client.get())
        ->request("POST", "/api/documents", headers, multipart(pdf_bytes, file_name, metadata));
  }
  HttpResult patch(const std::string& id, const std::string& body, const std::string& token) {
    return client->request("PATCH", "/api/documents/" + id,
                           {{"Authorization", "Bearer " + token}, {"Content-Type", "application/merge-patch+json"}}, body);
  }

  std::string editor;
  std::string reader;
};

std::string pdf_bytes(const std::vector<std::string>& pages, const fs::path& scratch) {
  write_pdf(scratch, simple_pdf(pages));
  return read_file(scratch);
}

std::vector<json> audit_lines(const fs::path& path) {
  std::vector<json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

void check_error(const HttpResult& result, int status, const std::string& code) {
  BOOST_TEST_CONTEXT(result.body) {
    BOOST_TEST(result.status == status);
    auto body = result.json();
    BOOST_TEST(body["error"]["status"] == status);
    BOOST_TEST(body["error"]["code"] == code);
    BOOST_TEST(schema_errors(body, "error.schema.json").empty());
  }
}

// Documents and page records in the index, counted exactly.
std::pair<Xapian::doccount, Xapian::doccount> records_in(const fs::path& index) {
  Xapian::Database db(index.string());
  return {db.get_termfreq("XKdoc"), db.get_termfreq("XKpage")};
}

// A PDF of about `bytes` bytes whose page 2 holds `word`: the size comes from an image of
// random pixels in the margin of page 1, the text from the pages.
std::string large_pdf(const std::string& word, std::size_t bytes, const fs::path& scratch) {
  auto spec =
      simple_pdf({"A report of the network.", "The " + word + " appears on the second page.", "Annex."});
  spec.filler_image_bytes = bytes;
  write_pdf(scratch, spec);
  return read_file(scratch);
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    BOOST_REQUIRE_MESSAGE(sent > 0, "send failed: " << std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// What the server sends until the text holds `until` (or the connection ends, or 60 s pass).
std::string receive_until(int fd, const std::string& until) {
  std::string reply;
  timeval wait{60, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char chunk[4096];
  while (reply.find(until) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    reply.append(chunk, static_cast<std::size_t>(n));
  }
  return reply;
}

// The status of a raw HTTP reply, and its JSON body (the reply ends with it).
std::pair<int, json> parse_reply(const std::string& reply) {
  BOOST_REQUIRE_MESSAGE(reply.rfind("HTTP/1.1 ", 0) == 0, reply.substr(0, 200));
  auto body = reply.find("\r\n\r\n");
  return {std::stoi(reply.substr(9, 3)), json::parse(reply.substr(body + 4))};
}

std::string upload_header(const std::string& token, const std::string& length_or_chunked,
                          const std::string& extra = "") {
  return "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary + "\r\n" + length_or_chunked +
         "\r\n" + extra + "Connection: close\r\n\r\n";
}

// The body in chunks of up to 100 KB, as a client that streams without knowing the length.
std::string chunked(const std::string& body) {
  std::string out;
  for (std::size_t at = 0; at < body.size(); at += 100'000) {
    std::string piece = body.substr(at, 100'000);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    out += size + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_upload_is_searchable_with_its_page_when_the_answer_comes) {
  Library library;
  std::string pdf = pdf_bytes({"Cover of the new guide.", "The quillfeather protocol protects survivors in shelters.",
                               "Annex."}, library.dir / "guide.pdf");
  auto created = library.upload(pdf, R"({"title": "Shelter guide", "date": "2025-04", "countries": ["GB", "NG"],
                                         "organisations": ["Harbour Light Foundation"], "language": "en"})",
                                library.editor, "Shelter Guide (final).pdf");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  json body = created.json();
  std::string id = body["id"];
  BOOST_TEST(id.size() == 16u);
  BOOST_TEST(created.headers["location"] == "/api/documents/" + id);
  BOOST_TEST(body["link"] == "/d/" + id);
  BOOST_TEST(body["pdf"] == "/documents/" + id + ".pdf");
  BOOST_TEST(body["file"] == "uploads/shelter-guide-final.pdf");
  BOOST_TEST(body["report"]["pages"] == 3);
  BOOST_TEST(body["report"]["language"] == "en");
  BOOST_TEST(body["report"]["language_detected"] == false);
  BOOST_TEST(body["report"]["warnings"] == json::array());
  BOOST_TEST(body["report"]["ocr_pages"] == json::array());
  BOOST_TEST(body["report"]["pages_without_text"] == json::array());
  BOOST_TEST(body["report"]["ocr_pages_skipped"] == 0);
  BOOST_TEST(body["document"]["title"] == "Shelter guide");
  BOOST_TEST(schema_errors(body, "upload.schema.json") == "");

  // Searchable at once, on page 2, by every thread of the server.
  for (int i = 0; i < 4; ++i) {
    auto found = library.search("quillfeather").json();
    BOOST_TEST_REQUIRE(found["total"] == 1);
    BOOST_TEST(found["documents"][0]["id"] == id);
    BOOST_TEST(found["documents"][0]["pages"][0]["page"] == 2);
  }
  // The corpus holds the PDF and its sidecar; nothing is left in .incoming/.
  BOOST_TEST(read_file(library.corpus() / "uploads" / "shelter-guide-final.pdf") == pdf);
  BOOST_TEST(json::parse(read_file(library.corpus() / "uploads" / "shelter-guide-final.json"))["title"] == "Shelter guide");
  BOOST_TEST(fs::is_empty(library.corpus() / ".incoming"));
  // The PDF is served.
  BOOST_TEST(library.client->get("/documents/" + id + ".pdf").body == pdf);
  // The audit log says who added what.
  auto lines = audit_lines(library.audit());
  BOOST_TEST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0]["action"] == "add");
  BOOST_TEST(lines[0]["token"] == "editor-alice");
  BOOST_TEST(lines[0]["document"] == id);
  BOOST_TEST(lines[0]["sha256"] == body["document"]["sha256"]);
  // evidence-index agrees with what the server did: nothing to change.
  json summary = library.index_corpus();
  BOOST_TEST(summary["unchanged"] == 2);
  BOOST_TEST(summary["added"] == 0);
}

BOOST_AUTO_TEST_CASE(refused_uploads_get_their_status_and_change_nothing) {
  Library library({"--max-upload-mib", "1"});
  std::string pdf = pdf_bytes({"A small report."}, library.dir / "small.pdf");
  std::string meta = R"({"title": "Small"})";

  auto no_token = library.upload(pdf, meta, "");
  check_error(no_token, 401, "unauthorized");
  BOOST_TEST(no_token.headers["www-authenticate"] == "Bearer");
  check_error(library.upload(pdf, meta, "evl_not-a-real-token-0000000000000000000000"), 401, "unauthorized");
  check_error(library.upload(pdf, meta, library.reader), 403, "forbidden");

  check_error(library.upload("Just some text, not a PDF at all.", meta, library.editor), 415, "not_pdf");
  auto not_multipart = library.client->request("POST", "/api/documents",
                                               {{"Authorization", "Bearer " + library.editor},
                                                {"Content-Type", "application/pdf"}}, pdf);
  check_error(not_multipart, 415, "not_pdf");

  std::string big = "%PDF-1.4\n" + std::string(1536 * 1024, 'x');
  check_error(library.upload(big, meta, library.editor), 413, "too_large");

  auto bad_date = library.upload(pdf, R"({"title": "Small", "date": "20x1"})", library.editor);
  check_error(bad_date, 422, "invalid_metadata");
  BOOST_TEST(bad_date.json()["error"]["field"] == "date");
  auto unknown_field = library.upload(pdf, R"({"title": "Small", "colour": "red"})", library.editor);
  check_error(unknown_field, 422, "invalid_metadata");
  auto no_title = library.upload(pdf, R"({"date": "2024"})", library.editor);
  check_error(no_title, 422, "invalid_metadata");
  BOOST_TEST(no_title.json()["error"]["field"] == "title");
  auto no_metadata = library.upload(pdf, std::nullopt, library.editor);
  check_error(no_metadata, 422, "invalid_metadata");
  check_error(library.upload(pdf, "{not json", library.editor), 422, "invalid_metadata");

  // A PDF that Poppler cannot read is reported, and not left in the corpus.
  auto broken = library.upload("%PDF-1.4\nthis is no PDF body at all\n%%EOF\n", meta, library.editor);
  check_error(broken, 422, "damaged");

  // Nothing of the above reached the corpus, the index or the audit log.
  BOOST_TEST((!fs::exists(library.corpus() / "uploads") || fs::is_empty(library.corpus() / "uploads")));
  BOOST_TEST(fs::is_empty(library.corpus() / ".incoming"));
  BOOST_TEST(records_in(library.index()).first == 1u);
  BOOST_TEST(audit_lines(library.audit()).empty());

  // The same bytes twice: 409 with the id of the one already there; an id already taken too.
  auto first = library.upload(pdf, meta, library.editor);
  BOOST_TEST_REQUIRE(first.status == 201, first.body);
  auto again = library.upload(pdf, R"({"title": "Small again"})", library.editor);
  check_error(again, 409, "conflict");
  BOOST_TEST(again.json()["error"]["existing_id"] == first.json()["id"]);
  std::string other = pdf_bytes({"Another report."}, library.dir / "other.pdf");
  auto taken = library.upload(other, R"({"id": "existing-report", "title": "Clash"})", library.editor);
  check_error(taken, 409, "conflict");
  BOOST_TEST(taken.json()["error"]["existing_id"] == "existing-report");
  BOOST_TEST(records_in(library.index()).first == 2u);
}

// An upload that is restricted and listed: when the answer comes, those who may not read it
// find its catalogue record by its title, and nothing by its text.
BOOST_AUTO_TEST_CASE(a_listed_upload_is_found_by_its_metadata_at_once) {
  Library library;
  std::string pdf = pdf_bytes({"Draft quillonupload on the board's budget."}, library.dir / "d.pdf");
  auto created =
      library.upload(pdf, R"({"id": "board-draft", "title": "Board vesperupload", "access": "restricted",
                                        "groups": ["board"], "catalogue": "listed"})",
                     library.editor, "d.pdf");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(created.json()["document"]["catalogue"] == "listed");
  json found = library.search("vesperupload").json();
  BOOST_TEST_REQUIRE(found["total"] == 1);
  BOOST_TEST(found["documents"][0]["readable"] == false);
  BOOST_TEST(library.search("quillonupload").json()["total"] == 0);
  BOOST_TEST(library.client->get("/api/documents/board-draft").json()["readable"] == false);
  check_error(library.client->get("/documents/board-draft.pdf"), 404, "not_found");
  auto hidden = library.patch("board-draft", R"({"catalogue": null})", library.editor);  // restricted: hidden
  BOOST_TEST_REQUIRE(hidden.status == 200, hidden.body);
  BOOST_TEST(library.search("vesperupload").json()["total"] == 0);
  check_error(library.client->get("/api/documents/board-draft"), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(an_edit_shows_in_search_and_a_withdrawal_leaves_it_at_once) {
  Library library;
  std::string pdf = pdf_bytes({"Guidance on the referral of children."}, library.dir / "g.pdf");
  auto created = library.upload(pdf, R"({"id": "referral-guide", "title": "Referral guidance", "countries": ["GB"]})",
                                library.editor, "g.pdf");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);

  auto edited = library.patch("referral-guide", R"({"title": "Referral of separated children", "countries": null,
                                                     "themes": ["child-protection"]})", library.editor);
  BOOST_TEST_REQUIRE(edited.status == 200, edited.body);
  BOOST_TEST(edited.json()["document"]["title"] == "Referral of separated children");
  auto by_title = library.client->get("/api/search?q=" + url_encode("title:separated")).json();
  BOOST_TEST_REQUIRE(by_title["total"] == 1);
  BOOST_TEST(by_title["documents"][0]["id"] == "referral-guide");
  BOOST_TEST(library.client->get("/api/search?q=referral&country=GB").json()["total"] == 0);
  BOOST_TEST(library.client->get("/api/search?q=referral&theme=child-protection").json()["total"] == 1);

  auto bad = library.patch("referral-guide", R"({"date": "yesterday"})", library.editor);
  check_error(bad, 422, "invalid_metadata");
  BOOST_TEST(bad.json()["error"]["field"] == "date");
  check_error(library.patch("referral-guide", R"({"id": "renamed"})", library.editor), 422, "invalid_metadata");
  check_error(library.patch("no-such-doc", R"({"title": "x"})", library.editor), 404, "not_found");
  check_error(library.patch("referral-guide", R"({"title": "x"})", library.reader), 403, "forbidden");
  check_error(library.client->request("PATCH", "/api/documents/referral-guide",
                                      {{"Authorization", "Bearer " + library.editor}, {"Content-Type", "text/plain"}},
                                      "title=x"),
              415, "unsupported_media_type");
  BOOST_TEST(library.client->get("/api/documents/referral-guide").json()["title"] == "Referral of separated children");

  check_error(library.client->request("DELETE", "/api/documents/referral-guide"), 401, "unauthorized");
  auto withdrawn = library.client->request("DELETE", "/api/documents/referral-guide",
                                           {{"Authorization", "Bearer " + library.editor}});
  BOOST_TEST_REQUIRE(withdrawn.status == 200, withdrawn.body);
  std::string kept = withdrawn.json()["kept_in"];
  BOOST_TEST(library.search("referral").json()["total"] == 0);
  check_error(library.client->get("/api/documents/referral-guide"), 404, "not_found");
  check_error(library.client->get("/documents/referral-guide.pdf"), 404, "not_found");
  // Recoverable: the PDF and its sidecar, with a note of what they were.
  BOOST_TEST(read_file(library.corpus() / kept / "uploads" / "g.pdf") == pdf);
  BOOST_TEST(json::parse(read_file(library.corpus() / kept / "uploads" / "g.json"))["title"] ==
             "Referral of separated children");
  BOOST_TEST(json::parse(read_file(library.corpus() / kept / "withdrawn.json"))["id"] == "referral-guide");
  BOOST_TEST(!fs::exists(library.corpus() / "uploads" / "g.pdf"));
  check_error(library.client->request("DELETE", "/api/documents/referral-guide",
                                      {{"Authorization", "Bearer " + library.editor}}),
              404, "not_found");

  auto lines = audit_lines(library.audit());
  BOOST_TEST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[1]["action"] == "edit");
  BOOST_TEST(lines[2]["action"] == "withdraw");
  BOOST_TEST(lines[2]["document"] == "referral-guide");
  // evidence-index on the corpus agrees: the withdrawn document stays out.
  json summary = library.index_corpus();
  BOOST_TEST(summary["removed"] == 0);
  BOOST_TEST(summary["documents_in_index"] == 1);
}

BOOST_AUTO_TEST_CASE(uploads_and_searches_at_the_same_time) {
  Library library;
  constexpr std::size_t kUploaders = 3;
  constexpr std::size_t kEach = 3;
  std::vector<std::vector<std::string>> pdfs(kUploaders);
  for (std::size_t u = 0; u < kUploaders; ++u) {
    for (std::size_t i = 0; i < kEach; ++i) {
      std::string word = "zq" + std::string(1, char('a' + u)) + std::string(1, char('a' + i)) + "marker";
      pdfs[u].push_back(pdf_bytes({"Report " + std::to_string(u) + "-" + std::to_string(i), "The " + word + " page."},
                                  library.dir / ("c" + std::to_string(u) + std::to_string(i) + ".pdf")));
    }
  }
  std::atomic<bool> done{false};
  std::atomic<int> searches{0};
  std::atomic<int> failed_searches{0};
  std::thread searcher([&] {
    HttpClient client(library.server->port());
    while (!done) {
      auto result = client.get("/api/search?q=report");
      if (result.status != 200) ++failed_searches;
      ++searches;
    }
  });
  std::vector<std::thread> uploaders;
  std::atomic<int> created{0};
  for (std::size_t u = 0; u < kUploaders; ++u) {
    uploaders.emplace_back([&, u] {
      HttpClient client(library.server->port());
      for (std::size_t i = 0; i < kEach; ++i) {
        auto result = client.request("POST", "/api/documents",
                                     {{"Authorization", "Bearer " + library.editor},
                                      {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}},
                                     multipart(pdfs[u][i], "c.pdf", R"({"title": "Concurrent )" + std::to_string(u) +
                                                                        "-" + std::to_string(i) + "\"}"));
        if (result.status == 201) ++created;
      }
    });
  }
  for (auto& t : uploaders) t.join();
  done = true;
  searcher.join();
  BOOST_TEST(static_cast<std::size_t>(created) == kUploaders * kEach);
  BOOST_TEST(failed_searches == 0);
  BOOST_TEST(searches > 0);
  for (std::size_t u = 0; u < kUploaders; ++u) {
    for (std::size_t i = 0; i < kEach; ++i) {
      std::string word = "zq" + std::string(1, char('a' + u)) + std::string(1, char('a' + i)) + "marker";
      auto found = library.search(word).json();
      BOOST_TEST(found["total"] == 1, word);
      BOOST_TEST(found["documents"][0]["pages"][0]["page"] == 2);
    }
  }
  // Exactly the documents and pages expected: none lost, none twice.
  auto [documents, pages] = records_in(library.index());
  BOOST_TEST(documents == 1u + kUploaders * kEach);
  BOOST_TEST(pages == 2u + 2u * kUploaders * kEach);
  BOOST_TEST(audit_lines(library.audit()).size() == kUploaders * kEach);
}

BOOST_AUTO_TEST_CASE(an_upload_waits_for_another_writer_of_the_index) {
  Library library({"--write-lock-timeout", "30"});
  std::string pdf = pdf_bytes({"Waiting for the lock."}, library.dir / "w.pdf");
  HttpResult result;
  {
    // Another writer (as evidence-index would be) holds the index for a while.
    Xapian::WritableDatabase holder(library.index().string(), Xapian::DB_OPEN);
    std::atomic<bool> answered{false};
    std::thread upload([&] {
      result = library.upload(pdf, R"({"title": "Patient"})", library.editor);
      answered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    BOOST_TEST(!answered.load());  // still waiting
    holder.close();
    upload.join();
  }
  BOOST_TEST(result.status == 201, result.body);
  BOOST_TEST(library.search("lock").json()["total"] == 1);
}

// `evidence-index compact` holds the index's lock while it builds the compacted copy: an
// upload meanwhile waits, and lands in the copy once it is in place (not in the old copy,
// which is removed).
BOOST_AUTO_TEST_CASE(an_upload_during_a_compaction_lands_in_the_compacted_index) {
  Library library({"--write-lock-timeout", "30"});
  std::string uuid = Xapian::Database(library.index().string()).get_uuid();
  std::string pdf = pdf_bytes({"Uploaded while the index was compacted."}, library.dir / "c.pdf");
  Child compact({binary("evidence-index"), "compact", "--index", library.index().string(),
                 "--pause-before-exchange", "2000"});
  compact.wait_for_line("evidence-index: the compacted copy is built", std::chrono::seconds(20));
  auto started = std::chrono::steady_clock::now();
  auto result = library.upload(pdf, R"({"title": "Compacted meanwhile"})", library.editor);
  bool waited = std::chrono::steady_clock::now() - started > std::chrono::milliseconds(1000);
  BOOST_TEST(waited);
  BOOST_TEST(compact.wait(std::chrono::seconds(20)).exit_code == 0);
  BOOST_TEST(result.status == 201, result.body);
  BOOST_TEST(Xapian::Database(library.index().string()).get_uuid() != uuid);
  auto [documents, pages] = records_in(library.index());
  BOOST_TEST(documents == 2U);
  BOOST_TEST(pages == 3U);
  BOOST_TEST(library.search("compacted").json()["total"] == 1);
  BOOST_TEST(!fs::exists(library.dir / ".index.compact"));
}

BOOST_AUTO_TEST_CASE(an_upload_gives_up_on_a_locked_index_without_leaving_anything) {
  Library library({"--write-lock-timeout", "1"});
  std::string pdf = pdf_bytes({"Never added."}, library.dir / "n.pdf");
  Xapian::WritableDatabase holder(library.index().string(), Xapian::DB_OPEN);
  auto result = library.upload(pdf, R"({"title": "Impatient"})", library.editor);
  check_error(result, 503, "index_locked");
  holder.close();
  BOOST_TEST((!fs::exists(library.corpus() / "uploads") || fs::is_empty(library.corpus() / "uploads")));
  BOOST_TEST(audit_lines(library.audit()).empty());
}

// kill -9 of the server at points of an upload, each waited for as an event: while the body
// arrives (its part in .incoming/), once its sidecar is in the corpus (extraction and commit
// under way), and after its 201. Afterwards the corpus and the index hold each upload whole
// (PDF, sidecar, record with its title) or not at all, and an answered upload is there.
BOOST_AUTO_TEST_CASE(a_killed_server_leaves_no_half_document) {
  Library library;
  std::vector<std::string> pages;
  for (int i = 0; i < 60; ++i) pages.push_back("Page " + std::to_string(i + 1) + " of a long upload about outreach.");
  enum class KillWhen { kBodyArriving, kSidecarWritten, kAnswered };
  const KillWhen rounds[] = {KillWhen::kBodyArriving, KillWhen::kSidecarWritten, KillWhen::kAnswered};
  auto sidecar_of_round = [&](int round) -> std::optional<fs::path> {
    if (!fs::exists(library.corpus() / "uploads")) return std::nullopt;
    for (const auto& entry : fs::directory_iterator(library.corpus() / "uploads")) {
      if (entry.path().extension() != ".json") continue;
      try {
        if (json::parse(read_file(entry.path()))["title"] == "Kill round " + std::to_string(round))
          return entry.path();
      } catch (const json::exception&) {
        // being written: not yet
      }
    }
    return std::nullopt;
  };
  auto wait_for = [](const std::function<bool()>& happened, const char* what) {
    for (int i = 0; i < 3000 && !happened(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    BOOST_REQUIRE_MESSAGE(happened(), "the kill point was not reached: " << what);
  };
  for (int round = 0; round < 3; ++round) {
    pages[0] = "Round " + std::to_string(round) + " of the kill test.";
    std::string pdf = pdf_bytes(pages, library.dir / ("k" + std::to_string(round) + ".pdf"));
    std::string body =
        multipart(pdf, "kill.pdf", R"({"title": "Kill round )" + std::to_string(round) + "\"}");
    std::string request = "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + library.editor +
                          "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    int fd = evidence::testing::connect_loopback(library.server->port());
    BOOST_REQUIRE(fd >= 0);
    KillWhen when = rounds[round];
    send_all(fd, request + (when == KillWhen::kBodyArriving ? body.substr(0, body.size() / 2) : body));
    if (when == KillWhen::kBodyArriving) {
      wait_for(
          [&] {
            if (!fs::exists(library.corpus() / ".incoming")) return false;
            for (const auto& entry : fs::directory_iterator(library.corpus() / ".incoming")) {
              if (fs::file_size(entry.path()) > 0) return true;
            }
            return false;
          },
          "part of the body in .incoming/");
    } else if (when == KillWhen::kSidecarWritten) {
      wait_for([&] { return sidecar_of_round(round).has_value(); }, "the sidecar in uploads/");
    } else {
      auto [status, answer] = parse_reply(receive_until(fd, "}}"));
      BOOST_REQUIRE_MESSAGE(status == 201, answer.dump());
    }
    library.server->child().signal(SIGKILL);
    library.server->child().wait(std::chrono::seconds(10));
    ::close(fd);
    library.start_server(
        {"--tokens", (library.dir.path() / "tokens.json").string(), "--audit-log", library.audit().string()});
  }
  // The restarted server cleared what interrupted uploads left in .incoming/.
  BOOST_TEST(fs::is_empty(library.corpus() / ".incoming"));
  // evidence-index reconciles; then every PDF in uploads/ has its sidecar and its record.
  json summary = library.index_corpus();
  BOOST_TEST(summary["failed"].empty(), summary.dump());
  std::size_t uploaded = 0;
  for (const auto& entry : fs::directory_iterator(library.corpus() / "uploads")) {
    if (entry.path().extension() != ".pdf") continue;
    ++uploaded;
    fs::path sidecar = entry.path();
    sidecar.replace_extension(".json");
    BOOST_TEST_REQUIRE(fs::exists(sidecar), entry.path());
    std::string title = json::parse(read_file(sidecar))["title"];
    auto found = library.client->get("/api/search?q=" + url_encode("title:kill")).json();
    bool listed = false;
    for (const auto& document : found["documents"]) listed = listed || document["title"] == title;
    BOOST_TEST(listed, title);
  }
  // The body that never arrived whole is not there; the answered upload is; the one killed
  // in between is whole or absent (both checked above).
  BOOST_TEST(!sidecar_of_round(0));
  BOOST_TEST(sidecar_of_round(2).has_value());
  BOOST_TEST((uploaded == 1u || uploaded == 2u), uploaded);
  auto [documents, pages_in_index] = records_in(library.index());
  BOOST_TEST(documents == 1u + uploaded);
  BOOST_TEST(pages_in_index == 2u + 60u * uploaded);
}

BOOST_AUTO_TEST_CASE(a_scanned_upload_is_read_by_ocr_and_found_on_its_page) {
  Library library;
  auto spec = simple_pdf({"A typed cover page about outreach.", "Caseworkers met the shipbuilders of Gdynia.",
                          "A typed annex."});
  spec.pages[1].scanned = true;  // page 2 is an image only
  write_pdf(library.dir / "scan.pdf", spec);
  auto created = library.upload(read_file(library.dir / "scan.pdf"), R"({"title": "Partly scanned", "language": "en"})",
                                library.editor, "scan.pdf");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(created.json()["report"]["ocr_pages"] == json::array({2}));
  BOOST_TEST(created.json()["report"]["pages_without_text"] == json::array());
  BOOST_TEST(created.json()["report"]["ocr_pages_skipped"] == 0);
  auto found = library.search("shipbuilders").json();
  BOOST_TEST_REQUIRE(found["total"] == 1);
  BOOST_TEST(found["documents"][0]["pages"][0]["page"] == 2);
}

// --ocr-max-pages bounds the OCR of an upload too, and the upload's report says what was
// left unread.
BOOST_AUTO_TEST_CASE(an_upload_reports_the_scans_left_unread_at_the_ocr_bound) {
  Library library({"--ocr-max-pages", "1"});
  auto spec = simple_pdf(
      {"Minutes of the first meeting.", "Minutes of the second meeting.", "Minutes of the third meeting."});
  for (auto& page : spec.pages) page.scanned = true;
  write_pdf(library.dir / "minutes.pdf", spec);
  auto created =
      library.upload(read_file(library.dir / "minutes.pdf"),
                     R"({"title": "Scanned minutes", "language": "en"})", library.editor, "minutes.pdf");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  json report = created.json()["report"];
  BOOST_TEST(report["ocr_pages"] == json::array({1}));
  BOOST_TEST(report["pages_without_text"] == json::array({2, 3}));
  BOOST_TEST(report["ocr_pages_skipped"] == 2);
  BOOST_TEST(
      report["warnings"] ==
          json::array({"2 page(s) have no text layer and OCR found none: they cannot be found by search",
                       "2 scanned page(s) were not read by OCR: the document reached the limit of pages "
                       "OCR reads in one document"}),
      report.dump());
  BOOST_TEST(library.search("first").json()["total"] == 1);
  BOOST_TEST(library.search("third").json()["total"] == 0);
}

BOOST_AUTO_TEST_CASE(a_private_library_needs_a_token_to_read) {
  Library library({"--private"});
  check_error(library.client->get("/api/search?q=outreach"), 401, "unauthorized");
  check_error(library.client->get("/documents/existing-report.pdf"), 401, "unauthorized");
  auto page = library.client->get("/?q=outreach");
  BOOST_TEST(page.status == 401);
  BOOST_TEST(page.body.find("href=\"/admin\"") != std::string::npos);
  // What one needs to sign in stays open.
  BOOST_TEST(library.client->get("/healthz").status == 200);
  BOOST_TEST(library.client->get("/admin").status == 200);
  // A reader token, in the header or in the cookie /admin sets, reads.
  BOOST_TEST(library.client->request("GET", "/api/search?q=outreach", {{"Authorization", "Bearer " + library.reader}})
                 .json()["total"] == 1);
  BOOST_TEST(library.client->request("GET", "/?q=outreach", {{"Cookie", "theme=dark; evidence_token=" + library.reader}})
                 .status == 200);
  check_error(library.client->request("GET", "/api/search?q=outreach", {{"Cookie", "evidence_token=evl_revoked"}}),
              401, "unauthorized");
  // Writes never take the cookie.
  check_error(library.client->request("DELETE", "/api/documents/existing-report", {{"Cookie", "evidence_token=" + library.editor}}),
              401, "unauthorized");
}

// Real reports are megabytes: every way a client sends one must reach the corpus. (A body
// over the 64 KiB limit of other requests was refused with 413 when its length was announced.)
BOOST_AUTO_TEST_CASE(uploads_of_several_megabytes_arrive_every_way_a_client_sends_them) {
  Library library;
  constexpr std::size_t kSize = 3'000'000;
  std::string announced = large_pdf("bellwether", kSize, library.dir / "announced.pdf");
  std::string streamed = large_pdf("nightjar", kSize, library.dir / "streamed.pdf");
  std::string waiting = large_pdf("whinchat", kSize, library.dir / "waiting.pdf");
  BOOST_TEST_REQUIRE(announced.size() > kSize);

  // With Content-Length, as browsers send a form and curl -F does.
  auto created = library.upload(announced, R"({"title": "Announced"})", library.editor);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(created.json()["document"]["size"] == announced.size());

  // Chunked, with no length announced.
  std::string body = multipart(streamed, "streamed.pdf", R"({"title": "Streamed"})");
  int fd = evidence::testing::connect_loopback(library.server->port());
  BOOST_REQUIRE(fd >= 0);
  send_all(fd, upload_header(library.editor, "Transfer-Encoding: chunked") + chunked(body));
  auto [chunked_status, chunked_body] = parse_reply(receive_until(fd, "}}}"));
  ::close(fd);
  BOOST_TEST(chunked_status == 201, chunked_body.dump());

  // Expect: 100-continue: the client waits for the server's go-ahead before the body.
  body = multipart(waiting, "waiting.pdf", R"({"title": "Waited"})");
  fd = evidence::testing::connect_loopback(library.server->port());
  BOOST_REQUIRE(fd >= 0);
  send_all(fd, upload_header(library.editor, "Content-Length: " + std::to_string(body.size()),
                             "Expect: 100-continue\r\n"));
  std::string interim = receive_until(fd, "\r\n\r\n");
  BOOST_TEST(interim == "HTTP/1.1 100 Continue\r\n\r\n");
  send_all(fd, body);
  auto [waited_status, waited_body] = parse_reply(receive_until(fd, "}}}"));
  ::close(fd);
  BOOST_TEST(waited_status == 201, waited_body.dump());

  for (const auto& [word, title] :
       {std::pair{"bellwether", "Announced"}, {"nightjar", "Streamed"}, {"whinchat", "Waited"}}) {
    auto found = library.search(word).json();
    BOOST_TEST_REQUIRE(found["total"] == 1, word);
    BOOST_TEST(found["documents"][0]["title"] == title);
    BOOST_TEST(found["documents"][0]["pages"][0]["page"] == 2);
  }
  BOOST_TEST(audit_lines(library.audit()).size() == 3u);
}

// The limit that applies to an upload is --max-upload-mib, whichever way it is sent; the
// 64 KiB limit of other request bodies never does.
BOOST_AUTO_TEST_CASE(the_upload_limit_is_the_one_given_by_max_upload_mib) {
  Library library({"--max-upload-mib", "2"});
  std::string fits = large_pdf("kittiwake", 1'500'000, library.dir / "fits.pdf");
  std::string over = large_pdf("shearwater", 2'400'000, library.dir / "over.pdf");
  auto created = library.upload(fits, R"({"title": "Under two MiB"})", library.editor);
  BOOST_TEST(created.status == 201, created.body);

  auto refused = library.upload(over, R"({"title": "Over two MiB"})", library.editor);
  check_error(refused, 413, "too_large");
  BOOST_TEST(refused.json()["error"]["message"] == "the PDF is larger than the upload limit of 2 MiB");

  std::string body = multipart(over, "over.pdf", R"({"title": "Over two MiB"})");
  int fd = evidence::testing::connect_loopback(library.server->port());
  BOOST_REQUIRE(fd >= 0);
  send_all(fd, upload_header(library.editor, "Transfer-Encoding: chunked"));
  std::string stream = chunked(body);
  ::send(fd, stream.data(), stream.size(), MSG_NOSIGNAL);  // the server may close before the end
  auto [status, error] = parse_reply(receive_until(fd, "}}"));
  ::close(fd);
  BOOST_TEST(status == 413);
  BOOST_TEST(error["error"]["message"] == "the PDF is larger than the upload limit of 2 MiB");
  BOOST_TEST(library.search("shearwater").json()["total"] == 0);
  BOOST_TEST(fs::is_empty(library.corpus() / ".incoming"));
}

// No file may hold the single writer for long: an upload whose extraction passes
// --write-timeout is refused whole, and the next one goes through.
BOOST_AUTO_TEST_CASE(an_upload_that_reads_too_long_is_refused_and_changes_nothing) {
  Library library({"--write-timeout", "2"});
  // Small on disk, endless work for the parser.
  std::string bomb = evidence::testing::hostile::zeros_bomb(std::uint64_t{2} << 30);
  auto refused = library.upload(bomb, R"({"title": "Endless"})", library.editor, "endless.pdf");
  check_error(refused, 422, "extraction_failed");
  BOOST_TEST(refused.json()["error"]["message"] ==
             "the PDF took longer to read than the write limit of 2 s (evidence-server --write-timeout); "
             "nothing was changed");
  BOOST_TEST((!fs::exists(library.corpus() / "uploads") || fs::is_empty(library.corpus() / "uploads")));
  BOOST_TEST(audit_lines(library.audit()).empty());
  BOOST_TEST(records_in(library.index()).first == 1u);

  std::string pdf = pdf_bytes({"A prompt report on outreach."}, library.dir / "prompt.pdf");
  auto created = library.upload(pdf, R"({"title": "Prompt"})", library.editor);
  BOOST_TEST(created.status == 201, created.body);
  // The file that took too long is not remembered as failed: a later pass may read it.
  json summary = library.index_corpus();
  BOOST_TEST(summary["failed"].empty(), summary.dump());
}

// An upload's PDF is read before its change takes the writer: an edit made while a long
// upload is being read is answered at once, and the upload's own answer comes later.
BOOST_AUTO_TEST_CASE(an_edit_does_not_wait_while_an_upload_is_read) {
  Library library({"--write-timeout", "4"});
  std::string pdf = pdf_bytes({"Guidance on outreach."}, library.dir / "a.pdf");
  auto created = library.upload(pdf, R"({"id": "quick", "title": "Before"})", library.editor);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);

  std::string bomb = evidence::testing::hostile::zeros_bomb(std::uint64_t{2} << 30);
  auto slow = std::async(std::launch::async, [&] {
    HttpClient client(library.server->port());
    return library.upload(bomb, R"({"title": "Endless"})", library.editor, "endless.pdf", &client);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the upload is being read
  auto edited = library.patch("quick", R"({"title": "After"})", library.editor);
  BOOST_TEST(edited.status == 200, edited.body);
  BOOST_TEST((slow.wait_for(std::chrono::seconds(0)) == std::future_status::timeout),
             "the edit was answered only after the upload");
  BOOST_TEST(library.client->get("/api/documents/quick").json()["title"] == "After");
  check_error(slow.get(), 422, "extraction_failed");
}

BOOST_AUTO_TEST_CASE(a_title_of_white_space_is_refused_and_titles_are_trimmed) {
  Library library;
  std::string pdf = pdf_bytes({"A report on outreach."}, library.dir / "t.pdf");
  auto blank = library.upload(pdf, R"({"title": "   "})", library.editor);
  check_error(blank, 422, "invalid_metadata");
  BOOST_TEST(blank.json()["error"]["message"] == "title: must not be only white space");
  BOOST_TEST(blank.json()["error"]["field"] == "title");
  auto created = library.upload(pdf, R"({"id": "trimmed", "title": "  Outreach report \n"})", library.editor);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(created.json()["document"]["title"] == "Outreach report");
  check_error(library.patch("trimmed", R"({"title": "\t"})", library.editor), 422, "invalid_metadata");
  BOOST_TEST(library.client->get("/api/documents/trimmed").json()["title"] == "Outreach report");
}

// The audit log says what an edit changed and where each change came from.
BOOST_AUTO_TEST_CASE(the_audit_log_names_the_fields_an_edit_changed) {
  Library library;
  std::string pdf = pdf_bytes({"Guidance on outreach."}, library.dir / "a.pdf");
  std::string summary(400, 's');
  auto created =
      library.upload(pdf, R"({"id": "audited", "title": "Old title", "date": "2024"})", library.editor);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  auto edited = library.patch(
      "audited", R"({"title": "New title", "date": null, "summary": ")" + summary + "\"}", library.editor);
  BOOST_TEST_REQUIRE(edited.status == 200, edited.body);
  auto lines = audit_lines(library.audit());
  BOOST_TEST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0]["client"] == "127.0.0.1");
  BOOST_TEST(!lines[0].contains("changes"));
  BOOST_TEST(lines[1]["client"] == "127.0.0.1");
  BOOST_TEST(lines[1]["changes"] == json::parse(R"({"title": {"from": "Old title", "to": "New title"},
                                                    "date": {"from": "2024", "to": null},
                                                    "summary": {"from_bytes": 0, "to_bytes": 402}})"));
}

// Answers given to a caller with credentials, or by a private library, are for that caller
// alone: no shared cache may keep them. Every answer says not to sniff its type.
BOOST_AUTO_TEST_CASE(answers_with_credentials_are_private_to_caches) {
  Library library({"--private"});
  auto pdf = library.client->request("GET", "/documents/existing-report.pdf",
                                     {{"Authorization", "Bearer " + library.reader}});
  BOOST_TEST_REQUIRE(pdf.status == 200);
  BOOST_TEST(pdf.headers["cache-control"] == "private, no-cache");
  BOOST_TEST(pdf.headers["vary"] == "Authorization, Cookie");
  BOOST_TEST(pdf.headers["x-content-type-options"] == "nosniff");
  auto search = library.client->request("GET", "/api/search?q=outreach",
                                        {{"Cookie", "evidence_token=" + library.reader}});
  BOOST_TEST(search.headers["cache-control"] == "private, no-cache");
  auto refused = library.client->get("/api/search?q=outreach");
  BOOST_TEST(refused.status == 401);
  BOOST_TEST(refused.headers["cache-control"] == "private, no-cache");
  BOOST_TEST(refused.headers["x-content-type-options"] == "nosniff");
  auto who =
      library.client->request("GET", "/api/whoami", {{"Authorization", "Bearer " + library.reader}}).json();
  BOOST_TEST(who == json::parse(R"({"name": "reader-bob", "role": "reader", "private_library": true})"));
}
