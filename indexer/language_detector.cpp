#include "language_detector.hpp"

#include <textcat.h>

namespace evidence::indexer {

namespace {

constexpr const char* kModels = "/usr/share/libexttextcat/";
constexpr std::size_t kSample = 16 * 1024;  // more text does not make the guess better
constexpr std::size_t kMinimum = 200;       // less text makes it a coin toss

}  // namespace

LanguageDetector::~LanguageDetector() {
  if (handle_ != nullptr) textcat_Done(handle_);
}

std::string LanguageDetector::detect(std::string_view text) {
  if (text.size() < kMinimum) return {};
  if (!tried_) {
    tried_ = true;
    handle_ = special_textcat_Init((std::string(kModels) + "fpdb.conf").c_str(), kModels);
  }
  if (handle_ == nullptr) return {};
  std::string_view sample = text.substr(0, kSample);
  std::string result = textcat_Classify(handle_, sample.data(), sample.size());
  // "[fr--utf8]" when sure; several bracketed candidates, "SHORT" or "UNKNOWN" when not.
  if (result.size() < 3 || result.front() != '[' || result.find('[', 1) != std::string::npos) return {};
  std::string tag = result.substr(1, result.find(']') - 1);
  return tag.substr(0, tag.find('-'));
}

}  // namespace evidence::indexer
