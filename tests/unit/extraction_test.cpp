// Tests of indexer/extraction.hpp: the worker run in this process on a job, as the pool
// would run it (frames, pages, OCR of the pages without a text layer, its bound, long PDFs
// read in parts).

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <xapian.h>

#include "corpus_builder.hpp"
#include "extraction.hpp"
#include "index_layout.hpp"
#include "ocr.hpp"
#include "records.hpp"
#include "temp_dir.hpp"
#include "worker_protocol.hpp"

using evidence::pdfgen::PdfSpec;
using evidence::testing::partly_scanned_report;
using evidence::testing::TempDir;
using evidence::testing::write_pages;
using evidence::testing::write_pdf;

BOOST_AUTO_TEST_SUITE(extraction)

// OCR: a page that is only an image (a scan) is read by Tesseract in the worker; the pages
// with a text layer are not. Runs the worker in this process on the job, as the pool would.
namespace {

struct WorkerOutput {
  std::vector<evidence::core::PageInfo> pages;
  evidence::indexer::ExtractionResult result;
  std::string frames;  // the frame types in the order they came
};

WorkerOutput run_job(const evidence::indexer::ExtractionJob& job, const TempDir& dir) {
  using namespace evidence::indexer;
  int in[2];
  BOOST_REQUIRE(::pipe(in) == 0);
  BOOST_REQUIRE(write_frame(in[1], FrameType::kJob, encode_job(job)));
  ::close(in[1]);
  std::string out_path = (dir / "frames").string();
  int out = ::open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  BOOST_REQUIRE(out >= 0);
  BOOST_TEST(run_worker(in[0], out) == 0);
  ::close(in[0]);
  ::lseek(out, 0, SEEK_SET);
  WorkerOutput output;
  while (auto frame = read_frame(out)) {
    BOOST_REQUIRE(frame->type != FrameType::kFailed);
    output.frames += static_cast<char>(frame->type);
    if (frame->type == FrameType::kPage) {
      auto page = evidence::core::decode_page_info(Xapian::Document::unserialise(frame->payload).get_data());
      BOOST_REQUIRE(page.ok());
      output.pages.push_back(page.value());
    } else if (frame->type == FrameType::kDone) {
      auto result = decode_result(frame->payload);
      BOOST_REQUIRE(result.ok());
      output.result = result.value();
    }
  }
  ::close(out);
  return output;
}

evidence::indexer::ExtractionJob make_job(const std::filesystem::path& pdf, const std::string& id, bool ocr) {
  evidence::indexer::ExtractionJob job;
  job.path = pdf.string();
  job.file_name = pdf.filename().string();
  job.document_id = id;
  job.ocr = ocr;
  return job;
}

}  // namespace

BOOST_AUTO_TEST_CASE(page_without_text_layer_is_read_by_ocr) {
  if (!evidence::indexer::ocr_built_in()) {
    BOOST_TEST_MESSAGE("built without Tesseract: OCR not tested");
    return;
  }
  TempDir dir;
  write_pdf(dir / "scanned.pdf", partly_scanned_report());
  auto job = make_job(dir / "scanned.pdf", "scanned-report", true);
  auto started = std::chrono::steady_clock::now();
  WorkerOutput output = run_job(job, dir);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST_MESSAGE("extraction with OCR of one A4 page at 300 dpi: " << seconds << " s");
  BOOST_REQUIRE_EQUAL(output.pages.size(), 3U);
  BOOST_TEST(!output.pages[0].ocr);
  BOOST_TEST(output.pages[1].ocr);
  BOOST_TEST(!output.pages[2].ocr);
  BOOST_TEST(output.pages[0].text == "The first page has a text layer about shelters and case workers.");
  const std::string& scanned = output.pages[1].text;
  for (const char* word : {"Quarterly", "inspection", "fishing", "vessels", "debt", "bondage", "deckhands"}) {
    BOOST_TEST(scanned.find(word) != std::string::npos, word << " in: " << scanned);
  }
  BOOST_TEST(output.result.ocr_pages == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST(output.result.pages_without_text.empty());
  BOOST_TEST(output.result.ocr_problem == "");
  BOOST_TEST(output.result.language == "en");
  BOOST_TEST(output.result.language_detected);
}

BOOST_AUTO_TEST_CASE(no_ocr_leaves_the_scanned_page_without_text) {
  TempDir dir;
  write_pdf(dir / "scanned.pdf", partly_scanned_report());
  auto job = make_job(dir / "scanned.pdf", "scanned-report", false);
  WorkerOutput output = run_job(job, dir);
  BOOST_REQUIRE_EQUAL(output.pages.size(), 3U);
  BOOST_TEST(output.pages[1].text == "");
  BOOST_TEST(!output.pages[1].ocr);
  BOOST_TEST(output.result.ocr_pages.empty());
  BOOST_TEST(output.result.pages_without_text == (std::vector<int>{2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(blank_page_is_not_sent_to_ocr_and_stays_without_text) {
  TempDir dir;
  PdfSpec spec = evidence::pdfgen::simple_pdf({"A page with enough text to need no OCR at all.", ""});
  write_pdf(dir / "blank.pdf", spec);
  auto job = make_job(dir / "blank.pdf", "blank-page", true);
  WorkerOutput output = run_job(job, dir);
  BOOST_REQUIRE_EQUAL(output.pages.size(), 2U);
  BOOST_TEST(output.result.ocr_pages.empty());
  BOOST_TEST(output.result.pages_without_text == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST(output.result.ocr_problem == "");
}

// The OCR bound of a document read in parts is shared among them by their pages, so that
// the parts together read no more scans than it allows.
BOOST_AUTO_TEST_CASE(parts_share_the_ocr_bound_of_their_document) {
  if (!evidence::indexer::ocr_built_in()) {
    BOOST_TEST_MESSAGE("built without Tesseract: OCR not tested");
    return;
  }
  TempDir dir;
  PdfSpec spec =
      evidence::pdfgen::simple_pdf({"Shelter one.", "Shelter two.", "Shelter three.", "Shelter four."});
  for (auto& page : spec.pages) page.scanned = true;
  write_pdf(dir / "scans.pdf", spec);
  auto first = make_job(dir / "scans.pdf", "scans", true);
  first.sidecar = evidence::core::DocumentMetadata{};
  first.sidecar->title = "Scans";
  first.sidecar->language = "en";
  first.ocr_max_pages = 2;
  first.last_page = 2;
  auto later = first;
  later.first_page = 3;
  later.last_page = 4;
  later.language = "en";
  for (const auto& job : {first, later}) {
    WorkerOutput output = run_job(job, dir);
    BOOST_TEST(output.result.ocr_pages == (std::vector<int>{job.first_page}),
               boost::test_tools::per_element());
    BOOST_TEST(output.result.pages_without_text == (std::vector<int>{job.last_page}),
               boost::test_tools::per_element());
    BOOST_TEST(output.result.ocr_pages_skipped == 1);
  }
}

// A long PDF read in parts: the first part reads the pages the pool gives it and finishes
// the record with the metadata; a later part reads its own pages in the language it is given,
// and its record holds their text alone.
BOOST_AUTO_TEST_CASE(parts_of_a_long_pdf_read_their_own_pages) {
  TempDir dir;
  std::vector<std::string> texts;
  for (int n = 1; n <= 12; ++n) texts.push_back("Page " + std::to_string(n) + " is about marker" + std::to_string(n) + ".");
  write_pages(dir / "long.pdf", texts, "Long report");

  auto first = make_job(dir / "long.pdf", "long", false);
  first.last_page = 10;
  WorkerOutput head = run_job(first, dir);
  // Opened as soon as the PDF opens (its page count, for --max-pages), the language once
  // found (the pool then starts the other parts), the pages, done.
  BOOST_TEST(head.frames == "OL" + std::string(10, 'P') + "D");
  BOOST_REQUIRE_EQUAL(head.pages.size(), 10U);
  BOOST_TEST(head.pages.back().number == 10);
  BOOST_TEST(head.result.page_count == 12);
  Xapian::Document head_record = Xapian::Document::unserialise(head.result.document_record);
  BOOST_TEST(head_record.termlist_count() > 0U);
  auto has = [](const Xapian::Document& record, const std::string& term) {
    auto it = record.termlist_begin();
    it.skip_to(term);
    return it != record.termlist_end() && *it == term;
  };
  BOOST_TEST(has(head_record, "marker10"));
  BOOST_TEST(!has(head_record, "marker11"));
  BOOST_TEST(has(head_record, evidence::core::layout::kDocumentKindTerm));

  auto later = make_job(dir / "long.pdf", "long", false);
  later.first_page = 11;
  later.last_page = 12;
  later.language = "fr";
  WorkerOutput tail = run_job(later, dir);
  BOOST_TEST(tail.frames == "OPPD");  // a later part has its language already
  BOOST_REQUIRE_EQUAL(tail.pages.size(), 2U);
  BOOST_TEST(tail.pages[0].number == 11);
  BOOST_TEST(tail.pages[0].text == "Page 11 is about marker11.");
  BOOST_TEST(tail.pages[1].label == "12");
  BOOST_TEST(tail.result.language == "fr");
  BOOST_TEST(!tail.result.language_detected);
  Xapian::Document tail_record = Xapian::Document::unserialise(tail.result.document_record);
  BOOST_TEST(has(tail_record, "marker12"));
  BOOST_TEST(!has(tail_record, "marker10"));
  BOOST_TEST(!has(tail_record, evidence::core::layout::kDocumentKindTerm));  // no metadata

  // Put together, the later part's words count in the first part's record, at the
  // positions of their own pages.
  evidence::core::append_text_part(head_record, tail_record);
  auto marker11 = head_record.termlist_begin();
  marker11.skip_to("marker11");
  BOOST_REQUIRE(*marker11 == "marker11");
  BOOST_TEST(marker11.get_wdf() == 1U);
  BOOST_REQUIRE(marker11.positionlist_count() == 1U);
  BOOST_TEST(evidence::core::layout::page_of_position(*marker11.positionlist_begin()) == 11);
  BOOST_TEST(has(head_record, "marker10"));
  BOOST_TEST(!has(head_record, evidence::core::layout::kPageKindTerm));
}

BOOST_AUTO_TEST_SUITE_END()
