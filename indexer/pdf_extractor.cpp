#include "pdf_extractor.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <poppler/Catalog.h>
#include <poppler/Error.h>
#include <poppler/ErrorCodes.h>
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/SplashOutputDev.h>
#include <poppler/TextOutputDev.h>
#include <poppler/UTF.h>
#include <poppler/XRef.h>
#include <poppler/goo/GooString.h>
#include <poppler/splash/SplashBitmap.h>

#include "image_coverage.hpp"

namespace evidence::indexer {

using core::Error;
using core::ErrorCode;

namespace {

std::string g_last_error;  // one worker process extracts one PDF at a time

void on_poppler_error(ErrorCategory, Goffset, const char* message) {
  if (message != nullptr) g_last_error = message;
}

void init_poppler_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    globalParams = std::make_unique<GlobalParams>();
    globalParams->setTextEncoding("UTF-8");
    globalParams->setErrQuiet(true);
    setErrorCallback(on_poppler_error);
  });
}

void append_utf8(std::string& out, Unicode c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x110000) {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// PDF text strings are PDFDocEncoding or UTF-16 with a byte order mark.
std::string text_string_to_utf8(const GooString* text) {
  if (text == nullptr) return {};
  Unicode* ucs4 = nullptr;
  int length = TextStringToUCS4(text->toStr(), &ucs4);
  std::string out;
  for (int i = 0; i < length; ++i) append_utf8(out, ucs4[i]);
  gfree(ucs4);
  return out;
}

// "D:20220315120000Z" → "2022-03-15"
std::string pdf_date_to_iso(const std::string& raw) {
  std::string digits;
  std::size_t start = raw.rfind("D:", 0) == 0 ? 2 : 0;
  for (std::size_t i = start; i < raw.size() && digits.size() < 8; ++i) {
    if (raw[i] < '0' || raw[i] > '9') break;
    digits += raw[i];
  }
  if (digits.size() < 4) return {};
  std::string iso = digits.substr(0, 4);
  if (digits.size() >= 6 && digits.substr(4, 2) != "00") iso += "-" + digits.substr(4, 2);
  if (digits.size() >= 8 && iso.size() == 7 && digits.substr(6, 2) != "00") iso += "-" + digits.substr(6, 2);
  return iso;
}

// A line is a heading when its font is this much larger than the body text, and it is short.
constexpr double kHeadingSizeRatio = 1.15;
constexpr int kMaxHeadingWords = 20;

// A4 at 300 dpi is 8.7 million pixels; a poster-sized page is rendered at a lower resolution.
constexpr double kMaxRenderPixels = 40e6;

void collect_text(void* stream, const char* text, int length) {
  static_cast<std::string*>(stream)->append(text, static_cast<std::size_t>(length));
}

}  // namespace

PdfExtractor::PdfExtractor() { init_poppler_once(); }
PdfExtractor::~PdfExtractor() = default;

std::string PdfExtractor::last_poppler_error() { return g_last_error; }

core::Result<PdfInfo> PdfExtractor::open(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error{ErrorCode::kIo, std::string("cannot read the file: ") + std::strerror(errno)};
  }
  if (st.st_size == 0) return Error{ErrorCode::kEmptyFile, "the file is empty (0 bytes)"};

  g_last_error.clear();
  renderer_.reset();  // bound to the previous document
  characters_by_size_.clear();
  headings_.clear();
  document_ = std::make_unique<PDFDoc>(std::make_unique<GooString>(path));
  if (!document_->isOk()) {
    int code = document_->getErrorCode();
    std::string detail = g_last_error.empty() ? "" : " (" + g_last_error + ")";
    document_.reset();
    switch (code) {
      case errEncrypted:
        return Error{ErrorCode::kEncrypted, "the PDF is encrypted and needs a password"};
      case errOpenFile:
        return Error{ErrorCode::kIo, "cannot open the file" + detail};
      default:
        return Error{ErrorCode::kDamaged, "the PDF is damaged and cannot be read" + detail};
    }
  }
  PdfInfo info;
  info.page_count = document_->getNumPages();
  if (info.page_count <= 0) {
    document_.reset();
    return Error{ErrorCode::kDamaged, "the PDF has no readable pages"};
  }
  info.title = text_string_to_utf8(document_->getDocInfoStringEntry("Title").get());
  info.author = text_string_to_utf8(document_->getDocInfoStringEntry("Author").get());
  auto created = document_->getDocInfoStringEntry("CreationDate");
  if (created) info.date = pdf_date_to_iso(created->toStr());
  Object catalog = document_->getXRef()->getCatalog();
  info.has_page_labels = catalog.isDict() && catalog.dictLookup("PageLabels").isDict();
  return info;
}

std::string PdfExtractor::page_text(int page) {
  if (!device_) {
    device_ = std::make_unique<TextOutputDev>(collect_text, &buffer_, /*physLayoutA=*/false,
                                              /*fixedPitchA=*/0, /*rawOrderA=*/false,
                                              /*discardDiagA=*/false);
  }
  buffer_.clear();
  if (device_->isOk()) {
    document_->displayPage(device_.get(), page, 72, 72, 0, /*useMediaBox=*/true,
                           /*crop=*/false, /*printing=*/false);
    find_headings();
  }
  return std::move(buffer_);
}

void PdfExtractor::find_headings() {
  headings_.clear();
  if (!device_ || !device_->isOk()) return;
  for (const TextFlow* flow = device_->getFlows(); flow; flow = flow->getNext()) {
    for (const TextBlock* block = flow->getBlocks(); block; block = block->getNext()) {
      for (const TextLine* line = block->getLines(); line; line = line->getNext()) {
        for (const TextWord* word = line->getWords(); word; word = word->getNext()) {
          characters_by_size_[static_cast<int>(word->getFontSize() * 2 + 0.5)] += word->getLength();
        }
      }
    }
  }
  if (characters_by_size_.empty()) return;
  auto body = std::max_element(characters_by_size_.begin(), characters_by_size_.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  double threshold = body->first / 2.0 * kHeadingSizeRatio;
  // Consecutive heading lines of one block are one heading.
  for (const TextFlow* flow = device_->getFlows(); flow; flow = flow->getNext()) {
    for (const TextBlock* block = flow->getBlocks(); block; block = block->getNext()) {
      std::string heading;
      auto finish = [&] {
        if (!heading.empty()) headings_.push_back(std::move(heading));
        heading.clear();
      };
      for (const TextLine* line = block->getLines(); line; line = line->getNext()) {
        std::string text;
        int words = 0;
        bool large = true;
        for (const TextWord* word = line->getWords(); word && large; word = word->getNext()) {
          large = word->getFontSize() >= threshold;
          if (!text.empty()) text += ' ';
          for (int i = 0; i < word->getLength(); ++i) append_utf8(text, *word->getChar(i));
          ++words;
        }
        bool sentence_end = !text.empty() && (text.back() == '.' || text.back() == ',' || text.back() == ';');
        if (!large || words > kMaxHeadingWords || sentence_end) {
          finish();
          continue;
        }
        heading += (heading.empty() ? "" : " ") + text;
      }
      finish();
    }
  }
}

double PdfExtractor::image_coverage(int page) { return indexer::image_coverage(*document_, page); }

GreyImage PdfExtractor::render_page(int page, int dpi) {
  GreyImage image;
  if (!renderer_) {
    SplashColor white{255, 255, 255, 255};
    renderer_ = std::make_unique<SplashOutputDev>(splashModeMono8, /*bitmapRowPad=*/4, /*reverseVideo=*/false, white);
    renderer_->startDoc(document_.get());
  }
  double width_in = document_->getPageCropWidth(page) / 72.0;
  double height_in = document_->getPageCropHeight(page) / 72.0;
  double resolution = dpi;
  if (width_in * height_in * resolution * resolution > kMaxRenderPixels) {
    resolution = std::floor(std::sqrt(kMaxRenderPixels / (width_in * height_in)));
  }
  if (!(resolution >= 1)) return image;
  document_->displayPage(renderer_.get(), page, resolution, resolution, 0, /*useMediaBox=*/false,
                         /*crop=*/true, /*printing=*/false);
  SplashBitmap* bitmap = renderer_->getBitmap();
  if (bitmap == nullptr || bitmap->getWidth() <= 0 || bitmap->getHeight() <= 0) return image;
  image.width = bitmap->getWidth();
  image.height = bitmap->getHeight();
  image.stride = bitmap->getRowSize();
  image.dpi = static_cast<int>(resolution);
  const unsigned char* data = bitmap->getDataPtr();
  image.pixels.assign(data, data + static_cast<std::size_t>(image.stride) * static_cast<std::size_t>(image.height));
  return image;
}

std::string PdfExtractor::page_label(int page) {
  GooString label;
  if (document_->getCatalog()->indexToLabel(page - 1, &label)) {
    return text_string_to_utf8(&label);
  }
  return std::to_string(page);
}

}  // namespace evidence::indexer
