// Tests of common/passage.hpp: which words match, where the passage is cut, how it is marked.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "passage.hpp"

namespace {

using evidence::core::Passage;
using evidence::core::PassageMaker;

Passage make(const std::vector<std::string>& terms, const std::string& text, std::vector<std::string> wildcards = {},
             std::size_t length = PassageMaker::kDefaultLength, const std::string& language = "en") {
  PassageMaker maker(terms, std::move(wildcards), length);
  return maker.make(text, language);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(passage)

BOOST_AUTO_TEST_CASE(plain_word_is_marked_and_counted) {
  Passage p = make({"shelter"}, "The shelter opened in May. Shelter staff were trained.");
  BOOST_TEST(p.html == "The <mark>shelter</mark> opened in May. <mark>Shelter</mark> staff were trained.");
  BOOST_TEST(p.matches == 2U);
}

BOOST_AUTO_TEST_CASE(stem_matches_other_forms_of_the_word) {
  Passage p = make({"Ztraffick"}, "Victims of trafficking were trafficked twice.");
  BOOST_TEST(p.html == "Victims of <mark>trafficking</mark> were <mark>trafficked</mark> twice.");
}

BOOST_AUTO_TEST_CASE(neighbouring_matches_share_one_mark) {
  Passage p = make({"human", "trafficking"}, "A study of human trafficking in fishing fleets.");
  BOOST_TEST(p.html == "A study of <mark>human trafficking</mark> in fishing fleets.");
  BOOST_TEST(p.matches == 2U);
}

BOOST_AUTO_TEST_CASE(wildcard_prefix_matches_the_start_of_words) {
  Passage p = make({}, "Recruiters and recruitment agencies.", {"recruit"});
  BOOST_TEST(p.html == "<mark>Recruiters</mark> and <mark>recruitment</mark> agencies.");
}

BOOST_AUTO_TEST_CASE(field_terms_are_not_page_words) {
  Passage p = make({"Sshelter", "XCgb"}, "The shelter in gb.");
  BOOST_TEST(p.matches == 0U);
  BOOST_TEST(p.html == "The shelter in gb.");
}

BOOST_AUTO_TEST_CASE(text_is_html_escaped) {
  Passage p = make({"fees"}, "Fees <script> & \"costs\" > zero.");
  BOOST_TEST(p.html == "<mark>Fees</mark> &lt;script&gt; &amp; \"costs\" &gt; zero.");
}

BOOST_AUTO_TEST_CASE(accented_and_apostrophe_words) {
  Passage p = make({"réfugiés", "survivor's"}, "Les réfugiés et le survivor\u2019s story.", {}, 320, "fr");
  BOOST_TEST(p.html == "Les <mark>réfugiés</mark> et le <mark>survivor\u2019s</mark> story.");
}

BOOST_AUTO_TEST_CASE(passage_is_the_sentence_with_the_words_and_its_neighbour) {
  std::string text =
      "First sentence about nothing in particular at all, padded to be long enough to matter here. "
      "Second sentence about the hotline. Third sentence follows it. "
      "Fourth sentence is far away and should not be shown because the budget is spent by then.";
  Passage p = make({"hotline"}, text, {}, 120);
  BOOST_TEST(p.html == "Second sentence about the <mark>hotline</mark>. Third sentence follows it.");
}

BOOST_AUTO_TEST_CASE(abbreviations_do_not_end_sentences) {
  std::string text = "Filler text that is long enough to be its own sentence and more. "
                     "See e.g. the hotline in the U.K. Report for details.";
  Passage p = make({"hotline"}, text, {}, 100);
  BOOST_TEST(p.html == "See e.g. the <mark>hotline</mark> in the U.K. Report for details.");
}

BOOST_AUTO_TEST_CASE(long_sentence_is_cut_around_the_densest_cluster) {
  std::string text = "word ";
  for (int i = 0; i < 60; ++i) text += "filler ";
  text += "alpha beta ";
  for (int i = 0; i < 60; ++i) text += "filler ";
  text += "alpha end";
  Passage p = make({"alpha", "beta"}, text, {}, 60);
  BOOST_TEST(p.matches == 3U);
  BOOST_TEST(p.html.find("<mark>alpha beta</mark>") != std::string::npos);
  BOOST_TEST(p.html.rfind("\u2026", 0) == 0U);                 // cut before
  BOOST_TEST(p.html.substr(p.html.size() - 3) == "\u2026");    // and after
  BOOST_TEST(p.html.size() < 60U + 2 * 3 + 13);               // the text, two ellipses, one mark
}

BOOST_AUTO_TEST_CASE(page_without_matches_gives_its_start) {
  Passage p = make({"absent"}, "Opening sentence. Second one.\n\nNew paragraph.");
  BOOST_TEST(p.matches == 0U);
  BOOST_TEST(p.html == "Opening sentence. Second one.");
}

BOOST_AUTO_TEST_CASE(a_heading_on_its_own_line_ends_a_sentence) {
  std::string text = "Earlier text that stands well apart from the rest of the page, long enough to matter.\n"
                     "The Compass Score\nTo compare outcomes over time, the programme used a score.";
  PassageMaker maker({"compass"}, {}, 100);
  BOOST_TEST(maker.make(text, "en", {"The Compass Score"}).html ==
             "The <mark>Compass</mark> Score \u2014 To compare outcomes over time, the programme used a score.");
  BOOST_TEST(maker.make(text, "en").html ==
             "The <mark>Compass</mark> Score To compare outcomes over time, the programme used a score.");
}

BOOST_AUTO_TEST_CASE(lines_of_the_page_become_one_line) {
  Passage p = make({"rota"}, "Night\nrota  for\tstaff.");
  BOOST_TEST(p.html == "Night <mark>rota</mark> for staff.");
}

BOOST_AUTO_TEST_SUITE_END()
