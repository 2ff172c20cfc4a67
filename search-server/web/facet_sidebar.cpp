#include "facet_sidebar.hpp"

#include <algorithm>
#include <map>

#include "facets.hpp"
#include "html.hpp"

namespace evidence::server::web {

namespace {

constexpr std::size_t kValuesShown = 8;  // more values fold under "More"
constexpr int kMaxChartYears = 60;       // a wider span shows only the years that have documents

std::string count_span(long long count) {
  return R"(<span class="count">)" + std::to_string(count) + "</span>";
}

std::string active_item(const SearchState& state, const FilterParam& filter, const std::string& value,
                        const std::string& count) {
  std::string label = filter_label(filter.facet, value);
  return R"(<li class="active"><a href=")" + escape(state.without_filter(filter.param, value).url()) +
         R"(" aria-label="Remove filter )" + escape(std::string(filter.title) + ": " + label) +
         R"("><span class="tick" aria-hidden="true">✓</span> )" + escape(label) + count +
         R"(<span class="remove" aria-hidden="true">×</span></a></li>)";
}

std::string facet_section(const SearchState& state, const FilterParam& filter,
                          const std::vector<core::FacetValue>& values) {
  std::vector<std::string> active = state.values(filter.param);
  std::map<std::string, long long> counts;
  std::string items;
  std::vector<std::string> others;
  for (const auto& entry : values) {
    const std::string& value = entry.value;
    counts[value] = entry.count;
    if (std::find(active.begin(), active.end(), value) != active.end()) continue;
    others.push_back(R"(<li><a href=")" + escape(state.with_filter(filter.param, value).url()) + R"(">)" +
                     escape(entry.label) + count_span(counts[value]) + "</a></li>");
  }
  for (const auto& value : active) {
    auto found = counts.find(value);
    items += active_item(state, filter, value, found == counts.end() ? "" : count_span(found->second));
  }
  if (active.empty() && others.empty()) return "";
  for (std::size_t i = 0; i < std::min(others.size(), kValuesShown); ++i) items += others[i];
  std::string html = R"(<section class="facet"><h3>)" + escape(filter.title) + "</h3><ul>" + items + "</ul>";
  if (others.size() > kValuesShown) {
    html += "<details><summary>More (" + std::to_string(others.size() - kValuesShown) + ")</summary><ul>";
    for (std::size_t i = kValuesShown; i < others.size(); ++i) html += others[i];
    html += "</ul></details>";
  }
  return html + "</section>";
}

// From–to years: a plain GET form that keeps the query, the other filters and the order.
std::string year_section(const SearchState& state) {
  std::string html = R"(<section class="facet"><h3 id="years-h">Year published</h3>)";
  if (!state.year_from().empty() || !state.year_to().empty()) {
    std::string range = (state.year_from().empty() ? "…" : state.year_from()) + "–" +
                        (state.year_to().empty() ? "…" : state.year_to());
    html += R"(<ul><li class="active"><a href=")" + escape(state.with_years("", "").url()) +
            R"(" aria-label="Remove filter Year: )" + escape(range) +
            R"("><span class="tick" aria-hidden="true">✓</span> )" + escape(range) +
            R"(<span class="remove" aria-hidden="true">×</span></a></li></ul>)";
  }
  html += R"(<form class="years" action="/" method="get" aria-labelledby="years-h">)";
  html += hidden_fields(state.with_years("", "").form_params());
  html += R"(<label for="year_from">From</label><input id="year_from" name="year_from" inputmode="numeric" )"
          R"(pattern="[0-9]{4}" size="4" value=")" + escape(state.year_from()) +
          R"("><label for="year_to">to</label><input id="year_to" name="year_to" inputmode="numeric" )"
          R"(pattern="[0-9]{4}" size="4" value=")" + escape(state.year_to()) +
          R"("><button type="submit">Apply</button></form></section>)";
  return html;
}

}  // namespace

std::string filter_label(const std::string& facet, const std::string& value) {
  if (facet == "language") {
    static const std::map<std::string, std::string> kLanguages = {
        {"en", "English"}, {"fr", "French"},     {"es", "Spanish"}, {"pt", "Portuguese"}, {"de", "German"},
        {"it", "Italian"}, {"nl", "Dutch"},      {"ro", "Romanian"}, {"ru", "Russian"},   {"uk", "Ukrainian"},
        {"pl", "Polish"},  {"ar", "Arabic"},     {"tr", "Turkish"}, {"sv", "Swedish"}};
    auto it = kLanguages.find(value);
    return it == kLanguages.end() ? value : it->second;
  }
  return core::facet_label(facet, value);
}

std::string facet_sidebar(const SearchState& state, const core::FacetCounts* facets) {
  std::string html =
      R"(<aside class="facets" aria-labelledby="facets-h"><details class="facet-panel" open>)"
      R"(<summary><h2 id="facets-h">Narrow the results</h2></summary>)";
  for (const auto& filter : kFilterParams) {
    std::vector<core::FacetValue> values;
    if (facets != nullptr) {
      if (auto found = facets->find(filter.facet); found != facets->end()) values = found->second;
    }
    if (filter.facet == std::string("language")) {
      for (auto& entry : values) entry.label = filter_label("language", entry.value);
    }
    html += facet_section(state, filter, values);
  }
  html += year_section(state);
  return html + "</details></aside>";
}

std::string year_chart(const SearchState& state, const std::vector<core::FacetValue>& years) {
  std::map<int, long long> counts;
  for (const auto& entry : years) counts[std::stoi(entry.value)] = entry.count;
  if (counts.empty()) return "";
  int first = counts.begin()->first;
  int last = counts.rbegin()->first;
  std::vector<int> shown;
  if (last - first < kMaxChartYears) {
    for (int year = first; year <= last; ++year) shown.push_back(year);
  } else {
    for (const auto& [year, count] : counts) shown.push_back(year);
  }
  long long highest = 1;
  for (const auto& [year, count] : counts) highest = std::max(highest, count);
  constexpr int kBar = 24, kGap = 6, kHeight = 80, kAxis = 18;
  int width = static_cast<int>(shown.size()) * (kBar + kGap);
  std::string bars;
  std::string rows;
  std::string description;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    int year = shown[i];
    long long count = counts.count(year) ? counts[year] : 0;
    int x = static_cast<int>(i) * (kBar + kGap);
    int h = count == 0 ? 0 : std::max(2, static_cast<int>(count * kHeight / highest));
    std::string what = std::to_string(year) + ": " + std::to_string(count) + (count == 1 ? " document" : " documents");
    bars += R"(<rect class="bar" x=")" + std::to_string(x) + R"(" y=")" + std::to_string(kHeight - h) +
            R"(" width=")" + std::to_string(kBar) + R"(" height=")" + std::to_string(h) + R"("><title>)" + what +
            "</title></rect>";
    bool label = i == 0 || i + 1 == shown.size() || shown.size() <= 12 || year % 5 == 0;
    if (label) {
      bars += R"(<text x=")" + std::to_string(x + kBar / 2) + R"(" y=")" + std::to_string(kHeight + kAxis - 4) +
              R"(">)" + std::to_string(year) + "</text>";
    }
    if (count == 0) continue;
    description += (description.empty() ? "" : "; ") + what;
    rows += R"(<tr><th scope="row"><a href=")" + escape(state.with_years(std::to_string(year), std::to_string(year)).url()) +
            R"(">)" + std::to_string(year) + "</a></th><td>" + std::to_string(count) + "</td></tr>";
  }
  return R"(<figure class="chart"><figcaption id="chart-h">Matching documents by year</figcaption>)"
         R"(<svg role="img" aria-labelledby="chart-h chart-d" viewBox="0 0 )" + std::to_string(width) + " " +
         std::to_string(kHeight + kAxis) + R"(" preserveAspectRatio="xMinYMid meet"><desc id="chart-d">)" +
         escape(description) + "</desc>" + bars +
         R"(</svg><details><summary>Documents per year as a table</summary><table><thead><tr>)"
         R"(<th scope="col">Year</th><th scope="col">Documents</th></tr></thead><tbody>)" + rows +
         "</tbody></table></details></figure>";
}

}  // namespace evidence::server::web
