#include "ocr.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#if EVIDENCE_WITH_OCR
#include <dlfcn.h>

#include <tesseract/baseapi.h>
#include <tesseract/capi.h>
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

// libtesseract is opened with dlopen() on the first page that needs it, not linked: it
// pulls in some 35 shared libraries (curl, archive, image codecs), which cost every
// process of evidence-index ~35 ms and 7 MB at start, text PDFs included. Through
// Tesseract's C API, whose function types come from its header.
struct OcrEngine::Tesseract {
  void* library = nullptr;
  TessBaseAPI* api = nullptr;
  decltype(&TessBaseAPICreate) create = nullptr;
  decltype(&TessBaseAPIDelete) destroy = nullptr;
  decltype(&TessBaseAPIInit2) init = nullptr;
  decltype(&TessBaseAPISetPageSegMode) set_page_seg_mode = nullptr;
  decltype(&TessBaseAPISetVariable) set_variable = nullptr;
  decltype(&TessBaseAPISetImage) set_image = nullptr;
  decltype(&TessBaseAPISetSourceResolution) set_source_resolution = nullptr;
  decltype(&TessBaseAPIGetUTF8Text) get_utf8_text = nullptr;
  decltype(&TessDeleteText) delete_text = nullptr;
  decltype(&TessBaseAPIClear) clear = nullptr;
  decltype(&TessBaseAPIEnd) end = nullptr;

  // Opens the library and finds every function; false (and closed) when one is missing.
  bool load() {
    library = ::dlopen(EVIDENCE_TESSERACT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) return false;
    bool ok = find(create, "TessBaseAPICreate") && find(destroy, "TessBaseAPIDelete") &&
              find(init, "TessBaseAPIInit2") && find(set_page_seg_mode, "TessBaseAPISetPageSegMode") &&
              find(set_variable, "TessBaseAPISetVariable") && find(set_image, "TessBaseAPISetImage") &&
              find(set_source_resolution, "TessBaseAPISetSourceResolution") &&
              find(get_utf8_text, "TessBaseAPIGetUTF8Text") && find(delete_text, "TessDeleteText") &&
              find(clear, "TessBaseAPIClear") && find(end, "TessBaseAPIEnd");
    if (ok) api = create();
    if (api == nullptr) {
      ::dlclose(library);
      library = nullptr;
    }
    return api != nullptr;
  }
  template <typename Function>
  bool find(Function& function, const char* name) {
    function = reinterpret_cast<Function>(::dlsym(library, name));
    return function != nullptr;
  }
  ~Tesseract() {
    if (api != nullptr) {
      end(api);
      destroy(api);
    }
    // The library stays loaded: its static destructors run at exit, as when linked.
  }
};

bool ocr_built_in() { return true; }

OcrEngine::OcrEngine() = default;
OcrEngine::~OcrEngine() = default;

bool OcrEngine::use_language(const std::string& language) {
  if (!tesseract_) {
    auto tesseract = std::make_unique<Tesseract>();
    if (!tesseract->load()) {
      problem_ = std::string("Tesseract (") + EVIDENCE_TESSERACT_LIBRARY + ") cannot be loaded (Debian: libtesseract5)";
      return false;
    }
    tesseract_ = std::move(tesseract);
  }
  for (const std::string& wanted : {language, std::string("eng")}) {
    if (wanted == language_) return true;
    if (missing_.count(wanted)) continue;
    // The default data path: TESSDATA_PREFIX, else the one Debian's package was built with.
    // LSTM only: Debian's language packages hold the "fast" LSTM models, no legacy data.
    if (tesseract_->init(tesseract_->api, nullptr, wanted.c_str(), tesseract::OEM_LSTM_ONLY) == 0) {
      tesseract_->set_page_seg_mode(tesseract_->api, tesseract::PSM_AUTO);
      tesseract_->set_variable(tesseract_->api, "debug_file", "/dev/null");
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
  Tesseract& t = *tesseract_;
  t.set_image(t.api, image.pixels.data(), image.width, image.height, 1, image.stride);
  t.set_source_resolution(t.api, image.dpi);
  char* text = t.get_utf8_text(t.api);
  std::string out = text != nullptr ? std::string(text) : std::string();
  if (text != nullptr) t.delete_text(text);
  t.clear(t.api);
  return out;
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
