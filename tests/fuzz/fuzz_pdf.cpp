// Fuzz target: PDF extraction as the worker runs it (indexer::PdfExtractor over Poppler's
// core API). Poppler is not instrumented, so libFuzzer is guided by our side of it; crashes
// inside Poppler still show. Properties: nothing throws; a PDF that does not open gets one
// of the reasons the summary gives (empty, damaged, encrypted) with a message; one that
// opens has pages, and the first pages' text, headings and labels, once normalised as the
// index stores them, are UTF-8.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_check.hpp"
#include "pdf_extractor.hpp"
#include "text.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;

constexpr int kPagesRead = 3;  // enough to reach page trees, fonts and labels; keeps runs fast

// The input as a file: the extractor opens PDFs by path, as the worker does.
std::string input_file(const std::uint8_t* data, std::size_t size) {
  static std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string p = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/fuzz_pdf." +
                    std::to_string(::getpid()) + ".pdf";
    return p;
  }();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  check(file != nullptr, "the input can be written to a file");
  if (size > 0) check(std::fwrite(data, 1, size, file) == size, "the input is written whole");
  std::fclose(file);
  return path;
}

void check_pdf(const std::string& path) {
  evidence::indexer::PdfExtractor extractor;
  auto info = extractor.open(path);
  if (!info) {
    auto code = info.error().code;
    check(code == core::ErrorCode::kEmptyFile || code == core::ErrorCode::kDamaged ||
              code == core::ErrorCode::kEncrypted,
          "a PDF that does not open is empty, damaged or encrypted");
    check(!info.error().message.empty(), "an error has a message");
    return;
  }
  check(info->page_count > 0, "a PDF that opens has pages");
  check(core::is_valid_utf8(core::normalize_line(info->title)), "the title is UTF-8");
  check(core::is_valid_utf8(core::normalize_line(info->author)), "the author is UTF-8");
  for (int n = 1; n <= info->page_count && n <= kPagesRead; ++n) {
    check(core::is_valid_utf8(core::normalize_page_text(extractor.page_text(n))), "page text is UTF-8");
    for (const auto& heading : extractor.page_headings()) {
      check(core::is_valid_utf8(core::normalize_line(heading)), "headings are UTF-8");
    }
    check(core::is_valid_utf8(core::normalize_line(extractor.page_label(n))), "page labels are UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = input_file(data, size);
  evidence::fuzz::without_exceptions([&] { check_pdf(path); });
  return 0;
}
