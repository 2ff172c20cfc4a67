#pragma once
// How much of a page its images cover, found by interpreting the page's content without
// rendering it: Poppler's content interpreter with an output device that only notes where
// images are drawn. A scanned page is an image over (most of) the page.

class PDFDoc;

namespace evidence::indexer {

/// The share (0 to 1) of the crop box of `page` (1-based) that the images drawn on it cover,
/// each clipped to where it is visible; overlapping images count once.
double image_coverage(PDFDoc& document, int page);

}  // namespace evidence::indexer
