#include "text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <stdexcept>

namespace evidence::core {

namespace {

const icu::Normalizer2& nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || normalizer == nullptr) {
    throw std::runtime_error("ICU NFKC normaliser unavailable");
  }
  return *normalizer;
}

std::string nfkc_utf8(std::string_view text) {
  std::string valid = to_valid_utf8(text);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(valid);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfkc().normalize(source, status);
  if (U_FAILURE(status)) return valid;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

bool is_dropped(UChar32 c) {
  // Soft hyphen, zero-width characters, byte order mark, and C0/C1 controls other
  // than the line breaks and tabs we handle as white space.
  if (c == 0xAD || c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF) return true;
  if (c < 0x20) return c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != '\v';
  return c >= 0x7F && c < 0xA0;
}

bool is_space(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Walks UTF-8 code points, calling emit(c, begin, length) for each.
template <class F>
void for_each_code_point(std::string_view s, F&& emit) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  auto length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    emit(c, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  bool valid = true;
  for_each_code_point(bytes, [&](UChar32 c, std::size_t, std::size_t) {
    if (c < 0) valid = false;
  });
  return valid;
}

std::string to_valid_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  for_each_code_point(bytes, [&](UChar32 c, std::size_t begin, std::size_t length) {
    if (c < 0) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(bytes.substr(begin, length));
    }
  });
  return out;
}

void prepare_normalisation() { (void)nfkc(); }

std::string normalize_page_text(std::string_view text) {
  std::string normalized = nfkc_utf8(text);
  std::string out;
  out.reserve(normalized.size());
  bool pending_space = false;
  int pending_newlines = 0;
  for_each_code_point(normalized, [&](UChar32 c, std::size_t begin, std::size_t length) {
    if (is_dropped(c)) return;
    if (c == '\n') {
      pending_space = false;
      ++pending_newlines;
      return;
    }
    if (is_space(c)) {
      pending_space = true;
      return;
    }
    if (!out.empty()) {
      if (pending_newlines > 0) {
        out += pending_newlines > 1 ? "\n\n" : "\n";
      } else if (pending_space) {
        out += ' ';
      }
    }
    pending_newlines = 0;
    pending_space = false;
    out.append(normalized, begin, length);
  });
  return out;
}

std::string normalize_line(std::string_view text) {
  std::string page = normalize_page_text(text);
  for (char& c : page) {
    if (c == '\n') c = ' ';
  }
  std::string out;
  out.reserve(page.size());
  for (char c : page) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string printable(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for_each_code_point(bytes, [&](UChar32 c, std::size_t begin, std::size_t length) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {  // invalid bytes are negative
      for (std::size_t i = 0; i < length; ++i) {
        auto b = static_cast<unsigned char>(bytes[begin + i]);
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 15];
      }
    } else {
      out.append(bytes.substr(begin, length));
    }
  });
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace evidence::core
