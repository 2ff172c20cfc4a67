#include "facets.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "index_layout.hpp"
#include "vocabulary.hpp"

namespace evidence::core {

namespace slot = layout::slot;

namespace {

Xapian::valueno slot_of(const std::string& facet) {
  if (facet == "organisation") return slot::kOrganisations;
  if (facet == "type") return slot::kType;
  if (facet == "country") return slot::kCountries;
  if (facet == "mentioned") return slot::kCountriesMentioned;
  if (facet == "theme") return slot::kThemes;
  if (facet == "exploitation") return slot::kExploitation;
  if (facet == "language") return slot::kLanguage;
  return slot::kYear;
}

}  // namespace

FacetCounter::FacetCounter() {
  for (const auto& facet : kFacetNames) {
    spies_.emplace(facet, std::make_unique<Xapian::ValueCountMatchSpy>(slot_of(facet)));
  }
}

void FacetCounter::attach(Xapian::Enquire& enquire, const Xapian::Database& database) {
  // Each spy reads its slot for every matching document; the value statistics say for
  // free (and over the remote backend too) which slots hold nothing to count.
  for (auto& [facet, spy] : spies_) {
    if (database.get_value_freq(slot_of(facet)) > 0) {
      enquire.add_matchspy(spy.get());
      attached_ = spy.get();
    }
  }
}

std::optional<Xapian::doccount> FacetCounter::documents_seen() const {
  if (attached_ == nullptr) return std::nullopt;
  return attached_->get_total();
}

std::map<std::string, Xapian::doccount> FacetCounter::counts(const std::string& facet) const {
  std::map<std::string, Xapian::doccount> out;
  const auto& spy = spies_.at(facet);
  for (auto it = spy->values_begin(); it != spy->values_end(); ++it) {
    std::string value = *it;
    if (facet == "year") {
      out[std::to_string(static_cast<int>(Xapian::sortable_unserialise(value)))] += it.get_termfreq();
      continue;
    }
    // Multi-valued fields hold their values joined in one slot.
    std::size_t start = 0;
    while (start <= value.size()) {
      auto end = value.find(layout::kValueSeparator, start);
      if (end == std::string::npos) end = value.size();
      if (end > start) out[value.substr(start, end - start)] += it.get_termfreq();
      start = end + 1;
    }
  }
  return out;
}

std::string facet_label(const std::string& facet, const std::string& value) {
  if (facet == "country" || facet == "mentioned") return countries().label(value);
  if (facet == "theme") return themes().label(value);
  if (facet == "exploitation") return exploitation_forms().label(value);
  if (facet == "type") return document_types().label(value);
  return value;
}

FacetCounts FacetCounter::top(std::size_t max_values) const {
  FacetCounts out;
  for (const auto& facet : kFacetNames) {
    auto counted = counts(facet);
    std::vector<std::pair<std::string, Xapian::doccount>> entries(counted.begin(), counted.end());
    if (facet != "year") {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      if (entries.size() > max_values) entries.resize(max_values);
    }
    std::vector<FacetValue>& values = out[facet];
    for (const auto& [value, count] : entries) values.push_back({value, facet_label(facet, value), count});
  }
  return out;
}

nlohmann::json FacetCounter::to_json(std::size_t max_values) const {
  return facet_counts_to_json(top(max_values));
}

nlohmann::json facet_counts_to_json(const FacetCounts& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [facet, values] : counts) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : values) {
      nlohmann::json item = {{"value", entry.value}, {"label", entry.label}, {"count", entry.count}};
      if (facet == "year") item["value"] = std::stoi(entry.value);
      list.push_back(std::move(item));
    }
    out[facet] = std::move(list);
  }
  return out;
}

}  // namespace evidence::core
