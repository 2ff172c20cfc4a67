// Tests of indexer/compaction.hpp on real Xapian databases: a compacted index is smaller
// and answers the same with the same document ids; a reader opened before follows it; the
// lock keeps writers out; a crash before the exchange, or between the fallback's two
// renames, leaves a whole index that the next run tidies up.
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include <xapian.h>

#include "compaction.hpp"
#include "error.hpp"
#include "indexer.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using evidence::core::ErrorCode;
using evidence::indexer::clean_up_compaction;
using evidence::indexer::compact_index;
using evidence::indexer::compaction_sibling;
using evidence::indexer::CompactionHooks;
using evidence::indexer::open_index;
using evidence::testing::TempDir;

namespace {

// An index of many commits, as a full build leaves it: 20 batches of 50 documents, one
// document deleted (so that ids have a gap a renumbering compaction would close).
void build_index(const fs::path& path) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN);
  for (int batch = 0; batch < 20; ++batch) {
    for (int i = 0; i < 50; ++i) {
      Xapian::Document document;
      document.add_term("every");
      document.add_term("batch" + std::to_string(batch));
      document.set_data(std::string(400, static_cast<char>('a' + batch)));
      db.add_document(document);
    }
    db.commit();
  }
  db.set_metadata("shard", "harbour");
  db.delete_document(3);
  db.commit();
}

std::vector<Xapian::docid> matches(const Xapian::Database& db, const std::string& term) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(term));
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::vector<Xapian::docid> ids;
  for (auto it : enquire.get_mset(0, 10000)) ids.push_back(it);
  return ids;
}

template <class T>
std::string problem(const evidence::core::Result<T>& result) {
  return result.ok() ? std::string() : result.error().message;
}

void add_one(const fs::path& path, const std::string& term) {
  auto db = open_index(path, /*create=*/false);
  BOOST_REQUIRE_MESSAGE(db.ok(), problem(db));
  Xapian::Document document;
  document.add_term(term);
  db->add_document(document);
  db->commit();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compaction)

BOOST_AUTO_TEST_CASE(a_compacted_index_is_smaller_and_answers_the_same) {
  TempDir dir;
  fs::path index = dir / "index";
  build_index(index);
  Xapian::Database before(index.string());
  auto every = matches(before, "every");
  auto batch7 = matches(before, "batch7");
  std::string uuid = before.get_uuid();

  auto report = compact_index(index);
  BOOST_REQUIRE_MESSAGE(report.ok(), problem(report));
  BOOST_TEST(report->bytes_after < report->bytes_before);
  BOOST_TEST(report->exchanged);
  BOOST_TEST(!fs::exists(compaction_sibling(index)));

  Xapian::Database after(index.string());
  BOOST_TEST(after.get_uuid() != uuid);  // a new database: readers must see it as one
  BOOST_TEST(after.get_doccount() == 999U);
  BOOST_TEST(matches(after, "every") == every);  // the same ids: nothing renumbered
  BOOST_TEST(matches(after, "batch7") == batch7);
  BOOST_TEST(after.get_document(every.back()).get_data() == std::string(400, 't'));
  BOOST_TEST(after.get_metadata("shard") == "harbour");
}

BOOST_AUTO_TEST_CASE(a_reader_opened_before_keeps_reading_and_reopen_moves_it) {
  TempDir dir;
  fs::path index = dir / "index";
  build_index(index);
  Xapian::Database reader(index.string());
  BOOST_REQUIRE(compact_index(index).ok());
  // The old copy is gone from the disk; the reader still has its files open.
  BOOST_TEST(matches(reader, "batch3").size() == 50U);
  add_one(index, "afterwards");
  BOOST_TEST(matches(reader, "afterwards").empty());
  BOOST_TEST(reader.reopen());
  BOOST_TEST(matches(reader, "afterwards").size() == 1U);
  BOOST_TEST(reader.get_uuid() == Xapian::Database(index.string()).get_uuid());
  BOOST_TEST(matches(reader, "every").size() == 999U);
}

BOOST_AUTO_TEST_CASE(a_locked_index_is_not_compacted) {
  TempDir dir;
  fs::path index = dir / "index";
  build_index(index);
  Xapian::WritableDatabase writer(index.string(), Xapian::DB_OPEN);
  auto report = compact_index(index);
  BOOST_REQUIRE(!report.ok());
  BOOST_TEST((report.error().code == ErrorCode::kIndexLocked));
  BOOST_TEST(report.error().message.find("is being written by another process") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_or_not_an_index) {
  TempDir dir;
  auto missing = compact_index(dir / "nothing");
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST((missing.error().code == ErrorCode::kNotFound));
  BOOST_TEST(missing.error().message == "there is no index at " + (dir / "nothing").string());
  fs::create_directory(dir / "folder");
  auto folder = compact_index(dir / "folder");
  BOOST_REQUIRE(!folder.ok());
  BOOST_TEST(folder.error().message ==
             (dir / "folder").string() + " is not an index (no Xapian glass database in it)");
  BOOST_TEST(!fs::exists(dir / "nothing"));  // nothing created
}

// A crash after the copy was built, before the exchange: the index is the old one, whole;
// the next writer removes the copy.
BOOST_AUTO_TEST_CASE(a_crash_before_the_exchange_leaves_the_old_index) {
  TempDir dir;
  fs::path index = dir / "index";
  build_index(index);
  std::string uuid = Xapian::Database(index.string()).get_uuid();
  CompactionHooks crash;
  crash.before_swap = [] { throw std::runtime_error("killed"); };
  BOOST_CHECK_THROW((void)compact_index(index, crash), std::runtime_error);
  BOOST_TEST(fs::exists(compaction_sibling(index) / "iamglass"));
  BOOST_TEST(Xapian::Database(index.string()).get_uuid() == uuid);
  BOOST_TEST(Xapian::Database(index.string()).get_doccount() == 999U);

  add_one(index, "next-run");  // the next writer tidies up as it takes the lock
  BOOST_TEST(!fs::exists(compaction_sibling(index)));
  BOOST_TEST(matches(Xapian::Database(index.string()), "next-run").size() == 1U);
  BOOST_REQUIRE(compact_index(index).ok());
}

// Where the file system refuses the exchange, two renames: a crash between them leaves the
// path empty, and the copy (whole and synced before the first rename) is put in place.
BOOST_AUTO_TEST_CASE(a_crash_between_the_two_renames_is_put_right) {
  TempDir dir;
  fs::path index = dir / "index";
  build_index(index);
  fs::path copy = compaction_sibling(index);
  Xapian::Database(index.string()).compact(copy.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  std::string copy_uuid = Xapian::Database(copy.string()).get_uuid();
  fs::rename(index, dir / ".index.compact-old");  // the first rename, then the crash
  clean_up_compaction(index);
  BOOST_TEST(Xapian::Database(index.string()).get_uuid() == copy_uuid);
  BOOST_TEST(!fs::exists(copy));
  BOOST_TEST(!fs::exists(dir / ".index.compact-old"));
  BOOST_TEST(matches(Xapian::Database(index.string()), "every").size() == 999U);
}

BOOST_AUTO_TEST_CASE(a_trailing_slash_names_the_same_index) {
  TempDir dir;
  build_index(dir / "index");
  BOOST_TEST(compaction_sibling(fs::path((dir / "index").string() + "/")) == dir / ".index.compact");
  auto report = compact_index(fs::path((dir / "index").string() + "/"));
  BOOST_REQUIRE_MESSAGE(report.ok(), problem(report));
  BOOST_TEST(Xapian::Database((dir / "index").string()).get_doccount() == 999U);
}

BOOST_AUTO_TEST_SUITE_END()
