#pragma once
// The facet sidebar (document counts per value; links add and remove filters) and the
// chart of matching documents per year, both from the facets of a search response.

#include <string>
#include <vector>

#include "facets.hpp"
#include "search_state.hpp"

namespace evidence::server::web {

/// The sidebar: each facet's values with counts (facets: none counted when null); active
/// values first, each link removes it.
std::string facet_sidebar(const SearchState& state, const core::FacetCounts* facets);

/// Inline SVG bars of documents per year with a table as its text alternative; each year
/// in the table links to the results of that year. Empty when no document has a year.
std::string year_chart(const SearchState& state, const std::vector<core::FacetValue>& years);

/// The label of a filter value: the vocabulary's label, a language's English name, or the value.
std::string filter_label(const std::string& facet, const std::string& value);

}  // namespace evidence::server::web
