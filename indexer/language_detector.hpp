#pragma once
// Guessing the language of a document whose sidecar does not say, with libexttextcat
// (Debian's n-gram language identifier, the one LibreOffice uses).

#include <string>
#include <string_view>

namespace evidence::indexer {

class LanguageDetector {
 public:
  LanguageDetector() = default;
  ~LanguageDetector();
  LanguageDetector(const LanguageDetector&) = delete;
  LanguageDetector& operator=(const LanguageDetector&) = delete;

  /// The primary language subtag of the text ("fr"), or empty when the text is too short
  /// or the guess is unsure. Loads the language models on first use.
  std::string detect(std::string_view text);

 private:
  void* handle_ = nullptr;
  bool tried_ = false;
};

}  // namespace evidence::indexer
