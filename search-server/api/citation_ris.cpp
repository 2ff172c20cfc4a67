// RIS records: "XX  - value" lines ending in CR LF, from TY to "ER  - ".
//
// Tags are those Zotero's RIS import maps for a report (RPRT): PB is its institution, SN
// its report number, T2 its series, M3 its report type, SP its pages, Y2 the access date.
// Every document is a report here: Zotero reads the generic type GEN as a journal
// article. An organisation that is the corporate author goes in AU without a comma, which
// Zotero keeps as one name; A2 would make it a series editor.

#include <string_view>

#include "citation_parts.hpp"

namespace evidence::server::citation {

namespace {

// RIS dates are YYYY/MM/DD/other, with empty parts left empty.
std::string ris_date(const std::vector<int>& parts) {
  std::string out = std::to_string(parts[0]) + "/";
  out += parts.size() > 1 ? two_digits(parts[1]) : "";
  out += "/";
  out += parts.size() > 2 ? two_digits(parts[2]) : "";
  return out + "/";
}

}  // namespace

std::string to_ris(const Parts& p) {
  std::string out;
  auto tag = [&out](std::string_view name, const std::string& value) {
    if (!value.empty()) out += std::string(name) + "  - " + value + "\r\n";
  };
  tag("TY", "RPRT");
  for (const auto& person : p.authors) tag("AU", person.given.empty() ? person.family : person.family + ", " + person.given);
  tag("AU", p.corporate_author);
  tag("TI", p.title);
  tag("T2", p.series);
  if (!p.date.empty()) {
    tag("PY", std::to_string(p.date[0]));
    tag("DA", ris_date(p.date));
  }
  tag("PB", p.publisher);
  tag("CY", p.place);
  tag("M3", p.type_label);
  tag("SN", p.number);
  tag("LA", p.language);
  tag("DO", p.doi);
  tag("UR", p.link);
  tag("Y2", ris_date(p.accessed));
  tag("SP", p.page);
  if (!p.quote.empty()) tag("N1", "\u201c" + p.quote + "\u201d");
  tag("AB", p.summary);
  out += "ER  - \r\n";
  return out;
}

}  // namespace evidence::server::citation
