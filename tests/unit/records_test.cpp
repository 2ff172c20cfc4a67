// Tests of common/records.hpp: what the indexer writes for documents and pages, and that
// it reads back what it wrote.

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "index_layout.hpp"
#include "record_samples.hpp"
#include "records.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using core::DocumentInfo;
using core::DocumentMetadata;
using core::ErrorCode;
using core::FileStamp;
using core::PageInfo;
using evidence::testing::error_of;
using evidence::testing::record_metadata;

std::set<std::string> terms_of(const Xapian::Document& document) {
  std::set<std::string> terms;
  for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) terms.insert(*it);
  return terms;
}

std::vector<Xapian::termpos> positions_of(const Xapian::Document& document, const std::string& term) {
  auto it = document.termlist_begin();
  it.skip_to(term);
  BOOST_REQUIRE(it != document.termlist_end() && *it == term);
  return {it.positionlist_begin(), it.positionlist_end()};
}

DocumentInfo sample_info() {
  DocumentInfo info;
  info.id = "nrm-review-2022";
  info.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  info.size = 123456;
  info.page_count = 12;
  info.language = "en";
  info.metadata_source = "sidecar";
  info.metadata.title = "Review of the National Referral Mechanism";
  info.metadata.countries = {"GB"};
  info.metadata.date = "2022-06";
  info.files = {FileStamp{"forum/nrm-review.pdf", 123456, 1700000000123456789},
                FileStamp{"copies/caf\xE9\nname.pdf", 123456, -5}};
  info.sidecar = FileStamp{"forum/nrm-review.json", 321, 1700000000000000000};
  info.indexed_at = 1700000100;
  return info;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(records)

BOOST_AUTO_TEST_CASE(document_info_round_trip) {
  const DocumentInfo info = sample_info();
  auto decoded = core::decode_document_info(core::encode_document_info(info));
  BOOST_REQUIRE_MESSAGE(decoded.ok(), error_of(decoded));
  BOOST_TEST(decoded->id == info.id);
  BOOST_TEST(decoded->sha256 == info.sha256);
  BOOST_TEST(decoded->size == info.size);
  BOOST_TEST(decoded->page_count == info.page_count);
  BOOST_TEST(decoded->language == info.language);
  BOOST_TEST(decoded->metadata_source == info.metadata_source);
  BOOST_TEST((decoded->metadata == info.metadata));
  BOOST_TEST((decoded->files == info.files));
  BOOST_REQUIRE(decoded->sidecar.has_value());
  BOOST_TEST((*decoded->sidecar == *info.sidecar));
  BOOST_TEST(decoded->indexed_at == info.indexed_at);
}

BOOST_AUTO_TEST_CASE(document_info_keeps_ocr_pages_and_pages_without_text) {
  DocumentInfo info = sample_info();
  info.ocr_pages = {2, 5};
  info.pages_without_text = {7};
  info.ocr_pages_skipped = 3;
  auto decoded = core::decode_document_info(core::encode_document_info(info));
  BOOST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded->ocr_pages_skipped == 3);
  BOOST_TEST(decoded->ocr_pages == (std::vector<int>{2, 5}), boost::test_tools::per_element());
  BOOST_TEST(decoded->pages_without_text == (std::vector<int>{7}), boost::test_tools::per_element());
  nlohmann::json view = core::document_info_to_json(info);
  BOOST_TEST(view["ocr_pages"] == nlohmann::json::array({2, 5}));
  BOOST_TEST(view["pages_without_text"] == nlohmann::json::array({7}));
  // A record of a document without such pages stores nothing and shows empty lists.
  auto plain = core::decode_document_info(core::encode_document_info(sample_info()));
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(plain->ocr_pages.empty());
  BOOST_TEST(plain->pages_without_text.empty());
  BOOST_TEST(plain->ocr_pages_skipped == 0);
  BOOST_TEST(core::document_info_to_json(sample_info())["ocr_pages"] == nlohmann::json::array());
}

BOOST_AUTO_TEST_CASE(document_info_keeps_raw_path_bytes) {
  auto decoded = core::decode_document_info(core::encode_document_info(sample_info()));
  BOOST_REQUIRE(decoded.ok());
  BOOST_REQUIRE_EQUAL(decoded->files.size(), 2U);
  const std::string expected("copies/caf\xE9\nname.pdf");
  BOOST_TEST(decoded->files[1].path == expected);
  BOOST_TEST(decoded->files[1].path.size() == expected.size());
}

BOOST_AUTO_TEST_CASE(document_info_without_sidecar) {
  DocumentInfo info = sample_info();
  info.sidecar.reset();
  info.metadata = DocumentMetadata{};
  auto decoded = core::decode_document_info(core::encode_document_info(info));
  BOOST_REQUIRE(decoded.ok());
  BOOST_TEST(!decoded->sidecar.has_value());
  BOOST_TEST((decoded->metadata == DocumentMetadata{}));
}

BOOST_AUTO_TEST_CASE(garbage_document_record_is_an_error) {
  auto decoded = core::decode_document_info("not a record");
  BOOST_REQUIRE(!decoded.ok());
  BOOST_TEST(static_cast<int>(decoded.error().code) == static_cast<int>(ErrorCode::kIndexUnavailable));
  BOOST_TEST(decoded.error().message.rfind("unreadable document record: ", 0) == 0U, decoded.error().message);
}

BOOST_AUTO_TEST_CASE(page_info_round_trip) {
  const PageInfo page{7, "iv", "Page text\n\nwith a blank line and caf\xC3\xA9", {"A heading"}};
  auto decoded = core::decode_page_info(core::encode_page_info(page));
  BOOST_REQUIRE(decoded.ok());
  BOOST_TEST(decoded->number == 7);
  BOOST_TEST(decoded->label == "iv");
  BOOST_TEST(decoded->text == page.text);
  BOOST_TEST(decoded->headings == page.headings, boost::test_tools::per_element());
  BOOST_TEST(!decoded->ocr);
  PageInfo scanned{3, "3", "Text read by OCR", {}};
  scanned.ocr = true;
  auto read_back = core::decode_page_info(core::encode_page_info(scanned));
  BOOST_REQUIRE(read_back.ok());
  BOOST_TEST(read_back->ocr);
}

// The page record's bytes (CBOR, keys in sorted order) are fixed: indexes written before
// the server read them with its own reader must still read.
BOOST_AUTO_TEST_CASE(page_record_bytes) {
  const PageInfo page{4, "iv", "Hello", {"Intro"}};
  const std::string bytes = "\xA4" "\x61h" "\x81\x65Intro" "\x65label" "\x62iv" "\x61n" "\x04" "\x64text" "\x65Hello";
  BOOST_TEST(core::encode_page_info(page) == bytes);
  auto decoded = core::decode_page_info(bytes);
  BOOST_REQUIRE_MESSAGE(decoded.ok(), error_of(decoded));
  BOOST_TEST(decoded->number == 4);
  BOOST_TEST(decoded->label == "iv");
  BOOST_TEST(decoded->text == "Hello");
  BOOST_TEST(decoded->headings == std::vector<std::string>{"Intro"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(page_record_round_trip_with_long_fields) {
  // Lengths and numbers past one byte: 2-, 4-byte heads; no headings at all.
  const PageInfo page{70000, "xlii", std::string(300, 'a') + "\n" + std::string(70000, 'b'), {}};
  auto decoded = core::decode_page_info(core::encode_page_info(page));
  BOOST_REQUIRE_MESSAGE(decoded.ok(), error_of(decoded));
  BOOST_TEST(decoded->number == 70000);
  BOOST_TEST(decoded->label == "xlii");
  BOOST_TEST(decoded->text.size() == 70301U);
  BOOST_TEST(decoded->text == page.text);
  BOOST_TEST(decoded->headings.empty());
}

BOOST_AUTO_TEST_CASE(page_record_errors_say_what_is_wrong) {
  auto message = [](std::string_view bytes) {
    auto decoded = core::decode_page_info(bytes);
    return decoded.ok() ? std::string("ok") : decoded.error().message;
  };
  const std::string good = core::encode_page_info(PageInfo{4, "iv", "Hello", {"Intro"}});
  BOOST_TEST(message(good.substr(0, good.size() - 1)) == "unreadable page record: the record ends early");
  BOOST_TEST(message(good + "x") == "unreadable page record: bytes after the record");
  BOOST_TEST(message("\xA1\x61x\x01") == "unreadable page record: unknown field 'x'");
  BOOST_TEST(message("\xA1\x61n\x61" "4") == "unreadable page record: unexpected item type 3");
  BOOST_TEST(message("\xA1\x61n\x04") == "unreadable page record: a field is missing");
  BOOST_TEST(message("\xA1\x61h\x9F") == "unreadable page record: unsupported item length");
  BOOST_TEST(message("\xA1\x61h\x98\x10") == "unreadable page record: more headings than bytes");
  BOOST_TEST(message(std::string_view("\xA1\x61n\x1A\x80\x00\x00\x00", 8)) == "unreadable page record: page number out of range");
  BOOST_TEST(message("[]") == "unreadable page record: unexpected item type 2");
}

BOOST_AUTO_TEST_CASE(heading_words_weigh_more_than_body_words) {
  const PageInfo page{1, "1", "Night rota\nThe rota names two staff.", {"Night rota"}};
  Xapian::Document record = core::make_page_record("doc-1", "en", page);
  auto wdf = [&](const std::string& term) {
    auto it = record.termlist_begin();
    it.skip_to(term);
    return it != record.termlist_end() && *it == term ? it.get_wdf() : 0U;
  };
  BOOST_TEST(wdf("night") == 3U);  // once in the text, twice more as a heading
  BOOST_TEST(wdf("rota") == 4U);
  BOOST_TEST(wdf("staff") == 1U);
}

BOOST_AUTO_TEST_CASE(garbage_page_record_is_an_error) {
  auto decoded = core::decode_page_info("");
  BOOST_REQUIRE(!decoded.ok());
  BOOST_TEST(static_cast<int>(decoded.error().code) == static_cast<int>(ErrorCode::kIndexUnavailable));
  BOOST_TEST(decoded.error().message.rfind("unreadable page record: ", 0) == 0U, decoded.error().message);
}

BOOST_AUTO_TEST_CASE(page_record_terms_and_values) {
  const PageInfo page{2, "2", "Survivors described debt bondage", {}};
  Xapian::Document record = core::make_page_record("doc-1", "en", page);
  const std::set<std::string> expected{"XKpage",    "Qdoc-1/2",  "XPdoc-1",   "XLen",     "XApublic",
                                       "survivors", "Zsurvivor", "described", "Zdescrib", "debt",
                                       "Zdebt",     "bondage",   "Zbondag"};
  BOOST_TEST(terms_of(record) == expected, boost::test_tools::per_element());
  BOOST_TEST(record.get_value(layout::slot::kPageNumber) == Xapian::sortable_serialise(2));
  BOOST_TEST(record.get_value(layout::slot::kParent) == "doc-1");
  // Positions are the page's words' places, which the document record keeps.
  Xapian::Document words = core::page_words("en", page);
  BOOST_TEST(positions_of(words, "survivors") == std::vector<Xapian::termpos>{1},
             boost::test_tools::per_element());
  BOOST_TEST(positions_of(words, "debt") == std::vector<Xapian::termpos>{3},
             boost::test_tools::per_element());
  BOOST_TEST(positions_of(record, "debt").empty());
  auto data = core::decode_page_info(record.get_data());
  BOOST_REQUIRE(data.ok());
  BOOST_TEST(data->number == 2);
  BOOST_TEST(data->label == "2");
  BOOST_TEST(data->text == page.text);
}

BOOST_AUTO_TEST_CASE(page_record_is_stemmed_by_language) {
  Xapian::Document french = core::make_page_record("doc-fr", "fr-CA", PageInfo{1, "1", "travailleurs", {}});
  std::set<std::string> terms = terms_of(french);
  BOOST_TEST(terms.count("XLfr") == 1U);
  BOOST_TEST(terms.count("Z" + Xapian::Stem("french")("travailleurs")) == 1U);
}

BOOST_AUTO_TEST_CASE(document_record_terms_and_values) {
  core::DocumentRecordBuilder builder("doc-1", "en");
  builder.add_page(1, core::page_words("en", {1, "", "First page about fishing vessels.", {}}));
  builder.add_page(2, core::page_words("en", {2, "", "Second page about recruitment fees.", {}}));
  Xapian::Document record = builder.finish(record_metadata());
  std::set<std::string> terms = terms_of(record);
  for (const char* term : {"XKdoc", "Qdoc-1", "XLen", "XCgb", "Y2021", "XTsupply-chains", "XTprevention",
                           "XEforced-labour", "XYreport", "Sforced", "Slabour", "Sreview", "XOharbour",
                           "XOlight", "fishing", "recruitment", "forced"}) {
    BOOST_TEST(terms.count(term) == 1U, term);
  }
  BOOST_TEST(terms.count("XCGB") == 0U);
  BOOST_TEST(terms.count("XKpage") == 0U);
  BOOST_TEST(record.get_value(layout::slot::kYear) == Xapian::sortable_serialise(2021));
  BOOST_TEST(record.get_value(layout::slot::kDate) == "20210300");
  BOOST_TEST(record.get_value(layout::slot::kCountries) == "GB");
  BOOST_TEST(record.get_value(layout::slot::kThemes) == "prevention\x1fsupply-chains");
  BOOST_TEST(record.get_value(layout::slot::kExploitation) == "forced-labour");
  BOOST_TEST(record.get_value(layout::slot::kType) == "report");
  BOOST_TEST(record.get_value(layout::slot::kOrganisations) == "Harbour Light");
  BOOST_TEST(record.get_value(layout::slot::kLanguage) == "en");
  BOOST_TEST(record.get_value(layout::slot::kTitleSort) == "forced labour review");
}

BOOST_AUTO_TEST_CASE(each_page_has_its_own_range_of_positions_in_the_document_record) {
  core::DocumentRecordBuilder builder("doc-1", "en");
  builder.add_page(1, core::page_words("en", {1, "", "ends with debt", {}}));
  builder.add_page(2, core::page_words("en", {2, "", "bondage starts the next page", {"Debt"}}));
  DocumentMetadata metadata;
  metadata.title = "Debt bondage";
  Xapian::Document record = builder.finish(metadata);
  const Xapian::termpos page = layout::kPagePositions;
  // Page 1: "debt" third; page 2: its heading after a gap; the title (as text) in the
  // range of page 0.
  auto debt = positions_of(record, "debt");
  BOOST_REQUIRE_EQUAL(debt.size(), 3U);
  BOOST_TEST(layout::page_of_position(debt[0]) == 0);
  BOOST_TEST(debt[1] == page + 3);
  BOOST_TEST(layout::page_of_position(debt[2]) == 2);
  BOOST_TEST(positions_of(record, "bondage").at(1) == 2 * page + 1);
  // Weights: once on page 1, twice more as page 2's heading, 5 for the title.
  auto term = record.termlist_begin();
  term.skip_to("debt");
  BOOST_TEST(term.get_wdf() == 1U + 2U + 5U);
}

BOOST_AUTO_TEST_CASE(a_page_record_has_words_and_weights_without_positions) {
  Xapian::Document record = core::make_page_record("doc-1", "en", {3, "iii", "debt and more debt", {}});
  auto term = record.termlist_begin();
  term.skip_to("debt");
  BOOST_REQUIRE(*term == "debt");
  BOOST_TEST(term.get_wdf() == 2U);
  BOOST_TEST(term.positionlist_count() == 0U);
}

BOOST_AUTO_TEST_CASE(document_record_without_date_has_no_year) {
  core::DocumentRecordBuilder builder("doc-2", "pt-BR");
  Xapian::Document record = builder.finish(DocumentMetadata{});
  std::set<std::string> terms = terms_of(record);
  BOOST_TEST(terms == (std::set<std::string>{"XKdoc", "Qdoc-2", "XLpt", "XApublic"}),
             boost::test_tools::per_element());
  BOOST_TEST(record.get_value(layout::slot::kYear) == "");
  BOOST_TEST(record.get_value(layout::slot::kDate) == "");
  BOOST_TEST(record.get_value(layout::slot::kLanguage) == "pt");
}

// The access level and groups are terms of the document record and of every page record, so
// that a filter inside the match (on a remote shard too) can keep them from a caller.
BOOST_AUTO_TEST_CASE(access_terms_are_on_the_document_and_its_pages) {
  DocumentMetadata metadata;
  metadata.access = {core::AccessLevel::kRestricted, {"steering-group", "legal"}};
  core::DocumentRecordBuilder builder("doc-3", "en");
  std::set<std::string> terms = terms_of(builder.finish(metadata));
  for (const char* term : {"XArestricted", "XRsteering-group", "XRlegal"})
    BOOST_TEST(terms.count(term) == 1U, term);
  BOOST_TEST(terms.count("XApublic") == 0U);
  std::set<std::string> page =
      terms_of(core::make_page_record("doc-3", "en", {1, "1", "minutes", {}}, metadata.access));
  BOOST_TEST(page == (std::set<std::string>{"XKpage", "Qdoc-3/1", "XPdoc-3", "XLen", "XArestricted",
                                            "XRsteering-group", "XRlegal", "minutes", "Zminut"}),
             boost::test_tools::per_element());
  core::DocumentAccess members{core::AccessLevel::kMembers, {}};
  BOOST_TEST(terms_of(core::make_page_record("doc-4", "en", {1, "1", "x", {}}, members)).count("XAmembers") ==
             1U);
}

// A catalogue record holds the brief summary's words and facets, the access terms, and as
// data the brief summary: nothing of the text, the other metadata fields or the groups.
BOOST_AUTO_TEST_CASE(catalogue_record_holds_the_brief_summary_only) {
  DocumentInfo info = sample_info();
  info.id = "doc-5";
  info.language = "fr";
  info.language_detected = true;  // guessed from the text: not the catalogue's to say
  info.metadata = record_metadata();
  info.metadata.summary = "Minutes of the harbour meeting.";
  info.metadata.keywords = {"quillon"};
  info.metadata.authors = {{"Vesper", "Ada"}};
  info.metadata.access = {core::AccessLevel::kRestricted, {"steering-group"}, core::Catalogue::kListed};
  Xapian::Document record = core::make_catalogue_record(info);
  std::set<std::string> terms = terms_of(record);
  for (const char* term :
       {"XKcat", "XQdoc-5", "XArestricted", "XRsteering-group", "XLen", "XCgb", "Y2021", "XTsupply-chains",
        "XYreport", "XGharbour light", "Sforced", "XOharbour", "harbour", "minutes"}) {
    BOOST_TEST(terms.count(term) == 1U, term);
  }
  for (const char* term : {"XKdoc", "Qdoc-5", "XPdoc-5", "XEforced-labour", "quillon", "vesper", "Avesper"})
    BOOST_TEST(terms.count(term) == 0U, term);
  BOOST_TEST(record.get_value(layout::slot::kParent) == "doc-5");
  BOOST_TEST(record.get_value(layout::slot::kCountries) == "GB");
  BOOST_TEST(record.get_value(layout::slot::kExploitation) == "");
  auto brief = core::decode_document_info(record.get_data());
  BOOST_REQUIRE_MESSAGE(brief.ok(), error_of(brief));
  BOOST_TEST(brief->catalogue);
  BOOST_TEST(brief->files.empty());
  BOOST_TEST(brief->sha256 == "");
  BOOST_TEST(brief->page_count == 0);
  nlohmann::json shown = core::document_info_to_json(*brief);
  BOOST_TEST(shown == nlohmann::json::parse(R"({
      "id": "doc-5", "readable": false, "access": "restricted", "title": "Forced Labour Review",
      "summary": "Minutes of the harbour meeting.", "organisations": ["Harbour Light"], "date": "2021-03",
      "type": "report", "countries": ["GB"], "themes": ["supply-chains", "prevention"], "year": 2021})"),
             shown.dump());
  // A document's own record says who may read it, and that it may.
  nlohmann::json full = core::document_info_to_json(info);
  BOOST_TEST(full["readable"] == true);
  BOOST_TEST(full["access"] == "restricted");
  BOOST_TEST(full["groups"] == nlohmann::json::array({"steering-group"}));
  BOOST_TEST(full["catalogue"] == "listed");
}

BOOST_AUTO_TEST_SUITE_END()
