#include "document_page.hpp"

#include "facet_sidebar.hpp"
#include "html.hpp"
#include "search_page.hpp"

namespace evidence::server::web {

namespace {

constexpr std::pair<const char*, const char*> kCiteFormats[] = {
    {"harvard", "Harvard"}, {"apa", "APA"}, {"bibtex", "BibTeX"}, {"ris", "RIS"}, {"csl-json", "CSL-JSON"}};
constexpr std::size_t kPageTextShown = 2000;  // bytes of a page's text shown when it is not a hit

std::string joined(const std::vector<std::string>& values, const std::string& facet) {
  std::string out;
  for (const auto& text : values)
    out += (out.empty() ? "" : ", ") + (facet.empty() ? text : filter_label(facet, text));
  return out;
}

std::string authors_text(const std::vector<core::Person>& authors) {
  std::string out;
  for (const auto& person : authors) {
    std::string name = person.family;
    if (!person.given.empty()) name += ", " + person.given;
    out += (out.empty() ? "" : "; ") + name;
  }
  return out;
}

std::string row(const std::string& term, const std::string& html_value) {
  return "<dt>" + escape(term) + "</dt><dd>" + html_value + "</dd>";
}

std::string details_list(const core::DocumentInfo& info) {
  const core::DocumentMetadata& m = info.metadata;
  std::string rows;
  auto text = [&](const std::string& value, const char* term) {
    if (!value.empty()) rows += row(term, escape(value));
  };
  auto list = [&](const std::vector<std::string>& values, const char* term, const std::string& facet) {
    if (!values.empty()) rows += row(term, escape(joined(values, facet)));
  };
  if (!m.authors.empty()) rows += row("Authors", escape(authors_text(m.authors)));
  list(m.organisations, "Organisations", "");
  text(m.publisher, "Publisher");
  text(m.place, "Place");
  text(m.date, "Date");
  if (!m.type.empty()) rows += row("Type", escape(filter_label("type", m.type)));
  text(m.series, "Series");
  text(m.report_number, "Report number");
  list(m.countries, "Countries", "country");
  list(m.themes, "Themes", "theme");
  list(m.exploitation, "Forms of exploitation", "exploitation");
  if (!info.language.empty()) {
    std::string language = filter_label("language", info.language);
    if (info.language_detected) language += " (detected from the text)";
    rows += row("Language", escape(language));
  }
  if (!info.catalogue) rows += row("Pages", std::to_string(info.page_count));
  list(m.keywords, "Keywords", "");
  if (!m.doi.empty()) {
    rows +=
        row("DOI", R"(<a href=")" + escape("https://doi.org/" + m.doi) + R"(">)" + escape(m.doi) + "</a>");
  }
  text(m.isbn, "ISBN");
  if (!m.source_url.empty()) {
    rows += row("Source", R"(<a href=")" + escape(m.source_url) + R"(">)" + escape(m.source_url) + "</a>");
  }
  text(m.licence, "Licence");
  return R"(<section class="about" aria-labelledby="about-h"><h2 id="about-h">About this document</h2><dl>)" + rows +
         "</dl></section>";
}

std::string hit_item(const std::string& id, const PageHit& hit, int current) {
  int number = hit.page;
  std::string name = page_name(number, hit.label);
  const std::string& snippet = hit.snippet;
  bool is_current = number == current;
  std::string anchor = "p" + std::to_string(number);
  return R"(<li class="hit)" + std::string(is_current ? " current" : "") + R"(" id=")" + anchor + '"' +
         (is_current ? R"( aria-current="true")" : "") + R"(><h3><a href="#)" + anchor + R"(">)" + escape(name) +
         "</a></h3><blockquote>" + snippet_html(snippet) + R"(</blockquote><div class="actions"><a class="pdf" href=")" +
         escape(pdf_url(id, number)) + R"(">Open the PDF at )" + escape(name) + "</a>" +
         cite_panel(id, number, snippet_text(snippet), "this passage") + "</div></li>";
}

std::string hits_section(const std::string& id, const DocumentView& view) {
  const Widened<DocumentHits>& hits = *view.hits;
  long long matching = static_cast<long long>(hits.result.pages.size());
  std::string heading = matching == 0 ? "No page matches"
                        : matching == 1 ? "1 page matches"
                                        : std::to_string(matching) + " pages match";
  std::string html = R"(<section class="hits" aria-labelledby="hits-h"><h2 id="hits-h">)" + escape(heading) +
                     " <q>" + escape(view.query) + "</q></h2>";
  if (!hits.also_searched.empty()) {
    html += R"(<p class="notice also">Also searched: )" + escape(joined(hits.also_searched, "")) + "</p>";
  }
  if (matching > 0) {
    html += R"(<ol class="hits">)";
    for (const auto& hit : hits.result.pages) html += hit_item(id, hit, view.page);
    html += "</ol>";
  }
  return html + "</section>";
}

std::string page_section(const std::string& id, const core::PageInfo& page) {
  int number = page.number;
  std::string name = page_name(number, page.label);
  std::string text = page.text;
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
  if (view.page_text != nullptr) return view.page_text->page.label;
  if (view.hits != nullptr) {
    for (const auto& hit : view.hits->result.pages) {
      if (hit.page == view.page) return hit.label;
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

// A listed document the reader may not read: its brief summary and how to ask for it; no
// text, PDF, search within or citation.
std::string catalogue_html(const ListedDocument& document) {
  const core::DocumentInfo& d = document.info;
  std::string html =
      R"(<main id="main" class="document catalogue"><nav class="crumbs" aria-label="Back">)"
      R"(<a href="/">Search the library</a></nav><article><header class="document-head"><h1>)" +
      escape(d.metadata.title.empty() ? d.id : d.metadata.title) + R"(</h1><p class="meta">)" +
      document_meta_line(document) + "</p></header>";
  if (!d.metadata.summary.empty()) {
    html += R"(<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><p>)" +
            escape(d.metadata.summary) + "</p></section>";
  }
  std::string who = d.metadata.access.level == core::AccessLevel::kMembers ? "the network's members"
                                                                           : "the groups it is shared with";
  html +=
      R"(<section class="request-access" aria-labelledby="access-h"><h2 id="access-h">Reading this document</h2>)"
      R"(<p>Its text is for )" +
      who + ": this page shows its catalogue record only.</p>";
  if (document.request_access.empty()) {
    html += "<p>To read it, ask the library for access.</p>";
  } else {
    html += R"(<p class="actions"><a class="button" href=")" + escape(document.request_access) +
            R"(">Request access</a></p>)";
  }
  return html + "</section>" + details_list(d) + "</article></main>";
}

std::string document_html(const DocumentView& view) {
  if (view.document->info.catalogue) return catalogue_html(*view.document);
  const core::DocumentInfo& d = view.document->info;
  const std::string& id = d.id;
  std::string back = view.query.empty() ? R"(<a href="/">Search the library</a>)"
                                        : R"(<a href=")" + escape("/" + query_string({{"q", view.query}})) +
                                              R"(">Back to the results for <q>)" + escape(view.query) + "</q></a>";
  std::string html = R"(<main id="main" class="document"><nav class="crumbs" aria-label="Back">)" + back +
                     R"(</nav><article><header class="document-head"><h1>)" +
                     escape(d.metadata.title.empty() ? id : d.metadata.title) + "</h1>";
  if (!d.metadata.subtitle.empty()) html += R"(<p class="subtitle">)" + escape(d.metadata.subtitle) + "</p>";
  html += R"(<p class="meta">)" + document_meta_line(*view.document) +
          R"(</p><div class="actions"><a class="button" href=")" + escape(pdf_url(id)) +
          R"(">Open the PDF</a>)" + cite_panel(id, 0, "", "this document") + "</div></header>";
  if (!d.metadata.summary.empty()) {
    html += R"(<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><p>)" +
            escape(d.metadata.summary) + "</p></section>";
  }
  if (view.page_text != nullptr) html += page_section(id, view.page_text->page);
  html += within_form(id, view.query);
  if (view.hits != nullptr) html += hits_section(id, view);
  if (view.page > 0) html += pdf_viewer(id, view.page, page_name(view.page, page_label(view)));
  return html + details_list(d) + "</article></main>";
}

}  // namespace evidence::server::web
