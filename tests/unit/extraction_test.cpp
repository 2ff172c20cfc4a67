// Extraction from PDFs that the test generates with known text on known pages, and from
// broken ones made by truncating and corrupting them.
#define BOOST_TEST_MODULE extraction
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <xapian.h>

#include "corpus_builder.hpp"
#include "extraction.hpp"
#include "hostile_pdf.hpp"
#include "index_layout.hpp"
#include "ocr.hpp"
#include "pdf_extractor.hpp"
#include "records.hpp"
#include "temp_dir.hpp"
#include "text.hpp"
#include "worker_protocol.hpp"

using evidence::core::ErrorCode;
using evidence::core::normalize_page_text;
using evidence::indexer::PdfExtractor;
using evidence::pdfgen::Block;
using evidence::pdfgen::PageSpec;
using evidence::pdfgen::PdfSpec;
using evidence::testing::TempDir;
using evidence::testing::read_file;
using evidence::testing::write_file;
using evidence::testing::write_pages;
using evidence::testing::write_pdf;

BOOST_AUTO_TEST_SUITE(extraction)

BOOST_AUTO_TEST_CASE(text_lands_on_its_page) {
  TempDir dir;
  write_pages(dir / "three.pdf", {"Alpha page about safe houses.", "Bravo page about labour inspection.",
                                "Charlie page about reintegration grants."}, "Three pages");
  PdfExtractor extractor;
  auto info = extractor.open((dir / "three.pdf").string());
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->page_count == 3);
  BOOST_TEST(info->title == "Three pages");
  BOOST_TEST(!info->has_page_labels);
  BOOST_TEST(normalize_page_text(extractor.page_text(1)) == "Alpha page about safe houses.");
  BOOST_TEST(normalize_page_text(extractor.page_text(2)) == "Bravo page about labour inspection.");
  BOOST_TEST(normalize_page_text(extractor.page_text(3)) == "Charlie page about reintegration grants.");
  BOOST_TEST(extractor.page_label(2) == "2");
}

BOOST_AUTO_TEST_CASE(info_dictionary_and_page_labels) {
  TempDir dir;
  PdfSpec spec;
  spec.title = "Rapport sur le recrutement équitable";
  spec.author = "Fictional Organisation Zoë Łukasz";
  spec.date = "2022-03-15";
  spec.page_labels = {"i", "ii", "1"};
  spec.pages = {PageSpec{{Block{Block::Kind::kParagraph, "Cover"}}}, PageSpec{{Block{Block::Kind::kParagraph, "Contents"}}},
                PageSpec{{Block{Block::Kind::kParagraph, "Body"}}}};
  write_pdf(dir / "labels.pdf", spec);
  PdfExtractor extractor;
  auto info = extractor.open((dir / "labels.pdf").string());
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->title == "Rapport sur le recrutement équitable");
  BOOST_TEST(info->author == "Fictional Organisation Zoë Łukasz");
  BOOST_TEST(info->date == "2022-03-15");
  BOOST_TEST(info->has_page_labels);
  BOOST_TEST(extractor.page_label(1) == "i");
  BOOST_TEST(extractor.page_label(2) == "ii");
  BOOST_TEST(extractor.page_label(3) == "1");
}

BOOST_AUTO_TEST_CASE(line_end_hyphenation_is_joined_and_ligatures_expanded) {
  TempDir dir;
  PdfSpec spec;
  spec.pages = {PageSpec{{Block{Block::Kind::kLines,
                                "Victims of human traf-\nficking need specialist support and\n"
                                "the \xEF\xAC\x81rst contact matters."}}}};
  write_pdf(dir / "hyphen.pdf", spec);
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "hyphen.pdf").string()).ok());
  std::string text = normalize_page_text(extractor.page_text(1));
  BOOST_TEST(text.find("trafficking") != std::string::npos, text);
  BOOST_TEST(text.find("first contact") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(headings_are_the_lines_set_larger_than_the_body) {
  TempDir dir;
  PdfSpec spec;
  spec.footer = "Sample document of a fictional organisation";
  spec.pages = {PageSpec{{Block{Block::Kind::kHeading, "Safe Accommodation Standards"},
                          Block{Block::Kind::kParagraph, "Every shelter keeps a register of night staff and a rota "
                                                         "for the hotline, reviewed each quarter by the manager."},
                          Block{Block::Kind::kSubheading, "Night rota"},
                          Block{Block::Kind::kParagraph, "Two trained people are on duty every night of the year."}}},
                PageSpec{{Block{Block::Kind::kParagraph, "A page of body text only, with no heading at all."}}}};
  write_pdf(dir / "headings.pdf", spec);
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "headings.pdf").string()).ok());
  (void)extractor.page_text(1);
  BOOST_TEST(extractor.page_headings() == (std::vector<std::string>{"Safe Accommodation Standards", "Night rota"}),
             boost::test_tools::per_element());
  (void)extractor.page_text(2);
  BOOST_TEST(extractor.page_headings().empty());
}

BOOST_AUTO_TEST_CASE(empty_file_is_reported) {
  TempDir dir;
  write_file(dir / "empty.pdf", "");
  PdfExtractor extractor;
  auto info = extractor.open((dir / "empty.pdf").string());
  BOOST_REQUIRE(!info.ok());
  BOOST_TEST(static_cast<int>(info.error().code) == static_cast<int>(ErrorCode::kEmptyFile));
  BOOST_TEST(info.error().message == "the file is empty (0 bytes)");
}

BOOST_AUTO_TEST_CASE(garbage_after_header_is_damaged) {
  TempDir dir;
  write_file(dir / "garbage.pdf", "%PDF-1.7\n" + std::string(4000, 'x') + "\n%%EOF\n");
  PdfExtractor extractor;
  auto info = extractor.open((dir / "garbage.pdf").string());
  BOOST_REQUIRE(!info.ok());
  BOOST_TEST(static_cast<int>(info.error().code) == static_cast<int>(ErrorCode::kDamaged));
  BOOST_TEST(info.error().message.rfind("the PDF", 0) == 0, info.error().message);
}

BOOST_AUTO_TEST_CASE(truncated_pdf_never_crashes) {
  TempDir dir;
  const std::vector<std::string> texts{"First page text.", "Second page text.", "Third page text."};
  write_pages(dir / "whole.pdf", texts);
  std::string bytes = read_file(dir / "whole.pdf");
  for (std::size_t cut : {bytes.size() / 10, bytes.size() / 3, bytes.size() / 2, bytes.size() - 200}) {
    BOOST_TEST_CONTEXT("cut at " << cut << " of " << bytes.size()) {
      write_file(dir / "cut.pdf", bytes.substr(0, cut));
      PdfExtractor extractor;
      auto info = extractor.open((dir / "cut.pdf").string());
      if (!info.ok()) {
        BOOST_TEST(static_cast<int>(info.error().code) == static_cast<int>(ErrorCode::kDamaged));
        continue;
      }
      // Poppler may rebuild the cross-reference table: the pages it finds are pages of the
      // file, each with its own text or none (its content cut off), never anything else.
      BOOST_TEST(info->page_count <= 3);
      for (int page = 1; page <= info->page_count; ++page) {
        std::string text = normalize_page_text(extractor.page_text(page));
        bool known = text.empty() || std::find(texts.begin(), texts.end(), text) != texts.end();
        BOOST_TEST(known, "page " << page << ": " << text);
      }
      // Only the cross-reference table and the trailer are gone: every page reads whole.
      if (cut == bytes.size() - 200) {
        BOOST_TEST(info->page_count == 3);
        for (int page = 1; page <= 3; ++page) {
          BOOST_TEST(normalize_page_text(extractor.page_text(page)) ==
                     texts[static_cast<std::size_t>(page - 1)]);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(encrypted_pdf_needs_a_password) {
  TempDir dir;
  write_pages(dir / "plain.pdf", {"Secret page."});
  std::string command = "qpdf --encrypt user-secret owner-secret 256 -- '" + (dir / "plain.pdf").string() +
                        "' '" + (dir / "locked.pdf").string() + "'";
  BOOST_REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "qpdf is needed (scripts/setup.sh installs it)");
  PdfExtractor extractor;
  auto info = extractor.open((dir / "locked.pdf").string());
  BOOST_REQUIRE(!info.ok());
  BOOST_TEST(static_cast<int>(info.error().code) == static_cast<int>(ErrorCode::kEncrypted));
  BOOST_TEST(info.error().message == "the PDF is encrypted and needs a password");
}

// Where images cover a page, found without rendering it: what tells a scan from a page of
// short text. Pages of hand-written PDF content on a 612 x 792 page.
namespace {

// An inline 2 x 2 grey image filling the rectangle the matrix `cm` maps the unit square to.
std::string inline_image(const std::string& cm) {
  return "q " + cm + " cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x10\x60\x30\x40 EI Q\n";
}

double coverage_of(const TempDir& dir, const std::string& content) {
  write_file(dir / "images.pdf", evidence::testing::hostile::one_page(content));
  PdfExtractor extractor;
  auto info = extractor.open((dir / "images.pdf").string());
  BOOST_REQUIRE(info.ok());
  return extractor.image_coverage(1);
}

}  // namespace

BOOST_AUTO_TEST_CASE(image_coverage_is_the_share_of_the_page_under_images) {
  TempDir dir;
  BOOST_TEST(coverage_of(dir, "BT /F1 12 Tf 72 700 Td (Text only) Tj ET") == 0.0);
  BOOST_TEST(coverage_of(dir, inline_image("612 0 0 792 0 0")) == 1.0);
  BOOST_TEST(coverage_of(dir, inline_image("306 0 0 396 0 0")) == 0.25);
  // Overlapping images count once: the left half and the bottom half are three quarters.
  BOOST_TEST(coverage_of(dir, inline_image("306 0 0 792 0 0") + inline_image("612 0 0 396 0 0")) == 0.75);
  // An image larger than the page counts the page; a clip path bounds what shows.
  BOOST_TEST(coverage_of(dir, inline_image("2000 0 0 2000 -500 -500")) == 1.0);
  BOOST_TEST(coverage_of(dir, "0 0 306 792 re W n " + inline_image("612 0 0 792 0 0")) == 0.5);
  // Turned a quarter: the matrix's corners, not its diagonal, give the box.
  BOOST_TEST(coverage_of(dir, inline_image("0 792 -612 0 612 0")) == 1.0);
  // An image that is a pattern's tile (a texture behind the text) is no scan.
  std::string tile = "q 10 0 0 10 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x10\x60\x30\x40 EI Q";
  write_file(dir / "pattern.pdf",
             evidence::testing::hostile::assemble(
                 {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                  "/Resources << /Pattern << /P1 5 0 R >> >> >>",
                  evidence::testing::hostile::stream_object("/Pattern cs /P1 scn 0 0 612 792 re f"),
                  evidence::testing::hostile::stream_object(
                      tile,
                      "/PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10] /XStep 10 /YStep 10 "
                      "/Resources << >>")}));
  PdfExtractor textured;
  BOOST_REQUIRE(textured.open((dir / "pattern.pdf").string()).ok());
  BOOST_TEST(textured.image_coverage(1) == 0.0);
  BOOST_TEST(!textured.render_page(1, 72).blank());  // the tiles are there
  // The text after an inline image is still read: its bytes were skipped, not parsed.
  write_file(dir / "mixed.pdf",
             evidence::testing::hostile::one_page(inline_image("306 0 0 396 0 0") +
                                                  "BT /F1 12 Tf 72 700 Td (After the image) Tj ET"));
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "mixed.pdf").string()).ok());
  BOOST_TEST(extractor.image_coverage(1) == 0.25);
  BOOST_TEST(normalize_page_text(extractor.page_text(1)) == "After the image");
}

BOOST_AUTO_TEST_CASE(a_scanned_page_is_covered_by_its_image_and_a_text_page_is_not) {
  TempDir dir;
  PdfSpec spec =
      evidence::pdfgen::simple_pdf({"Ledger entry 1", "A scanned page of a report.", "Ledger entry 3"});
  spec.pages[1].scanned = true;
  spec.pages[2].scanned = true;
  spec.pages[2].text_layer = "3";  // a page number over the scan
  write_pdf(dir / "mixed.pdf", spec);
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "mixed.pdf").string()).ok());
  BOOST_TEST(extractor.image_coverage(1) == 0.0);
  BOOST_TEST(extractor.image_coverage(2) == 1.0);
  BOOST_TEST(extractor.image_coverage(3) == 1.0);
  BOOST_TEST(normalize_page_text(extractor.page_text(3)) == "3");
  // The blank check's low resolution still sees a scan's text.
  BOOST_TEST(!extractor.render_page(2, 72).blank());
}

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

PdfSpec scanned_middle_page() {
  PdfSpec spec = evidence::pdfgen::simple_pdf(
      {"The first page has a text layer about shelters and case workers.",
       "Quarterly inspection of fishing vessels found debt bondage among deckhands.",
       "The third page has a text layer about reintegration grants."},
      "Partly scanned report");
  spec.pages[1].scanned = true;
  return spec;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scanned_page_has_no_text_layer) {
  TempDir dir;
  write_pdf(dir / "scanned.pdf", scanned_middle_page());
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "scanned.pdf").string()).ok());
  BOOST_TEST(normalize_page_text(extractor.page_text(2)) == "");
  auto image = extractor.render_page(2, 300);
  BOOST_TEST(image.width == 2480);  // A4 at 300 dpi
  BOOST_TEST(image.height == 3508);
  BOOST_TEST(!image.blank());
}

BOOST_AUTO_TEST_CASE(page_without_text_layer_is_read_by_ocr) {
  if (!evidence::indexer::ocr_built_in()) {
    BOOST_TEST_MESSAGE("built without Tesseract: OCR not tested");
    return;
  }
  TempDir dir;
  write_pdf(dir / "scanned.pdf", scanned_middle_page());
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
  write_pdf(dir / "scanned.pdf", scanned_middle_page());
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

BOOST_AUTO_TEST_CASE(tesseract_languages) {
  using evidence::indexer::tesseract_language;
  BOOST_TEST(tesseract_language("en") == "eng");
  BOOST_TEST(tesseract_language("fr-CA") == "fra");
  BOOST_TEST(tesseract_language("es") == "spa");
  BOOST_TEST(tesseract_language("de") == "deu");
  BOOST_TEST(tesseract_language("pt-BR") == "por");
  BOOST_TEST(tesseract_language("zh-Hant") == "chi_tra");
  BOOST_TEST(tesseract_language("zh") == "chi_sim");
  BOOST_TEST(tesseract_language("sw") == "eng");
  BOOST_TEST(tesseract_language("") == "eng");
}

BOOST_AUTO_TEST_SUITE_END()
