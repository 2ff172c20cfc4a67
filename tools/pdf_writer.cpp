#include "pdf_writer.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <cmath>
#include <random>
#include <sstream>

namespace evidence::pdfgen {

namespace {

constexpr double kWidth = 595.28;   // A4 in points
constexpr double kHeight = 841.89;
constexpr double kMargin = 64;
constexpr double kBottom = kHeight - 80;
constexpr double kScanDpi = 300;

struct Style {
  const char* family;
  cairo_font_weight_t weight;
  double size;
  double before;
  double indent;
};

Style style_for(Block::Kind kind) {
  switch (kind) {
    case Block::Kind::kHeading: return {"DejaVu Sans", CAIRO_FONT_WEIGHT_BOLD, 17, 10, 0};
    case Block::Kind::kSubheading: return {"DejaVu Sans", CAIRO_FONT_WEIGHT_BOLD, 12.5, 8, 0};
    case Block::Kind::kBullet: return {"DejaVu Serif", CAIRO_FONT_WEIGHT_NORMAL, 10.5, 2, 14};
    case Block::Kind::kLines:
    case Block::Kind::kParagraph: return {"DejaVu Serif", CAIRO_FONT_WEIGHT_NORMAL, 10.5, 6, 0};
  }
  return {"DejaVu Serif", CAIRO_FONT_WEIGHT_NORMAL, 10.5, 6, 0};
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

class Renderer {
 public:
  Renderer(const PdfSpec& spec, cairo_surface_t* surface)
      : spec_(spec), surface_(surface), pdf_(cairo_create(surface)), cr_(pdf_) {}
  ~Renderer() { cairo_destroy(pdf_); }
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  void render() {
    for (std::size_t i = 0; i < spec_.pages.size(); ++i) {
      scanned_ = spec_.pages[i].scanned;
      text_layer_ = scanned_ ? spec_.pages[i].text_layer : std::string();
      begin_page();
      for (const auto& block : spec_.pages[i].blocks) draw_block(block);
      end_page();
    }
  }

 private:
  void begin_page() {
    ++physical_;
    y_ = kMargin;
    std::size_t index = static_cast<std::size_t>(physical_ - 1);
    if (index < spec_.page_labels.size()) {
      cairo_pdf_surface_set_page_label(surface_, spec_.page_labels[index].c_str());
    }
    if (scanned_) begin_scan();
    if (physical_ == 1 && spec_.filler_image_bytes > 0) draw_filler_image();
  }

  // Random bytes: a fixed seed, so the same spec writes the same file.
  void draw_filler_image() {
    int side = static_cast<int>(std::sqrt(static_cast<double>(spec_.filler_image_bytes))) + 1;
    cairo_surface_t* noise = cairo_image_surface_create(CAIRO_FORMAT_A8, side, side);
    cairo_surface_flush(noise);
    unsigned char* pixels = cairo_image_surface_get_data(noise);
    int stride = cairo_image_surface_get_stride(noise);
    std::mt19937 random(20241202);
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) pixels[y * stride + x] = static_cast<unsigned char>(random());
    }
    cairo_surface_mark_dirty(noise);
    cairo_save(cr_);
    double scale = 28.35 / side;  // 1 cm
    cairo_translate(cr_, kMargin, kMargin / 4);
    cairo_scale(cr_, scale, scale);
    cairo_set_source_rgb(cr_, 0.5, 0.5, 0.5);
    cairo_mask_surface(cr_, noise, 0, 0);
    cairo_restore(cr_);
    cairo_surface_destroy(noise);
  }

  // A scanned page is drawn into a white 300 dpi image instead of the PDF.
  void begin_scan() {
    scan_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(kWidth / 72 * kScanDpi + 0.5),
                                       static_cast<int>(kHeight / 72 * kScanDpi + 0.5));
    cr_ = cairo_create(scan_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_scale(cr_, kScanDpi / 72, kScanDpi / 72);
  }

  // The image becomes the page's only content.
  void end_scan() {
    cairo_destroy(cr_);
    cr_ = pdf_;
    cairo_surface_flush(scan_);
    cairo_save(pdf_);
    cairo_scale(pdf_, 72 / kScanDpi, 72 / kScanDpi);
    cairo_set_source_surface(pdf_, scan_, 0, 0);
    cairo_paint(pdf_);
    cairo_restore(pdf_);
    cairo_surface_destroy(scan_);
    scan_ = nullptr;
  }

  void end_page() {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, 8.5);
    cairo_set_source_rgb(cr_, 0.35, 0.35, 0.35);
    if (!spec_.footer.empty()) {
      cairo_move_to(cr_, kMargin, kHeight - 40);
      cairo_show_text(cr_, spec_.footer.c_str());
    }
    std::string number = printed_number();
    if (spec_.print_numbers && !number.empty()) {
      cairo_text_extents_t extents;
      cairo_text_extents(cr_, number.c_str(), &extents);
      cairo_move_to(cr_, kWidth - kMargin - extents.x_advance, kHeight - 40);
      cairo_show_text(cr_, number.c_str());
    }
    cairo_set_source_rgb(cr_, 0, 0, 0);
    if (scanned_) end_scan();
    if (!text_layer_.empty()) {
      cairo_select_font_face(pdf_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size(pdf_, 8.5);
      cairo_set_source_rgb(pdf_, 0, 0, 0);
      cairo_move_to(pdf_, kMargin, kHeight - 24);
      cairo_show_text(pdf_, text_layer_.c_str());
    }
    cairo_show_page(pdf_);
  }

  std::string printed_number() const {
    auto index = static_cast<std::size_t>(physical_ - 1);
    if (!spec_.page_labels.empty()) return index < spec_.page_labels.size() ? spec_.page_labels[index] : "";
    int printed = physical_ - spec_.printed_offset;
    return printed > 0 ? std::to_string(printed) : "";
  }

  void line_break(double height) {
    if (y_ + height > kBottom) {
      end_page();
      begin_page();
    }
    y_ += height;
  }

  void draw_block(const Block& block) {
    Style style = style_for(block.kind);
    cairo_select_font_face(cr_, style.family, CAIRO_FONT_SLANT_NORMAL, style.weight);
    cairo_set_font_size(cr_, style.size);
    double leading = style.size * 1.35;
    y_ += style.before;
    if (block.kind == Block::Kind::kLines) {
      std::istringstream in(block.text);
      std::string line;
      while (std::getline(in, line)) {
        line_break(leading);
        cairo_move_to(cr_, kMargin, y_);
        cairo_show_text(cr_, line.c_str());
      }
      return;
    }
    double left = kMargin + style.indent;
    double width = kWidth - kMargin - left;
    std::string line;
    bool first_line = true;
    auto flush = [&] {
      line_break(leading);
      if (block.kind == Block::Kind::kBullet && first_line) {
        cairo_move_to(cr_, kMargin + 2, y_);
        cairo_show_text(cr_, "\u2022");
      }
      cairo_move_to(cr_, left, y_);
      cairo_show_text(cr_, line.c_str());
      line.clear();
      first_line = false;
    };
    for (const auto& word : split_words(block.text)) {
      std::string candidate = line.empty() ? word : line + " " + word;
      cairo_text_extents_t extents;
      cairo_text_extents(cr_, candidate.c_str(), &extents);
      if (!line.empty() && extents.x_advance > width) flush();
      line = line.empty() ? word : line + " " + word;
    }
    if (!line.empty()) flush();
  }

  const PdfSpec& spec_;
  cairo_surface_t* surface_;
  cairo_t* pdf_;
  cairo_t* cr_;                       // where the page is drawn: pdf_, or the scan's image
  cairo_surface_t* scan_ = nullptr;   // the image of a scanned page
  bool scanned_ = false;
  std::string text_layer_;  // of a scanned page: real text over its image
  int physical_ = 0;
  double y_ = kMargin;
};

}  // namespace

std::string write_pdf(const PdfSpec& spec, const std::string& path) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kWidth, kHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    std::string message = cairo_status_to_string(cairo_surface_status(surface));
    cairo_surface_destroy(surface);
    return "cannot create " + path + ": " + message;
  }
  if (!spec.title.empty()) cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, spec.title.c_str());
  if (!spec.author.empty()) cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, spec.author.c_str());
  if (!spec.date.empty()) {
    std::string iso = spec.date + "T00:00:00Z";
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, iso.c_str());
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Evidence Library evidence_pdfgen");
  {
    Renderer renderer(spec, surface);
    renderer.render();
  }
  cairo_surface_finish(surface);
  std::string error;
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    error = std::string("cannot write ") + path + ": " + cairo_status_to_string(cairo_surface_status(surface));
  }
  cairo_surface_destroy(surface);
  return error;
}

PdfSpec simple_pdf(const std::vector<std::string>& page_texts, const std::string& title) {
  PdfSpec spec;
  spec.title = title;
  spec.print_numbers = false;  // only the given text on each page
  for (const auto& text : page_texts) {
    spec.pages.push_back(PageSpec{{Block{Block::Kind::kParagraph, text}}});
  }
  return spec;
}

}  // namespace evidence::pdfgen
