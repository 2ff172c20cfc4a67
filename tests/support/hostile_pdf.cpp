#include "hostile_pdf.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace evidence::testing::hostile {

namespace {

const char* kFont = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

std::string deflate_all(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), 9) != Z_OK) {
    throw std::runtime_error("compress2 failed");
  }
  out.resize(size);
  return out;
}

// A zlib stream that inflates to chunk repeated times, built without deflating it all:
// after a full flush a deflate block depends on nothing before it, so it can be repeated.
std::string repeated_deflate(const std::string& chunk, std::uint64_t times) {
  z_stream z{};
  if (deflateInit(&z, 9) != Z_OK) throw std::runtime_error("deflateInit failed");
  std::string block(compressBound(static_cast<uLong>(chunk.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
  z.avail_in = static_cast<uInt>(chunk.size());
  z.next_out = reinterpret_cast<Bytef*>(block.data());
  z.avail_out = static_cast<uInt>(block.size());
  if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0) throw std::runtime_error("deflate failed");
  block.resize(block.size() - z.avail_out);
  deflateEnd(&z);
  std::string header = block.substr(0, 2);  // the zlib header comes once
  std::string body = block.substr(2);
  uLong chunk_adler = adler32(1L, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(chunk.size()));
  uLong adler = 1L;
  std::string out = header;
  out.reserve(2 + body.size() * times + 16);
  for (std::uint64_t i = 0; i < times; ++i) {
    out += body;
    adler = adler32_combine(adler, chunk_adler, static_cast<z_off_t>(chunk.size()));
  }
  out += std::string("\x03\x00", 2);  // a final empty fixed-Huffman block
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((adler >> shift) & 0xFF);
  return out;
}

std::string page_object(int parent, int contents, const std::string& extra = "") {
  return "<< /Type /Page /Parent " + std::to_string(parent) + " 0 R /MediaBox [0 0 612 792] /Contents " +
         std::to_string(contents) + " 0 R /Resources << /Font << /F1 5 0 R >> >> " + extra + ">>";
}

std::string show_text(const std::string& text) { return "BT /F1 12 Tf 72 700 Td (" + text + ") Tj ET"; }

}  // namespace

std::string assemble(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  char entry[32];
  for (auto offset : offsets) {
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string stream_object(const std::string& data, const std::string& extra_entries) {
  return "<< /Length " + std::to_string(data.size()) + " " + extra_entries + " >>\nstream\n" + data + "\nendstream";
}

std::string one_page(const std::string& content, const std::string& content_entries,
                     const std::string& catalog_extra) {
  return assemble({"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + " >>",
                   "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page_object(2, 4),
                   stream_object(content, content_entries), kFont});
}

namespace {

std::string bomb_page(const std::string& chunk, std::uint64_t inflated_bytes) {
  std::uint64_t times = std::max<std::uint64_t>(1, inflated_bytes / chunk.size());
  return one_page(deflate_all(repeated_deflate(chunk, times)), "/Filter [/FlateDecode /FlateDecode]");
}

}  // namespace

std::string truncated(const std::string& good) { return good.substr(0, good.size() / 3); }

std::string bit_flipped(const std::string& good, std::uint32_t seed) {
  std::string out = good;
  std::mt19937 random(seed);
  for (std::size_t i = 0; i < out.size() / 50; ++i) {
    std::size_t at = 16 + random() % (out.size() - 16);
    out[at] = static_cast<char>(out[at] ^ (1 << (random() % 8)));
  }
  return out;
}

std::string zeros_bomb(std::uint64_t inflated_bytes) {
  std::string chunk;
  for (int i = 0; i < (1 << 19); ++i) chunk += "0 ";
  return bomb_page(chunk, inflated_bytes);
}

std::string pages_with_bomb(const std::vector<std::string>& texts, int bomb_page,
                            std::uint64_t inflated_bytes) {
  // Objects: 1 catalog, 2 Pages, 3 font, then each page and its content stream.
  std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>", "", kFont};
  std::string kids;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    int page = static_cast<int>(objects.size()) + 1;
    kids += std::to_string(page) + " 0 R ";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " +
                      std::to_string(page + 1) + " 0 R /Resources << /Font << /F1 3 0 R >> >> >>");
    if (static_cast<int>(i) + 1 == bomb_page) {
      std::string chunk;
      for (int k = 0; k < (1 << 19); ++k) chunk += "0 ";
      std::uint64_t times = std::max<std::uint64_t>(1, inflated_bytes / chunk.size());
      objects.push_back(
          stream_object(deflate_all(repeated_deflate(chunk, times)), "/Filter [/FlateDecode /FlateDecode]"));
    } else {
      objects.push_back(stream_object(show_text(texts[i])));
    }
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(texts.size()) + " >>";
  return assemble(objects);
}

std::string words_bomb(std::uint64_t inflated_bytes) {
  std::string pattern;
  for (int i = 0; i < 1000; ++i) {
    pattern += "1 0 0 1 " + std::to_string(50 + (i % 10) * 50) + " " + std::to_string(50 + (i / 10) * 7) +
               " Tm (w" + std::to_string(i) + "x) Tj\n";
  }
  std::string chunk = "BT /F1 6 Tf\n";
  for (int i = 0; i < 50; ++i) chunk += pattern;
  chunk += "ET\n";
  return bomb_page(chunk, inflated_bytes);
}

std::string looping_page_tree(const std::string& text) {
  return assemble({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
                   page_object(2, 4), stream_object(show_text(text)), kFont,
                   "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"});
}

std::string deep_arrays(int depth, const std::string& text) {
  return assemble({"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   page_object(2, 4), stream_object(show_text(text)), kFont,
                   std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']')});
}

std::string deep_page_tree(int depth, const std::string& text) {
  // 1 catalog, 2..depth+1 Pages nodes, then the page, its content and the font.
  std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>"};
  for (int k = 0; k < depth; ++k) {
    std::string parent = k == 0 ? "" : "/Parent " + std::to_string(k + 1) + " 0 R ";
    objects.push_back("<< /Type /Pages " + parent + "/Kids [" + std::to_string(k + 3) + " 0 R] /Count 1 >>");
  }
  int page = depth + 2;
  objects.push_back("<< /Type /Page /Parent " + std::to_string(page - 1) + " 0 R /MediaBox [0 0 612 792] /Contents " +
                    std::to_string(page + 1) + " 0 R /Resources << /Font << /F1 " + std::to_string(page + 2) +
                    " 0 R >> >> >>");
  objects.push_back(stream_object(show_text(text)));
  objects.push_back(kFont);
  return assemble(objects);
}

std::string deep_graphics_state(int depth, const std::string& text) {
  std::string content;
  for (int i = 0; i < depth; ++i) content += "q ";
  content += show_text(text);
  for (int i = 0; i < depth; ++i) content += " Q";
  return one_page(deflate_all(content), "/Filter /FlateDecode");
}

std::string many_pages(int pages) {
  // Objects: 1 catalog, 2 root Pages, 3..2+nodes intermediate Pages nodes of 1000 pages
  // each, then the pages; all but 1 and 2 live in object streams of 1000 objects.
  constexpr int kPerNode = 1000;
  int nodes = (pages + kPerNode - 1) / kPerNode;
  int first_page = 3 + nodes;
  int stored = nodes + pages;  // objects in object streams
  auto object_text = [&](int number) {
    if (number < first_page) {
      int node = number - 3;
      int count = std::min(kPerNode, pages - node * kPerNode);
      std::string kids;
      for (int i = 0; i < count; ++i) kids += std::to_string(first_page + node * kPerNode + i) + " 0 R ";
      return "<< /Type /Pages /Parent 2 0 R /Count " + std::to_string(count) + " /Kids [" + kids + "] >>";
    }
    return "<< /Type /Page /Parent " + std::to_string(3 + (number - first_page) / kPerNode) + " 0 R >>";
  };
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<std::string> entries(static_cast<std::size_t>(3 + stored));  // 7-byte xref stream rows
  auto row = [](int type, std::uint32_t f2, std::uint16_t f3) {
    std::string r(7, '\0');
    r[0] = static_cast<char>(type);
    for (int i = 0; i < 4; ++i) r[static_cast<std::size_t>(1 + i)] = static_cast<char>((f2 >> (24 - 8 * i)) & 0xFF);
    r[5] = static_cast<char>(f3 >> 8);
    r[6] = static_cast<char>(f3 & 0xFF);
    return r;
  };
  entries[0] = row(0, 0, 0xFFFF);
  auto direct = [&](int number, const std::string& body) {
    entries[static_cast<std::size_t>(number)] = row(1, static_cast<std::uint32_t>(out.size()), 0);
    out += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
  };
  direct(1, "<< /Type /Catalog /Pages 2 0 R >>");
  std::string root_kids;
  for (int n = 0; n < nodes; ++n) root_kids += std::to_string(3 + n) + " 0 R ";
  direct(2, "<< /Type /Pages /Count " + std::to_string(pages) + " /MediaBox [0 0 612 792] /Resources << >> /Kids [" +
                root_kids + "] >>");
  int next_number = 3 + stored;  // object streams are numbered after everything else
  std::vector<std::string> stream_rows;
  for (int start = 3; start < 3 + stored; start += kPerNode) {
    int end = std::min(start + kPerNode, 3 + stored);
    std::string header;
    std::string body;
    for (int number = start; number < end; ++number) {
      header += std::to_string(number) + " " + std::to_string(body.size()) + " ";
      body += object_text(number) + "\n";
      entries[static_cast<std::size_t>(number)] =
          row(2, static_cast<std::uint32_t>(next_number), static_cast<std::uint16_t>(number - start));
    }
    std::string data = deflate_all(header + body);
    stream_rows.push_back(row(1, static_cast<std::uint32_t>(out.size()), 0));
    out += std::to_string(next_number++) + " 0 obj\n" +
           stream_object(data, "/Type /ObjStm /N " + std::to_string(end - start) + " /First " +
                                   std::to_string(header.size()) + " /Filter /FlateDecode") +
           "\nendobj\n";
  }
  for (auto& r : stream_rows) entries.push_back(r);
  int xref_number = next_number;
  entries.push_back(row(1, static_cast<std::uint32_t>(out.size()), 0));
  std::string table;
  for (const auto& e : entries) table += e;
  std::size_t xref_offset = out.size();
  int size = xref_number + 1;
  out += std::to_string(xref_number) + " 0 obj\n" +
         stream_object(deflate_all(table), "/Type /XRef /Size " + std::to_string(size) +
                                               " /W [1 4 2] /Root 1 0 R /Filter /FlateDecode") +
         "\nendobj\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return out;
}

}  // namespace evidence::testing::hostile
