// Fuzz target: PDF extraction as the worker runs it (indexer::PdfExtractor over Poppler's
// core API). Poppler is not instrumented, so libFuzzer is guided by our side of it; crashes
// inside Poppler still show. Properties: nothing throws; a PDF that does not open gets one
// of the reasons the summary gives (empty, damaged, encrypted) with a message; one that
// opens has pages; the first pages' text, headings and labels, the title and the author,
// normalised as page text and as a line, agree with a naive normaliser written here
// when they are ASCII (NFKC changes no ASCII), and a normalised line has no line break,
// no run of spaces and no space at either end whatever the text.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

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

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 0x7F) return false;
  }
  return true;
}

// The reference for ASCII text: control characters other than white space dropped, then
// each line's words joined by single spaces; non-empty lines joined by one line break, or
// by a blank line where blank lines stood between them.
std::string naive_page_text(std::string_view text) {
  std::vector<std::string> lines(1);
  for (char c : text) {
    if (c == '\n') {
      lines.emplace_back();
    } else if (std::string_view(" \t\r\f\v").find(c) != std::string_view::npos) {
      if (!lines.back().empty() && lines.back().back() != ' ') lines.back() += ' ';
    } else if (c >= 0x20 && c != 0x7F) {
      lines.back() += c;
    }
  }
  std::string out;
  bool blank_before = false;
  for (auto& line : lines) {
    if (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) {
      blank_before = true;
      continue;
    }
    if (!out.empty()) out += blank_before ? "\n\n" : "\n";
    out += line;
    blank_before = false;
  }
  return out;
}

std::string naive_line(std::string_view text) {
  std::string out;
  for (char c : naive_page_text(text)) {
    if (c == '\n') c = ' ';
    if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
  }
  return out;
}

// Each text the PDF gives, as page text and as a line (a title, a heading).
void check_normalised(std::string_view text) {
  std::string page = core::normalize_page_text(text);
  if (is_ascii(text))
    check(page == naive_page_text(text), "page text is normalised as the naive normaliser does");
  std::string line = core::normalize_line(text);
  check(line.find('\n') == std::string::npos && line.find("  ") == std::string::npos,
        "a line has single spaces");
  check(line.empty() || (line.front() != ' ' && line.back() != ' '), "a line is trimmed");
  if (is_ascii(text)) check(line == naive_line(text), "a line is normalised as the naive normaliser does");
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
  check_normalised(info->title);
  check_normalised(info->author);
  for (int n = 1; n <= info->page_count && n <= kPagesRead; ++n) {
    check_normalised(extractor.page_text(n));
    for (const auto& heading : extractor.page_headings()) check_normalised(heading);
    check_normalised(extractor.page_label(n));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string path = input_file(data, size);
  evidence::fuzz::without_exceptions([&] { check_pdf(path); });
  return 0;
}
