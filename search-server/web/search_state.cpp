#include "search_state.hpp"

#include <algorithm>

#include "html.hpp"

namespace evidence::server::web {

namespace {

bool is_filter_param(const std::string& name) {
  return std::any_of(std::begin(kFilterParams), std::end(kFilterParams),
                     [&](const FilterParam& f) { return name == f.param; });
}

}  // namespace

SearchState::SearchState(const Target& target) {
  query_ = param(target, "q").value_or("");
  if (query_.find_first_not_of(" \t\r\n") == std::string::npos) query_.clear();  // an empty box
  year_from_ = param(target, "year_from").value_or("");
  year_to_ = param(target, "year_to").value_or("");
  sort_ = param(target, "sort").value_or("");
  if (sort_ == "relevance") sort_.clear();
  offset_ = param(target, "offset").value_or("");
  if (offset_ == "0") offset_.clear();
  for (const auto& filter : kFilterParams) {
    auto [begin, end] = target.params.equal_range(filter.param);
    for (auto it = begin; it != end; ++it) {
      std::pair<std::string, std::string> given{it->first, it->second};
      bool seen = std::find(filters_.begin(), filters_.end(), given) != filters_.end();
      if (!given.second.empty() && !seen) filters_.push_back(std::move(given));
    }
  }
}

std::vector<std::string> SearchState::values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [param_name, value] : filters_) {
    if (param_name == name) out.push_back(value);
  }
  return out;
}

bool SearchState::filtered() const { return !filters_.empty() || !year_from_.empty() || !year_to_.empty(); }

std::vector<std::pair<std::string, std::string>> SearchState::filter_params() const {
  auto out = filters_;
  if (!year_from_.empty()) out.emplace_back("year_from", year_from_);
  if (!year_to_.empty()) out.emplace_back("year_to", year_to_);
  return out;
}

std::vector<std::pair<std::string, std::string>> SearchState::params(bool for_api, bool with_offset) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!query_.empty()) out.emplace_back("q", query_);
  for (auto& pair : filter_params()) out.push_back(std::move(pair));
  if (!sort_.empty()) out.emplace_back("sort", sort_);
  if (with_offset && !offset_.empty()) out.emplace_back("offset", offset_);
  if (for_api) out.emplace_back("limit", std::to_string(kResultsPerPage));
  return out;
}

std::string SearchState::url() const { return "/" + query_string(params(false)); }

std::string SearchState::api_target() const { return "/api/search" + query_string(params(true)); }

Target SearchState::api_search() const {
  Target target{"/api/search", {"api", "search"}, {}};
  for (auto& [name, value] : params(true)) target.params.emplace(std::move(name), std::move(value));
  return target;
}

SearchState SearchState::with_filter(const std::string& name, const std::string& value) const {
  SearchState next = *this;
  next.offset_.clear();
  if (is_filter_param(name) && std::find(filters_.begin(), filters_.end(), std::pair{name, value}) == filters_.end()) {
    next.filters_.emplace_back(name, value);
  }
  return next;
}

SearchState SearchState::without_filter(const std::string& name, const std::string& value) const {
  SearchState next = *this;
  next.offset_.clear();
  std::erase(next.filters_, std::pair{name, value});
  return next;
}

SearchState SearchState::with_years(const std::string& from, const std::string& to) const {
  SearchState next = *this;
  next.offset_.clear();
  next.year_from_ = from;
  next.year_to_ = to;
  return next;
}

SearchState SearchState::with_query(const std::string& query) const {
  SearchState next = *this;
  next.offset_.clear();
  next.query_ = query;
  return next;
}

SearchState SearchState::with_sort(const std::string& sort) const {
  SearchState next = *this;
  next.offset_.clear();
  next.sort_ = sort == "relevance" ? "" : sort;
  return next;
}

SearchState SearchState::with_offset(long long offset) const {
  SearchState next = *this;
  next.offset_ = offset > 0 ? std::to_string(offset) : "";
  return next;
}

SearchState SearchState::without_filters() const {
  SearchState next = *this;
  next.offset_.clear();
  next.filters_.clear();
  next.year_from_.clear();
  next.year_to_.clear();
  return next;
}

}  // namespace evidence::server::web
