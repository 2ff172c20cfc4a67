#pragma once
// Internal to the citation formatters: the parts of a reference every format reads,
// derived once from a document's metadata, and the writer of each format.

#include <string>
#include <vector>

#include "citation.hpp"

namespace evidence::server::citation {

/// The parts of a reference, each on one line, empty when unknown.
struct Parts {
  std::string id;                       // the document id, also the BibTeX key and CSL id
  std::vector<core::Person> authors;    // personal authors, in order
  std::string corporate_author;         // the first organisation, when there are no authors
  std::string title;                    // "Title: Subtitle"
  std::string publisher;                // the publisher, else the first organisation
  std::string place;
  std::vector<int> date;                // year[, month[, day]]; empty: no date
  std::string type_label;               // "Policy brief"; empty when the type is unknown
  bool report = true;                   // a report-like document (else a miscellaneous one)
  std::string series;
  std::string number;                   // report number
  std::string language, doi, isbn, summary;
  std::string page;                     // printed label or number of the cited page
  std::string quote;
  std::string link;                     // stable link (with ?page=N for a passage)
  std::vector<int> accessed;            // {year, month, day}
};

/// The parts of a citation.
Parts parts_of(const Citation& citation);

/// 7 → "07".
std::string two_digits(int value);

/// "Title" followed by "." unless it already ends with . ? or !.
std::string end_sentence(std::string text);

std::string to_bibtex(const Parts& parts);
std::string to_ris(const Parts& parts);
std::string to_harvard(const Parts& parts);
std::string to_apa(const Parts& parts);

}  // namespace evidence::server::citation
