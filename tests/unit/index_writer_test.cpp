// Tests of indexer/index_writer.hpp: the writer's operations on a real Xapian database, and
// a failed write: reported at once, every later operation refused, the last committed batch
// kept.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>
#include <thread>

#include <xapian.h>

#include "index_layout.hpp"
#include "index_writer.hpp"
#include "records.hpp"
#include "temp_dir.hpp"

namespace layout = evidence::core::layout;
using evidence::core::DocumentInfo;
using evidence::indexer::IndexWriter;
using evidence::testing::TempDir;

namespace {

DocumentInfo info_of(const std::string& id, const std::string& path) {
  DocumentInfo info;
  info.id = id;
  info.sha256 = std::string(64, id[0]);
  info.page_count = 1;
  info.files = {{path, 100, 1}};
  return info;
}

// A document record as extraction makes it: the id term, its access term and one word.
std::string record_of(const std::string& id, const std::string& word, const std::string& level = "public") {
  Xapian::Document record;
  record.add_boolean_term(layout::kDocumentKindTerm);
  record.add_boolean_term(layout::document_id_term(id));
  record.add_boolean_term(layout::access_term(level));
  record.add_term(word);
  return record.serialise();
}

std::set<std::string> spellings_of(const std::string& path) {
  Xapian::Database db(path);
  return {db.spellings_begin(), db.spellings_end()};
}

std::string page_of(const std::string& id, const std::string& word) {
  Xapian::Document page;
  page.add_boolean_term(layout::kPageKindTerm);
  page.add_boolean_term(layout::parent_term(id));
  page.add_term(word);
  return page.serialise();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_writer)

BOOST_AUTO_TEST_CASE(each_operation_writes_what_it_says) {
  TempDir dir;
  std::string path = (dir / "index").string();
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_CREATE), 2);
    BOOST_TEST(writer.set_schema("5", false));
    BOOST_TEST(writer.set_shard("north"));
    BOOST_TEST(writer.remember_failure("a.pdf", "failure record", {}));
    BOOST_TEST(writer.remember_failure("gone.pdf", "failure record", {}));
    BOOST_TEST(
        writer.add_document(info_of("a", "a.pdf"), record_of("a", "avocet"), {page_of("a", "avocet")}, {}));
    BOOST_TEST(
        writer.add_document(info_of("b", "b.pdf"), record_of("b", "bittern"), {page_of("b", "bittern")}, {}));
    // Added again (a run killed after committing it): replaced, not duplicated.
    BOOST_TEST(
        writer.add_document(info_of("b", "b.pdf"), record_of("b", "bittern"), {page_of("b", "bittern")}, {}));
    BOOST_TEST(writer.add_document(info_of("c", "c.pdf"), record_of("c", "curlew"), {page_of("c", "curlew")},
                                   {"b"}));
    DocumentInfo moved = info_of("a", "moved/a.pdf");
    BOOST_TEST(writer.update_record(moved));
    BOOST_TEST(writer.forget_failure("gone.pdf"));
    BOOST_TEST(!writer.failed());
    BOOST_TEST(writer.finish().ok());
  }
  Xapian::Database db(path);
  BOOST_TEST(db.get_metadata(layout::kSchemaVersionKey) == "5");
  BOOST_TEST(db.get_metadata(layout::kShardKey) == "north");
  BOOST_TEST(
      db.get_metadata(std::string(layout::kFailedFileKeyPrefix) + "a.pdf").empty());  // a.pdf was added
  BOOST_TEST(db.get_metadata(std::string(layout::kFailedFileKeyPrefix) + "gone.pdf").empty());
  BOOST_TEST(db.get_termfreq(layout::kDocumentKindTerm) == 2U);
  BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == 2U);
  BOOST_TEST(db.get_termfreq("bittern") == 0U);  // b was replaced by c
  BOOST_TEST(db.get_termfreq(layout::hash_term(std::string(64, 'c'))) == 1U);
  // b's word went with it: the table holds the words of the records the index holds.
  BOOST_TEST(spellings_of(path) == (std::set<std::string>{"avocet", "curlew"}),
             boost::test_tools::per_element());
  auto posting = db.postlist_begin(layout::document_id_term("a"));
  auto info = evidence::core::decode_document_info(db.get_document(*posting).get_data());
  BOOST_REQUIRE(info.ok());
  BOOST_TEST(info->files.front().path == "moved/a.pdf");
}

BOOST_AUTO_TEST_CASE(a_failed_write_is_reported_at_once_and_the_last_commit_stays) {
  TempDir dir;
  std::string path = (dir / "index").string();
  IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_CREATE), 1);  // a commit per operation
  BOOST_TEST(writer.add_document(info_of("a", "a.pdf"), record_of("a", "avocet"), {}, {}));
  BOOST_TEST(writer.add_document(info_of("b", "b.pdf"), "not a serialised document", {}, {}));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!writer.failed() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Known before finish(), so that a run stops extracting.
  BOOST_TEST(writer.failed());
  BOOST_TEST(!writer.remove_document("a"));
  auto status = writer.finish();
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST(status.error().message.rfind("cannot write the index: ", 0) == 0U, status.error().message);
  Xapian::Database db(path);
  BOOST_TEST(db.get_termfreq(layout::kDocumentKindTerm) == 1U);
  BOOST_TEST(db.get_termfreq("avocet") == 1U);
}

// A listed document that some may not read gets its catalogue record with it; a hidden or
// public one none; replacing or removing the document replaces or removes it too.
BOOST_AUTO_TEST_CASE(a_listed_document_gets_a_catalogue_record_written_and_removed_with_it) {
  using evidence::core::AccessLevel;
  using evidence::core::Catalogue;
  TempDir dir;
  std::string path = (dir / "index").string();
  auto with_access = [](DocumentInfo info, AccessLevel level, Catalogue catalogue) {
    info.metadata.title = "Minutes " + info.id;
    info.metadata.access.level = level;
    if (level == AccessLevel::kRestricted) info.metadata.access.groups = {"board"};
    info.metadata.access.catalogue = catalogue;
    return info;
  };
  auto catalogue_records = [&path] {
    Xapian::Database db(path);
    std::set<std::string> ids;
    for (auto it = db.postlist_begin(layout::kCatalogueKindTerm);
         it != db.postlist_end(layout::kCatalogueKindTerm); ++it)
      ids.insert(db.get_document(*it).get_value(layout::slot::kParent));
    return ids;
  };
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_CREATE), 100);
    BOOST_TEST(
        writer.add_document(with_access(info_of("m", "m.pdf"), AccessLevel::kMembers, Catalogue::kListed),
                            record_of("m", "minutes", "members"), {page_of("m", "minutes")}, {}));
    BOOST_TEST(
        writer.add_document(with_access(info_of("r", "r.pdf"), AccessLevel::kRestricted, Catalogue::kListed),
                            record_of("r", "draft", "restricted"), {}, {}));
    BOOST_TEST(
        writer.add_document(with_access(info_of("h", "h.pdf"), AccessLevel::kRestricted, Catalogue::kHidden),
                            record_of("h", "draft", "restricted"), {}, {}));
    BOOST_TEST(
        writer.add_document(with_access(info_of("p", "p.pdf"), AccessLevel::kPublic, Catalogue::kHidden),
                            record_of("p", "report"), {}, {}));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(catalogue_records() == (std::set<std::string>{"m", "r"}), boost::test_tools::per_element());
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_OPEN), 100);
    // m hidden now (its sidecar changed: added again), r withdrawn.
    BOOST_TEST(
        writer.add_document(with_access(info_of("m", "m.pdf"), AccessLevel::kMembers, Catalogue::kHidden),
                            record_of("m", "minutes", "members"), {page_of("m", "minutes")}, {}));
    BOOST_TEST(writer.remove_document("r"));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(catalogue_records().empty());
  Xapian::Database db(path);
  BOOST_TEST(db.get_termfreq(layout::kDocumentKindTerm) == 3U);
}

// "Did you mean" draws on the spelling table: it holds the words everyone may find (public
// documents' and catalogue records'), never a word of a text some may not read, and a word
// leaves it with the last record that held it.
BOOST_AUTO_TEST_CASE(the_spelling_table_holds_the_words_everyone_may_find) {
  using evidence::core::AccessLevel;
  using evidence::core::Catalogue;
  TempDir dir;
  std::string path = (dir / "index").string();
  auto with_access = [](DocumentInfo info, AccessLevel level, Catalogue catalogue, const std::string& title) {
    info.metadata.title = title;
    info.metadata.access.level = level;
    if (level == AccessLevel::kRestricted) info.metadata.access.groups = {"board"};
    info.metadata.access.catalogue = catalogue;
    return info;
  };
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_CREATE), 100);
    BOOST_TEST(
        writer.add_document(with_access(info_of("p", "p.pdf"), AccessLevel::kPublic, Catalogue::kHidden, ""),
                            record_of("p", "shelter"), {page_of("p", "shelter")}, {}));
    BOOST_TEST(writer.add_document(info_of("q", "q.pdf"), record_of("q", "shelter"), {}, {}));
    // Listed: the words of its brief summary (its title here), not of its text.
    BOOST_TEST(writer.add_document(
        with_access(info_of("m", "m.pdf"), AccessLevel::kMembers, Catalogue::kListed, "Council summary"),
        record_of("m", "sheltas", "members"), {page_of("m", "sheltas")}, {}));
    BOOST_TEST(writer.add_document(
        with_access(info_of("h", "h.pdf"), AccessLevel::kRestricted, Catalogue::kHidden, "Board paper"),
        record_of("h", "shelterz", "restricted"), {page_of("h", "shelterz")}, {}));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(spellings_of(path) == (std::set<std::string>{"council", "shelter", "summary"}),
             boost::test_tools::per_element());
  BOOST_TEST(Xapian::Database(path).get_spelling_suggestion("sheltr") == "shelter");
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_OPEN), 100);
    // p made members' (its sidecar changed: added again); q still holds "shelter".
    BOOST_TEST(
        writer.add_document(with_access(info_of("p", "p.pdf"), AccessLevel::kMembers, Catalogue::kHidden, ""),
                            record_of("p", "shelter", "members"), {page_of("p", "shelter")}, {}));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(spellings_of(path) == (std::set<std::string>{"council", "shelter", "summary"}),
             boost::test_tools::per_element());
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_OPEN), 100);
    BOOST_TEST(writer.remove_document("q"));
    BOOST_TEST(writer.remove_document("m"));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(spellings_of(path).empty());
  {
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_OPEN), 100);
    BOOST_TEST(writer.add_document(info_of("q", "q.pdf"), record_of("q", "shelter"), {}, {}));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(!spellings_of(path).empty());
  {
    // A rebuild (another layout version) starts from an empty table too.
    IndexWriter writer(Xapian::WritableDatabase(path, Xapian::DB_OPEN), 100);
    BOOST_TEST(writer.set_schema("9", true));
    BOOST_TEST(writer.finish().ok());
  }
  BOOST_TEST(spellings_of(path).empty());
}

BOOST_AUTO_TEST_SUITE_END()
