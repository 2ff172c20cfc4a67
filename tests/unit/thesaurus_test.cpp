// The thesaurus: which expressions of a query are widened, into what, and what is left alone.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "schema_check.hpp"
#include "thesaurus.hpp"

using evidence::core::Thesaurus;

namespace {

const char* kSmall = R"({"groups": [
  {"terms": ["human trafficking", "modern slavery", "THB"]},
  {"terms": ["forced labour", "forced labor"]},
  {"terms": ["travail forcé", "forced labour"]},
  {"terms": ["survivor", "victim"]}
]})";

Thesaurus small() {
  auto thesaurus = Thesaurus::from_json(kSmall);
  BOOST_REQUIRE(thesaurus.ok());
  return thesaurus.value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(thesaurus)

BOOST_AUTO_TEST_CASE(multi_word_expression_becomes_an_or_of_its_group) {
  auto expansion = small().expand("modern slavery in ports");
  BOOST_TEST(expansion.query == R"(("modern slavery" OR "human trafficking" OR THB) in ports)");
  BOOST_TEST((expansion.also_searched == std::vector<std::string>{"human trafficking", "THB"}));
}

BOOST_AUTO_TEST_CASE(matching_ignores_case_and_joins_every_group_of_the_expression) {
  auto expansion = small().expand("Forced Labour");
  BOOST_TEST(expansion.query == R"(("Forced Labour" OR "forced labor" OR "travail forcé"))");
  BOOST_TEST(small().expand("TRAVAIL FORCÉ").query == R"(("TRAVAIL FORCÉ" OR "forced labour"))");
}

BOOST_AUTO_TEST_CASE(single_words_stay_bare_so_they_are_stemmed) {
  BOOST_TEST(small().expand("thb survivor support").query ==
             R"((thb OR "human trafficking" OR "modern slavery") (survivor OR victim) support)");
}

BOOST_AUTO_TEST_CASE(exact_forms_are_left_alone) {
  BOOST_TEST(small().expand("\"modern slavery\" reports").query == "\"modern slavery\" reports");
  BOOST_TEST(small().expand("=survivor").query == "\"survivor\"");
  BOOST_TEST(small().expand("title:survivor -victim +THB*").query == "title:survivor -victim +THB*");
  BOOST_TEST(small().expand("survivor AND victim").query == "(survivor OR victim) AND (victim OR survivor)");
  BOOST_TEST(small().expand("survivor AND victim").also_searched.size() == 2U);
  BOOST_TEST(small().expand("nothing known").also_searched.empty());
}

BOOST_AUTO_TEST_CASE(bad_files_are_refused_with_a_reason) {
  BOOST_TEST(!Thesaurus::from_json("{}").ok());
  auto single = Thesaurus::from_json(R"({"groups": [{"terms": ["alone"]}]})");
  BOOST_REQUIRE(!single.ok());
  BOOST_TEST(single.error().message == "group 1 needs at least two terms");
  auto quoted = Thesaurus::from_json(R"({"groups": [{"terms": ["a", "b \"c\""]}]})");
  BOOST_REQUIRE(!quoted.ok());
  BOOST_TEST(quoted.error().message == "group 1: 'b \"c\"' is not a usable expression");
}

BOOST_AUTO_TEST_CASE(the_shipped_thesaurus_is_valid) {
  std::ifstream in(std::string(EVIDENCE_SOURCE_DIR) + "/schemas/thesaurus.json");
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(evidence::testing::schema_errors(nlohmann::json::parse(text.str()), "../thesaurus.schema.json") == "");
  auto thesaurus = Thesaurus::from_json(text.str());
  BOOST_REQUIRE(thesaurus.ok());
  BOOST_TEST(thesaurus->group_count() >= 20U);
  auto expansion = thesaurus->expand("AVRR");
  BOOST_TEST(expansion.query.find("\"assisted voluntary return and reintegration\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
