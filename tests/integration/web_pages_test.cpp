// The search page and document pages of the real evidence-server, over an index built from
// PDFs with known text on known pages: exact HTML for passages, page links, facet links,
// pagination, escaping, error pages, and the weight of a page with its assets.
#define BOOST_TEST_MODULE web_pages
#include <boost/test/unit_test.hpp>

#include <regex>

#include "test_support.hpp"

namespace {

constexpr std::size_t kPageBudget = 100 * 1024;  // a page and its assets, in bytes

// One library for all the cases (they only read it): a guide, a survey, a document whose
// metadata and text hold markup, and twelve notes that all mention wombats.
struct Library : LibraryFixture {
  Library() {
    add_pdf("shelter guide.pdf",
            {"Introduction to shelter standards for survivors.",
             "Night staff must complete the quokka protocol before each shift.",
             "Annex on fire safety and evacuation drills."},
            R"({"id": "shelter-guide", "title": "Shelter standards guide", "countries": ["GB"],
                   "organisations": ["Fictional Shelter Network"], "date": "2022-05", "type": "guidance",
                   "themes": ["housing"], "summary": "Standards for night staff in shelters."})");
    add_pdf("survey.pdf",
            {"Survey of seasonal farm workers in two regions.",
             "Recruitment fees were charged to most respondents by labour brokers.",
             "A single quokka sighting is noted in the appendix."},
            R"({"id": "labour-survey", "title": "Labour survey", "countries": ["NG"], "date": "2019",
                   "organisations": ["Fictional Research Unit"], "type": "report"})");
    add_pdf("markup.pdf", {"Cover page.", "The platypus <b>census</b> & <script>tally</script> follow."},
            R"({"id": "markup-notes", "title": "Notes <script>alert(1)</script> & more",
                   "organisations": ["A&B <Partners>"], "date": "2020"})");
    for (int i = 1; i <= 12; ++i) {
      std::string n = std::to_string(i);
      add_pdf("notes/note-" + n + ".pdf", {"Field note " + n + " about a wombat burrow."},
              R"({"id": "note-)" + n + R"(", "title": "Field note )" + (i < 10 ? "0" : "") + n +
                  R"(", "date": ")" + std::to_string(2000 + i) + R"("})");
    }
    index_corpus();
    start_server();
  }
  unsigned short port() const { return server->port(); }
};

Library& library() {
  static Library shared;
  return shared;
}

HttpResult get(const std::string& target) {
  HttpClient client(library().port());
  return client.get(target);
}

HttpResult page(const std::string& target, int status = 200) {
  HttpResult result = get(target);
  BOOST_TEST(result.status == status, target << " answered " << result.status);
  BOOST_TEST(result.headers["content-type"] == "text/html; charset=utf-8");
  return result;
}

bool has(const HttpResult& result, const std::string& text) { return result.body.find(text) != std::string::npos; }

std::size_t count(const std::string& body, const std::string& text) {
  std::size_t n = 0;
  for (auto at = body.find(text); at != std::string::npos; at = body.find(text, at + 1)) ++n;
  return n;
}

// The value of every href="..." in the order they appear (still HTML-escaped).
std::vector<std::string> hrefs(const std::string& body) {
  std::vector<std::string> out;
  std::regex href(R"re(href="([^"]*)")re");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), href); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(results_show_passages_with_marks_and_page_numbers) {
  HttpResult result = page("/?q=" + url_encode("quokka protocol"));
  BOOST_TEST(has(result, "<html lang=\"en\">"));
  BOOST_TEST(has(result, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  BOOST_TEST(has(result, "<title>quokka protocol — Evidence Library</title>"));
  BOOST_TEST(has(result, R"(<p class="summary" role="status"><strong>1 document</strong> for <q>quokka protocol</q></p>)"));
  BOOST_TEST(has(result, R"(<h2><a href="/d/shelter-guide?q=quokka%20protocol">Shelter standards guide</a></h2>)"));
  BOOST_TEST(has(result, R"(<p class="meta">Fictional Shelter Network · 2022 · Guidance · 3 pages</p>)"));
  BOOST_TEST(has(result, R"(<p class="pages">Matches on <a class="page" href="/d/shelter-guide?q=quokka%20protocol&amp;page=2#p2">p. 2</a></p>)"));
  BOOST_TEST(has(result, "<blockquote>Night staff must complete the <mark>quokka protocol</mark> "
                         "before each shift.</blockquote>"));
  BOOST_TEST(has(result, R"(<a class="pdf" href="/documents/shelter-guide.pdf#page=2">PDF at p. 2</a>)"));
  // The search box keeps the query; the export form names the document.
  BOOST_TEST(has(result, R"(value="quokka protocol")"));
  BOOST_TEST(has(result, R"(<form id="export" class="results-form" action="/api/export" method="get">)"));
  BOOST_TEST(has(result, R"(<input type="checkbox" name="id" value="shelter-guide" id="sel-shelter-guide">)"));
}

BOOST_AUTO_TEST_CASE(words_spread_over_pages_name_each_page) {
  HttpResult result = page("/?q=quokka");
  BOOST_TEST(has(result, "<strong>2 documents</strong>"));
  BOOST_TEST(has(result, R"(href="/d/labour-survey?q=quokka&amp;page=3#p3">p. 3</a>)"));
  BOOST_TEST(has(result, R"(<blockquote>A single <mark>quokka</mark> sighting is noted in the appendix.</blockquote>)"));
}

BOOST_AUTO_TEST_CASE(facet_links_add_and_remove_filters) {
  HttpResult all = page("/?q=quokka");
  BOOST_TEST(has(all, R"(<li><a href="/?q=quokka&amp;country=GB">United Kingdom<span class="count">1</span></a></li>)"));
  BOOST_TEST(has(all, R"(<li><a href="/?q=quokka&amp;country=NG">Nigeria<span class="count">1</span></a></li>)"));
  BOOST_TEST(has(all, R"(<li><a href="/?q=quokka&amp;type=guidance">Guidance<span class="count">1</span></a></li>)"));

  HttpResult gb = page("/?q=quokka&country=GB");
  BOOST_TEST(has(gb, "<strong>1 document</strong>"));
  BOOST_TEST(has(gb, "Shelter standards guide"));
  BOOST_TEST(!has(gb, "Labour survey"));
  // The active value is shown; its link removes it, in the sidebar and above the results.
  BOOST_TEST(has(gb, R"(<li class="active"><a href="/?q=quokka" aria-label="Remove filter Country: United Kingdom">)"));
  BOOST_TEST(has(gb, R"(<li><a href="/?q=quokka" aria-label="Remove filter Country: United Kingdom">Country: United Kingdom )"));
  // The search box keeps the filter for the next query.
  BOOST_TEST(has(gb, R"(<input type="hidden" name="country" value="GB">)"));

  // OR within a facet, AND across facets.
  BOOST_TEST(has(page("/?q=quokka&country=GB&country=NG"), "<strong>2 documents</strong>"));
  HttpResult both = page("/?q=quokka&country=GB&country=NG&type=report");
  BOOST_TEST(has(both, "<strong>1 document</strong>"));
  BOOST_TEST(has(both, R"(<a href="/?q=quokka&amp;country=GB&amp;country=NG" aria-label="Remove filter Type: Report">)"));
  BOOST_TEST(has(both, R"(<li class="clear"><a href="/?q=quokka">Clear all filters</a></li>)"));

  // Browsing by a filter alone, without words.
  HttpResult browse = page("/?type=report");
  BOOST_TEST(has(browse, "<strong>1 document</strong>"));
  BOOST_TEST(has(browse, "<title>Browse — Evidence Library</title>"));
}

BOOST_AUTO_TEST_CASE(year_chart_and_year_filter) {
  HttpResult result = page("/?q=quokka");
  BOOST_TEST(has(result, R"(<svg role="img" aria-labelledby="chart-h chart-d")"));
  BOOST_TEST(has(result, R"(<desc id="chart-d">2019: 1 document; 2022: 1 document</desc>)"));
  BOOST_TEST(count(result.body, R"(<rect class="bar")") == 4U);  // 2019 to 2022, empty years too
  BOOST_TEST(has(result, R"(<th scope="row"><a href="/?q=quokka&amp;year_from=2019&amp;year_to=2019">2019</a></th><td>1</td>)"));
  HttpResult year = page("/?q=quokka&year_from=2019&year_to=2019");
  BOOST_TEST(has(year, "<strong>1 document</strong>"));
  BOOST_TEST(has(year, R"(<a href="/?q=quokka" aria-label="Remove filter Year: 2019–2019">)"));
}

BOOST_AUTO_TEST_CASE(sort_and_pagination_links) {
  HttpResult first = page("/?q=wombat&sort=title");
  BOOST_TEST(has(first, "<strong>12 documents</strong> for <q>wombat</q> · showing 1–10"));
  BOOST_TEST(has(first, R"(<option value="title" selected>Title</option>)"));
  BOOST_TEST(has(first, R"(<li><a aria-current="page" href="/?q=wombat&amp;sort=title">1</a></li>)"));
  BOOST_TEST(has(first, R"(<li><a href="/?q=wombat&amp;sort=title&amp;offset=10">2</a></li>)"));
  BOOST_TEST(has(first, R"(<li><a href="/?q=wombat&amp;sort=title&amp;offset=10" rel="next">Next ›</a></li>)"));
  BOOST_TEST(first.body.find("Field note 01") < first.body.find("Field note 10"));
  BOOST_TEST(!has(first, "Field note 11"));

  HttpResult second = page("/?q=wombat&sort=title&offset=10");
  BOOST_TEST(has(second, "· showing 11–12"));
  BOOST_TEST(has(second, R"(<ol class="results" start="11">)"));
  BOOST_TEST(has(second, "Field note 11"));
  BOOST_TEST(has(second, "Field note 12"));
  BOOST_TEST(has(second, R"(<li><a href="/?q=wombat&amp;sort=title" rel="prev">‹ Previous</a></li>)"));
  BOOST_TEST(!has(second, "rel=\"next\""));
  // A facet link from page 2 goes back to the first page of the narrower results.
  BOOST_TEST(!has(second, "offset=10&amp;"));

  HttpResult past = page("/?q=wombat&offset=40");
  BOOST_TEST(has(past, R"(<p class="empty">This page is past the last result. <a href="/?q=wombat">Go to the first page</a>.</p>)"));
}

BOOST_AUTO_TEST_CASE(queries_and_metadata_are_escaped) {
  HttpResult query = page("/?q=" + url_encode("<script>alert(1)</script>"));
  BOOST_TEST(!has(query, "<script>alert"));
  BOOST_TEST(has(query, R"(value="&lt;script&gt;alert(1)&lt;/script&gt;")"));
  BOOST_TEST(has(query, "<title>&lt;script&gt;alert(1)&lt;/script&gt; — Evidence Library</title>"));

  HttpResult metadata = page("/?q=platypus");
  BOOST_TEST(!has(metadata, "<script>alert"));
  BOOST_TEST(!has(metadata, "<script>tally"));
  BOOST_TEST(has(metadata, ">Notes &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a></h2>"));
  BOOST_TEST(has(metadata, R"(<p class="meta">A&amp;B &lt;Partners&gt; · 2020 · 2 pages</p>)"));
  // The passage: the page's markup shown as text, once escaped (not &amp;lt;), marks kept.
  BOOST_TEST(has(metadata, "<blockquote>The <mark>platypus</mark> &lt;b&gt;census&lt;/b&gt; &amp; "
                           "&lt;script&gt;tally&lt;/script&gt; follow.</blockquote>"));

  HttpResult document = page("/d/markup-notes?q=platypus");
  BOOST_TEST(!has(document, "<script>alert"));
  BOOST_TEST(has(document, "<h1>Notes &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</h1>"));
  BOOST_TEST(has(document, "<title>Notes &lt;script&gt;alert(1)&lt;/script&gt; &amp; more — Evidence Library</title>"));
  // The quotation in the cite link is the passage's text, percent-encoded.
  BOOST_TEST(has(document, "quote=The%20platypus%20%3Cb%3Ecensus%3C%2Fb%3E%20%26%20%3Cscript%3Etally%3C%2Fscript%3E%20follow."));
  // Only the page's own script tags: the one asset.
  BOOST_TEST(count(document.body, "<script") == 1U);
}

BOOST_AUTO_TEST_CASE(document_page_shows_metadata_hits_and_citations) {
  HttpResult result = page("/d/shelter-guide?q=quokka&page=2");
  BOOST_TEST(has(result, "<h1>Shelter standards guide</h1>"));
  BOOST_TEST(has(result, R"(<a href="/?q=quokka">Back to the results for <q>quokka</q></a>)"));
  BOOST_TEST(has(result, R"(<a class="button" href="/documents/shelter-guide.pdf">Open the PDF</a>)"));
  BOOST_TEST(has(result, "<p>Standards for night staff in shelters.</p>"));
  BOOST_TEST(has(result, "<dt>Countries</dt><dd>United Kingdom</dd>"));
  BOOST_TEST(has(result, "<dt>Themes</dt><dd>Safe housing and accommodation</dd>"));
  BOOST_TEST(has(result, "<dt>Date</dt><dd>2022-05</dd>"));
  BOOST_TEST(has(result, "<dt>Pages</dt><dd>3</dd>"));
  BOOST_TEST(has(result, R"(<h2 id="hits-h">1 page matches <q>quokka</q></h2>)"));
  BOOST_TEST(has(result, R"(<li class="hit current" id="p2" aria-current="true"><h3><a href="#p2">p. 2</a></h3>)"
                         "<blockquote>Night staff must complete the <mark>quokka</mark> protocol before each shift."
                         "</blockquote>"));
  BOOST_TEST(has(result, R"(<a class="pdf" href="/documents/shelter-guide.pdf#page=2">Open the PDF at p. 2</a>)"));
  // Citation links (what works without JavaScript): the document, and the passage with page and quote.
  BOOST_TEST(has(result, R"(<a href="/api/documents/shelter-guide/cite?format=bibtex" data-format="bibtex">BibTeX</a>)"));
  BOOST_TEST(has(result, R"(<a href="/api/documents/shelter-guide/cite?format=ris&amp;page=2&amp;quote=)"
                         R"(Night%20staff%20must%20complete%20the%20quokka%20protocol%20before%20each%20shift." )"
                         R"(data-format="ris">RIS</a>)"));
  BOOST_TEST(count(result.body, "<details class=\"cite\">") == 2U);
  BOOST_TEST(has(result, "<summary>Cite this passage</summary>"));
}

BOOST_AUTO_TEST_CASE(document_page_at_a_page_without_a_query) {
  HttpResult result = page("/d/shelter-guide?page=3");
  BOOST_TEST(has(result, R"(<section class="hit current page-text" id="p3" aria-labelledby="p3-h"><h2 id="p3-h">p. 3</h2>)"
                         "<blockquote>Annex on fire safety and evacuation drills.</blockquote>"));
  BOOST_TEST(has(result, R"(href="/api/documents/shelter-guide/cite?format=harvard&amp;page=3")"));
  BOOST_TEST(!has(result, "hits-h"));
  // The stable link of a citation opens the PDF at that page, in the page.
  BOOST_TEST(has(result, R"(<section class="pdf-viewer" aria-labelledby="pdf-h"><h2 id="pdf-h">The PDF at p. 3</h2>)"
                         R"(<object data="/documents/shelter-guide.pdf#page=3" type="application/pdf")"));
  BOOST_TEST(!has(page("/d/shelter-guide"), "pdf-viewer"));
  HttpResult beyond = page("/d/shelter-guide?page=9", 404);
  BOOST_TEST(has(beyond, "document &#39;shelter-guide&#39; has no page 9"));
}

BOOST_AUTO_TEST_CASE(did_you_mean_links_to_the_corrected_query) {
  HttpResult result = page("/?q=" + url_encode("quokka protocoll"));
  BOOST_TEST(has(result, R"(<p class="notice suggest">Did you mean <a href="/?q=quokka%20protocol">quokka protocol</a>?</p>)"));
  HttpResult none = page("/?q=" + url_encode("quokka zebra"));
  BOOST_TEST(has(none, "<strong>0 documents</strong> for <q>quokka zebra</q>"));
  BOOST_TEST(has(none, R"(<p class="empty">No document matches.)"));
  BOOST_TEST(!has(none, "<ol class=\"results\""));
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_an_html_404_and_the_api_keeps_json) {
  HttpResult missing = page("/no/such/page", 404);
  BOOST_TEST(has(missing, "<h1>Not found</h1>"));
  BOOST_TEST(has(missing, R"(<p class="error" role="alert">There is no page at /no/such/page.</p>)"));
  BOOST_TEST(has(missing, R"(<form class="search" role="search" action="/" method="get">)"));
  HttpResult document = page("/d/no-such-document", 404);
  BOOST_TEST(has(document, "no document with id &#39;no-such-document&#39;"));
  BOOST_TEST(page("/static/nothing.css", 404).status == 404);

  HttpResult api = get("/api/no-such-route");
  BOOST_TEST(api.status == 404);
  BOOST_TEST(api.headers["content-type"] == "application/json; charset=utf-8");
  BOOST_TEST(get("/healthz").headers["content-type"] == "application/json; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(bad_parameters_show_the_message_in_the_page) {
  HttpResult year = page("/?q=quokka&year_from=soon", 400);
  BOOST_TEST(has(year, R"(<p class="error" role="alert">parameter &#39;year_from&#39; must be a whole number from 1000 to 9999</p>)"));
  BOOST_TEST(has(year, R"(value="quokka")"));
  HttpResult sort = page("/?q=quokka&sort=sideways", 400);
  BOOST_TEST(has(sort, "parameter &#39;sort&#39; must be relevance, newest, oldest or title"));
  HttpResult long_query = page("/?q=" + std::string(1001, 'a'), 400);
  BOOST_TEST(has(long_query, "parameter &#39;q&#39; is too long (1001 bytes; at most 1000)"));
  HttpResult bad_escape = page("/?q=%zz", 400);
  BOOST_TEST(has(bad_escape, "bad percent-escape in the request target"));
  HttpResult bad_page = page("/d/shelter-guide?page=first", 400);
  BOOST_TEST(has(bad_page, "parameter &#39;page&#39; must be a whole number from 1 to 1000000"));
}

BOOST_AUTO_TEST_CASE(welcome_page_and_methods) {
  BOOST_TEST(has(page("/?q=+"), "The library holds"));  // an empty search box
  HttpResult welcome = page("/");
  BOOST_TEST(has(welcome, "The library holds <strong>15 documents</strong> (20 pages)"));
  BOOST_TEST(has(welcome, R"(<a href="/?q=%22forced%20labour%22"><code>&quot;forced labour&quot;</code></a>)"));
  HttpClient client(library().port());
  HttpResult head = client.request("HEAD", "/?q=quokka");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.body.empty());
  HttpResult post = client.request("POST", "/", {{"content-type", "text/plain"}}, "x");
  BOOST_TEST(post.status == 405);
  BOOST_TEST(post.headers["allow"] == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(assets_are_versioned_and_cached) {
  HttpResult result = page("/?q=quokka");
  std::smatch css;
  BOOST_REQUIRE(std::regex_search(result.body, css, std::regex(R"re(href="(/static/site\.css\?v=([0-9a-f]{12}))")re")));
  HttpResult stylesheet = get(css[1].str());
  BOOST_TEST(stylesheet.status == 200);
  BOOST_TEST(stylesheet.headers["content-type"] == "text/css; charset=utf-8");
  BOOST_TEST(stylesheet.headers["cache-control"] == "public, max-age=31536000, immutable");
  BOOST_TEST(stylesheet.headers["etag"] == "\"" + css[2].str() + "\"");
  HttpResult stale = get("/static/site.css?v=000000000000");
  BOOST_TEST(stale.headers["cache-control"] == "no-cache");
  BOOST_TEST(stale.body == stylesheet.body);
  HttpResult script = get("/static/site.js");
  BOOST_TEST(script.headers["content-type"] == "text/javascript; charset=utf-8");
  BOOST_TEST(has(result, R"(<link rel="icon" href="/static/icon.svg?v=)"));
  HttpResult icon = get("/favicon.ico");  // for pages that name no icon, such as the PDF viewer
  BOOST_TEST(icon.status == 200);
  BOOST_TEST(icon.headers["content-type"] == "image/svg+xml");
  // Nothing is loaded from outside the server.
  for (const auto& href : hrefs(result.body)) BOOST_TEST(href.find("//") == std::string::npos, href);
  BOOST_TEST(result.headers["content-security-policy"].find("default-src 'self'") == 0U);
}

BOOST_AUTO_TEST_CASE(page_and_assets_fit_the_size_budget) {
  std::size_t assets = get("/static/site.css").body.size() + get("/static/site.js").body.size() +
                       get("/static/icon.svg").body.size();
  for (const std::string target : {"/?q=quokka", "/?q=wombat", "/d/shelter-guide?q=quokka&page=2", "/"}) {
    std::size_t total = get(target).body.size() + assets;
    BOOST_TEST_MESSAGE(target << ": " << total << " bytes with its assets");
    BOOST_TEST(total < kPageBudget, target << " weighs " << total << " bytes with its assets");
  }
}
