// Tests of search-server/api/page_filter.hpp: the page records of a set of documents, from
// docids kept in memory and from parent terms, match the same records.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_layout.hpp"
#include "page_filter.hpp"
#include "temp_dir.hpp"

namespace {

namespace layout = evidence::core::layout;
using evidence::server::DocidList;
using evidence::server::PageDirectory;

// Documents "a" (pages at docids 1-3), "b" (4-5) and "c" (7, 9), with a document-like
// record between them (6, 8) and the word "harbour" on docids 2, 4, 6, 7 and 9.
void build(const std::filesystem::path& path) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  auto add = [&](const std::string& parent, bool harbour) {
    Xapian::Document record;
    if (!parent.empty()) record.add_boolean_term(layout::parent_term(parent));
    if (harbour) record.add_term("harbour");
    record.add_term("every");
    db.add_document(record);
  };
  add("a", false);
  add("a", true);
  add("a", false);
  add("b", true);
  add("b", false);
  add("", true);
  add("c", true);
  add("", false);
  add("c", true);
  db.commit();
}

std::vector<Xapian::docid> matches(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  std::vector<Xapian::docid> docids;
  for (auto it = mset.begin(); it != mset.end(); ++it) docids.push_back(*it);
  return docids;
}

using Docids = std::vector<Xapian::docid>;

}  // namespace

BOOST_AUTO_TEST_SUITE(page_filter)

BOOST_AUTO_TEST_CASE(pages_of_documents_from_memory_and_from_parent_terms) {
  evidence::testing::TempDir dir;
  build(dir.path() / "index");
  Xapian::Database db((dir.path() / "index").string());
  PageDirectory directory;
  for (bool in_memory : {true, false}) {
    BOOST_TEST_CONTEXT("in memory: " << in_memory) {
      BOOST_TEST(matches(db, directory.pages_of(db, {"a"}, in_memory)) == (Docids{1, 2, 3}));
      BOOST_TEST(matches(db, directory.pages_of(db, {"c", "a"}, in_memory)) == (Docids{1, 2, 3, 7, 9}));
      BOOST_TEST(matches(db, directory.pages_of(db, {"b", "c", "b"}, in_memory)) == (Docids{4, 5, 7, 9}));
      BOOST_TEST(matches(db, directory.pages_of(db, {"unknown"}, in_memory)).empty());
      // As a filter: the matcher moves through it with skip_to.
      Xapian::Query harbour_pages(Xapian::Query::OP_FILTER, Xapian::Query("harbour"),
                                  directory.pages_of(db, {"a", "c"}, in_memory));
      BOOST_TEST(matches(db, harbour_pages) == (Docids{2, 7, 9}));
      Xapian::Query and_not(Xapian::Query::OP_AND_NOT, Xapian::Query("every"),
                            directory.pages_of(db, {"a", "b", "c"}, in_memory));
      BOOST_TEST(matches(db, and_not) == (Docids{6, 8}));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_full_directory_starts_again) {
  evidence::testing::TempDir dir;
  build(dir.path() / "index");
  Xapian::Database db((dir.path() / "index").string());
  PageDirectory directory(4);  // starts again once it holds 4 docids
  BOOST_TEST(matches(db, directory.pages_of(db, {"a"}, true)) == (Docids{1, 2, 3}));
  BOOST_TEST(matches(db, directory.pages_of(db, {"a", "b"}, true)) == (Docids{1, 2, 3, 4, 5}));  // 5 held now
  BOOST_TEST(matches(db, directory.pages_of(db, {"c", "b"}, true)) == (Docids{4, 5, 7, 9}));   // read again
  BOOST_TEST(matches(db, directory.pages_of(db, {"a", "c"}, true)) == (Docids{1, 2, 3, 7, 9}));
}

BOOST_AUTO_TEST_CASE(docid_list_walks_and_skips) {
  evidence::testing::TempDir dir;
  build(dir.path() / "index");
  Xapian::Database db((dir.path() / "index").string());
  DocidList list(std::make_shared<const Docids>(Docids{2, 4, 7, 9}));
  list.init(db);
  BOOST_TEST(list.get_termfreq_est() == 4U);
  BOOST_TEST(!list.at_end());
  list.next(0);
  BOOST_TEST(list.get_docid() == 2U);
  list.skip_to(2, 0);  // already there: stays
  BOOST_TEST(list.get_docid() == 2U);
  list.skip_to(5, 0);
  BOOST_TEST(list.get_docid() == 7U);
  list.skip_to(3, 0);  // never backwards
  BOOST_TEST(list.get_docid() == 7U);
  list.next(0);
  BOOST_TEST(list.get_docid() == 9U);
  list.skip_to(10, 0);
  BOOST_TEST(list.at_end());

  // A clone starts again from the beginning; skip_to may come before any next().
  std::unique_ptr<Xapian::PostingSource> clone(list.clone());
  clone->init(db);
  clone->skip_to(4, 0);
  BOOST_TEST(clone->get_docid() == 4U);

  DocidList empty(std::make_shared<const Docids>());
  empty.init(db);
  empty.next(0);
  BOOST_TEST(empty.at_end());
}

BOOST_AUTO_TEST_SUITE_END()
