// evidence-bench-poppler cpp|core FILE.pdf...: which Poppler API extracts page text fastest?
// Extracts every page of every file with either poppler-cpp's page::text() ("cpp") or the
// core API behind evidence-index (PDFDoc + TextOutputDev, indexer/pdf_extractor.cpp,
// "core") and prints CPU time, pages and characters. The two APIs keep separate global
// state in Poppler, so bench/poppler-apis.sh runs each in its own process.

#include <ctime>
#include <cstdio>
#include <memory>
#include <string>

#include <poppler-document.h>
#include <poppler-page.h>

#include "pdf_extractor.hpp"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Totals {
  double seconds = 0;
  std::size_t pages = 0;
  std::size_t characters = 0;
};

void with_poppler_cpp(const std::string& path, Totals& totals) {
  double start = cpu_seconds();
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(path));
  if (document && !document->is_locked()) {
    for (int i = 0; i < document->pages(); ++i) {
      std::unique_ptr<poppler::page> page(document->create_page(i));
      if (!page) continue;
      poppler::byte_array utf8 = page->text().to_utf8();
      totals.characters += utf8.size();
      ++totals.pages;
    }
  }
  totals.seconds += cpu_seconds() - start;
}

void with_core_api(const std::string& path, Totals& totals) {
  double start = cpu_seconds();
  evidence::indexer::PdfExtractor extractor;
  auto info = extractor.open(path);
  if (info) {
    for (int n = 1; n <= info->page_count; ++n) {
      totals.characters += extractor.page_text(n).size();
      ++totals.pages;
    }
  }
  totals.seconds += cpu_seconds() - start;
}

}  // namespace

int main(int argc, char** argv) {
  std::string api = argc >= 3 ? argv[1] : "";
  if (api != "cpp" && api != "core") {
    std::fprintf(stderr, "usage: evidence-bench-poppler cpp|core FILE.pdf...\n");
    return 2;
  }
  Totals totals;
  for (int i = 2; i < argc; ++i) {
    if (api == "cpp") {
      with_poppler_cpp(argv[i], totals);
    } else {
      with_core_api(argv[i], totals);
    }
  }
  std::printf("%s %.2f %zu %zu\n", api.c_str(), totals.seconds, totals.pages, totals.characters);
  return 0;
}
