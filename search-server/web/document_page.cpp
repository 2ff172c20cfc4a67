#include "document_page.hpp"

#include <nlohmann/json.hpp>

#include "facet_sidebar.hpp"
#include "html.hpp"
#include "search_page.hpp"

namespace evidence::server::web {

using nlohmann::json;

namespace {

constexpr std::pair<const char*, const char*> kCiteFormats[] = {
    {"harvard", "Harvard"}, {"apa", "APA"}, {"bibtex", "BibTeX"}, {"ris", "RIS"}, {"csl-json", "CSL-JSON"}};
constexpr std::size_t kPageTextShown = 2000;  // bytes of a page's text shown when it is not a hit

std::string joined(const json& values, const std::string& facet) {
  std::string out;
  for (const auto& value : values) {
    std::string text = value.get<std::string>();
    out += (out.empty() ? "" : ", ") + (facet.empty() ? text : filter_label(facet, text));
  }
  return out;
}

std::string authors_text(const json& authors) {
  std::string out;
  for (const auto& person : authors) {
    std::string name = person.value("family", "");
    if (person.contains("given")) name += ", " + person["given"].get<std::string>();
    out += (out.empty() ? "" : "; ") + name;
  }
  return out;
}

std::string row(const std::string& term, const std::string& html_value) {
  return "<dt>" + escape(term) + "</dt><dd>" + html_value + "</dd>";
}

std::string details_list(const json& d) {
  std::string rows;
  auto text = [&](const char* field, const char* term) {
    if (d.contains(field) && d[field].is_string()) rows += row(term, escape(d[field].get<std::string>()));
  };
  if (d.contains("authors")) rows += row("Authors", escape(authors_text(d["authors"])));
  if (d.contains("organisations")) rows += row("Organisations", escape(joined(d["organisations"], "")));
  text("publisher", "Publisher");
  text("place", "Place");
  text("date", "Date");
  if (d.contains("type")) rows += row("Type", escape(filter_label("type", d["type"].get<std::string>())));
  text("series", "Series");
  text("report_number", "Report number");
  if (d.contains("countries")) rows += row("Countries", escape(joined(d["countries"], "country")));
  if (d.contains("themes")) rows += row("Themes", escape(joined(d["themes"], "theme")));
  if (d.contains("exploitation")) rows += row("Forms of exploitation", escape(joined(d["exploitation"], "exploitation")));
  std::string language = filter_label("language", d.value("language", ""));
  if (d.value("language_detected", false)) language += " (detected from the text)";
  rows += row("Language", escape(language));
  rows += row("Pages", std::to_string(d.value("page_count", 0)));
  if (d.contains("keywords")) rows += row("Keywords", escape(joined(d["keywords"], "")));
  if (d.contains("doi")) {
    std::string doi = d["doi"].get<std::string>();
    rows += row("DOI", R"(<a href=")" + escape("https://doi.org/" + doi) + R"(">)" + escape(doi) + "</a>");
  }
  text("isbn", "ISBN");
  if (d.contains("source_url")) {
    std::string url = d["source_url"].get<std::string>();
    rows += row("Source", R"(<a href=")" + escape(url) + R"(">)" + escape(url) + "</a>");
  }
  text("licence", "Licence");
  return R"(<section class="about" aria-labelledby="about-h"><h2 id="about-h">About this document</h2><dl>)" + rows +
         "</dl></section>";
}

std::string hit_item(const std::string& id, const json& hit, int current) {
  int number = hit["page"].get<int>();
  std::string name = page_name(number, hit.value("label", ""));
  std::string snippet = hit["snippet"].get<std::string>();
  bool is_current = number == current;
  std::string anchor = "p" + std::to_string(number);
  return R"(<li class="hit)" + std::string(is_current ? " current" : "") + R"(" id=")" + anchor + '"' +
         (is_current ? R"( aria-current="true")" : "") + R"(><h3><a href="#)" + anchor + R"(">)" + escape(name) +
         "</a></h3><blockquote>" + snippet_html(snippet) + R"(</blockquote><div class="actions"><a class="pdf" href=")" +
         escape(pdf_url(id, number)) + R"(">Open the PDF at )" + escape(name) + "</a>" +
         cite_panel(id, number, snippet_text(snippet), "this passage") + "</div></li>";
}

std::string hits_section(const std::string& id, const DocumentView& view) {
  const json& hits = *view.hits;
  long long matching = hits.value("matching_pages", 0LL);
  std::string heading = matching == 0 ? "No page matches"
                        : matching == 1 ? "1 page matches"
                                        : std::to_string(matching) + " pages match";
  std::string html = R"(<section class="hits" aria-labelledby="hits-h"><h2 id="hits-h">)" + escape(heading) +
                     " <q>" + escape(view.query) + "</q></h2>";
  if (hits.contains("also_searched") && !hits["also_searched"].empty()) {
    html += R"(<p class="notice also">Also searched: )" + escape(joined(hits["also_searched"], "")) + "</p>";
  }
  if (matching > 0) {
    html += R"(<ol class="hits">)";
    for (const auto& hit : hits["pages"]) html += hit_item(id, hit, view.page);
    html += "</ol>";
  }
  return html + "</section>";
}

std::string page_section(const std::string& id, const json& page) {
  int number = page["page"].get<int>();
  std::string name = page_name(number, page.value("label", ""));
  std::string text = page.value("text", "");
  bool cut = text.size() > kPageTextShown;
  if (cut) {
    std::size_t end = kPageTextShown;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
    text = text.substr(0, end) + "…";
  }
  std::string anchor = "p" + std::to_string(number);
  return R"(<section class="hit current page-text" id=")" + anchor + R"(" aria-labelledby=")" + anchor +
         R"(-h"><h2 id=")" + anchor + R"(-h">)" + escape(name) + "</h2><blockquote>" + escape(text) +
         R"(</blockquote><div class="actions"><a class="pdf" href=")" + escape(pdf_url(id, number)) +
         R"(">Open the PDF at )" + escape(name) + "</a>" + cite_panel(id, number, "", "this page") + "</div></section>";
}

// The printed label of the page asked for, from whichever answer holds that page.
std::string page_label(const DocumentView& view) {
  if (view.page_text != nullptr) return view.page_text->value("label", "");
  if (view.hits != nullptr) {
    for (const auto& hit : (*view.hits)["pages"]) {
      if (hit["page"] == view.page) return hit.value("label", "");
    }
  }
  return {};
}

// The PDF itself, opened at the page a link or citation asked for (/d/{id}?page=N), in the
// browser's own viewer; the link below it is for browsers that show no PDF in a page.
std::string pdf_viewer(const std::string& id, int number, const std::string& name) {
  std::string url = escape(pdf_url(id, number));
  return R"(<section class="pdf-viewer" aria-labelledby="pdf-h"><h2 id="pdf-h">The PDF at )" + escape(name) +
         R"(</h2><object data=")" + url + R"(" type="application/pdf" aria-label="The PDF at )" + escape(name) +
         R"("><p><a href=")" + url + R"(">Open the PDF at )" + escape(name) + "</a></p></object></section>";
}

std::string within_form(const std::string& id, const std::string& query) {
  return R"(<form class="within" action="/d/)" + escape(url_encode(id)) + R"(" method="get" role="search">)"
         R"(<label for="within-q">Find pages in this document</label><div class="search-row">)"
         R"(<input id="within-q" name="q" type="search" maxlength="1000" value=")" + escape(query) +
         R"("><button type="submit" class="secondary">Find</button></div></form>)";
}

}  // namespace

std::string cite_panel(const std::string& id, int page, const std::string& quote, const std::string& what) {
  std::string links;
  for (const auto& [format, label] : kCiteFormats) {
    std::vector<std::pair<std::string, std::string>> params{{"format", format}};
    if (page > 0) params.emplace_back("page", std::to_string(page));
    if (!quote.empty()) params.emplace_back("quote", quote);
    std::string href = "/api/documents/" + url_encode(id) + "/cite" + query_string(params);
    links += (links.empty() ? "" : " · ") +
             (R"(<a href=")" + escape(href) + R"(" data-format=")" + format + R"(">)" + label + "</a>");
  }
  return R"(<details class="cite"><summary>Cite )" + escape(what) + R"(</summary><div class="cite-body">)"
         R"(<p class="cite-formats">Formats: )" + links + R"(</p><div class="cite-output" hidden>)"
         R"(<pre tabindex="0"></pre><button type="button" class="copy">Copy</button>)"
         R"(<span class="copy-status" role="status" aria-live="polite"></span></div></div></details>)";
}

std::string document_html(const DocumentView& view) {
  const json& d = *view.document;
  const std::string id = d["id"].get<std::string>();
  std::string back = view.query.empty() ? R"(<a href="/">Search the library</a>)"
                                        : R"(<a href=")" + escape("/" + query_string({{"q", view.query}})) +
                                              R"(">Back to the results for <q>)" + escape(view.query) + "</q></a>";
  std::string html = R"(<main id="main" class="document"><nav class="crumbs" aria-label="Back">)" + back +
                     R"(</nav><article><header class="document-head"><h1>)" + escape(d.value("title", id)) + "</h1>";
  if (d.contains("subtitle")) html += R"(<p class="subtitle">)" + escape(d["subtitle"].get<std::string>()) + "</p>";
  html += R"(<p class="meta">)" + document_meta_line(d) + R"(</p><div class="actions"><a class="button" href=")" +
          escape(pdf_url(id)) + R"(">Open the PDF</a>)" + cite_panel(id, 0, "", "this document") + "</div></header>";
  if (d.contains("summary")) {
    html += R"(<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><p>)" +
            escape(d["summary"].get<std::string>()) + "</p></section>";
  }
  if (view.page_text != nullptr) html += page_section(id, *view.page_text);
  html += within_form(id, view.query);
  if (view.hits != nullptr) html += hits_section(id, view);
  if (view.page > 0) html += pdf_viewer(id, view.page, page_name(view.page, page_label(view)));
  return html + details_list(d) + "</article></main>";
}

}  // namespace evidence::server::web
