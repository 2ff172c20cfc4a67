// Citations, exports and the PDFs themselves through the real evidence-server, over an
// index that the real evidence-index built from generated PDFs with known metadata.
#define BOOST_TEST_MODULE document_routes
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

#include "test_support.hpp"

namespace {

constexpr const char* kPublicUrl = "https://evidence.example.org";

// Today (UTC) as the server writes an accessed date: "2026-11-28".
std::string iso_today() {
  std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(today.year()), unsigned(today.month()), unsigned(today.day()));
  return text;
}

struct Library : LibraryFixture {
  Library() {
    PdfSpec labelled = simple_pdf({"Preface.", "Contents.", "Workers were not paid for months.", "Annex."});
    labelled.page_labels = {"i", "ii", "1", "2"};
    add_pdf_spec("reports/informe año.pdf", labelled,
                 R"({"id": "lri-informe", "title": "Trabajo forzoso", "subtitle": "Señales & respuestas",
                   "authors": [{"family": "Núñez", "given": "María José"}],
                   "organisations": ["Lumen Research Institute"], "place": "Málaga", "date": "2021-03",
                   "type": "research-paper", "language": "es"})");
    add_pdf(
        "hlf.pdf", {"Our year.", "Shelters.", "Finances."},
        R"({"id": "hlf-annual", "title": "Annual Report 2023", "organisations": ["Harbour Light Foundation"],
            "date": "2024", "type": "annual-report"})");
    std::vector<std::string> many_pages;
    for (int i = 1; i <= 250; ++i) many_pages.push_back("Page " + std::to_string(i) + " of a long report on outreach.");
    add_pdf("long.pdf", many_pages, R"({"id": "long-report", "title": "A long report"})");
    add_pdf("gone.pdf", {"Soon deleted."}, R"({"id": "gone-doc", "title": "Deleted after indexing"})");
    add_pdf("moved.pdf", {"Soon a link."},
            R"({"id": "escape-doc", "title": "Replaced by a link out of the corpus"})");
    index_corpus();
    start_server({"--public-url", kPublicUrl});
  }
  HttpResult get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return client->request("GET", target, headers);
  }
};

void check_error(const HttpResult& result, int status, const std::string& code) {
  BOOST_TEST(result.status == status, result.body);
  BOOST_TEST(result.headers.at("content-type") == "application/json; charset=utf-8");
  json body = result.json();
  BOOST_TEST(schema_errors(body, "error.schema.json") == "");
  BOOST_TEST(body["error"]["code"] == code);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cite, Library)

BOOST_AUTO_TEST_CASE(bibtex_of_a_passage_with_its_printed_page) {
  std::string before = iso_today();
  HttpResult result = get("/api/documents/lri-informe/cite?format=bibtex&page=3&quote=" +
                          url_encode("Workers were not\npaid for months."));
  std::string after = iso_today();
  BOOST_TEST(result.status == 200);
  BOOST_TEST(result.headers.at("content-type") == "application/x-bibtex; charset=utf-8");
  auto expected = [](const std::string& today) {
    return "@techreport{lri-informe,\n"
           "  author = {Núñez, María José},\n"
           "  title = {{Trabajo forzoso: Señales \\& respuestas}},\n"
           "  type = {Research paper},\n"
           "  institution = {Lumen Research Institute},\n"
           "  address = {Málaga},\n"
           "  year = {2021},\n"
           "  month = mar,\n"
           "  language = {es},\n"
           "  url = {https://evidence.example.org/d/lri-informe?page=3},\n"
           "  urldate = {" + today + "},\n"
           "  pages = {1},\n"
           "  note = {“Workers were not paid for months.”}\n"
           "}\n";
  };
  BOOST_TEST((result.body == expected(before) || result.body == expected(after)), result.body);
}

BOOST_AUTO_TEST_CASE(every_format_with_its_media_type) {
  const std::vector<std::pair<std::string, std::string>> formats = {
      {"bibtex", "application/x-bibtex; charset=utf-8"},
      {"ris", "application/x-research-info-systems; charset=utf-8"},
      {"csl-json", "application/vnd.citationstyles.csl+json"},
      {"harvard", "text/plain; charset=utf-8"},
      {"apa", "text/plain; charset=utf-8"}};
  for (const auto& [format, type] : formats) {
    HttpResult result = get("/api/documents/hlf-annual/cite?format=" + format);
    BOOST_TEST(result.status == 200, format);
    BOOST_TEST(result.headers.at("content-type") == type, format);
  }
  HttpResult ris = get("/api/documents/hlf-annual/cite?format=ris&page=2");
  BOOST_TEST(ris.body.rfind("TY  - RPRT\r\nAU  - Harbour Light Foundation\r\nTI  - Annual Report 2023\r\n", 0) == 0U,
             ris.body);
  BOOST_TEST(ris.body.find("UR  - https://evidence.example.org/d/hlf-annual?page=2\r\nY2  - ") != std::string::npos);
  BOOST_TEST(ris.body.find("SP  - 2\r\nER  - \r\n") != std::string::npos);
  HttpResult apa = get("/api/documents/hlf-annual/cite?format=apa");
  BOOST_TEST(apa.body == "Harbour Light Foundation. (2024). Annual Report 2023. https://evidence.example.org/d/hlf-annual\n");
  HttpResult harvard = get("/api/documents/lri-informe/cite?format=harvard&page=4");
  BOOST_TEST(harvard.body.rfind("(Núñez, 2021, p. 2)\n\nNúñez, M.J. (2021) Trabajo forzoso: Señales & respuestas. "
                                "Málaga: Lumen Research Institute. Available at: "
                                "https://evidence.example.org/d/lri-informe?page=4 (Accessed: ", 0) == 0U,
             harvard.body);
  json csl = json::parse(get("/api/documents/lri-informe/cite?format=csl-json&page=2").body);
  BOOST_TEST(schema_errors(csl, "csl-json.schema.json") == "");
  BOOST_TEST(csl[0]["page"] == "ii");
  BOOST_TEST(csl[0]["author"][0] == json::parse(R"({"family": "Núñez", "given": "María José"})"));
}

BOOST_AUTO_TEST_CASE(export_of_selected_documents) {
  HttpResult ris = get("/api/export?format=ris&id=lri-informe&id=hlf-annual&id=lri-informe");
  BOOST_TEST(ris.status == 200);
  BOOST_TEST(ris.headers.at("content-type") == "application/x-research-info-systems; charset=utf-8");
  BOOST_TEST(ris.headers.at("content-disposition") == "attachment; filename=\"evidence-library.ris\"");
  std::size_t records = 0;
  for (std::size_t at = ris.body.find("TY  - RPRT\r\n"); at != std::string::npos; at = ris.body.find("TY  - ", at + 1)) {
    ++records;
  }
  BOOST_TEST(records == 2U);  // the repeated id once
  BOOST_TEST(ris.body.find("ER  - \r\n\r\nTY  - RPRT\r\n") != std::string::npos);
  HttpResult csl = get("/api/export?format=csl-json&id=hlf-annual&id=long-report");
  BOOST_TEST(csl.headers.at("content-type") == "application/vnd.citationstyles.csl+json");
  json items = json::parse(csl.body);
  BOOST_TEST(schema_errors(items, "csl-json.schema.json") == "");
  BOOST_REQUIRE(items.size() == 2U);
  BOOST_TEST(items[0]["id"] == "hlf-annual");
  BOOST_TEST(items[1]["id"] == "long-report");
  HttpResult bib = get("/api/export?format=bibtex&id=hlf-annual");
  BOOST_TEST(bib.headers.at("content-disposition") == "attachment; filename=\"hlf-annual.bib\"");
  BOOST_TEST(bib.body.rfind("@techreport{hlf-annual,\n  author = {{Harbour Light Foundation}},\n", 0) == 0U, bib.body);
}

BOOST_AUTO_TEST_CASE(bad_citation_requests) {
  check_error(get("/api/documents/hlf-annual/cite"), 400, "invalid_argument");
  check_error(get("/api/documents/hlf-annual/cite?format=chicago"), 400, "invalid_argument");
  check_error(get("/api/documents/hlf-annual/cite?format=apa&page=0"), 400, "invalid_argument");
  check_error(get("/api/documents/hlf-annual/cite?format=apa&page=4"), 400, "invalid_argument");
  check_error(get("/api/documents/hlf-annual/cite?format=apa&page=x"), 400, "invalid_argument");
  check_error(get("/api/documents/hlf-annual/cite?format=apa&quote=" + std::string(1001, 'q')), 400,
              "invalid_argument");
  check_error(get("/api/documents/no-such-doc/cite?format=apa"), 404, "not_found");
  HttpResult text_style = get("/api/export?format=apa&id=hlf-annual");
  check_error(text_style, 400, "invalid_argument");
  BOOST_TEST(text_style.json()["error"]["message"] == "parameter 'format' must be bibtex, ris or csl-json");
  check_error(get("/api/export?id=hlf-annual"), 400, "invalid_argument");
  check_error(get("/api/export?format=ris"), 400, "invalid_argument");
  check_error(get("/api/export?format=ris&id=hlf-annual&id=no-such-doc"), 404, "not_found");
}

// The exports read by a program we did not write: pandoc's CSL-JSON and BibTeX readers
// (Debian's pandoc 2.17, installed by scripts/setup.sh). CSL-JSON read and written again
// by pandoc must be what we wrote (pandoc makes straight apostrophes curly, nothing else);
// our BibTeX read by pandoc must give our CSL-JSON's fields back.
BOOST_AUTO_TEST_CASE(exports_read_the_same_in_pandoc) {
  const std::string ids = "id=lri-informe&id=hlf-annual&id=long-report";
  std::string csl_text = get("/api/export?format=csl-json&" + ids).body;
  std::string bibtex = get("/api/export?format=bibtex&" + ids).body;
  write_file(dir.path() / "export.json", csl_text);
  write_file(dir.path() / "export.bib", bibtex);
  auto smart = [](std::string text) {
    for (std::size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at)) {
      text.replace(at, 1, "\u2019");
    }
    return text;
  };
  json ours = json::parse(smart(csl_text));
  auto csl_again = evidence::testing::run_process(
      {"/usr/bin/pandoc", "-f", "csljson", "-t", "csljson", (dir.path() / "export.json").string()});
  BOOST_REQUIRE_MESSAGE(csl_again.exit_code == 0, "pandoc could not read our CSL-JSON: " << csl_again.err);
  BOOST_TEST(json::parse(csl_again.out) == ours);

  auto from_bibtex = evidence::testing::run_process(
      {"/usr/bin/pandoc", "-f", "bibtex", "-t", "csljson", (dir.path() / "export.bib").string()});
  BOOST_REQUIRE_MESSAGE(from_bibtex.exit_code == 0, "pandoc could not read our BibTeX: " << from_bibtex.err);
  json read = json::parse(from_bibtex.out);
  BOOST_REQUIRE(read.size() == ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    // A document of no known type is CSL's "document" and BibTeX's @misc, which pandoc 2.17
    // reads back as no type at all.
    if (ours[i]["type"] == "document" && read[i].value("type", "").empty()) read[i]["type"] = "document";
    BOOST_TEST_CONTEXT(ours[i]["id"]) {
      for (const char* field :
           {"id", "type", "title", "author", "publisher", "publisher-place", "URL", "genre"}) {
        BOOST_TEST(read[i].value(field, json()) == ours[i].value(field, json()),
                   field << ": pandoc read " << read[i].value(field, json()) << ", we wrote "
                         << ours[i].value(field, json()));
      }
      // BibTeX has a year and a month, no day.
      BOOST_TEST(read[i]["issued"]["date-parts"][0][0] == ours[i]["issued"]["date-parts"][0][0]);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(pdf, Library)

BOOST_AUTO_TEST_CASE(whole_file_with_validators) {
  std::string bytes = read_file(corpus() / "reports" / "informe año.pdf");
  std::string sha256 = get("/api/documents/lri-informe").json()["sha256"];
  HttpResult result = get("/documents/lri-informe.pdf");
  BOOST_TEST(result.status == 200);
  BOOST_TEST((result.body == bytes));
  BOOST_TEST(result.headers.at("content-type") == "application/pdf");
  BOOST_TEST(result.headers.at("content-length") == std::to_string(bytes.size()));
  BOOST_TEST(result.headers.at("accept-ranges") == "bytes");
  BOOST_TEST(result.headers.at("etag") == "\"" + sha256 + "\"");
  BOOST_TEST(result.headers.at("last-modified").size() == 29U);
  BOOST_TEST(result.headers.at("cache-control") == "public, no-cache");
  BOOST_TEST(result.headers.at("content-disposition") ==
             "inline; filename=\"informe a__o.pdf\"; filename*=UTF-8''informe%20a%C3%B1o.pdf");
}

BOOST_AUTO_TEST_CASE(ranges_give_exact_bytes) {
  std::string bytes = read_file(corpus() / "long.pdf");
  BOOST_REQUIRE(bytes.size() > 140000U);  // several 64 KiB pieces
  HttpResult part = get("/documents/long-report.pdf", {{"Range", "bytes=60000-139999"}});
  BOOST_TEST(part.status == 206);
  BOOST_TEST(part.headers.at("content-range") == "bytes 60000-139999/" + std::to_string(bytes.size()));
  BOOST_TEST(part.headers.at("content-length") == "80000");
  BOOST_TEST((part.body == bytes.substr(60000, 80000)));
  HttpResult tail = get("/documents/long-report.pdf", {{"Range", "bytes=-100"}});
  BOOST_TEST(tail.status == 206);
  BOOST_TEST((tail.body == bytes.substr(bytes.size() - 100)));
  HttpResult whole = get("/documents/long-report.pdf");
  BOOST_TEST((whole.body == bytes));
  // Several ranges: the whole file, with 200.
  HttpResult several = get("/documents/long-report.pdf", {{"Range", "bytes=0-9,20-29"}});
  BOOST_TEST(several.status == 200);
  BOOST_TEST(several.body.size() == bytes.size());
}

BOOST_AUTO_TEST_CASE(unsatisfiable_range_is_416) {
  std::string size = std::to_string(fs::file_size(corpus() / "hlf.pdf"));
  HttpResult result = get("/documents/hlf-annual.pdf", {{"Range", "bytes=" + size + "-"}});
  check_error(result, 416, "range_not_satisfiable");
  BOOST_TEST(result.headers.at("content-range") == "bytes */" + size);
}

BOOST_AUTO_TEST_CASE(conditional_requests) {
  HttpResult first = get("/documents/hlf-annual.pdf");
  std::string tag = first.headers.at("etag");
  std::string modified = first.headers.at("last-modified");
  HttpResult same = get("/documents/hlf-annual.pdf", {{"If-None-Match", "\"other\", " + tag}});
  BOOST_TEST(same.status == 304);
  BOOST_TEST(same.body == "");
  BOOST_TEST(same.headers.at("etag") == tag);
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"If-None-Match", "W/" + tag}}).status == 304);
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"If-None-Match", "\"other\""}}).status == 200);
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"If-Modified-Since", modified}}).status == 304);
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}}).status == 200);
  // If-Range: the range only while the file is the one the client has.
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"Range", "bytes=0-9"}, {"If-Range", tag}}).status == 206);
  BOOST_TEST(get("/documents/hlf-annual.pdf", {{"Range", "bytes=0-9"}, {"If-Range", modified}}).status == 206);
  HttpResult stale = get("/documents/hlf-annual.pdf", {{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}});
  BOOST_TEST(stale.status == 200);
  BOOST_TEST(stale.body.size() == first.body.size());
}

BOOST_AUTO_TEST_CASE(head_sends_headers_only) {
  HttpResult head = client->request("HEAD", "/documents/hlf-annual.pdf");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.body == "");
  BOOST_TEST(head.headers.at("content-length") == std::to_string(fs::file_size(corpus() / "hlf.pdf")));
  BOOST_TEST(head.headers.at("content-type") == "application/pdf");
  // The same headers as GET: a cache may take one for the other.
  HttpResult full = get("/documents/hlf-annual.pdf");
  for (const char* name : {"etag", "last-modified", "cache-control", "accept-ranges", "content-disposition",
                           "x-content-type-options", "vary"}) {
    BOOST_TEST(head.headers.at(name) == full.headers.at(name), name);
  }
  // Not one byte after the header, on the wire (the test client would not read a body).
  std::string wire =
      client->raw("HEAD /documents/hlf-annual.pdf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  BOOST_TEST(wire.rfind("HTTP/1.1 200", 0) == 0U, wire.substr(0, 80));
  BOOST_TEST(wire.find("\r\n\r\n") + 4 == wire.size());
  // The connection is still usable after a HEAD.
  BOOST_TEST(get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(only_known_ids_reach_the_file_system) {
  check_error(get("/documents/no-such-doc.pdf"), 404, "not_found");
  check_error(get("/documents/..pdf"), 404, "not_found");
  check_error(get("/documents/...pdf"), 404, "not_found");
  check_error(get("/documents/..%2F..%2Fetc%2Fpasswd.pdf"), 404, "not_found");
  check_error(get("/documents/hlf-annual%2F..%2Fhlf-annual.pdf"), 404, "not_found");
  check_error(get("/documents/hlf.pdf.pdf"), 404, "not_found");
  check_error(client->request("POST", "/documents/hlf-annual.pdf"), 405, "method_not_allowed");
}

BOOST_AUTO_TEST_CASE(file_deleted_or_moved_out_of_the_corpus) {
  fs::remove(corpus() / "gone.pdf");
  HttpResult gone = get("/documents/gone-doc.pdf");
  check_error(gone, 404, "not_found");
  BOOST_TEST(gone.json()["error"]["message"] == "the file of document 'gone-doc' is no longer in the corpus");
  // A symbolic link that leads out of the corpus is not followed.
  write_file(dir.path() / "outside.pdf", "%PDF-1.4 secret");
  fs::remove(corpus() / "moved.pdf");
  fs::create_symlink(dir.path() / "outside.pdf", corpus() / "moved.pdf");
  check_error(get("/documents/escape-doc.pdf"), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(changed_file_gets_a_size_and_time_etag) {
  std::string indexed_tag = get("/documents/hlf-annual.pdf").headers.at("etag");
  std::string changed = read_file(corpus() / "hlf.pdf") + "\n% appended after indexing\n";
  write_file(corpus() / "hlf.pdf", changed);
  HttpResult result = get("/documents/hlf-annual.pdf");
  BOOST_TEST(result.status == 200);
  BOOST_TEST((result.body == changed));
  std::string tag = result.headers.at("etag");
  BOOST_TEST(tag != indexed_tag);
  BOOST_TEST(tag.find('-') != std::string::npos, tag);  // "<size>-<mtime>" in hex
}

BOOST_AUTO_TEST_SUITE_END()
