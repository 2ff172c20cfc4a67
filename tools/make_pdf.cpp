// evidence-make-pdf [--scanned] SOURCE.txt OUTPUT.pdf: renders a sample corpus source
// (format in corpus/README.md) to a PDF; --scanned makes every page an image only.

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "pdf_writer.hpp"

namespace {

using evidence::pdfgen::Block;
using evidence::pdfgen::PdfSpec;

std::string roman(int n) {
  static const std::pair<int, const char*> kNumerals[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
  std::string out;
  for (const auto& [value, numeral] : kNumerals) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
}

std::string after(const std::string& line, std::size_t n) {
  std::string rest = line.substr(n);
  rest.erase(0, rest.find_first_not_of(' '));
  return rest;
}

PdfSpec parse_source(std::istream& in) {
  PdfSpec spec;
  spec.footer = "Sample document of a fictional organisation \u2013 Evidence Library sample corpus";
  spec.pages.emplace_back();
  int roman_pages = -1;
  std::string paragraph;
  auto end_paragraph = [&] {
    if (!paragraph.empty()) spec.pages.back().blocks.push_back({Block::Kind::kParagraph, paragraph});
    paragraph.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("@title ", 0) == 0) {
      spec.title = after(line, 7);
    } else if (line.rfind("@author ", 0) == 0) {
      spec.author = after(line, 8);
    } else if (line.rfind("@date ", 0) == 0) {
      spec.date = after(line, 6);
    } else if (line == "@footer" || line.rfind("@footer ", 0) == 0) {
      spec.footer = after(line, 7);
    } else if (line.rfind("@labels roman ", 0) == 0) {
      roman_pages = std::stoi(after(line, 14));
    } else if (line.rfind("@printed-offset ", 0) == 0) {
      spec.printed_offset = std::stoi(after(line, 16));
    } else if (line.rfind("@filler-image ", 0) == 0) {
      spec.filler_image_bytes = std::stoul(after(line, 14));
    } else if (line == "@page") {
      end_paragraph();
      spec.pages.emplace_back();
    } else if (line.rfind("## ", 0) == 0) {
      end_paragraph();
      spec.pages.back().blocks.push_back({Block::Kind::kSubheading, after(line, 3)});
    } else if (line.rfind("# ", 0) == 0) {
      end_paragraph();
      spec.pages.back().blocks.push_back({Block::Kind::kHeading, after(line, 2)});
    } else if (line.rfind("- ", 0) == 0) {
      end_paragraph();
      spec.pages.back().blocks.push_back({Block::Kind::kBullet, after(line, 2)});
    } else if (line.find_first_not_of(" \t") == std::string::npos) {
      end_paragraph();
    } else {
      paragraph += paragraph.empty() ? line : " " + line;
    }
  }
  end_paragraph();
  if (roman_pages >= 0) {
    int pages = static_cast<int>(spec.pages.size());
    for (int i = 1; i <= pages; ++i) {
      spec.page_labels.push_back(i <= roman_pages ? roman(i) : std::to_string(i - roman_pages));
    }
  }
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  bool scanned = argc == 4 && std::string(argv[1]) == "--scanned";
  if (argc != 3 && !scanned) {
    std::cerr << "usage: evidence-make-pdf [--scanned] SOURCE.txt OUTPUT.pdf\n"
                 "  --scanned: every page an image without a text layer, as a scanned report\n";
    return 2;
  }
  const char* source = argv[argc - 2];
  const char* output = argv[argc - 1];
  std::ifstream in(source);
  if (!in) {
    std::cerr << "evidence-make-pdf: cannot read " << source << "\n";
    return 1;
  }
  PdfSpec spec = parse_source(in);
  for (auto& page : spec.pages) page.scanned = scanned;
  std::string error = evidence::pdfgen::write_pdf(spec, output);
  if (!error.empty()) {
    std::cerr << "evidence-make-pdf: " << error << "\n";
    return 1;
  }
  return 0;
}
