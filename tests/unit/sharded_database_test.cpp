// Tests of search-server/api/sharded_database.hpp over a real local index: threads that
// share a SharedRevision follow a compaction (a new copy, a new UUID, a lower revision) and
// a change made after it, and stop thinking themselves behind once they have.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

#include <xapian.h>

#include "compaction.hpp"
#include "index_layout.hpp"
#include "shard_set.hpp"
#include "sharded_database.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
namespace layout = evidence::core::layout;
using evidence::server::ShardedDatabase;
using evidence::server::SharedRevision;
using evidence::server::single_index;
using evidence::testing::TempDir;

namespace {

void add_documents(const fs::path& index, int count) {
  Xapian::WritableDatabase db(index.string(), Xapian::DB_CREATE_OR_OPEN);
  for (int i = 0; i < count; ++i) {
    Xapian::Document document;
    document.add_boolean_term(layout::kDocumentKindTerm);
    db.add_document(document);
    db.commit();  // one revision each, as many batches leave them
  }
}

Xapian::doccount documents(ShardedDatabase& shards) {
  auto db = shards.get();
  BOOST_REQUIRE(db.ok());
  return (*db)->get_termfreq(layout::kDocumentKindTerm);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sharded_database)

BOOST_AUTO_TEST_CASE(threads_follow_a_compacted_copy) {
  TempDir dir;
  fs::path index = dir / "index";
  add_documents(index, 12);
  SharedRevision shared;
  // `eager` looks at the index on every get(); `lazy` only when another thread saw more.
  ShardedDatabase eager(single_index(index, dir / "corpus"), std::chrono::milliseconds(0), &shared);
  ShardedDatabase lazy(single_index(index, dir / "corpus"), std::chrono::hours(1), &shared);
  BOOST_TEST(documents(eager) == 12U);
  BOOST_TEST(documents(lazy) == 12U);

  BOOST_REQUIRE(evidence::indexer::compact_index(index).ok());
  add_documents(index, 1);  // revision 2 of the new copy, far below the old copy's 13
  BOOST_TEST(documents(eager) == 13U);
  auto generation = lazy.generation();
  BOOST_TEST(documents(lazy) == 13U);  // told by `eager`, though its own revision was higher
  BOOST_TEST(lazy.generation() != generation);
  BOOST_TEST((*lazy.get())->get_uuid() == Xapian::Database(index.string()).get_uuid());

  // Caught up: neither is behind, so neither reopens on every request.
  std::uint64_t checked_eager = 0;
  std::uint64_t checked_lazy = 0;
  BOOST_TEST(!shared.behind(**eager.get(), checked_eager));
  BOOST_TEST(!shared.behind(**lazy.get(), checked_lazy));
  generation = lazy.generation();
  BOOST_TEST(documents(lazy) == 13U);
  BOOST_TEST(lazy.generation() == generation);
}

BOOST_AUTO_TEST_CASE(another_copy_replaces_the_one_known) {
  TempDir dir;
  add_documents(dir / "a", 5);
  add_documents(dir / "b", 1);
  Xapian::Database a((dir / "a").string());
  Xapian::Database b((dir / "b").string());
  SharedRevision shared;
  shared.saw(a.get_uuid(), a.get_revision());
  std::uint64_t checked_a = 0;  // each reader keeps its own note
  std::uint64_t checked_b = 0;
  BOOST_TEST(shared.behind(b, checked_b));  // another copy, whatever its revision
  BOOST_TEST(!shared.behind(a, checked_a));
  shared.saw(b.get_uuid(), b.get_revision());
  BOOST_TEST(!shared.behind(b, checked_b));
  BOOST_TEST(shared.behind(a, checked_a));
}

BOOST_AUTO_TEST_SUITE_END()
