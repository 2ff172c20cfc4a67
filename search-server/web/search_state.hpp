#pragma once
// What the search page shows, as it stands in its URL: the query, the filters, the
// years, the order and the position. Every link on the page is this state changed a little.

#include <string>
#include <utility>
#include <vector>

#include "params.hpp"

namespace evidence::server::web {

/// A filter parameter of the API and the facet whose values it takes.
struct FilterParam {
  const char* param;  // "country", "org", ...
  const char* facet;  // "country", "organisation", ...
  const char* title;  // heading on the page
};

/// The filters in the order the page shows them (the year range is apart).
inline constexpr FilterParam kFilterParams[] = {
    {"type", "type", "Type"},         {"org", "organisation", "Organisation"},
    {"country", "country", "Country"}, {"theme", "theme", "Theme"},
    {"exploitation", "exploitation", "Form of exploitation"}, {"lang", "language", "Language"}};

inline constexpr int kResultsPerPage = 10;

class SearchState {
 public:
  /// The state in a request to "/": unknown parameters are dropped, values kept as typed
  /// (the API checks them and the page shows its message).
  explicit SearchState(const Target& target);

  const std::string& query() const { return query_; }
  const std::string& sort() const { return sort_; }
  const std::string& offset() const { return offset_; }
  const std::string& year_from() const { return year_from_; }
  const std::string& year_to() const { return year_to_; }
  /// The values of one filter parameter, in the order given.
  std::vector<std::string> values(const std::string& param) const;
  /// Whether any filter or year is set.
  bool filtered() const;
  /// Whether there is anything to search for (a query or a filter).
  bool searching() const { return !query_.empty() || filtered(); }

  /// "/?q=…&country=…": the page for this state.
  std::string url() const;
  /// "/api/search?…": what the page asks the API.
  std::string api_target() const;
  /// The same search as the API's parsed target, for calling it in-process.
  Target api_search() const;
  /// The filter parameters (years included) as name/value pairs.
  std::vector<std::pair<std::string, std::string>> filter_params() const;
  /// Query, filters and order: what a form on the page keeps as hidden fields (a new
  /// search, order or year range starts at the first page).
  std::vector<std::pair<std::string, std::string>> form_params() const { return params(false, false); }

  /// Changed copies; each goes back to the first page of results unless it sets one.
  SearchState with_filter(const std::string& param, const std::string& value) const;
  SearchState without_filter(const std::string& param, const std::string& value) const;
  SearchState with_years(const std::string& from, const std::string& to) const;
  SearchState with_query(const std::string& query) const;
  SearchState with_sort(const std::string& sort) const;
  SearchState with_offset(long long offset) const;
  SearchState without_filters() const;

 private:
  std::vector<std::pair<std::string, std::string>> params(bool for_api, bool with_offset = true) const;

  std::string query_;
  std::vector<std::pair<std::string, std::string>> filters_;  // param → value, in the order given
  std::string year_from_;
  std::string year_to_;
  std::string sort_;    // empty: relevance
  std::string offset_;  // empty: 0
};

}  // namespace evidence::server::web
