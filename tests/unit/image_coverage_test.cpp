// Tests of indexer/image_coverage.hpp (through PdfExtractor::image_coverage): the share of a
// page that images cover.

#include <boost/test/unit_test.hpp>

#include <string>

#include "corpus_builder.hpp"
#include "hostile_pdf.hpp"
#include "pdf_extractor.hpp"
#include "temp_dir.hpp"
#include "text.hpp"

using evidence::core::normalize_page_text;
using evidence::indexer::PdfExtractor;
using evidence::pdfgen::PdfSpec;
using evidence::testing::TempDir;
using evidence::testing::write_file;
using evidence::testing::write_pdf;

BOOST_AUTO_TEST_SUITE(image_coverage)

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

BOOST_AUTO_TEST_SUITE_END()
