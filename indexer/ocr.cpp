#include "ocr.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#if EVIDENCE_WITH_OCR
#include <tesseract/baseapi.h>
#endif

#include "index_layout.hpp"

namespace evidence::indexer {

namespace {

// A pixel at least this dark is ink; lighter ones are paper, scanner noise or anti-aliasing.
constexpr unsigned char kInkLevel = 160;

// BCP 47 primary subtag → Tesseract language (ISO 639-2/T, as Debian's tesseract-ocr-* name them).
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kLanguages{{
    {"ar", "ara"}, {"bg", "bul"}, {"cs", "ces"}, {"da", "dan"}, {"de", "deu"}, {"el", "ell"},
    {"en", "eng"}, {"es", "spa"}, {"fi", "fin"}, {"fr", "fra"}, {"hu", "hun"}, {"id", "ind"},
    {"it", "ita"}, {"ja", "jpn"}, {"nl", "nld"}, {"pl", "pol"}, {"pt", "por"}, {"ro", "ron"},
    {"ru", "rus"}, {"sv", "swe"}, {"th", "tha"}, {"tr", "tur"}, {"uk", "ukr"}, {"vi", "vie"},
}};

}  // namespace

bool GreyImage::blank() const {
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride);
    if (std::any_of(row, row + width, [](unsigned char p) { return p < kInkLevel; })) return false;
  }
  return true;
}

std::string tesseract_language(std::string_view bcp47) {
  std::string primary = core::layout::primary_language(bcp47);
  if (primary == "zh") {
    std::string tag(bcp47);
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool traditional = tag.find("hant") != std::string::npos || tag.find("-tw") != std::string::npos ||
                       tag.find("-hk") != std::string::npos;
    return traditional ? "chi_tra" : "chi_sim";
  }
  for (const auto& [code, name] : kLanguages) {
    if (code == primary) return std::string(name);
  }
  return "eng";
}

#if EVIDENCE_WITH_OCR

struct OcrEngine::Tesseract {
  tesseract::TessBaseAPI api;
};

bool ocr_built_in() { return true; }

OcrEngine::OcrEngine() = default;
OcrEngine::~OcrEngine() {
  if (tesseract_) tesseract_->api.End();
}

bool OcrEngine::use_language(const std::string& language) {
  for (const std::string& wanted : {language, std::string("eng")}) {
    if (wanted == language_) return true;
    if (missing_.count(wanted)) continue;
    if (!tesseract_) tesseract_ = std::make_unique<Tesseract>();
    // The default data path: TESSDATA_PREFIX, else the one Debian's package was built with.
    // LSTM only: Debian's language packages hold the "fast" LSTM models, no legacy data.
    if (tesseract_->api.Init(nullptr, wanted.c_str(), tesseract::OEM_LSTM_ONLY) == 0) {
      tesseract_->api.SetPageSegMode(tesseract::PSM_AUTO);
      tesseract_->api.SetVariable("debug_file", "/dev/null");
      language_ = wanted;
      problem_.clear();
      return true;
    }
    missing_.insert(wanted);
    language_.clear();
  }
  problem_ = "Tesseract's language data for English (eng) is not installed (Debian: tesseract-ocr-eng)";
  return false;
}

std::string OcrEngine::read(const GreyImage& image) {
  if (language_.empty() || image.width <= 0 || image.height <= 0) return {};
  tesseract::TessBaseAPI& api = tesseract_->api;
  api.SetImage(image.pixels.data(), image.width, image.height, 1, image.stride);
  api.SetSourceResolution(image.dpi);
  std::unique_ptr<char[]> text(api.GetUTF8Text());
  api.Clear();
  return text ? std::string(text.get()) : std::string();
}

#else

struct OcrEngine::Tesseract {};

bool ocr_built_in() { return false; }

OcrEngine::OcrEngine() = default;
OcrEngine::~OcrEngine() = default;

bool OcrEngine::use_language(const std::string&) {
  problem_ = "this evidence-index was built without OCR (install libtesseract-dev and build again)";
  return false;
}

std::string OcrEngine::read(const GreyImage&) { return {}; }

#endif

}  // namespace evidence::indexer
