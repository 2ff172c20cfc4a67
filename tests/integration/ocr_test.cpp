// OCR through the real binaries: a PDF whose page 2 is only an image of known words (a
// scan), indexed by evidence-index and searched through evidence-server.
#define BOOST_TEST_MODULE ocr
#include <boost/test/unit_test.hpp>

#include <xapian.h>

#include "index_layout.hpp"
#include "records.hpp"
#include "test_support.hpp"

namespace layout = evidence::core::layout;

namespace {

// Pages 1 and 3 have a text layer; page 2 is an image of its words with no text layer.
void write_partly_scanned(const fs::path& path, const std::string& title = "Partly scanned survey") {
  evidence::pdfgen::PdfSpec spec = evidence::pdfgen::simple_pdf(
      {"Survey of seasonal farm workers in two regions, with a text layer.",
       "Inspectors recorded passport confiscation by the gangmaster at the packhouse.",
       "Appendix with a text layer listing the interview questions."},
      title);
  spec.pages[1].scanned = true;
  evidence::testing::write_pdf(path, spec);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ocr)

BOOST_AUTO_TEST_CASE(scanned_page_is_found_through_the_server) {
  LibraryFixture library;
  write_partly_scanned(library.corpus() / "survey.pdf");
  write_file(library.corpus() / "survey.json",
             R"({"id": "scanned-survey", "title": "Partly scanned survey", "language": "en"})");
  json summary = library.index_corpus();
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["pages_extracted"] == 3);
  BOOST_TEST(summary["pages_ocr"] == 1);
  BOOST_TEST(summary["pages_without_text"] == 0);
  BOOST_TEST(summary["ocr_problem"] == "");

  library.start_server();
  HttpClient& client = *library.client;
  json found = client.get("/api/search?q=" + url_encode("gangmaster")).json();
  BOOST_TEST(schema_errors(found, "search.schema.json") == "");
  BOOST_TEST(found["total"] == 1);
  BOOST_REQUIRE(found["documents"].size() == 1U);
  BOOST_TEST(found["documents"][0]["id"] == "scanned-survey");
  BOOST_REQUIRE(found["documents"][0]["pages"].size() == 1U);
  BOOST_TEST(found["documents"][0]["pages"][0]["page"] == 2);
  // A phrase across the scanned line is found too: the OCR text keeps the word order.
  BOOST_TEST(client.get("/api/search?q=" + url_encode("\"passport confiscation\"")).json()["total"] == 1);

  json document = client.get("/api/documents/scanned-survey").json();
  BOOST_TEST(schema_errors(document, "document.schema.json") == "");
  BOOST_TEST(document["ocr_pages"] == json::array({2}));
  BOOST_TEST(document["pages_without_text"] == json::array());

  json page2 = client.get("/api/documents/scanned-survey/pages/2").json();
  BOOST_TEST(schema_errors(page2, "page.schema.json") == "");
  BOOST_TEST(page2["ocr"] == true);
  BOOST_TEST(client.get("/api/documents/scanned-survey/pages/1").json()["ocr"] == false);
}

BOOST_AUTO_TEST_CASE(no_ocr_switch_leaves_the_page_without_text) {
  TempDir dir;
  write_partly_scanned(dir / "corpus" / "survey.pdf");
  json summary = summary_of(run_indexer(dir / "corpus", dir / "index", {"--no-ocr"}));
  BOOST_TEST(summary["pages_ocr"] == 0);
  BOOST_TEST(summary["pages_without_text"] == 1);
  BOOST_TEST(summary["ocr_problem"] == "");
  Xapian::Database db((dir / "index").string());
  auto posting = db.postlist_begin(layout::kDocumentKindTerm);
  BOOST_REQUIRE(posting != db.postlist_end(layout::kDocumentKindTerm));
  auto info = evidence::core::decode_document_info(db.get_document(*posting).get_data());
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->ocr_pages.empty());
  BOOST_TEST(info->pages_without_text == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST(db.get_termfreq("gangmaster") == 0U);
}

BOOST_AUTO_TEST_CASE(missing_language_data_is_told_once_and_indexing_goes_on) {
  TempDir dir;
  write_partly_scanned(dir / "corpus" / "a.pdf", "First survey");
  write_partly_scanned(dir / "corpus" / "b.pdf", "Second survey");
  write_file(dir / "corpus" / "b.json", R"({"id": "second-survey", "title": "Second", "language": "fr"})");
  fs::create_directories(dir / "no-tessdata");
  // An empty TESSDATA_PREFIX folder: Tesseract finds no language data at all.
  ::setenv("TESSDATA_PREFIX", (dir / "no-tessdata").c_str(), 1);
  // --no-compact: the summary, compared whole, then has no line of sizes that vary.
  auto result = evidence::testing::run_process({evidence::testing::binary("evidence-index"), "--progress",
                                                "never", "--no-compact", "--index", (dir / "index").string(),
                                                "--", (dir / "corpus").string()});
  ::unsetenv("TESSDATA_PREFIX");
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  BOOST_TEST(result.out ==
             "2 added, 0 updated, 0 removed, 0 unchanged, 0 failed\n"
             "6 pages extracted in " + result.out.substr(result.out.find(" in ") + 4, 4) +
             " s; the index holds 2 documents, 6 pages\n"
             "0 pages read by OCR, 2 pages without text\n"
             "OCR is off: Tesseract's language data for English (eng) is not installed (Debian: tesseract-ocr-eng); "
             "pages without a text layer were not read\n");
}

BOOST_AUTO_TEST_CASE(blank_pages_of_a_text_pdf_never_load_tesseract) {
  TempDir dir;
  evidence::testing::write_pages(dir / "corpus" / "report.pdf",
                                 {"A report page with plenty of text on it.", "", "The last page, also with text."},
                                 "Report with a blank page");
  fs::create_directories(dir / "no-tessdata");
  // Were Tesseract asked for the blank page, the missing data would be reported.
  ::setenv("TESSDATA_PREFIX", (dir / "no-tessdata").c_str(), 1);
  json summary = summary_of(run_indexer(dir / "corpus", dir / "index"));
  ::unsetenv("TESSDATA_PREFIX");
  BOOST_TEST(summary["pages_ocr"] == 0);
  BOOST_TEST(summary["pages_without_text"] == 1);
  BOOST_TEST(summary["ocr_problem"] == "");
}

// A page whose short line of real text (fewer letters than a paragraph) is its only content
// is no scan: no image covers it, so it is neither rendered nor read by Tesseract.
BOOST_AUTO_TEST_CASE(short_text_pages_without_images_never_load_tesseract) {
  TempDir dir;
  constexpr int kPages = 300;  // more than --split-pages: read in parts, each part checked
  std::vector<std::string> lines;
  for (int n = 1; n <= kPages; ++n) lines.push_back("Ledger entry " + std::to_string(n));
  evidence::testing::write_pages(dir / "corpus" / "ledger.pdf", lines, "Ledger");
  fs::create_directories(dir / "no-tessdata");
  // Were Tesseract asked for any page, the missing data would be reported.
  ::setenv("TESSDATA_PREFIX", (dir / "no-tessdata").c_str(), 1);
  json summary = summary_of(run_indexer(dir / "corpus", dir / "index"));
  ::unsetenv("TESSDATA_PREFIX");
  BOOST_TEST(summary["pages_extracted"] == kPages);
  BOOST_TEST(summary["pages_ocr"] == 0);
  BOOST_TEST(summary["pages_without_text"] == 0);
  BOOST_TEST(summary["ocr_problem"] == "");
  Xapian::Database db((dir / "index").string());
  // Every page record and the document record hold the word.
  BOOST_TEST(db.get_termfreq("ledger") == static_cast<Xapian::doccount>(kPages + 1));
  BOOST_TEST(db.get_termfreq("299") >= 1U);
}

// A scan whose text layer holds a stray page number is still a scan: OCR reads it.
BOOST_AUTO_TEST_CASE(scanned_page_with_a_stray_page_number_is_read_by_ocr) {
  TempDir dir;
  evidence::pdfgen::PdfSpec spec = evidence::pdfgen::simple_pdf(
      {"Survey of seasonal farm workers in two regions, with a text layer.",
       "Inspectors recorded passport confiscation by the gangmaster at the packhouse."},
      "Scanned with a page number");
  spec.pages[1].scanned = true;
  spec.pages[1].text_layer = "Page 2";
  evidence::testing::write_pdf(dir / "corpus" / "survey.pdf", spec);
  json summary = summary_of(run_indexer(dir / "corpus", dir / "index"));
  BOOST_TEST(summary["pages_ocr"] == 1);
  BOOST_TEST(summary["pages_ocr_skipped"] == 0);
  Xapian::Database db((dir / "index").string());
  BOOST_TEST(db.get_termfreq("gangmaster") == 2U);  // the page record and the document record
}

// --ocr-max-pages: OCR reads that many scanned pages of a document, the rest stay without
// text, and the summary says so.
BOOST_AUTO_TEST_CASE(ocr_stops_at_the_bound_of_pages_per_document) {
  TempDir dir;
  evidence::pdfgen::PdfSpec spec =
      evidence::pdfgen::simple_pdf({"Minutes of the first meeting.", "Minutes of the second meeting.",
                                    "Minutes of the third meeting.", "Minutes of the fourth meeting."},
                                   "Scanned minutes");
  for (auto& page : spec.pages) page.scanned = true;
  evidence::testing::write_pdf(dir / "corpus" / "minutes.pdf", spec);
  write_file(dir / "corpus" / "minutes.json",
             R"({"id": "minutes", "title": "Scanned minutes", "language": "en"})");
  auto result = run_indexer(dir / "corpus", dir / "index", {"--ocr-max-pages", "2"});
  json summary = summary_of(result);
  BOOST_TEST(summary["pages_ocr"] == 2);
  BOOST_TEST(summary["pages_ocr_skipped"] == 2);
  BOOST_TEST(summary["documents_ocr_limited"] == 1);
  BOOST_TEST(summary["pages_without_text"] == 2);
  Xapian::Database db((dir / "index").string());
  auto posting = db.postlist_begin(layout::kDocumentKindTerm);
  BOOST_REQUIRE(posting != db.postlist_end(layout::kDocumentKindTerm));
  auto info = evidence::core::decode_document_info(db.get_document(*posting).get_data());
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->ocr_pages == (std::vector<int>{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(info->pages_without_text == (std::vector<int>{3, 4}), boost::test_tools::per_element());
  BOOST_TEST(info->ocr_pages_skipped == 2);
  BOOST_TEST(db.get_termfreq("second") == 2U);
  BOOST_TEST(db.get_termfreq("third") == 0U);

  // The same file as text for a person: a line says what was left unread.
  TempDir again;
  std::filesystem::copy(dir / "corpus", again / "corpus");
  auto text = evidence::testing::run_process({evidence::testing::binary("evidence-index"), "--progress",
                                              "never", "--ocr-max-pages", "2", "--index",
                                              (again / "index").string(), "--", (again / "corpus").string()});
  BOOST_REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  BOOST_TEST(text.out.find("2 pages read by OCR, 2 pages without text\n"
                           "2 scanned pages not read by OCR: 1 document reached --ocr-max-pages\n") !=
                 std::string::npos,
             text.out);
}

BOOST_AUTO_TEST_SUITE_END()
