// Tests of common/metadata.hpp: sidecar validation, its error messages, and the JSON
// round trip of DocumentMetadata.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metadata.hpp"

namespace {

using evidence::core::DocumentMetadata;
using evidence::core::ErrorCode;
using evidence::core::MetadataValidator;
using evidence::core::Person;
using evidence::core::metadata_from_json;
using evidence::core::metadata_to_json;
using evidence::core::metadata_year;
using nlohmann::json;

// The error message of a failed result, for test failure output.
template <class T>
std::string error_of(const evidence::core::Result<T>& result) {
  return result.ok() ? std::string() : result.error().message;
}

const MetadataValidator& validator() {
  static const MetadataValidator instance;
  return instance;
}

const char* const kFullSidecar = R"({
  "$schema": "../../schemas/document.schema.json",
  "id": "nrm-review-2022",
  "title": "Review of the National Referral Mechanism",
  "subtitle": "Findings and recommendations",
  "authors": [{"family": "Okafor", "given": "Adaeze"}, {"family": "Lindqvist"}],
  "organisations": ["Practitioners Forum", "Harbour Light Foundation"],
  "publisher": "Forum Press",
  "place": "Manchester",
  "date": "2022-06-15",
  "type": "report",
  "series": "Forum Papers",
  "report_number": "FP-12",
  "countries": ["GB", "IE"],
  "themes": ["national-referral-mechanism", "identification"],
  "exploitation": ["forced-labour", "sexual-exploitation"],
  "keywords": ["NRM", "conclusive grounds"],
  "language": "en-GB",
  "summary": "A review of how the referral mechanism works in practice.",
  "source_url": "https://example.org/nrm-review.pdf",
  "doi": "10.1234/forum.2022.12",
  "isbn": "978-1-23456-789-7",
  "licence": "CC-BY-4.0",
  "page_label_offset": 2
})";

DocumentMetadata full_metadata() {
  DocumentMetadata m;
  m.id = "nrm-review-2022";
  m.title = "Review of the National Referral Mechanism";
  m.subtitle = "Findings and recommendations";
  m.authors = {Person{"Okafor", "Adaeze"}, Person{"Lindqvist", ""}};
  m.organisations = {"Practitioners Forum", "Harbour Light Foundation"};
  m.publisher = "Forum Press";
  m.place = "Manchester";
  m.date = "2022-06-15";
  m.type = "report";
  m.series = "Forum Papers";
  m.report_number = "FP-12";
  m.countries = {"GB", "IE"};
  m.themes = {"national-referral-mechanism", "identification"};
  m.exploitation = {"forced-labour", "sexual-exploitation"};
  m.keywords = {"NRM", "conclusive grounds"};
  m.language = "en-GB";
  m.summary = "A review of how the referral mechanism works in practice.";
  m.source_url = "https://example.org/nrm-review.pdf";
  m.doi = "10.1234/forum.2022.12";
  m.isbn = "978-1-23456-789-7";
  m.licence = "CC-BY-4.0";
  m.page_label_offset = 2;
  return m;
}

// The message of a sidecar that must be rejected as invalid metadata.
std::string rejection(const std::string& text) {
  auto result = validator().parse(text);
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST(static_cast<int>(result.error().code) == static_cast<int>(ErrorCode::kInvalidMetadata));
  return result.error().message;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metadata)

BOOST_AUTO_TEST_CASE(full_sidecar_parses_into_every_field) {
  auto result = validator().parse(kFullSidecar);
  BOOST_REQUIRE_MESSAGE(result.ok(), error_of(result));
  const DocumentMetadata& m = *result;
  const DocumentMetadata expected = full_metadata();
  BOOST_TEST(m.id == expected.id);
  BOOST_TEST(m.title == expected.title);
  BOOST_TEST(m.subtitle == expected.subtitle);
  BOOST_REQUIRE_EQUAL(m.authors.size(), 2U);
  BOOST_TEST(m.authors[0].family == "Okafor");
  BOOST_TEST(m.authors[0].given == "Adaeze");
  BOOST_TEST(m.authors[1].family == "Lindqvist");
  BOOST_TEST(m.authors[1].given == "");
  BOOST_TEST(m.organisations == expected.organisations, boost::test_tools::per_element());
  BOOST_TEST(m.publisher == expected.publisher);
  BOOST_TEST(m.place == expected.place);
  BOOST_TEST(m.date == expected.date);
  BOOST_TEST(m.type == expected.type);
  BOOST_TEST(m.series == expected.series);
  BOOST_TEST(m.report_number == expected.report_number);
  BOOST_TEST(m.countries == expected.countries, boost::test_tools::per_element());
  BOOST_TEST(m.themes == expected.themes, boost::test_tools::per_element());
  BOOST_TEST(m.exploitation == expected.exploitation, boost::test_tools::per_element());
  BOOST_TEST(m.keywords == expected.keywords, boost::test_tools::per_element());
  BOOST_TEST(m.language == expected.language);
  BOOST_TEST(m.summary == expected.summary);
  BOOST_TEST(m.source_url == expected.source_url);
  BOOST_TEST(m.doi == expected.doi);
  BOOST_TEST(m.isbn == expected.isbn);
  BOOST_TEST(m.licence == expected.licence);
  BOOST_REQUIRE(m.page_label_offset.has_value());
  BOOST_TEST(*m.page_label_offset == 2);
  BOOST_TEST((m == expected));
}

BOOST_AUTO_TEST_CASE(empty_object_is_valid_and_empty) {
  auto result = validator().parse("{}");
  BOOST_REQUIRE(result.ok());
  BOOST_TEST((*result == DocumentMetadata{}));
}

BOOST_AUTO_TEST_CASE(validate_accepts_parsed_json) {
  auto result = validator().validate(json::parse(kFullSidecar));
  BOOST_REQUIRE(result.ok());
  BOOST_TEST((*result == full_metadata()));
}

BOOST_AUTO_TEST_CASE(unknown_field_is_rejected_by_name) {
  BOOST_TEST(rejection(R"({"title": "A report", "titel": "typo"})") ==
             "(document): Object contains a property that could not be validated using 'properties' or "
             "'additionalProperties' constraints: 'titel'.");
}

BOOST_AUTO_TEST_CASE(unknown_field_in_author_is_rejected) {
  std::string message = rejection(R"({"authors": [{"family": "Okafor", "initials": "A"}]})");
  BOOST_TEST(message.rfind("authors[0]: ", 0) == 0U, message);
  BOOST_TEST(message.find("'initials'") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(author_without_family_is_rejected) {
  BOOST_TEST(rejection(R"({"authors": [{"given": "Adaeze"}]})") ==
             "authors[0]: Missing required property 'family'.");
}

BOOST_AUTO_TEST_CASE(country_outside_vocabulary_is_rejected) {
  std::string message = rejection(R"({"countries": ["XX"]})");
  BOOST_TEST(message.rfind("countries[0]", 0) == 0U, message);
  BOOST_TEST(message.find("XX") != std::string::npos, message);
  BOOST_TEST(message == "countries[0]: Failed to match against any enum values. (value: \"XX\")");
}

BOOST_AUTO_TEST_CASE(error_names_the_index_of_the_bad_element) {
  BOOST_TEST(rejection(R"({"countries": ["GB", "XX"]})") ==
             "countries[1]: Failed to match against any enum values. (value: \"XX\")");
}

BOOST_AUTO_TEST_CASE(lower_case_country_is_rejected) {
  BOOST_TEST(rejection(R"({"countries": ["gb"]})") ==
             "countries[0]: Failed to match against any enum values. (value: \"gb\")");
}

BOOST_AUTO_TEST_CASE(bad_date_is_rejected) {
  BOOST_TEST(rejection(R"({"date": "2021-13"})") ==
             "date: Failed to match regex specified by 'pattern' constraint. (value: \"2021-13\")");
}

BOOST_AUTO_TEST_CASE(dates_of_every_precision_are_valid) {
  for (const char* date : {"2021", "2021-03", "2021-03-31"}) {
    auto result = validator().validate(json{{"date", date}});
    BOOST_TEST(result.ok(), date);
  }
}

BOOST_AUTO_TEST_CASE(title_of_wrong_type_is_rejected) {
  BOOST_TEST(rejection(R"({"title": 5})") == "title: Value type not permitted by 'type' constraint. (value: 5)");
}

BOOST_AUTO_TEST_CASE(text_of_only_white_space_is_rejected) {
  BOOST_TEST(rejection(R"({"title": "   "})") == "title: must not be only white space");
  BOOST_TEST(rejection(R"({"title": "A report", "organisations": ["Harbour Light", "\t\n"]})") ==
             "organisations[1]: must not be only white space");
  BOOST_TEST(rejection(R"({"authors": [{"family": " ", "given": "Ada"}]})") ==
             "authors[0].family: must not be only white space");
}

BOOST_AUTO_TEST_CASE(text_is_trimmed) {
  auto result = validator().validate(json{{"title", "  A report\n"},
                                          {"organisations", {" Harbour Light "}},
                                          {"authors", {{{"family", " Okafor"}}}}});
  BOOST_REQUIRE(result.ok());
  BOOST_TEST(result->title == "A report");
  BOOST_TEST(result->organisations.at(0) == "Harbour Light");
  BOOST_TEST(result->authors.at(0).family == "Okafor");
}

BOOST_AUTO_TEST_CASE(duplicate_theme_is_rejected) {
  BOOST_TEST(rejection(R"({"themes": ["prevention", "prevention"]})") ==
             "themes: Elements at indexes #0 and #1 violate uniqueness constraint.");
}

BOOST_AUTO_TEST_CASE(non_object_is_rejected) {
  BOOST_TEST(rejection("[1, 2]") == "(document): must be a JSON object");
  BOOST_TEST(rejection("\"a title\"") == "(document): must be a JSON object");
  BOOST_TEST(rejection("null") == "(document): must be a JSON object");
}

BOOST_AUTO_TEST_CASE(invalid_json_names_the_line) {
  BOOST_TEST(rejection("{\n  \"title\": \"x\",\n  \"date\": \"2021\",\n}") ==
             "not valid JSON (line 4): syntax error while parsing object key - unexpected '}'; "
             "expected string literal");
  BOOST_TEST(rejection("{\n\"title\": \"a\"\n\"date\": \"2021\"}") ==
             "not valid JSON (line 3): syntax error while parsing object - unexpected string literal; "
             "expected '}'");
}

// Found by fuzz_metadata: nlohmann::json throws out_of_range, not parse_error, for these.
BOOST_AUTO_TEST_CASE(number_too_large_is_invalid_json) {
  BOOST_TEST(rejection("{\"title\": \"x\", \"page_label_offset\": 1e400}") ==
             "not valid JSON: number overflow parsing '1e400'");
}

BOOST_AUTO_TEST_CASE(empty_text_is_invalid_json) {
  BOOST_TEST(rejection("") ==
             "not valid JSON (line 1): syntax error while parsing value - unexpected end of input; "
             "expected '[', '{', or a literal");
}

BOOST_AUTO_TEST_CASE(json_round_trip_keeps_every_field) {
  const DocumentMetadata m = full_metadata();
  json j = metadata_to_json(m);
  BOOST_TEST((metadata_from_json(j) == m));
  // What metadata_to_json writes is itself a valid sidecar.
  auto validated = validator().validate(j);
  BOOST_REQUIRE_MESSAGE(validated.ok(), error_of(validated));
  BOOST_TEST((*validated == m));
}

BOOST_AUTO_TEST_CASE(access_defaults_to_public) {
  auto parsed = validator().parse(R"({"title": "Minutes"})");
  BOOST_REQUIRE_MESSAGE(parsed.ok(), error_of(parsed));
  BOOST_TEST((parsed->access == evidence::core::DocumentAccess{}));
  BOOST_TEST(!metadata_to_json(*parsed).contains("access"));  // the default is not written
}

BOOST_AUTO_TEST_CASE(access_levels_and_groups_are_read) {
  using evidence::core::AccessLevel;
  auto members = validator().parse(R"({"title": "Minutes", "access": "members"})");
  BOOST_REQUIRE_MESSAGE(members.ok(), error_of(members));
  BOOST_TEST((members->access.level == AccessLevel::kMembers));
  auto restricted = validator().parse(
      R"({"title": "Draft", "access": "restricted", "groups": ["steering-group", "legal-2"]})");
  BOOST_REQUIRE_MESSAGE(restricted.ok(), error_of(restricted));
  BOOST_TEST((restricted->access.level == AccessLevel::kRestricted));
  BOOST_TEST((restricted->access.groups == std::vector<std::string>{"steering-group", "legal-2"}));
  BOOST_TEST(metadata_to_json(*restricted).dump() ==
             R"({"access":"restricted","groups":["steering-group","legal-2"],"title":"Draft"})");
  BOOST_TEST((validator().validate(metadata_to_json(*restricted)).value() == *restricted));
}

BOOST_AUTO_TEST_CASE(access_mistakes_are_named) {
  BOOST_TEST(rejection(R"({"access": "secret"})") ==
             "access: Failed to match against any enum values. (value: \"secret\")");
  BOOST_TEST(
      rejection(R"({"access": "restricted"})") ==
      "groups: a restricted document names the groups that may read it (\"groups\": [\"steering-group\"])");
  BOOST_TEST(
      rejection(R"({"access": "members", "groups": ["legal"]})") ==
      "groups: only a restricted document has groups (add \"access\": \"restricted\" or remove \"groups\")");
  BOOST_TEST(
      rejection(R"({"groups": ["legal"]})") ==
      "groups: only a restricted document has groups (add \"access\": \"restricted\" or remove \"groups\")");
  BOOST_TEST(rejection(R"({"access": "restricted", "groups": []})") ==
             "groups: Array should contain no fewer than 1 elements.");
  BOOST_TEST(
      rejection(R"({"access": "restricted", "groups": ["Steering Group"]})") ==
      "groups[0]: Failed to match regex specified by 'pattern' constraint. (value: \"Steering Group\")");
}

BOOST_AUTO_TEST_CASE(catalogue_defaults_to_listed_for_members_and_hidden_for_restricted) {
  using evidence::core::Catalogue;
  using evidence::core::has_catalogue_record;
  auto members = validator().parse(R"({"title": "Minutes", "access": "members"})");
  BOOST_REQUIRE_MESSAGE(members.ok(), error_of(members));
  BOOST_TEST((members->access.catalogue == Catalogue::kListed));
  BOOST_TEST(has_catalogue_record(members->access));
  BOOST_TEST(!metadata_to_json(*members).contains("catalogue"));  // the default is not written
  auto restricted = validator().parse(R"({"title": "Draft", "access": "restricted", "groups": ["legal"]})");
  BOOST_REQUIRE_MESSAGE(restricted.ok(), error_of(restricted));
  BOOST_TEST((restricted->access.catalogue == Catalogue::kHidden));
  BOOST_TEST(!has_catalogue_record(restricted->access));
  auto open = validator().parse(R"({"title": "Report"})");
  BOOST_REQUIRE_MESSAGE(open.ok(), error_of(open));
  BOOST_TEST(!has_catalogue_record(open->access));
}

BOOST_AUTO_TEST_CASE(catalogue_is_read_and_written_when_not_the_default) {
  using evidence::core::Catalogue;
  auto listed = validator().parse(
      R"({"title": "Draft", "access": "restricted", "groups": ["legal"], "catalogue": "listed"})");
  BOOST_REQUIRE_MESSAGE(listed.ok(), error_of(listed));
  BOOST_TEST((listed->access.catalogue == Catalogue::kListed));
  BOOST_TEST(evidence::core::has_catalogue_record(listed->access));
  BOOST_TEST(metadata_to_json(*listed).dump() ==
             R"({"access":"restricted","catalogue":"listed","groups":["legal"],"title":"Draft"})");
  BOOST_TEST((validator().validate(metadata_to_json(*listed)).value() == *listed));
  auto hidden = validator().parse(R"({"title": "Minutes", "access": "members", "catalogue": "hidden"})");
  BOOST_REQUIRE_MESSAGE(hidden.ok(), error_of(hidden));
  BOOST_TEST((hidden->access.catalogue == Catalogue::kHidden));
  BOOST_TEST(!evidence::core::has_catalogue_record(hidden->access));
  BOOST_TEST(metadata_to_json(*hidden).dump() ==
             R"({"access":"members","catalogue":"hidden","title":"Minutes"})");
  // Said explicitly as the default: the same document as without it.
  auto explicit_default =
      validator().parse(R"({"title": "Minutes", "access": "members", "catalogue": "listed"})");
  BOOST_REQUIRE_MESSAGE(explicit_default.ok(), error_of(explicit_default));
  BOOST_TEST((explicit_default->access ==
              validator().parse(R"({"title": "Minutes", "access": "members"})")->access));
}

BOOST_AUTO_TEST_CASE(catalogue_mistakes_are_named) {
  const std::string on_public =
      "catalogue: a public document is read by everyone and has no catalogue record to list or hide (remove "
      "\"catalogue\", or add \"access\": \"members\" or \"restricted\")";
  BOOST_TEST(rejection(R"({"catalogue": "listed"})") == on_public);
  BOOST_TEST(rejection(R"({"access": "public", "catalogue": "hidden"})") == on_public);
  BOOST_TEST(rejection(R"({"access": "members", "catalogue": "shown"})") ==
             "catalogue: Failed to match against any enum values. (value: \"shown\")");
}

BOOST_AUTO_TEST_CASE(group_names) {
  using evidence::core::is_valid_group_name;
  BOOST_TEST(is_valid_group_name("steering-group"));
  BOOST_TEST(is_valid_group_name("g7"));
  BOOST_TEST(!is_valid_group_name(""));
  BOOST_TEST(!is_valid_group_name("-lead"));
  BOOST_TEST(!is_valid_group_name("Steering"));
  BOOST_TEST(!is_valid_group_name("a b"));
  BOOST_TEST(!is_valid_group_name(std::string(65, 'a')));
  BOOST_TEST(is_valid_group_name(std::string(64, 'a')));
}

BOOST_AUTO_TEST_CASE(json_leaves_out_empty_fields) {
  DocumentMetadata m;
  m.title = "Only a title";
  m.authors = {Person{"Okafor", ""}};
  BOOST_TEST(metadata_to_json(m).dump() == R"({"authors":[{"family":"Okafor"}],"title":"Only a title"})");
  BOOST_TEST(metadata_to_json(DocumentMetadata{}).dump() == "{}");
}

BOOST_AUTO_TEST_CASE(year_of_each_date_precision) {
  DocumentMetadata m;
  BOOST_TEST(metadata_year(m) == 0);
  m.date = "2021-03";
  BOOST_TEST(metadata_year(m) == 2021);
  m.date = "1999";
  BOOST_TEST(metadata_year(m) == 1999);
  m.date = "2020-02-29";
  BOOST_TEST(metadata_year(m) == 2020);
}

BOOST_AUTO_TEST_CASE(every_sample_sidecar_is_valid) {
  const std::filesystem::path sample = std::filesystem::path(EVIDENCE_SOURCE_DIR) / "corpus" / "sample";
  std::vector<std::filesystem::path> sidecars;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(sample)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") sidecars.push_back(entry.path());
  }
  std::sort(sidecars.begin(), sidecars.end());
  BOOST_TEST_REQUIRE(!sidecars.empty());
  for (const auto& path : sidecars) {
    BOOST_TEST_CONTEXT(path.string()) {
      auto result = validator().parse(read_text(path));
      BOOST_TEST(result.ok(), error_of(result));
      if (result.ok()) BOOST_TEST(!result->title.empty());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
