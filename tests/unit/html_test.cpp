// Tests of search-server/web/html.hpp: escaping, passages from the API's snippets,
// quotations, URLs and page names (the integration test web_pages_test checks whole pages).

#include <boost/test/unit_test.hpp>

#include "web/html.hpp"

namespace web = evidence::server::web;

BOOST_AUTO_TEST_SUITE(html)

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
  BOOST_TEST(web::snippet_text("…of <mark>reintegration</mark> &amp; return…") ==
             "of reintegration & return");
  BOOST_TEST(web::snippet_text("Night staff must <mark>complete</mark>.") == "Night staff must complete.");
}

BOOST_AUTO_TEST_CASE(urls_encode_every_reserved_character) {
  BOOST_TEST(web::url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  BOOST_TEST(web::query_string({{"q", "\"forced labour\""}, {"page", "2"}}) ==
             "?q=%22forced%20labour%22&page=2");
  BOOST_TEST(web::query_string({}) == "");
  BOOST_TEST(web::page_name(12, "12") == "p. 12");
  BOOST_TEST(web::page_name(4, "ii") == "p. 4 (printed ii)");
  BOOST_TEST(web::page_name(3, "") == "p. 3");
}

BOOST_AUTO_TEST_SUITE_END()
