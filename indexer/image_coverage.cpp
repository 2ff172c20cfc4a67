#include "image_coverage.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>

#include <poppler/GfxState.h>
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>

namespace evidence::indexer {

namespace {

// The page is divided into a grid; an image covers the cells whose centres it holds, so
// that overlapping images (a scan's background and its text mask) count once.
constexpr int kGrid = 32;

// Records the device-space bounding box of every image drawn: the unit square the image
// fills, through the current transformation matrix, within the clip. Reads no image data
// (the base class skips an inline image's bytes, as it must), draws nothing, and leaves
// text to the default no-op string calls.
class ImageAreaDevice : public OutputDev {
 public:
  double coverage() const { return static_cast<double>(cells_.count()) / (kGrid * kGrid); }

  bool upsideDown() override { return true; }
  bool useDrawChar() override { return false; }
  bool interpretType3Chars() override { return false; }

  void startPage(int, GfxState* state, XRef*) override {
    width_ = state->getPageWidth();
    height_ = state->getPageHeight();
    cells_.reset();
  }

  // A pattern or a shading is passed over whole (not drawn tile by tile or piece by piece):
  // a texture or a gradient behind the text is no scan.
  bool useTilingPatternFill() override { return true; }
  bool useShadedFills(int) override { return true; }
  bool tilingPatternFill(GfxState*, Gfx*, Catalog*, GfxTilingPattern*, const double*, int, int, int, int,
                         double, double) override {
    return true;
  }
  bool functionShadedFill(GfxState*, GfxFunctionShading*) override { return true; }
  bool axialShadedFill(GfxState*, GfxAxialShading*, double, double) override { return true; }
  bool radialShadedFill(GfxState*, GfxRadialShading*, double, double) override { return true; }
  bool gouraudTriangleShadedFill(GfxState*, GfxGouraudTriangleShading*) override { return true; }
  bool patchMeshShadedFill(GfxState*, GfxPatchMeshShading*) override { return true; }

  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                     bool interpolate, bool inline_image) override {
    add(state);
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_image);
  }
  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height,
                 GfxImageColorMap* color_map, bool interpolate, const int* mask_colors,
                 bool inline_image) override {
    add(state);
    OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_image);
  }
  void drawMaskedImage(GfxState* state, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int,
                       int, bool, bool) override {
    add(state);
  }
  void drawSoftMaskedImage(GfxState* state, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int,
                           int, GfxImageColorMap*, bool) override {
    add(state);
  }

 private:
  void add(const GfxState* state) {
    if (!(width_ > 0 && height_ > 0)) return;
    const double* m = state->getCTM();
    // The image fills the unit square of its user space: its corners through the matrix.
    std::array<double, 4> xs{m[4], m[0] + m[4], m[2] + m[4], m[0] + m[2] + m[4]};
    std::array<double, 4> ys{m[5], m[1] + m[5], m[3] + m[5], m[1] + m[3] + m[5]};
    double clip_x0 = 0, clip_y0 = 0, clip_x1 = 0, clip_y1 = 0;
    state->getClipBBox(&clip_x0, &clip_y0, &clip_x1, &clip_y1);
    double x0 = std::max({*std::min_element(xs.begin(), xs.end()), clip_x0, 0.0});
    double x1 = std::min({*std::max_element(xs.begin(), xs.end()), clip_x1, width_});
    double y0 = std::max({*std::min_element(ys.begin(), ys.end()), clip_y0, 0.0});
    double y1 = std::min({*std::max_element(ys.begin(), ys.end()), clip_y1, height_});
    if (!(x1 > x0 && y1 > y0)) return;  // off the page, or NaN from a broken matrix
    // Cells whose centres lie inside: centre of cell i is at (i + 0.5) * size.
    auto first = [](double low, double size) {
      return std::max(0, static_cast<int>(std::ceil(low / size - 0.5)));
    };
    auto last = [](double high, double size) {
      return std::min(kGrid - 1, static_cast<int>(std::floor(high / size - 0.5)));
    };
    double cell_w = width_ / kGrid;
    double cell_h = height_ / kGrid;
    for (int row = first(y0, cell_h); row <= last(y1, cell_h); ++row) {
      for (int column = first(x0, cell_w); column <= last(x1, cell_w); ++column) {
        cells_.set(static_cast<std::size_t>(row * kGrid + column));
      }
    }
  }

  double width_ = 0;
  double height_ = 0;
  std::bitset<kGrid * kGrid> cells_;
};

}  // namespace

double image_coverage(PDFDoc& document, int page) {
  ImageAreaDevice device;
  // The resolution only scales the matrix; nothing is rendered.
  document.displayPage(&device, page, 72, 72, 0, /*useMediaBox=*/false, /*crop=*/true, /*printing=*/false);
  return device.coverage();
}

}  // namespace evidence::indexer
