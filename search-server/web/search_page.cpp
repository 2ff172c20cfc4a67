#include "search_page.hpp"

#include <algorithm>

#include "facet_sidebar.hpp"
#include "html.hpp"

namespace evidence::server::web {

namespace {

constexpr std::pair<const char*, const char*> kSorts[] = {
    {"relevance", "Relevance"}, {"newest", "Newest first"}, {"oldest", "Oldest first"}, {"title", "Title"}};
constexpr long long kPageLinks = 2;  // result pages linked on each side of the current one

std::string summary_line(const SearchState& state, const Widened<SearchResult>& answer) {
  const SearchResult& result = answer.result;
  long long total = result.total;
  std::string count = (result.total_exact ? "" : "about ") + std::to_string(total) +
                      (total == 1 ? " document" : " documents");
  std::string html = R"(<p class="summary" role="status"><strong>)" + count + "</strong>";
  if (!state.query().empty()) html += " for <q>" + escape(state.query()) + "</q>";
  if (total > 0) {
    long long offset = result.offset;
    long long shown = static_cast<long long>(result.documents.size());
    if (shown > 0 && total > shown) {
      html += " · showing " + std::to_string(offset + 1) + "–" + std::to_string(offset + shown);
    }
  }
  html += "</p>";
  if (!result.notice.empty()) html += R"(<p class="notice">)" + escape(result.notice) + "</p>";
  if (result.time_limit_reached) {
    html += R"(<p class="notice">This search reached its time limit before it had counted every )"
            R"(matching document: the counts beside the filters are of the documents it looked at.</p>)";
  }
  if (!answer.also_searched.empty()) {
    std::string terms;
    for (const auto& term : answer.also_searched)
      terms += (terms.empty() ? "" : ", ") + ("<q>" + escape(term) + "</q>");
    html += R"(<p class="notice also">Also searched: )" + terms + "</p>";
  }
  if (result.shards && !result.shards->unavailable.empty()) {
    // A network's portal: say whose documents this answer could not include.
    std::string names;
    for (const auto& shard : result.shards->unavailable)
      names += (names.empty() ? "" : ", ") + escape(shard.name);
    html += R"(<p class="notice" role="status">Not searched, because they did not answer: )" + names +
            ". Try again in a moment for their documents.</p>";
  }
  if (!result.did_you_mean.empty()) {
    const std::string& suggestion = result.did_you_mean;
    html += R"(<p class="notice suggest">Did you mean <a href=")" + escape(state.with_query(suggestion).url()) +
            R"(">)" + escape(suggestion) + "</a>?</p>";
  }
  return html;
}

std::string active_filters(const SearchState& state) {
  if (!state.filtered()) return "";
  std::string html = R"(<div class="active-filters"><h2 class="visually-hidden">Active filters</h2><ul>)";
  for (const auto& filter : kFilterParams) {
    for (const auto& value : state.values(filter.param)) {
      std::string what = std::string(filter.title) + ": " + filter_label(filter.facet, value);
      html += R"(<li><a href=")" + escape(state.without_filter(filter.param, value).url()) +
              R"(" aria-label="Remove filter )" + escape(what) + R"(">)" + escape(what) +
              R"( <span aria-hidden="true">×</span></a></li>)";
    }
  }
  if (!state.year_from().empty() || !state.year_to().empty()) {
    std::string what = "Year: " + (state.year_from().empty() ? "…" : state.year_from()) + "–" +
                       (state.year_to().empty() ? "…" : state.year_to());
    html += R"(<li><a href=")" + escape(state.with_years("", "").url()) + R"(" aria-label="Remove filter )" +
            escape(what) + R"(">)" + escape(what) + R"( <span aria-hidden="true">×</span></a></li>)";
  }
  html += R"(<li class="clear"><a href=")" + escape(state.without_filters().url()) + R"(">Clear all filters</a></li>)";
  return html + "</ul></div>";
}

std::string sort_form(const SearchState& state) {
  std::string current = state.sort().empty() ? "relevance" : state.sort();
  std::string html = R"(<form class="sort" action="/" method="get">)" + hidden_fields(state.with_sort("").form_params()) +
                     R"(<label for="sort">Sort by</label><select id="sort" name="sort">)";
  for (const auto& [value, label] : kSorts) {
    html += R"(<option value=")" + std::string(value) + '"' + (current == value ? " selected" : "") + ">" + label +
            "</option>";
  }
  return html + R"(</select><button type="submit" class="secondary">Sort</button></form>)";
}

std::string passages(const FoundDocument& document, const std::string& query) {
  const std::string& id = document.ranked.document.info.id;
  if (document.pages.empty()) return "";
  std::string list;
  std::string numbers;
  for (const auto& page : document.pages) {
    int number = page.page;
    std::string name = page_name(number, page.label);
    std::string link = R"(<a class="page" href=")" + escape(document_url(id, query, number)) + R"(">)" + escape(name) + "</a>";
    numbers += (numbers.empty() ? "" : " · ") + link;
    list += "<li><blockquote>" + snippet_html(page.snippet) + R"(</blockquote><p class="where">)" + link +
            R"( · <a class="pdf" href=")" + escape(pdf_url(id, number)) + R"(">PDF at )" + escape(name) +
            "</a></p></li>";
  }
  return R"(<p class="pages">Matches on )" + numbers + R"(</p><ul class="passages">)" + list + "</ul>";
}

// A result: its title, metadata and best passages; a catalogue record's, its summary instead
// (the caller may not read the text, so there is nothing to export or cite either).
std::string result_item(const FoundDocument& document, const std::string& query) {
  const ListedDocument& listed = document.ranked.document;
  const std::string& id = listed.info.id;
  const std::string& title = listed.info.metadata.title.empty() ? id : listed.info.metadata.title;
  bool readable = !listed.info.catalogue;
  std::string html = R"(<li class="result" id="r-)" + escape(id) + R"("><div class="result-head">)";
  if (readable) {
    html += R"(<input type="checkbox" name="id" value=")" + escape(id) + R"(" id="sel-)" + escape(id) +
            R"("><label for="sel-)" + escape(id) + R"(" class="visually-hidden">Select )" + escape(title) +
            R"( for export</label>)";
  }
  html += R"(<h2><a href=")" + escape(document_url(id, readable ? query : "")) + R"(">)" + escape(title) +
          "</a></h2></div>";
  if (const std::string& subtitle = listed.info.metadata.subtitle; !subtitle.empty()) {
    html += R"(<p class="subtitle">)" + escape(subtitle) + "</p>";
  }
  html += R"(<p class="meta">)" + document_meta_line(listed) + "</p>";
  if (!readable) {
    if (!listed.info.metadata.summary.empty())
      html += R"(<p class="catalogue-summary">)" + escape(listed.info.metadata.summary) + "</p>";
    return html + R"(<p class="where">Summary only: <a href=")" + escape(document_url(id, "")) +
           R"(">how to request access</a></p></li>)";
  }
  return html + passages(document, query) + "</li>";
}

std::string export_controls() {
  return R"(<div class="export"><label for="export-format">Export selected as</label>)"
         R"(<select id="export-format" name="format"><option value="bibtex">BibTeX</option>)"
         R"(<option value="ris">RIS</option><option value="csl-json">CSL-JSON</option></select>)"
         R"(<button type="submit" class="secondary">Export selected</button></div>)";
}

std::string pagination(const SearchState& state, const SearchResult& result) {
  long long total = result.total;
  long long offset = result.offset;
  long long limit = std::max(1LL, static_cast<long long>(result.limit));
  if (total <= limit) return "";
  long long pages = (total + limit - 1) / limit;
  long long current = offset / limit + 1;
  auto link = [&](long long page, const std::string& text, const std::string& rel) {
    std::string attributes = rel.empty() ? "" : R"( rel=")" + rel + '"';
    return R"(<li><a href=")" + escape(state.with_offset((page - 1) * limit).url()) + '"' + attributes + ">" + text +
           "</a></li>";
  };
  std::string html = R"(<nav class="pagination" aria-label="Result pages"><ul>)";
  if (current > 1) html += link(current - 1, "‹ Previous", "prev");
  for (long long page = std::max(1LL, current - kPageLinks); page <= std::min(pages, current + kPageLinks); ++page) {
    if (page == current) {
      html += R"(<li><a aria-current="page" href=")" + escape(state.with_offset(offset).url()) + R"(">)" +
              std::to_string(page) + "</a></li>";
    } else {
      html += link(page, std::to_string(page), "");
    }
  }
  if (current < pages) html += link(current + 1, "Next ›", "next");
  return html + "</ul></nav>";
}

}  // namespace

std::string document_url(const std::string& id, const std::string& query, int page) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!query.empty()) params.emplace_back("q", query);
  if (page > 0) params.emplace_back("page", std::to_string(page));
  return "/d/" + url_encode(id) + query_string(params) + (page > 0 ? "#p" + std::to_string(page) : "");
}

std::string pdf_url(const std::string& id, int page) {
  return "/documents/" + url_encode(id) + ".pdf" + (page > 0 ? "#page=" + std::to_string(page) : "");
}

std::string document_meta_line(const ListedDocument& document) {
  const core::DocumentMetadata& metadata = document.info.metadata;
  std::vector<std::string> parts;
  if (!metadata.organisations.empty()) {
    std::string organisations;
    for (const auto& organisation : metadata.organisations) {
      organisations += (organisations.empty() ? "" : ", ") + organisation;
    }
    parts.push_back(escape(organisations));
  }
  if (int year = core::metadata_year(metadata); year > 0) parts.push_back(std::to_string(year));
  if (!metadata.type.empty()) parts.push_back(escape(filter_label("type", metadata.type)));
  if (!document.info.catalogue) {
    int count = document.info.page_count;
    parts.push_back(std::to_string(count) + (count == 1 ? " page" : " pages"));
  }
  if (document.shard) parts.push_back("from " + escape(*document.shard));
  std::string line;
  for (const auto& part : parts) line += (line.empty() ? "" : " · ") + part;
  if (std::string badge = access_badge(document.info); !badge.empty())
    line += (line.empty() ? "" : " ") + (R"(<span class="access-badge">)" + escape(badge) + "</span>");
  return line;
}

std::string access_badge(const core::DocumentInfo& info) {
  const core::DocumentAccess& access = info.metadata.access;
  switch (access.level) {
    case core::AccessLevel::kPublic:
      return "";
    case core::AccessLevel::kMembers:
      return "Members only";
    case core::AccessLevel::kRestricted:
      break;
  }
  std::string groups;
  for (const auto& group : access.groups) groups += (groups.empty() ? "" : ", ") + group;
  return groups.empty() ? "Restricted" : "Restricted: " + groups;
}

std::string results_html(const SearchState& state, const Widened<SearchResult>& answer) {
  const SearchResult& result = answer.result;
  std::string main = R"(<main id="main" class="results"><h1 class="visually-hidden">Search results</h1>)";
  main += summary_line(state, answer) + active_filters(state);
  if (result.facets) {
    if (auto years = result.facets->find("year"); years != result.facets->end())
      main += year_chart(state, years->second);
  }
  const std::vector<FoundDocument>& documents = result.documents;
  if (documents.empty() && result.total > 0) {
    main += R"(<p class="empty">This page is past the last result. <a href=")" + escape(state.with_offset(0).url()) +
            R"(">Go to the first page</a>.</p>)";
  } else if (documents.empty()) {
    main += R"(<p class="empty">No document matches. Try fewer words, <code>OR</code> between words, )"
            R"(a wildcard such as <code>recruit*</code>, or remove a filter.</p>)";
  } else {
    main += R"(<div class="toolbar">)" + sort_form(state) + "</div>";
    main += R"(<form id="export" class="results-form" action="/api/export" method="get">)";
    main += R"(<ol class="results" start=")" + std::to_string(result.offset + 1) + R"(">)";
    for (const auto& document : documents) main += result_item(document, state.query());
    main += "</ol>" + export_controls() + "</form>";
  }
  main += pagination(state, result) + "</main>";
  std::string facets = facet_sidebar(state, result.facets ? &*result.facets : nullptr);
  return R"(<div class="layout">)" + facets + main + "</div>";
}

std::string welcome_html(const IndexHealth* library) {
  std::string main = R"(<main id="main" class="welcome narrow"><h1>Search the evidence library</h1>)";
  if (library != nullptr) {
    main += "<p>The library holds <strong>" + std::to_string(library->documents) + " documents</strong> (" +
            std::to_string(library->pages) +
            " pages) published by the network’s member organisations: reports, guidance, evidence "
            "submissions, research and minutes. Every result names the pages where your words are.</p>";
  }
  main += R"(<h2>Try</h2><ul class="examples">)";
  for (const char* example : {"\"forced labour\"", "reintegration NOT return", "recruit* fees", "survivor country:gb",
                              "shelter year:2020..2024"}) {
    main += R"(<li><a href=")" + escape("/" + query_string({{"q", example}})) + R"("><code>)" + escape(example) +
            "</code></a></li>";
  }
  return main + "</ul></main>";
}

}  // namespace evidence::server::web
