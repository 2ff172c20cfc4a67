#pragma once
// Writes simple text PDFs with cairo: A4 pages of headings, paragraphs, bullets or
// verbatim lines, PDF metadata and optional page labels; pages may be images only, as
// in a scanned report.

#include <string>
#include <vector>

namespace evidence::pdfgen {

struct Block {
  enum class Kind { kHeading, kSubheading, kParagraph, kBullet, kLines };
  Kind kind = Kind::kParagraph;
  std::string text;  // kLines: one output line per '\n'-separated line, not wrapped
};

struct PageSpec {
  std::vector<Block> blocks;
  /// The page as a scan: its text drawn into a 300 dpi grey image that is the page's only
  /// content (an image XObject, Flate-compressed), with no text layer.
  bool scanned = false;
  /// Of a scanned page: a short text drawn as real text over the image, at the page's foot
  /// (a stray page number or a stamp that a scanner or a later edit left). Empty: none.
  std::string text_layer{};
};

struct PdfSpec {
  std::string title;   // info dictionary; empty: none
  std::string author;
  std::string date;    // YYYY-MM-DD for CreationDate; empty: none
  std::vector<PageSpec> pages;
  std::vector<std::string> page_labels;  // PDF page labels per physical page; empty: none
  std::string footer;                    // printed at the foot of every page
  bool print_numbers = true;             // print the page's number or label in the footer
  int printed_offset = 0;                // printed number = physical - offset (no labels)
  /// An image of random grey pixels, about this many bytes once compressed (noise does not
  /// compress), drawn 1 cm square in the top margin of the first page: a PDF of a known size
  /// with known text, for upload limits. 0: none.
  std::size_t filler_image_bytes = 0;
};

/// Writes the PDF; text that overflows a page continues on an extra page. Returns an
/// error message, or an empty string on success.
std::string write_pdf(const PdfSpec& spec, const std::string& path);

/// A one-paragraph-per-page PDF, for tests: page i holds page_texts[i] and nothing else.
PdfSpec simple_pdf(const std::vector<std::string>& page_texts, const std::string& title = "");

}  // namespace evidence::pdfgen
