// evidence-bench-scan FILE.pdf...: what each step of the OCR decision costs a page. For up
// to the first 200 pages of each file, the CPU time of reading the text layer, of finding
// the images' coverage (the content interpreted, nothing drawn), and of rendering the page
// at 10 dpi (the cheapest render a coverage test by pixels could use), at 72 dpi (the blank
// check) and at 300 dpi (what Tesseract reads); printed in milliseconds per page.

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>

#include "pdf_extractor.hpp"

namespace {

constexpr int kMaxPages = 200;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: evidence-bench-scan FILE.pdf...\n");
    return 2;
  }
  std::printf("%-40s %6s %8s %8s %8s %8s %8s  (CPU ms per page)\n", "file", "pages", "text", "images",
              "10 dpi", "72 dpi", "300 dpi");
  for (int i = 1; i < argc; ++i) {
    evidence::indexer::PdfExtractor extractor;
    auto info = extractor.open(argv[i]);
    if (!info) {
      std::fprintf(stderr, "%s: %s\n", argv[i], info.error().message.c_str());
      continue;
    }
    int pages = std::min(info->page_count, kMaxPages);
    // Each step over every page in turn, so that one step's caches do not serve another.
    auto per_page_ms = [&](const std::function<void(int)>& step) {
      double start = cpu_seconds();
      for (int n = 1; n <= pages; ++n) step(n);
      return (cpu_seconds() - start) * 1000 / pages;
    };
    double text = per_page_ms([&](int n) { (void)extractor.page_text(n); });
    double images = per_page_ms([&](int n) { (void)extractor.image_coverage(n); });
    double tiny = per_page_ms([&](int n) { (void)extractor.render_page(n, 10).blank(); });
    double low = per_page_ms([&](int n) { (void)extractor.render_page(n, 72).blank(); });
    double full = per_page_ms([&](int n) { (void)extractor.render_page(n, 300); });
    std::string name = argv[i];
    name = name.substr(name.rfind('/') + 1);
    std::printf("%-40s %6d %8.2f %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), pages, text, images, tiny, low,
                full);
  }
  return 0;
}
