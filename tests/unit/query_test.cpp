// Tests of common/query.hpp: that the queries it sets up find the right records, per
// language, with the fallbacks and bounds it promises.

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_layout.hpp"
#include "query.hpp"
#include "record_samples.hpp"
#include "records.hpp"
#include "temp_dir.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using core::DocumentInfo;
using core::ErrorCode;
using core::PageInfo;
using evidence::testing::error_of;
using evidence::testing::record_metadata;

// A document record of one page of text, in a language.
void add_one_page_record(Xapian::WritableDatabase& db, const std::string& id, const std::string& language,
                         const std::string& text) {
  core::DocumentRecordBuilder builder(id, language);
  builder.add_page(1, core::page_words(language, PageInfo{1, "1", text, {}}));
  db.replace_document(layout::document_id_term(id), builder.finish(record_metadata()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(query)

BOOST_AUTO_TEST_CASE(query_finds_the_page_with_the_word) {
  evidence::testing::TempDir dir;
  const std::string path = (dir / "index").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    core::DocumentRecordBuilder builder("doc-1", "en");
    const PageInfo page1{1, "i", "The fishing fleet sailed at dawn.", {}};
    const PageInfo page2{2, "ii", "Crew members described kittiwakes nesting on the cliffs.", {}};
    builder.add_page(1, core::page_words("en", page1));
    builder.add_page(2, core::page_words("en", page2));
    Xapian::Document document = builder.finish(record_metadata());
    DocumentInfo info;
    info.id = "doc-1";
    info.page_count = 2;
    info.language = "en";
    document.set_data(core::encode_document_info(info));
    db.replace_document(layout::document_id_term("doc-1"), document);
    db.replace_document(layout::page_id_term("doc-1", 1), core::make_page_record("doc-1", "en", page1));
    db.replace_document(layout::page_id_term("doc-1", 2), core::make_page_record("doc-1", "en", page2));
    db.commit();
  }
  Xapian::Database db(path);
  core::QueryBuilder builder(db);

  auto find_pages = [&](const std::string& text) {
    auto parsed = builder.parse(text);
    BOOST_REQUIRE_MESSAGE(parsed.ok(), error_of(parsed));
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, parsed->query, Xapian::Query(layout::kPageKindTerm)));
    std::vector<int> pages;
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto page = core::decode_page_info(it.get_document().get_data());
      BOOST_REQUIRE(page.ok());
      pages.push_back(page->number);
    }
    return pages;
  };

  BOOST_TEST(find_pages("kittiwake") == std::vector<int>{2}, boost::test_tools::per_element());  // stemmed
  BOOST_TEST(find_pages("Kittiwakes") == std::vector<int>{2}, boost::test_tools::per_element());
  BOOST_TEST(find_pages("fishing fleet") == std::vector<int>{1}, boost::test_tools::per_element());
  BOOST_TEST(find_pages("fleet kittiwakes").empty());  // AND by default, and the words are on two pages

  // The same query finds the document record, which has every page's text.
  auto parsed = builder.parse("kittiwake");
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(!parsed->terms.empty());
  Xapian::Enquire enquire(db);
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, parsed->query, Xapian::Query(layout::kDocumentKindTerm)));
  Xapian::MSet mset = enquire.get_mset(0, 10);
  BOOST_REQUIRE_EQUAL(mset.size(), 1U);
  BOOST_TEST(mset.begin().get_document().get_value(layout::slot::kTitleSort) == "forced labour review");
  // Phrases match the document record, which keeps the positions (a phrase's pages are
  // read off them: search-server/api/page_phrases.hpp).
  auto documents = [&](const std::string& text) {
    auto phrase = builder.parse(text);
    BOOST_REQUIRE(phrase.ok());
    Xapian::Enquire records(db);
    records.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, phrase->query, Xapian::Query(layout::kDocumentKindTerm)));
    return records.get_mset(0, 10).size();
  };
  BOOST_TEST(documents("\"fishing fleet\"") == 1U);
  BOOST_TEST(documents("\"fleet fishing\"") == 0U);
  BOOST_TEST(documents("\"dawn crew\"") == 0U);  // the end of page 1 and the start of page 2

  // Boolean filters use the facet terms.
  BOOST_TEST(find_pages("kittiwake country:gb").empty());  // the country term is on the document record only
  auto by_country = builder.parse("kittiwake country:gb");
  BOOST_REQUIRE(by_country.ok());
  enquire.set_query(by_country->query);
  BOOST_TEST(enquire.get_mset(0, 10).size() == 1U);
}

// Each language's records are searched with its own stemmer; languages whose stemmers make
// the same query of the text share one query, without language terms when all do.
BOOST_AUTO_TEST_CASE(query_stems_per_language_and_shares_what_agrees) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  add_one_page_record(db, "en-nation", "en", "A nation of horses.");
  add_one_page_record(db, "fr-nation", "fr", "Une nation.");
  add_one_page_record(db, "fr-chevaux", "fr", "Les chevaux nationaux.");
  core::QueryBuilder builder(db);
  BOOST_TEST((core::QueryBuilder::index_languages(db) == std::vector<std::string>{"en", "fr"}));

  auto found = [&](const std::string& text) {
    auto parsed = builder.parse(text);
    BOOST_REQUIRE_MESSAGE(parsed.ok(), error_of(parsed));
    Xapian::Enquire enquire(db);
    enquire.set_query(parsed->query);
    std::set<std::string> ids;
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      for (auto term = it.get_document().termlist_begin(); term != it.get_document().termlist_end(); ++term) {
        if ((*term).rfind(layout::prefix::kId, 0) == 0) ids.insert((*term).substr(1));
      }
    }
    return std::pair{ids, parsed->query.get_description()};
  };
  // English stems "national" to "nation", French to "national": two queries, each kept to
  // its language, so the French "nation" is not found through the English stem.
  auto [national, national_query] = found("national");
  BOOST_TEST((national == std::set<std::string>{"en-nation", "fr-chevaux"}));
  BOOST_TEST(national_query.find("XLfr") != std::string::npos, national_query);
  // Both stem "cheval" alike: one query for both languages, no language terms.
  auto [cheval, cheval_query] = found("cheval");
  BOOST_TEST((cheval == std::set<std::string>{"fr-chevaux"}));
  BOOST_TEST(cheval_query.find("XL") == std::string::npos, cheval_query);
  // The same with the languages read beforehand.
  core::QueryBuilder given(db, core::QueryBuilder::index_languages(db));
  BOOST_TEST(given.parse("national")->query.get_description() == national_query);
}

// Pages of known documents are matched with their languages' queries only: fewer posting
// lists, the same pages.
BOOST_AUTO_TEST_CASE(query_for_some_languages_keeps_only_their_groups) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  add_one_page_record(db, "en-nation", "en", "A nation of horses.");
  add_one_page_record(db, "fr-nation", "fr", "Une nation.");
  add_one_page_record(db, "fr-chevaux", "fr", "Les chevaux nationaux.");
  add_one_page_record(db, "de-nation", "de", "Eine national Nation.");
  core::QueryBuilder builder(db);
  auto parsed = builder.parse("national");
  BOOST_REQUIRE_MESSAGE(parsed.ok(), error_of(parsed));
  // English stems "national" to "nation"; French and German leave it: two groups.
  BOOST_REQUIRE_EQUAL(parsed->groups.size(), 2U);
  BOOST_TEST((parsed->groups[0].languages == std::vector<std::string>{"de", "fr"}));
  BOOST_TEST((parsed->groups[1].languages == std::vector<std::string>{"en"}));
  auto ids = [&](const Xapian::Query& query, const std::string& language) {
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(layout::language_term(language))));
    std::set<std::string> found;
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it)
      found.insert(it.get_document().get_value(layout::slot::kParent));
    return found;
  };
  // One group: its query alone, no language term; the records of its languages that the
  // whole query finds, and no others.
  for (const auto& languages : {std::vector<std::string>{"en"}, std::vector<std::string>{"fr"},
                                std::vector<std::string>{"fr", "de"}}) {
    Xapian::Query query = parsed->for_languages(languages);
    BOOST_TEST(query.get_description().find("XL") == std::string::npos, query.get_description());
    for (const auto& language : languages) BOOST_TEST(ids(query, language) == ids(parsed->query, language));
  }
  BOOST_TEST((ids(parsed->for_languages({"en"}), "en") == std::set<std::string>{"en-nation"}));
  BOOST_TEST((ids(parsed->for_languages({"fr"}), "fr") == std::set<std::string>{"fr-chevaux"}));
  // Two groups: each kept to the languages asked for ("XLde" is not).
  Xapian::Query two = parsed->for_languages({"en", "fr", "en"});
  std::string description = two.get_description();
  BOOST_TEST(description.find("XLen") != std::string::npos, description);
  BOOST_TEST(description.find("XLfr") != std::string::npos, description);
  BOOST_TEST(description.find("XLde") == std::string::npos, description);
  for (const char* language : {"en", "fr"}) BOOST_TEST(ids(two, language) == ids(parsed->query, language));
  // All languages: the whole query; a language the index does not have: the whole query.
  BOOST_TEST(parsed->for_languages({"en", "fr", "de"}).get_description() == parsed->query.get_description());
  BOOST_TEST(parsed->for_languages({"fr", "it"}).get_description() == parsed->query.get_description());
  BOOST_TEST(parsed->for_languages({}).get_description() == parsed->query.get_description());
  // Any word of the query, without its filters: each language's own stems.
  auto filtered = builder.parse("national lang:fr");
  BOOST_REQUIRE_MESSAGE(filtered.ok(), error_of(filtered));
  BOOST_TEST(filtered->any_word({"en"}).get_description() == "Query(Znation)");
  BOOST_TEST(filtered->any_word({"fr"}).get_description() == "Query(Znational)");
  BOOST_TEST(filtered->any_word({"en", "fr"}).get_description() == "Query((Znation OR Znational))");
  BOOST_TEST(builder.parse("lang:fr")->any_word({"fr"}).empty());
}

BOOST_AUTO_TEST_CASE(query_rejects_empty_text) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  core::QueryBuilder builder(db);
  for (const char* text : {"", "   ", "\n\t"}) {
    auto parsed = builder.parse(text);
    BOOST_REQUIRE(!parsed.ok());
    BOOST_TEST(static_cast<int>(parsed.error().code) == static_cast<int>(ErrorCode::kInvalidArgument));
    BOOST_TEST(parsed.error().message == "the query is empty");
  }
}

// A query whose operators do not fit is searched as plain words with a notice that quotes
// the syntax error; syntax "" means the query is parsed as written, without a notice.
struct Fallback {
  const char* text;
  std::string syntax;
};

void check_fallbacks(const std::vector<Fallback>& cases) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  core::QueryBuilder builder(db);
  for (const Fallback& c : cases) {
    auto parsed = builder.parse(c.text);
    BOOST_REQUIRE_MESSAGE(parsed.ok(), c.text);
    if (c.syntax.empty()) {
      BOOST_TEST(parsed->notice.empty(), c.text << ": " << parsed->notice);
    } else {
      BOOST_TEST(parsed->notice == "the query's operators do not fit together (Syntax: " + c.syntax +
                                       "); its words were searched as plain words",
                 c.text);
    }
  }
}

std::string near_after(const std::string& what) { return what + ": NEAR/n and ADJ/n go between two words"; }
std::string binary(const std::string& op) { return "<expression> " + op + " <expression>"; }

// Xapian 1.4 fails on an operator before NEAR/n or ADJ/n and leaks (the asan preset checks
// leaks): such queries never reach its parser, and fall back to plain words like any other
// misplaced operator, saying where.
BOOST_AUTO_TEST_CASE(operator_before_near_falls_back_to_plain_words) {
  check_fallbacks({{"shelter OR NEAR/9 grants", near_after("NEAR/9 cannot follow OR")},
                   {"shelter or near/9", near_after("near/9 cannot follow or")},
                   {"a AND ADJ/2 b", near_after("ADJ/2 cannot follow AND")},
                   {"NOT NEAR/2 b", near_after("NEAR/2 cannot follow NOT")},
                   {"a AND NOT NEAR/2 b", near_after("NEAR/2 cannot follow NOT")},
                   {"a XOR NEAR/3) b", near_after("NEAR/3 cannot follow XOR")},
                   // Xapian's lexer skips punctuation between words: found by fuzz_query.
                   {"a,OR ,NEAR/9 b", near_after("NEAR/9 cannot follow OR")},
                   {"a\u2014OR NEAR/9 b", near_after("NEAR/9 cannot follow OR")},
                   {"a OR* NEAR/9", near_after("NEAR/9 cannot follow OR")},
                   {"a OR:ADJ/12", near_after("ADJ/12 cannot follow OR")},
                   {"a NEAR/2 b", ""},
                   {"a OR (NEAR/3 b)", ""},
                   {"\"a OR NEAR/9\"", ""},
                   {"a OR NEAR/x", ""},
                   {"a OR NEARx/9", ""},
                   {"a_OR NEAR/9 b", ""},
                   {"a ORNEAR/9", ""},
                   {"color NEAR/3 red", ""}});
}

// Xapian 1.4 leaks on some queries that begin with a binary operator ("AND T`d NEAR c l",
// found by fuzz_query); a query that begins or ends with one falls back to plain words with
// Xapian's own message before Xapian sees it with operators on.
BOOST_AUTO_TEST_CASE(operator_at_either_end_falls_back_to_plain_words) {
  check_fallbacks({{"AND T`d NEAR c l", binary("AND")},
                   {"and\uFFFDT`d NEAR c l", binary("AND")},
                   {"  or shelter", binary("OR")},
                   {"(XOR a b)", binary("XOR")},
                   {"shelter AND", binary("AND")},
                   {"shelter or ", binary("OR")},
                   {"shelter NOT", binary("NOT")},
                   {"shelter AND NOT", binary("AND NOT")},
                   {"shelter, and not.", binary("AND NOT")},
                   {"NOT shelter", ""},
                   {"\"and so on\" shelter", ""},
                   {"shelter \"this and that\"", ""},
                   {"andrew orwell", ""},
                   {"shelter AND grants", ""}});
}

// The parser takes a query as the thesaurus widened it: longer than what a user may send
// (kMaxQueryLength, which the server checks on what was sent), and bounded all the same.
BOOST_AUTO_TEST_CASE(query_rejects_over_long_text) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  core::QueryBuilder builder(db);
  std::string text;
  while (text.size() < core::kMaxExpandedQueryLength) text += "word ";
  BOOST_REQUIRE_EQUAL(text.size(), 4000U);
  BOOST_TEST(builder.parse(text).ok());
  text += "x";
  auto parsed = builder.parse(text);
  BOOST_REQUIRE(!parsed.ok());
  BOOST_TEST(static_cast<int>(parsed.error().code) == static_cast<int>(ErrorCode::kInvalidArgument));
  BOOST_TEST(parsed.error().message == "the query is too long to search (4001 bytes; at most 4000)");
}

namespace {

// An index in two languages (two groups of the query) whose words starting with "ab" number
// `ab`, with "ac" `ac`, with "ad" `ad`; each also in titles ("title:ab*").
Xapian::WritableDatabase wildcard_index(int ab, int ac, int ad) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const std::string language : {"en", "fr"}) {
    Xapian::Document document;
    document.add_term(layout::language_term(language));
    document.add_term("shelter");
    for (auto [stem, count] : {std::pair{"ab", ab}, std::pair{"ac", ac}, std::pair{"ad", ad}}) {
      for (int i = 0; i < count; ++i) {
        std::string word = stem + std::to_string(10000 + i);
        document.add_term(word);
        document.add_term(layout::prefix::kTitle + word);
      }
    }
    db.add_document(document);
  }
  db.commit();
  return db;
}

std::string message_of(const core::Result<core::ParsedQuery>& parsed) {
  BOOST_TEST_REQUIRE(!parsed.ok());
  BOOST_TEST(static_cast<int>(parsed.error().code) == static_cast<int>(ErrorCode::kInvalidArgument));
  return parsed.error().message;
}

const std::string kTooManyForOne =
    "' stands for more than 1000 words of the library (the most one wildcard may search): type more letters "
    "before the *";
const std::string kTooManyForAll =
    "the query's wildcards stand for more than 2000 words of the library together (the most one query may "
    "search): use fewer wildcards, or type more letters before each *";

}  // namespace

// Regression: a wildcard stood for every word of the index that starts with it, and
// "a* OR b* OR ... OR z*" made the match open every posting list of the index (seconds, and
// a hundred MB, on 100,000 words).
BOOST_AUTO_TEST_CASE(query_bounds_each_wildcard) {
  auto db = wildcard_index(1001, 1000, 3);
  core::QueryBuilder builder(db);
  BOOST_TEST(builder.parse("ac* shelter").ok());  // exactly the limit
  BOOST_TEST(message_of(builder.parse("ab*")) == "the wildcard 'ab*" + kTooManyForOne);
  BOOST_TEST(message_of(builder.parse("ad* OR shelter OR (title:ab* -x)")) ==
             "the wildcard 'title:ab*" + kTooManyForOne);
  BOOST_TEST(message_of(builder.parse("shelter AND NOT ab*")) == "the wildcard 'ab*" + kTooManyForOne);
  // A phrase holds no wildcards: "ab*" there is a word.
  BOOST_TEST(builder.parse("\"ab* shelter\"").ok());
}

BOOST_AUTO_TEST_CASE(query_bounds_all_its_wildcards_together) {
  auto db = wildcard_index(900, 900, 201);
  core::QueryBuilder builder(db);
  BOOST_TEST(builder.parse("ab* OR ac* OR ad1000*").ok());                       // 900 + 900 + 1
  BOOST_TEST(message_of(builder.parse("ab* OR ac* OR ad*")) == kTooManyForAll);  // 2001 words
  // Each occurrence is expanded on its own, so each counts.
  BOOST_TEST(message_of(builder.parse("ab* ab* ab*")) == kTooManyForAll);
  std::string letters;
  for (char c = 'a'; c <= 'z'; ++c) letters += std::string(letters.empty() ? "" : " OR ") + c + "*";
  BOOST_TEST(message_of(builder.parse(letters)) == "the wildcard 'a*" + kTooManyForOne);
}

// Xapian's own limit holds where the index grew between parsing and matching, and its error
// reads as the parser's.
BOOST_AUTO_TEST_CASE(wildcard_limit_at_match_time_names_the_wildcard) {
  auto db = wildcard_index(1000, 0, 0);
  core::QueryBuilder builder(db);
  auto parsed = builder.parse("title:ab*");
  BOOST_TEST_REQUIRE(parsed.ok());
  Xapian::Document more;
  more.add_term(layout::prefix::kTitle + std::string("ab99999"));
  db.add_document(more);
  db.commit();
  Xapian::Enquire enquire(db);
  enquire.set_query(parsed->query);
  try {
    (void)enquire.get_mset(0, 10);
    BOOST_FAIL("the match expanded more than the limit");
  } catch (const Xapian::WildcardError& e) {
    BOOST_TEST(core::wildcard_error_message(e) == "the wildcard 'title:ab*" + kTooManyForOne);
  }
}

BOOST_AUTO_TEST_SUITE_END()
