// Harvard (Cite Them Right) and APA 7 references as plain text.
//
// Plain text, without markdown or HTML: titles are not italicised (a page that shows the
// reference may style it), and titles keep the capitals they were catalogued with (APA's
// sentence case would lower-case names of places and organisations). When a page or a
// quote is cited, the reference is preceded by the in-text citation with the page, and the
// quote in front of it: "“…” (Org, 2021, p. 12)".

#include <array>
#include <string_view>

#include "citation_parts.hpp"

namespace evidence::server::citation {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                      "July",    "August",   "September", "October", "November", "December"};
constexpr std::size_t kApaListedAuthors = 20;  // APA 7: up to 20 names, then 19, ". . .", the last

// The first character of a UTF-8 word (1 to 4 bytes), upper-cased when ASCII.
std::string first_character(std::string_view word) {
  auto lead = static_cast<unsigned char>(word[0]);
  std::size_t length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  std::string out(word.substr(0, length));
  if (length == 1 && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// "Jean-Pierre Louis" → "J.-P.L." (Harvard) or "J.-P. L." (APA).
std::string initials(const std::string& given, const char* separator) {
  std::string out;
  std::size_t start = 0;
  while (start < given.size()) {
    std::size_t end = given.find(' ', start);
    if (end == std::string::npos) end = given.size();
    std::string_view word(given.data() + start, end - start);
    if (!word.empty()) {
      if (!out.empty()) out += separator;
      for (std::size_t part = 0; part < word.size();) {
        std::size_t hyphen = word.find('-', part);
        if (hyphen == std::string_view::npos) hyphen = word.size();
        if (hyphen > part) out += (part > 0 ? "-" : "") + first_character(word.substr(part)) + ".";
        part = hyphen + 1;
      }
    }
    start = end + 1;
  }
  return out;
}

std::string name(const core::Person& person, const char* separator) {
  return person.given.empty() ? person.family : person.family + ", " + initials(person.given, separator);
}

// Names joined as "A, B and C"; the last joined by last_join.
std::string join(const std::vector<std::string>& names, const std::string& last_join) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? last_join : ", ";
    out += names[i];
  }
  return out;
}

// Harvard: up to three names, four or more as the first "et al.".
std::string harvard_authors(const Parts& p) {
  if (!p.corporate_author.empty()) return p.corporate_author;
  if (p.authors.size() > 3) return name(p.authors[0], "") + " et al.";
  std::vector<std::string> names;
  for (const auto& person : p.authors) names.push_back(name(person, ""));
  return join(names, " and ");
}

// APA 7: up to 20 names with "&" before the last; 21 or more as the first 19, ". . .", the last.
std::string apa_authors(const Parts& p) {
  if (!p.corporate_author.empty()) return p.corporate_author;
  std::vector<std::string> names;
  for (const auto& person : p.authors) names.push_back(name(person, " "));
  if (names.size() > kApaListedAuthors) {
    std::string last = names.back();
    names.resize(kApaListedAuthors - 1);
    return join(names, ", ") + ", . . . " + last;
  }
  return join(names, ", & ");  // a comma before "&" even for two names
}

// Who the in-text citation names: family names (et al. from three in APA, four in Harvard),
// the organisation, or else the title.
std::string in_text_names(const Parts& p, const std::string& both, std::size_t et_al_from) {
  if (!p.corporate_author.empty()) return p.corporate_author;
  if (p.authors.empty()) return p.title;
  if (p.authors.size() >= et_al_from) return p.authors[0].family + " et al.";
  std::vector<std::string> families;
  for (const auto& person : p.authors) families.push_back(person.family);
  return join(families, both);
}

// "“quote” (Names, 2021, p. 12)" and a blank line, when a page or a quote is cited.
std::string in_text(const Parts& p, const std::string& names, const std::string& year) {
  if (p.page.empty() && p.quote.empty()) return {};
  std::string out = p.quote.empty() ? "" : "\u201c" + p.quote + "\u201d ";
  out += "(" + names + ", " + year + (p.page.empty() ? "" : ", p. " + p.page) + ")";
  return out + "\n\n";
}

std::string year_or(const Parts& p, const std::string& no_date) {
  return p.date.empty() ? no_date : std::to_string(p.date[0]);
}

}  // namespace

std::string to_harvard(const Parts& p) {
  std::string year = year_or(p, "no date");
  std::string authors = harvard_authors(p);
  std::string out = in_text(p, in_text_names(p, " and ", 4), year);
  out += authors.empty() ? p.title + " (" + year + ") " : authors + " (" + year + ") " + end_sentence(p.title) + " ";
  if (!p.place.empty() && !p.publisher.empty()) {
    out += p.place + ": " + end_sentence(p.publisher) + " ";
  } else if (!p.place.empty() || !p.publisher.empty()) {
    out += end_sentence(p.place + p.publisher) + " ";
  }
  std::string accessed = std::to_string(p.accessed[2]) + " " +
                         std::string(kMonths[static_cast<std::size_t>(p.accessed[1] - 1)]) + " " +
                         std::to_string(p.accessed[0]);
  return out + "Available at: " + p.link + " (Accessed: " + accessed + ").\n";
}

std::string to_apa(const Parts& p) {
  std::string year = year_or(p, "n.d.");
  std::string authors = apa_authors(p);
  std::string title = p.number.empty() ? p.title : p.title + " (Report No. " + p.number + ")";
  std::string out = in_text(p, in_text_names(p, " & ", 3), year);
  out += authors.empty() ? end_sentence(title) + " (" + year + "). "
                         : end_sentence(authors) + " (" + year + "). " + end_sentence(title) + " ";
  // The publisher is left out when it is the author (APA 7, 9.24).
  if (!p.publisher.empty() && p.publisher != p.corporate_author) out += end_sentence(p.publisher) + " ";
  return out + p.link + "\n";
}

}  // namespace evidence::server::citation
