#pragma once
// Hostile PDFs for fault tests, written byte by byte: damaged copies of good files,
// decompression bombs, loops and deep nesting in the object graph, enormous page trees.

#include <cstdint>
#include <string>
#include <vector>

namespace evidence::testing::hostile {

/// A classic PDF (header, objects 1..n, xref table, trailer) with object 1 as its catalog.
std::string assemble(const std::vector<std::string>& objects);
/// A stream object holding data as it is, with extra entries for its dictionary.
std::string stream_object(const std::string& data, const std::string& extra_entries = "");
/// A one-page PDF whose page draws content with Helvetica as /F1.
std::string one_page(const std::string& content, const std::string& content_entries = "",
                     const std::string& catalog_extra = "");

/// The first third of a good PDF's bytes.
std::string truncated(const std::string& good);
/// A good PDF with one bit flipped in every 50th byte on average after the header (seeded).
std::string bit_flipped(const std::string& good, std::uint32_t seed);

/// One page whose content stream, deflated twice, inflates to inflated_bytes of "0 ":
/// small on disk, endless work for the parser.
std::string zeros_bomb(std::uint64_t inflated_bytes);
/// One page whose content, deflated twice, places ever more words on the page: the text
/// device's memory grows without end.
std::string words_bomb(std::uint64_t inflated_bytes);
/// Text pages (one per entry of texts, in Helvetica) with page bomb_page (1-based) in their
/// midst a zeros bomb of inflated_bytes: the pages before it read at once, it never ends.
std::string pages_with_bomb(const std::vector<std::string>& texts, int bomb_page,
                            std::uint64_t inflated_bytes);
/// A page tree whose second kid is a Pages node that lists the root again.
std::string looping_page_tree(const std::string& text);
/// A catalog entry holding arrays nested depth deep, and one page with text.
std::string deep_arrays(int depth, const std::string& text);
/// A page under a chain of depth Pages nodes.
std::string deep_page_tree(int depth, const std::string& text);
/// A page whose content saves the graphics state depth times before its text.
std::string deep_graphics_state(int depth, const std::string& text);
/// pages empty pages in object streams (PDF 1.5, cross-reference stream): a small file.
std::string many_pages(int pages);

}  // namespace evidence::testing::hostile
