// Tests of search-server/api/citation.hpp: every format on tricky metadata, with the exact
// text expected. CSL-JSON is also validated against schemas/api/csl-json.schema.json, our own schema
// written from the CSL 1.0.2 specification's item types and variables (pandoc reads the exports in
// document_routes_test).

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "citation.hpp"
#include "schema_check.hpp"

namespace {

namespace core = evidence::core;
using evidence::server::Citation;
using evidence::server::CitationFormat;
using evidence::server::format_citation;
using evidence::server::format_citations;
using evidence::testing::schema_errors;
using nlohmann::json;

constexpr std::chrono::year_month_day kAccessed{std::chrono::year(2026), std::chrono::November, std::chrono::day(28)};

Citation cite(const std::string& id, core::DocumentMetadata metadata, std::optional<int> page = std::nullopt,
              const std::string& label = "", const std::string& quote = "") {
  Citation c;
  c.document.id = id;
  c.document.language = "en";
  c.document.page_count = 40;
  c.document.metadata = std::move(metadata);
  c.page = page;
  c.page_label = label;
  c.quote = quote;
  c.accessed = kAccessed;
  c.base_url = "https://evidence.example.org";
  return c;
}

// Accents in names, title and place; a page whose printed label differs from its number.
Citation accented() {
  core::DocumentMetadata m;
  m.title = "Trabajo forzoso en la agricultura";
  m.subtitle = "Señales de alerta";
  m.authors = {{"Núñez", "María José"}, {"Müller", "Jürgen"}, {"Lefèvre", "Élodie"}};
  m.organisations = {"Lumen Research Institute"};
  m.place = "Málaga";
  m.date = "2021-03-15";
  m.type = "research-paper";
  m.report_number = "LRI-7";
  m.language = "es";
  return cite("lri-forced-labour", m, 14, "12", "Los trabajadores\n no recibían   salario.");
}

// No personal author: the organisation is the author; a roman page label.
Citation corporate() {
  core::DocumentMetadata m;
  m.title = "Annual Report 2023";
  m.organisations = {"Harbour Light Foundation", "Partner Network"};
  m.place = "Chișinău";
  m.date = "2024";
  m.type = "annual-report";
  return cite("hlf-annual-2023", m, 4, "iv");
}

// No date, no given name, no type: a miscellaneous document.
Citation undated() {
  core::DocumentMetadata m;
  m.title = "Field notes";
  m.authors = {{"Smith", ""}};
  return cite("smith-notes", m);
}

// Every character LaTeX treats specially, in the title and the corporate author.
Citation special_characters() {
  core::DocumentMetadata m;
  m.title = "Costs & benefits: 100% of {braces} in file_name ~ ^ $5 #1 back\\slash";
  m.organisations = {"Smith & Jones Partners"};
  m.date = "2020-11";
  m.type = "meeting-minutes";
  return cite("spf-minutes", m);
}

// 22 personal authors: APA lists 19, ". . .", the last; Harvard the first "et al.".
Citation many_authors() {
  core::DocumentMetadata m;
  m.title = "A very large study";
  for (int i = 1; i <= 22; ++i) m.authors.push_back({"Author" + std::string(i < 10 ? "0" : "") + std::to_string(i), "Ann"});
  m.organisations = {"Consortium"};
  m.date = "2019";
  m.type = "report";
  return cite("big-study", m);
}

// Braces of a BibTeX entry balance once escaped ones are left out.
bool braces_balance(const std::string& text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '{') {
      ++depth;
    } else if (text[i] == '}' && --depth < 0) {
      return false;
    }
  }
  return depth == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(citation)

BOOST_AUTO_TEST_CASE(formats_parse_and_name_their_media_types) {
  using evidence::server::citation_content_type;
  using evidence::server::parse_citation_format;
  BOOST_TEST(citation_content_type(*parse_citation_format("bibtex")) == "application/x-bibtex; charset=utf-8");
  BOOST_TEST(citation_content_type(*parse_citation_format("ris")) ==
             "application/x-research-info-systems; charset=utf-8");
  BOOST_TEST(citation_content_type(*parse_citation_format("csl-json")) == "application/vnd.citationstyles.csl+json");
  BOOST_TEST(citation_content_type(*parse_citation_format("harvard")) == "text/plain; charset=utf-8");
  BOOST_TEST(citation_content_type(*parse_citation_format("apa")) == "text/plain; charset=utf-8");
  auto bad = parse_citation_format("chicago");
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().message == "parameter 'format' must be bibtex, ris, csl-json, harvard or apa");
  BOOST_TEST(evidence::server::quote_text("  a\n b\t\tc \r\n") == "a b c");
}

BOOST_AUTO_TEST_CASE(bibtex_keeps_accents_as_utf8_and_cites_the_printed_page) {
  BOOST_TEST(format_citation(accented(), CitationFormat::kBibtex) ==
             "@techreport{lri-forced-labour,\n"
             "  author = {Núñez, María José and Müller, Jürgen and Lefèvre, Élodie},\n"
             "  title = {{Trabajo forzoso en la agricultura: Señales de alerta}},\n"
             "  type = {Research paper},\n"
             "  institution = {Lumen Research Institute},\n"
             "  address = {Málaga},\n"
             "  number = {LRI-7},\n"
             "  year = {2021},\n"
             "  month = mar,\n"
             "  language = {es},\n"
             "  url = {https://evidence.example.org/d/lri-forced-labour?page=14},\n"
             "  urldate = {2026-11-28},\n"
             "  pages = {12},\n"
             "  note = {“Los trabajadores no recibían salario.”}\n"
             "}\n");
}

BOOST_AUTO_TEST_CASE(bibtex_corporate_author_in_double_braces) {
  BOOST_TEST(format_citation(corporate(), CitationFormat::kBibtex) ==
             "@techreport{hlf-annual-2023,\n"
             "  author = {{Harbour Light Foundation}},\n"
             "  title = {{Annual Report 2023}},\n"
             "  type = {Annual report},\n"
             "  institution = {Harbour Light Foundation},\n"
             "  address = {Chișinău},\n"
             "  year = {2024},\n"
             "  language = {en},\n"
             "  url = {https://evidence.example.org/d/hlf-annual-2023?page=4},\n"
             "  urldate = {2026-11-28},\n"
             "  pages = {iv}\n"
             "}\n");
}

BOOST_AUTO_TEST_CASE(bibtex_escapes_latex_special_characters) {
  std::string entry = format_citation(special_characters(), CitationFormat::kBibtex);
  BOOST_TEST(entry ==
             "@misc{spf-minutes,\n"
             "  author = {{Smith \\& Jones Partners}},\n"
             "  title = {{Costs \\& benefits: 100\\% of \\{braces\\} in file\\_name \\textasciitilde{} "
             "\\textasciicircum{} \\$5 \\#1 back\\textbackslash{}slash}},\n"
             "  type = {Meeting minutes},\n"
             "  organization = {Smith \\& Jones Partners},\n"
             "  year = {2020},\n"
             "  month = nov,\n"
             "  language = {en},\n"
             "  url = {https://evidence.example.org/d/spf-minutes},\n"
             "  urldate = {2026-11-28}\n"
             "}\n");
  BOOST_TEST(braces_balance(entry));
}

BOOST_AUTO_TEST_CASE(bibtex_without_date_or_type_is_misc) {
  BOOST_TEST(format_citation(undated(), CitationFormat::kBibtex) ==
             "@misc{smith-notes,\n"
             "  author = {Smith},\n"
             "  title = {{Field notes}},\n"
             "  language = {en},\n"
             "  url = {https://evidence.example.org/d/smith-notes},\n"
             "  urldate = {2026-11-28}\n"
             "}\n");
}

BOOST_AUTO_TEST_CASE(ris_tags_and_crlf_line_ends) {
  BOOST_TEST(format_citation(accented(), CitationFormat::kRis) ==
             "TY  - RPRT\r\n"
             "AU  - Núñez, María José\r\n"
             "AU  - Müller, Jürgen\r\n"
             "AU  - Lefèvre, Élodie\r\n"
             "TI  - Trabajo forzoso en la agricultura: Señales de alerta\r\n"
             "PY  - 2021\r\n"
             "DA  - 2021/03/15/\r\n"
             "PB  - Lumen Research Institute\r\n"
             "CY  - Málaga\r\n"
             "M3  - Research paper\r\n"
             "SN  - LRI-7\r\n"
             "LA  - es\r\n"
             "UR  - https://evidence.example.org/d/lri-forced-labour?page=14\r\n"
             "Y2  - 2026/11/28/\r\n"
             "SP  - 12\r\n"
             "N1  - “Los trabajadores no recibían salario.”\r\n"
             "ER  - \r\n");
  BOOST_TEST(format_citation(corporate(), CitationFormat::kRis) ==
             "TY  - RPRT\r\n"
             "AU  - Harbour Light Foundation\r\n"
             "TI  - Annual Report 2023\r\n"
             "PY  - 2024\r\n"
             "DA  - 2024///\r\n"
             "PB  - Harbour Light Foundation\r\n"
             "CY  - Chișinău\r\n"
             "M3  - Annual report\r\n"
             "LA  - en\r\n"
             "UR  - https://evidence.example.org/d/hlf-annual-2023?page=4\r\n"
             "Y2  - 2026/11/28/\r\n"
             "SP  - iv\r\n"
             "ER  - \r\n");
  BOOST_TEST(format_citation(undated(), CitationFormat::kRis) ==
             "TY  - RPRT\r\nAU  - Smith\r\nTI  - Field notes\r\nLA  - en\r\n"
             "UR  - https://evidence.example.org/d/smith-notes\r\nY2  - 2026/11/28/\r\nER  - \r\n");
}

BOOST_AUTO_TEST_CASE(harvard_text) {
  BOOST_TEST(format_citation(accented(), CitationFormat::kHarvard) ==
             "“Los trabajadores no recibían salario.” (Núñez, Müller and Lefèvre, 2021, p. 12)\n\n"
             "Núñez, M.J., Müller, J. and Lefèvre, É. (2021) Trabajo forzoso en la agricultura: Señales de alerta. "
             "Málaga: Lumen Research Institute. Available at: https://evidence.example.org/d/lri-forced-labour?page=14 "
             "(Accessed: 28 November 2026).\n");
  BOOST_TEST(format_citation(corporate(), CitationFormat::kHarvard) ==
             "(Harbour Light Foundation, 2024, p. iv)\n\n"
             "Harbour Light Foundation (2024) Annual Report 2023. Chișinău: Harbour Light Foundation. "
             "Available at: https://evidence.example.org/d/hlf-annual-2023?page=4 (Accessed: 28 November 2026).\n");
  BOOST_TEST(format_citation(undated(), CitationFormat::kHarvard) ==
             "Smith (no date) Field notes. Available at: https://evidence.example.org/d/smith-notes "
             "(Accessed: 28 November 2026).\n");
  BOOST_TEST(format_citation(many_authors(), CitationFormat::kHarvard) ==
             "Author01, A. et al. (2019) A very large study. Consortium. "
             "Available at: https://evidence.example.org/d/big-study (Accessed: 28 November 2026).\n");
}

BOOST_AUTO_TEST_CASE(apa_text) {
  BOOST_TEST(format_citation(accented(), CitationFormat::kApa) ==
             "“Los trabajadores no recibían salario.” (Núñez et al., 2021, p. 12)\n\n"
             "Núñez, M. J., Müller, J., & Lefèvre, É. (2021). Trabajo forzoso en la agricultura: Señales de alerta "
             "(Report No. LRI-7). Lumen Research Institute. https://evidence.example.org/d/lri-forced-labour?page=14\n");
  // The publisher is left out when it is the author.
  BOOST_TEST(format_citation(corporate(), CitationFormat::kApa) ==
             "(Harbour Light Foundation, 2024, p. iv)\n\n"
             "Harbour Light Foundation. (2024). Annual Report 2023. https://evidence.example.org/d/hlf-annual-2023?page=4\n");
  BOOST_TEST(format_citation(undated(), CitationFormat::kApa) ==
             "Smith. (n.d.). Field notes. https://evidence.example.org/d/smith-notes\n");
  std::string nineteen;
  for (int i = 1; i <= 19; ++i) nineteen += "Author" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ", A., ";
  BOOST_TEST(format_citation(many_authors(), CitationFormat::kApa) ==
             nineteen + ". . . Author22, A. (2019). A very large study. Consortium. https://evidence.example.org/d/big-study\n");
}

BOOST_AUTO_TEST_CASE(apa_and_harvard_with_two_authors_and_no_author) {
  Citation two = undated();
  two.document.metadata.authors = {{"Okafor", "Chidi"}, {"Brandt", "Jean-Pierre"}};
  two.document.metadata.date = "2022";
  two.page = 3;
  BOOST_TEST(format_citation(two, CitationFormat::kApa) ==
             "(Okafor & Brandt, 2022, p. 3)\n\n"
             "Okafor, C., & Brandt, J.-P. (2022). Field notes. https://evidence.example.org/d/smith-notes?page=3\n");
  BOOST_TEST(format_citation(two, CitationFormat::kHarvard) ==
             "(Okafor and Brandt, 2022, p. 3)\n\n"
             "Okafor, C. and Brandt, J.-P. (2022) Field notes. Available at: "
             "https://evidence.example.org/d/smith-notes?page=3 (Accessed: 28 November 2026).\n");
  Citation anonymous = undated();
  anonymous.document.metadata.authors.clear();
  BOOST_TEST(format_citation(anonymous, CitationFormat::kApa) ==
             "Field notes. (n.d.). https://evidence.example.org/d/smith-notes\n");
  BOOST_TEST(format_citation(anonymous, CitationFormat::kHarvard) ==
             "Field notes (no date) Available at: https://evidence.example.org/d/smith-notes "
             "(Accessed: 28 November 2026).\n");
}

BOOST_AUTO_TEST_CASE(csl_json_items_valid_against_the_csl_schema) {
  json accented_item = json::parse(format_citation(accented(), CitationFormat::kCslJson));
  BOOST_TEST(schema_errors(accented_item, "csl-json.schema.json") == "");
  BOOST_TEST(accented_item == json::parse(R"([{
    "id": "lri-forced-labour", "type": "report",
    "title": "Trabajo forzoso en la agricultura: Señales de alerta",
    "author": [{"family": "Núñez", "given": "María José"}, {"family": "Müller", "given": "Jürgen"},
               {"family": "Lefèvre", "given": "Élodie"}],
    "issued": {"date-parts": [[2021, 3, 15]]}, "accessed": {"date-parts": [[2026, 11, 28]]},
    "publisher": "Lumen Research Institute", "publisher-place": "Málaga", "genre": "Research paper",
    "number": "LRI-7", "language": "es",
    "URL": "https://evidence.example.org/d/lri-forced-labour?page=14", "page": "12",
    "note": "“Los trabajadores no recibían salario.”"}])"));
  json items = json::parse(format_citations({corporate(), undated(), special_characters(), many_authors()},
                                            CitationFormat::kCslJson));
  BOOST_TEST(schema_errors(items, "csl-json.schema.json") == "");
  BOOST_REQUIRE(items.size() == 4U);
  BOOST_TEST(items[0]["author"] == json::parse(R"([{"literal": "Harbour Light Foundation"}])"));
  BOOST_TEST(items[0]["issued"] == json::parse(R"({"date-parts": [[2024]]})"));
  BOOST_TEST(items[0]["page"] == "iv");
  BOOST_TEST(items[1]["type"] == "document");
  BOOST_TEST(!items[1].contains("issued"));
  BOOST_TEST(items[2]["title"] == "Costs & benefits: 100% of {braces} in file_name ~ ^ $5 #1 back\\slash");
  BOOST_TEST(items[3]["author"].size() == 22U);
  // The schema check is not vacuous: a wrong type or an unknown field is refused.
  BOOST_TEST(schema_errors(json::parse(R"([{"id": "x", "type": "pamphlet-ish"}])"), "csl-json.schema.json") != "");
  BOOST_TEST(schema_errors(json::parse(R"([{"id": "x", "type": "report", "pages": "4"}])"),
                           "csl-json.schema.json") != "");
}

BOOST_AUTO_TEST_CASE(exports_put_entries_one_after_another) {
  std::string bibtex = format_citations({undated(), special_characters()}, CitationFormat::kBibtex);
  BOOST_TEST(bibtex == format_citation(undated(), CitationFormat::kBibtex) + "\n" +
                           format_citation(special_characters(), CitationFormat::kBibtex));
  std::string ris = format_citations({undated(), corporate()}, CitationFormat::kRis);
  BOOST_TEST(ris == format_citation(undated(), CitationFormat::kRis) + "\r\n" +
                        format_citation(corporate(), CitationFormat::kRis));
}

BOOST_AUTO_TEST_SUITE_END()
