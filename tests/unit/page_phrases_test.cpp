// Tests of search-server/api/page_phrases.hpp: the pages a phrase or NEAR stands on, read off
// the document records' positions, against what Xapian's own matcher finds on page records
// that keep their positions.

#include <boost/test/unit_test.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_layout.hpp"
#include "page_phrases.hpp"
#include "query.hpp"
#include "records.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using evidence::server::phrase_pages;
using evidence::server::phrases_on_pages;
using evidence::server::SearchedDocument;
using Pages = std::set<std::string>;  // page id terms

// The same documents twice: as the index keeps them (positions in the document records
// only), and as a reference whose page records keep their own positions.
struct Library {
  Xapian::WritableDatabase index{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::WritableDatabase reference{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<SearchedDocument> documents;

  void add(const std::string& id, const std::string& title, const std::vector<std::string>& pages) {
    core::DocumentRecordBuilder builder(id, "en");
    for (std::size_t i = 0; i < pages.size(); ++i) {
      int number = static_cast<int>(i + 1);
      core::PageInfo page{number, std::to_string(number), pages[i], {}};
      Xapian::Document words = core::page_words("en", page);
      builder.add_page(number, words);
      index.add_document(core::make_page_record(id, "en", page, words));
      words.add_boolean_term(layout::kPageKindTerm);
      words.add_boolean_term(layout::page_id_term(id, number));
      reference.add_document(words);
    }
    core::DocumentMetadata metadata;
    metadata.title = title;
    documents.emplace_back(index.add_document(builder.finish(metadata)), id);
  }

  static Pages pages_matching(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(layout::kPageKindTerm)));
    Pages pages;
    Xapian::MSet mset = enquire.get_mset(0, 10000);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document page = it.get_document();
      auto term = page.termlist_begin();
      term.skip_to("Q");
      pages.insert(*term);
    }
    return pages;
  }

  Xapian::Query parse(const std::string& text) const {
    auto parsed = core::QueryBuilder(index).parse(text);
    BOOST_REQUIRE_MESSAGE(parsed, text);
    return parsed->query;
  }

  Pages found(const std::string& text) {
    return pages_matching(index, phrases_on_pages(index, parse(text), documents));
  }
  Pages expected(const std::string& text) { return pages_matching(reference, parse(text)); }
};

Library fleet_library() {
  Library library;
  library.add("fleet", "Fishing fleet survey", {"Crews paid recruitment fees to brokers.", "Debt followed."});
  library.add("split", "Harbour notes", {"The brokers charged recruitment", "fees were never repaid."});
  library.add("title", "Recruitment fees in ports", {"Nothing about it on this page."});
  library.add("apart", "Fees review", {"Recruitment was slow and fees were high."});
  return library;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page_phrases)

BOOST_AUTO_TEST_CASE(a_phrase_is_on_the_pages_that_hold_it_and_not_across_two) {
  Library library = fleet_library();
  // On page 1 of "fleet"; not on "split"'s (it runs across two), nor in "title"'s title,
  // which is on no page.
  BOOST_TEST((library.found("\"recruitment fees\"") == Pages{"Qfleet/1"}));
  BOOST_TEST((library.found("\"fees recruitment\"") == Pages{}));
  BOOST_TEST((library.found("recruitment NEAR/5 fees") == Pages{"Qfleet/1", "Qapart/1"}));
}

BOOST_AUTO_TEST_CASE(phrases_inside_booleans_keep_their_meaning) {
  Library library = fleet_library();
  BOOST_TEST((library.found("\"recruitment fees\" OR debt") == Pages{"Qfleet/1", "Qfleet/2"}));
  BOOST_TEST((library.found("fees NOT \"recruitment fees\"") == Pages{"Qsplit/2", "Qapart/1"}));
  BOOST_TEST((library.found("brokers AND \"charged recruitment\"") == Pages{"Qsplit/1"}));
}

BOOST_AUTO_TEST_CASE(pages_of_documents_not_searched_are_not_found) {
  Library library = fleet_library();
  auto query = phrases_on_pages(library.index, library.parse("\"recruitment fees\""), {library.documents[1]});
  BOOST_TEST(Library::pages_matching(library.index, query).empty());
}

BOOST_AUTO_TEST_CASE(a_query_without_phrases_is_left_as_it_is) {
  Library library = fleet_library();
  Xapian::Query query = library.parse("recruitment OR debt");
  BOOST_TEST(phrases_on_pages(library.index, query, library.documents).get_description() ==
             query.get_description());
}

BOOST_AUTO_TEST_CASE(windows_in_order_and_in_any_order) {
  const Xapian::termpos page = layout::kPagePositions;
  // "a x b" on page 1, "b a" on page 2.
  std::vector<std::vector<Xapian::termpos>> ab{{page + 1, 2 * page + 2}, {page + 3, 2 * page + 1}};
  BOOST_TEST(phrase_pages(ab, 2, true).empty());
  BOOST_TEST((phrase_pages(ab, 3, true) == std::vector<int>{1}));
  BOOST_TEST((phrase_pages(ab, 2, false) == std::vector<int>{2}));
  BOOST_TEST((phrase_pages(ab, 3, false) == std::vector<int>{1, 2}));
  // The same word twice needs two places.
  std::vector<std::vector<Xapian::termpos>> aa{{page + 1}, {page + 1}};
  BOOST_TEST(phrase_pages(aa, 5, false).empty());
  // Across the end of one page and the start of the next: never.
  std::vector<std::vector<Xapian::termpos>> across{{2 * page - 1}, {2 * page + 1}};
  BOOST_TEST(phrase_pages(across, page * 4, false).empty());
  BOOST_TEST(phrase_pages(across, page * 4, true).empty());
}

// Random pages of a few words, and random phrases, NEAR and ADJ of them: the pages found
// are the pages Xapian's own matcher finds on positioned page records.
BOOST_AUTO_TEST_CASE(the_pages_found_are_those_xapian_finds_on_positioned_pages) {
  std::mt19937 random(20261203);
  const std::vector<std::string> words{"debt", "fees", "crew", "port", "boat", "wage"};
  auto word = [&] { return words[random() % words.size()]; };
  Library library;
  for (int d = 0; d < 12; ++d) {
    std::vector<std::string> pages;
    for (int p = 0; p < 4; ++p) {
      std::string text;
      for (int w = 0; w < 12; ++w) text += word() + " ";
      pages.push_back(text);
    }
    library.add("doc-" + std::to_string(d), "Report " + std::to_string(d), pages);
  }
  int checked = 0;
  for (int q = 0; q < 300; ++q) {
    std::string a = word(), b = word(), c = word();
    int n = 1 + static_cast<int>(random() % 4);
    for (const std::string& text :
         {"\"" + a + " " + b + "\"", "\"" + a + " " + b + " " + c + "\"",
          a + " NEAR/" + std::to_string(n) + " " + b, a + " ADJ/" + std::to_string(n) + " " + b,
          a + " NEAR " + b + " NEAR " + c}) {
      BOOST_TEST_CONTEXT(text) { BOOST_TEST((library.found(text) == library.expected(text))); }
      ++checked;
    }
  }
  BOOST_TEST(checked == 1500);
}

BOOST_AUTO_TEST_SUITE_END()
