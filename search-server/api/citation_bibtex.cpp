// BibTeX entries, read by BibTeX, biblatex/biber and Zotero alike.
//
// Letters outside ASCII are written as UTF-8, not as LaTeX accent commands: biber and
// Zotero read UTF-8, LaTeX reads UTF-8 by default since 2018, and a name such as
// "Müller" stays searchable and copyable in the .bib file. The characters LaTeX treats
// specially are escaped.

#include <array>
#include <string_view>

#include "citation_parts.hpp"

namespace evidence::server::citation {

namespace {

constexpr std::array<std::string_view, 12> kMonthMacros = {"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};

// Text for a braced field value: LaTeX's special characters escaped, so that braces stay
// balanced and nothing is read as a command, a comment or math.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '&': out += "\\&"; break;
      case '%': out += "\\%"; break;
      case '$': out += "\\$"; break;
      case '#': out += "\\#"; break;
      case '_': out += "\\_"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      default: out += c;
    }
  }
  return out;
}

// A URL is verbatim in biblatex and in \url{}: only braces and spaces would break it.
std::string escape_url(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == '{') out += "%7B";
    else if (c == '}') out += "%7D";
    else if (c == ' ') out += "%20";
    else out += c;
  }
  return out;
}

// A family name holding a comma or the word "and" is braced, so it stays one name.
std::string name_part(const std::string& text) {
  std::string escaped = escape(text);
  bool risky = text.find(',') != std::string::npos || (" " + text + " ").find(" and ") != std::string::npos;
  return risky ? "{" + escaped + "}" : escaped;
}

std::string authors(const Parts& p) {
  // A corporate author in double braces: one name, never split into given and family.
  if (!p.corporate_author.empty()) return "{" + escape(p.corporate_author) + "}";
  std::string out;
  for (const auto& person : p.authors) {
    if (!out.empty()) out += " and ";
    out += name_part(person.family);
    if (!person.given.empty()) out += ", " + name_part(person.given);
  }
  return out;
}

}  // namespace

std::string to_bibtex(const Parts& p) {
  std::string out = std::string(p.report ? "@techreport{" : "@misc{") + p.id + ",\n";
  auto field = [&out](std::string_view name, const std::string& braced) {
    out += "  " + std::string(name) + " = {" + braced + "},\n";
  };
  auto text = [&field](std::string_view name, const std::string& value) {
    if (!value.empty()) field(name, escape(value));
  };
  if (std::string names = authors(p); !names.empty()) field("author", names);
  // The title is braced once more: it is printed as written, not recased by the style.
  field("title", "{" + escape(p.title) + "}");
  text("type", p.type_label);
  text(p.report ? "institution" : "organization", p.publisher);
  text("address", p.place);
  text("series", p.series);
  text("number", p.number);
  if (!p.date.empty()) field("year", std::to_string(p.date[0]));
  if (p.date.size() > 1 && p.date[1] >= 1 && p.date[1] <= 12) {
    // The standard month macro (unbraced), which BibTeX, biber and Zotero all know.
    out += "  month = " + std::string(kMonthMacros[static_cast<std::size_t>(p.date[1] - 1)]) + ",\n";
  }
  text("language", p.language);
  text("doi", p.doi);
  text("isbn", p.isbn);
  field("url", escape_url(p.link));
  field("urldate", std::to_string(p.accessed[0]) + "-" + two_digits(p.accessed[1]) + "-" + two_digits(p.accessed[2]));
  text("pages", p.page);
  if (!p.quote.empty()) text("note", "\u201c" + p.quote + "\u201d");
  text("abstract", p.summary);
  out.erase(out.size() - 2);  // the last field's comma
  out += "\n}\n";
  return out;
}

}  // namespace evidence::server::citation
