// Tests of search-server/web/: escaping, passages from API snippets, and the URLs of the
// search page's states (the integration test web_pages_test checks the whole pages).
#define BOOST_TEST_MODULE web
#include <boost/test/unit_test.hpp>

#include "params.hpp"
#include "web/html.hpp"
#include "web/pages.hpp"
#include "web/search_state.hpp"

namespace web = evidence::server::web;
using evidence::server::parse_target;

namespace {

web::SearchState state_of(const std::string& target) { return web::SearchState(parse_target(target).value()); }

}  // namespace

BOOST_AUTO_TEST_CASE(escape_covers_text_and_attributes) {
  BOOST_TEST(web::escape(R"(<a href="x">Tom & Jerry's</a>)") ==
             "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  BOOST_TEST(web::escape("Chișinău — ok") == "Chișinău — ok");
}

BOOST_AUTO_TEST_CASE(snippet_html_keeps_only_marks) {
  // Xapian escapes the page text; the marks are the only tags.
  BOOST_TEST(web::snippet_html("A &amp; B &lt;b&gt; <mark>word</mark>…") ==
             "A &amp; B &lt;b&gt; <mark>word</mark>…");
  // Raw markup that is not a mark is escaped, never passed through.
  BOOST_TEST(web::snippet_html("<script>x</script> <mark onclick=1>y</mark>") ==
             "&lt;script&gt;x&lt;/script&gt; &lt;mark onclick=1&gt;y");
  // Marks are balanced: no nesting, no stray closing tag, none left open.
  BOOST_TEST(web::snippet_html("</mark>a <mark><mark>b</mark></mark> <mark>c") ==
             "a <mark>b</mark> <mark>c</mark>");
  BOOST_TEST(web::snippet_html("") == "");
}

BOOST_AUTO_TEST_CASE(snippet_text_is_the_quotation) {
  BOOST_TEST(web::snippet_text("…of <mark>reintegration</mark> &amp; return…") == "of reintegration & return");
  BOOST_TEST(web::snippet_text("Night staff must <mark>complete</mark>.") == "Night staff must complete.");
}

BOOST_AUTO_TEST_CASE(urls_encode_every_reserved_character) {
  BOOST_TEST(web::url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  BOOST_TEST(web::query_string({{"q", "\"forced labour\""}, {"page", "2"}}) == "?q=%22forced%20labour%22&page=2");
  BOOST_TEST(web::query_string({}) == "");
  BOOST_TEST(web::page_name(12, "12") == "p. 12");
  BOOST_TEST(web::page_name(4, "ii") == "p. 4 (printed ii)");
  BOOST_TEST(web::page_name(3, "") == "p. 3");
}

BOOST_AUTO_TEST_CASE(search_state_links_add_and_remove_filters) {
  web::SearchState state = state_of("/?q=shelter&country=GB&offset=20&limit=99&unknown=1&sort=relevance");
  BOOST_TEST(state.url() == "/?q=shelter&country=GB&offset=20");
  BOOST_TEST(state.api_target() == "/api/search?q=shelter&country=GB&offset=20&limit=10");
  // Changing the filters goes back to the first page; OR within a facet, AND across.
  BOOST_TEST(state.with_filter("country", "NG").url() == "/?q=shelter&country=GB&country=NG");
  BOOST_TEST(state.with_filter("country", "GB").url() == "/?q=shelter&country=GB");
  BOOST_TEST(state.with_filter("theme", "housing").url() == "/?q=shelter&country=GB&theme=housing");
  BOOST_TEST(state.without_filter("country", "GB").url() == "/?q=shelter");
  BOOST_TEST(state.with_years("2015", "2020").url() == "/?q=shelter&country=GB&year_from=2015&year_to=2020");
  BOOST_TEST(state.with_sort("newest").url() == "/?q=shelter&country=GB&sort=newest");
  BOOST_TEST(state.with_offset(30).url() == "/?q=shelter&country=GB&offset=30");
  BOOST_TEST(state.without_filters().url() == "/?q=shelter");
  BOOST_TEST(state.with_filter("nonsense", "x").url() == "/?q=shelter&country=GB");
  // Forms keep the query, the filters and the order, not the position.
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((state_of("/?q=a&sort=newest&offset=10&year_to=2020").form_params() ==
              Pairs{{"q", "a"}, {"year_to", "2020"}, {"sort", "newest"}}));
  BOOST_TEST(!state_of("/").searching());
  BOOST_TEST(!state_of("/?q=+%20").searching());
  BOOST_TEST(state_of("/?type=report").searching());
}
