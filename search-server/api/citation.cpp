#include "citation.hpp"

#include <nlohmann/json.hpp>

#include "citation_parts.hpp"
#include "facets.hpp"
#include "text.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;
// Items keep their fields in the order written (id and type first), for people reading them.
using json = nlohmann::ordered_json;

namespace citation {

namespace {

// Types that are not reports: cited as miscellaneous documents where a format has the
// distinction (BibTeX @misc, CSL "document"). An unknown type is not assumed a report.
bool is_report_type(const std::string& type) {
  return !type.empty() && type != "meeting-minutes" && type != "training-material" && type != "toolkit" &&
         type != "factsheet" && type != "other";
}

// "2021-03-15" → {2021, 3, 15}; the schema guarantees the shape.
std::vector<int> date_parts(const std::string& date) {
  std::vector<int> parts;
  std::size_t start = 0;
  while (start < date.size()) {
    std::size_t dash = date.find('-', start);
    if (dash == std::string::npos) dash = date.size();
    int value = 0;
    for (std::size_t i = start; i < dash; ++i) {
      if (date[i] < '0' || date[i] > '9') return {};
      value = value * 10 + (date[i] - '0');
    }
    parts.push_back(value);
    start = dash + 1;
  }
  return parts;
}

std::string full_title(const core::DocumentMetadata& m) {
  std::string title = core::normalize_line(m.title);
  std::string subtitle = core::normalize_line(m.subtitle);
  if (subtitle.empty()) return title;
  if (title.empty()) return subtitle;
  char last = title.back();
  return title + (last == ':' || last == '.' || last == '?' || last == '!' ? " " : ": ") + subtitle;
}

json csl_date(const std::vector<int>& parts) { return {{"date-parts", json::array({parts})}}; }

json csl_item(const Parts& p) {
  json item = {{"id", p.id}, {"type", p.report ? "report" : "document"}, {"title", p.title}};
  json authors = json::array();
  for (const auto& person : p.authors) {
    json name = {{"family", person.family}};
    if (!person.given.empty()) name["given"] = person.given;
    authors.push_back(std::move(name));
  }
  if (!p.corporate_author.empty()) authors.push_back({{"literal", p.corporate_author}});
  if (!authors.empty()) item["author"] = std::move(authors);
  if (!p.date.empty()) item["issued"] = csl_date(p.date);
  item["accessed"] = csl_date(p.accessed);
  auto set = [&item](const char* field, const std::string& value) {
    if (!value.empty()) item[field] = value;
  };
  set("publisher", p.publisher);
  set("publisher-place", p.place);
  set("genre", p.type_label);
  set("collection-title", p.series);
  set("number", p.number);
  set("language", p.language);
  set("DOI", p.doi);
  set("ISBN", p.isbn);
  set("URL", p.link);
  set("page", p.page);
  set("note", p.quote.empty() ? "" : "\u201c" + p.quote + "\u201d");
  set("abstract", p.summary);
  return item;
}

std::string dump(const json& value) {
  return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string two_digits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

std::string end_sentence(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != '?' && text.back() != '!') text += '.';
  return text;
}

Parts parts_of(const Citation& c) {
  const core::DocumentMetadata& m = c.document.metadata;
  Parts p;
  p.id = c.document.id;
  for (const auto& person : m.authors) p.authors.push_back({core::normalize_line(person.family), core::normalize_line(person.given)});
  if (m.authors.empty() && !m.organisations.empty()) p.corporate_author = core::normalize_line(m.organisations.front());
  p.title = full_title(m);
  p.publisher = core::normalize_line(!m.publisher.empty() ? m.publisher : m.organisations.empty() ? "" : m.organisations.front());
  p.place = core::normalize_line(m.place);
  p.date = date_parts(m.date);
  p.type_label = m.type.empty() ? "" : core::facet_label("type", m.type);
  p.report = is_report_type(m.type);
  p.series = core::normalize_line(m.series);
  p.number = core::normalize_line(m.report_number);
  p.language = core::normalize_line(!m.language.empty() ? m.language : c.document.language);
  p.doi = core::normalize_line(m.doi);
  p.isbn = core::normalize_line(m.isbn);
  p.summary = core::normalize_line(m.summary);
  if (c.page) p.page = c.page_label.empty() ? std::to_string(*c.page) : core::normalize_line(c.page_label);
  p.quote = quote_text(c.quote);
  p.link = citation_link(c);
  p.accessed = {static_cast<int>(c.accessed.year()), static_cast<int>(unsigned(c.accessed.month())),
                static_cast<int>(unsigned(c.accessed.day()))};
  return p;
}

}  // namespace citation

core::Result<CitationFormat> parse_citation_format(std::string_view name) {
  if (name == "bibtex") return CitationFormat::kBibtex;
  if (name == "ris") return CitationFormat::kRis;
  if (name == "csl-json") return CitationFormat::kCslJson;
  if (name == "harvard") return CitationFormat::kHarvard;
  if (name == "apa") return CitationFormat::kApa;
  return Error{ErrorCode::kInvalidArgument, "parameter 'format' must be bibtex, ris, csl-json, harvard or apa"};
}

std::string citation_content_type(CitationFormat format) {
  switch (format) {
    case CitationFormat::kBibtex: return "application/x-bibtex; charset=utf-8";
    case CitationFormat::kRis: return "application/x-research-info-systems; charset=utf-8";
    case CitationFormat::kCslJson: return "application/vnd.citationstyles.csl+json";
    case CitationFormat::kHarvard:
    case CitationFormat::kApa: return "text/plain; charset=utf-8";
  }
  return "text/plain; charset=utf-8";
}

std::string citation_file_extension(CitationFormat format) {
  switch (format) {
    case CitationFormat::kBibtex: return "bib";
    case CitationFormat::kRis: return "ris";
    case CitationFormat::kCslJson: return "json";
    case CitationFormat::kHarvard:
    case CitationFormat::kApa: return "txt";
  }
  return "txt";
}

std::string citation_link(const Citation& c) {
  std::string link = c.base_url + "/d/" + c.document.id;
  if (c.page) link += "?page=" + std::to_string(*c.page);
  return link;
}

std::string quote_text(std::string_view passage) { return core::normalize_line(passage); }

std::string format_citation(const Citation& c, CitationFormat format) {
  citation::Parts parts = citation::parts_of(c);
  switch (format) {
    case CitationFormat::kBibtex: return citation::to_bibtex(parts);
    case CitationFormat::kRis: return citation::to_ris(parts);
    case CitationFormat::kCslJson: return citation::dump(json::array({citation::csl_item(parts)}));
    case CitationFormat::kHarvard: return citation::to_harvard(parts);
    case CitationFormat::kApa: return citation::to_apa(parts);
  }
  return {};
}

std::string format_citations(const std::vector<Citation>& citations, CitationFormat format) {
  if (format == CitationFormat::kCslJson) {
    json items = json::array();
    for (const auto& c : citations) items.push_back(citation::csl_item(citation::parts_of(c)));
    return citation::dump(items);
  }
  // BibTeX entries, RIS records and text references are each separated by a blank line.
  std::string out;
  std::string blank_line = format == CitationFormat::kRis ? "\r\n" : "\n";
  for (const auto& c : citations) {
    if (!out.empty()) out += blank_line;
    out += format_citation(c, format);
  }
  return out;
}

}  // namespace evidence::server
