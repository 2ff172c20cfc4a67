#pragma once
// Reading the text of a rendered page with Tesseract (OCR), for pages without a text
// layer (scanned reports). Built with Tesseract's headers when the EVIDENCE_OCR option is
// on (the default where libtesseract-dev is installed); the library itself is opened when
// the first page needs it. Without either, no language ever loads.

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace evidence::indexer {

/// A grey page image: 8 bits per pixel (0 black, 255 white), rows `stride` bytes apart.
struct GreyImage {
  int width = 0;
  int height = 0;
  int stride = 0;
  int dpi = 0;
  std::vector<unsigned char> pixels;

  /// True when no pixel is darker than light grey: nothing on the page to read.
  bool blank() const;
};

/// Tesseract's name for the language of a BCP 47 tag ("fr-CA" → "fra"), "eng" for
/// languages without a mapping.
std::string tesseract_language(std::string_view bcp47);

/// True when this evidence-index was built with Tesseract.
bool ocr_built_in();

/// One Tesseract engine, kept for the life of a worker process: a language's model loads
/// on first use and stays loaded while the documents keep that language.
class OcrEngine {
 public:
  OcrEngine();
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  /// Makes `language` (a Tesseract name) current, else "eng" when its data is missing.
  /// False when not even "eng" can be loaded; problem() then says why.
  bool use_language(const std::string& language);

  /// The language in use ("" before use_language succeeds).
  const std::string& language() const { return language_; }

  /// Why OCR is unavailable, for people; empty while it is available.
  const std::string& problem() const { return problem_; }

  /// The text of a page image in the current language (use_language must have succeeded).
  std::string read(const GreyImage& image);

 private:
  struct Tesseract;
  std::unique_ptr<Tesseract> tesseract_;
  std::string language_;
  std::string problem_;
  std::set<std::string> missing_;  // languages whose data failed to load
};

}  // namespace evidence::indexer
