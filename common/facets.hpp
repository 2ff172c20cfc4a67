#pragma once
// Document counts per facet value over a whole result set. Built on Xapian's own
// ValueCountMatchSpy over value slots, the only kind of spy that travels over Xapian's
// remote protocol, so facets work the same on local and remote databases.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <xapian.h>

namespace evidence::core {

/// The facets the library counts, in display order.
/// "country" is what the metadata says a document is about, "mentioned" the countries its
/// text names (empty until the indexer fills the slot).
inline const std::vector<std::string> kFacetNames = {"organisation", "type",         "country",  "mentioned",
                                                     "theme",        "exploitation", "language", "year"};

/// One value of a facet, with its label and the documents that have it.
struct FacetValue {
  std::string value;
  std::string label;
  Xapian::doccount count = 0;
};
/// facet name → its values, for every facet of kFacetNames.
using FacetCounts = std::map<std::string, std::vector<FacetValue>>;

/// {"country": [{"value": "GB", "label": "United Kingdom", "count": 3}, ...], ...}; a year's
/// value is a number.
nlohmann::json facet_counts_to_json(const FacetCounts& counts);

class FacetCounter {
 public:
  FacetCounter();
  /// Registers the spies; the caller must let the match see every document
  /// (check_at_least = database size) for exact counts. A facet whose slot no record of
  /// `database` fills gets no spy: its counts are empty without looking.
  void attach(Xapian::Enquire& enquire, const Xapian::Database& database);
  /// How many documents the match let the spies see; none when no spy is attached.
  std::optional<Xapian::doccount> documents_seen() const;
  /// value → documents for one facet; a multi-valued field counts once per value.
  std::map<std::string, Xapian::doccount> counts(const std::string& facet) const;
  /// Every facet's values by count (then value), at most max_values per facet (year: all,
  /// by year).
  FacetCounts top(std::size_t max_values) const;
  /// top(max_values) as JSON (facet_counts_to_json).
  nlohmann::json to_json(std::size_t max_values) const;

 private:
  std::map<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies_;  // Enquire only borrows them
  const Xapian::ValueCountMatchSpy* attached_ = nullptr;                      // one that attach() registered
};

/// The label of a facet value: vocabulary labels for codes, the value itself otherwise.
std::string facet_label(const std::string& facet, const std::string& value);

}  // namespace evidence::core
