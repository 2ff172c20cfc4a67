#pragma once
// Page text and document information from a PDF, through Poppler's core API (PDFDoc +
// TextOutputDev, the code pdftotext runs), which measured faster than poppler-cpp.
// Runs inside a worker process: a hostile PDF may crash or hang it.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "error.hpp"
#include "ocr.hpp"

class PDFDoc;
class SplashOutputDev;
class TextOutputDev;

namespace evidence::indexer {

/// What the PDF's own info dictionary says, converted to UTF-8.
struct PdfInfo {
  int page_count = 0;
  std::string title;
  std::string author;
  std::string date;  // YYYY-MM-DD from CreationDate, or empty
  bool has_page_labels = false;
};

class PdfExtractor {
 public:
  PdfExtractor();
  ~PdfExtractor();
  PdfExtractor(const PdfExtractor&) = delete;
  PdfExtractor& operator=(const PdfExtractor&) = delete;

  /// Opens a PDF; encrypted, damaged and empty files get their own ErrorCode.
  core::Result<PdfInfo> open(const std::string& path);

  /// Text of a physical page (1-based) in reading order, line-end hyphenation joined,
  /// not yet normalised.
  std::string page_text(int page);

  /// The headings of the page last read by page_text(): short lines set in a font clearly
  /// larger than the document's body text (the size that carries most of the characters
  /// of the pages read so far), not ending like a sentence.
  const std::vector<std::string>& page_headings() const { return headings_; }

  /// The printed label of a page ("iv"), or its number when the PDF has no labels.
  std::string page_label(int page);

  /// The share (0 to 1) of a page that the images drawn on it cover, found without
  /// rendering it: a scanned page is an image over most of the page.
  double image_coverage(int page);

  /// The page rendered in grey at `dpi` (less for a page so large that it would exceed
  /// about 40 million pixels), for OCR and its blank check.
  GreyImage render_page(int page, int dpi);

  /// The last error Poppler reported, for failure reasons.
  static std::string last_poppler_error();

 private:
  std::unique_ptr<PDFDoc> document_;
  std::string buffer_;  // the text device writes each page here
  std::unique_ptr<TextOutputDev> device_;
  std::unique_ptr<SplashOutputDev> renderer_;  // made on the first page that needs OCR
  std::map<int, long> characters_by_size_;  // half points → characters, pages read so far
  std::vector<std::string> headings_;       // of the page last read

  void find_headings();
};

}  // namespace evidence::indexer
