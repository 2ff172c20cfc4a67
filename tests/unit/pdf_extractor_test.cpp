// Tests of indexer/pdf_extractor.hpp: text, headings, metadata and page labels from PDFs
// that the test generates with known text on known pages, a scan's page rendered, and broken
// PDFs made by truncating and corrupting them.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "corpus_builder.hpp"
#include "pdf_extractor.hpp"
#include "temp_dir.hpp"
#include "text.hpp"

using evidence::core::ErrorCode;
using evidence::core::normalize_page_text;
using evidence::indexer::PdfExtractor;
using evidence::pdfgen::Block;
using evidence::pdfgen::PageSpec;
using evidence::pdfgen::PdfSpec;
using evidence::testing::partly_scanned_report;
using evidence::testing::read_file;
using evidence::testing::TempDir;
using evidence::testing::write_file;
using evidence::testing::write_pages;
using evidence::testing::write_pdf;

BOOST_AUTO_TEST_SUITE(pdf_extractor)

BOOST_AUTO_TEST_CASE(text_lands_on_its_page) {
  TempDir dir;
  write_pages(dir / "three.pdf",
              {"Alpha page about safe houses.", "Bravo page about labour inspection.",
               "Charlie page about reintegration grants."},
              "Three pages");
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
  spec.pages = {PageSpec{{Block{Block::Kind::kParagraph, "Cover"}}},
                PageSpec{{Block{Block::Kind::kParagraph, "Contents"}}},
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
  spec.pages = {
      PageSpec{{Block{Block::Kind::kHeading, "Safe Accommodation Standards"},
                Block{Block::Kind::kParagraph,
                      "Every shelter keeps a register of night staff and a rota "
                      "for the hotline, reviewed each quarter by the manager."},
                Block{Block::Kind::kSubheading, "Night rota"},
                Block{Block::Kind::kParagraph, "Two trained people are on duty every night of the year."}}},
      PageSpec{{Block{Block::Kind::kParagraph, "A page of body text only, with no heading at all."}}}};
  write_pdf(dir / "headings.pdf", spec);
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "headings.pdf").string()).ok());
  (void)extractor.page_text(1);
  BOOST_TEST(
      extractor.page_headings() == (std::vector<std::string>{"Safe Accommodation Standards", "Night rota"}),
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

BOOST_AUTO_TEST_CASE(scanned_page_has_no_text_layer) {
  TempDir dir;
  write_pdf(dir / "scanned.pdf", partly_scanned_report());
  PdfExtractor extractor;
  BOOST_REQUIRE(extractor.open((dir / "scanned.pdf").string()).ok());
  BOOST_TEST(normalize_page_text(extractor.page_text(2)) == "");
  auto image = extractor.render_page(2, 300);
  BOOST_TEST(image.width == 2480);  // A4 at 300 dpi
  BOOST_TEST(image.height == 3508);
  BOOST_TEST(!image.blank());
}

BOOST_AUTO_TEST_SUITE_END()
