// evidence-index --watch on a corpus the test changes: a PDF copied in is indexed within
// seconds, a deleted one removed; names starting with '.' are passed over; a locked index
// is waited for; SIGTERM stops it cleanly.
#define BOOST_TEST_MODULE watch
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <thread>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "index_layout.hpp"
#include "test_support.hpp"

namespace layout = evidence::core::layout;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kBound = std::chrono::seconds(20);  // far above the ~1 s debounce

Xapian::doccount documents_in(const fs::path& index) {
  try {
    return Xapian::Database(index.string()).get_termfreq(layout::kDocumentKindTerm);
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// Polls the index until it holds `count` documents; returns the seconds it took.
double wait_for_documents(const fs::path& index, Xapian::doccount count) {
  auto started = Clock::now();
  while (documents_in(index) != count) {
    BOOST_REQUIRE_MESSAGE(Clock::now() - started < kBound,
                          "the index still holds " << documents_in(index) << " documents, not " << count);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::chrono::duration<double>(Clock::now() - started).count();
}

std::unique_ptr<Child> start_watch(const TempDir& dir) {
  return std::make_unique<Child>(std::vector<std::string>{
      evidence::testing::binary("evidence-index"), "--watch", "--progress", "never", "--index",
      (dir / "index").string(), "--", (dir / "corpus").string()});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(watch)

BOOST_AUTO_TEST_CASE(copied_in_indexed_deleted_removed_hidden_ignored_sigterm_stops) {
  TempDir dir;
  write_pages(dir / "corpus" / "first.pdf", {"Aardvark page one."}, "First");
  auto watcher = start_watch(dir);
  BOOST_TEST(watcher->wait_for_line("pass 1 at ", kBound).find(": 1 added, 0 updated") != std::string::npos);
  BOOST_TEST(documents_in(dir / "index") == 1U);

  // A PDF copied into a new sub-folder (made after the watch started).
  write_pages(dir / "staging" / "second.pdf", {"Badger page one.", "Badger page two."}, "Second");
  fs::create_directories(dir / "corpus" / "new" / "deeper");
  fs::copy_file(dir / "staging" / "second.pdf", dir / "corpus" / "new" / "deeper" / "second.pdf");
  double seconds = wait_for_documents(dir / "index", 2);
  BOOST_TEST_MESSAGE("copied PDF searchable after " << seconds << " s");  // bounded by kBound
  std::string pass2 = watcher->wait_for_line("pass 2 at ", kBound);
  BOOST_TEST(pass2.find(": 1 added, 0 updated, 0 removed, 1 unchanged, 0 failed; 2 pages extracted") !=
                 std::string::npos, pass2);

  // Files under names starting with '.' (the server's .incoming/ and .withdrawn/) start no pass
  // and are not indexed.
  write_pages(dir / "corpus" / ".incoming" / "upload.pdf", {"Cormorant upload in progress."});
  write_pages(dir / "corpus" / ".hidden.pdf", {"Dormouse hidden file."});
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  BOOST_CHECK_THROW(watcher->wait_for_line("pass 3 at ", std::chrono::seconds(1)), std::runtime_error);

  fs::remove(dir / "corpus" / "first.pdf");
  wait_for_documents(dir / "index", 1);
  std::string pass3 = watcher->wait_for_line("pass 3 at ", kBound);
  BOOST_TEST(pass3.find(": 0 added, 0 updated, 1 removed, 1 unchanged, 0 failed") != std::string::npos, pass3);
  {
    Xapian::Database db((dir / "index").string());
    BOOST_TEST(db.get_termfreq("badger") > 0U);
    BOOST_TEST(db.get_termfreq("cormorant") == 0U);
    BOOST_TEST(db.get_termfreq("dormouse") == 0U);
  }

  watcher->signal(SIGTERM);
  auto result = watcher->wait(std::chrono::seconds(10));
  BOOST_TEST(result.signal == 0);
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out.substr(result.out.size() - 8) == "stopped\n");
}

BOOST_AUTO_TEST_CASE(waits_for_a_locked_index_then_indexes) {
  TempDir dir;
  write_pages(dir / "corpus" / "only.pdf", {"Ermine page one."}, "Only");
  auto lock = std::make_unique<Xapian::WritableDatabase>((dir / "index").string(), Xapian::DB_CREATE_OR_OPEN);
  auto watcher = start_watch(dir);
  BOOST_TEST(watcher->wait_for_line("the index is being written by another process", kBound) ==
             "the index is being written by another process; waiting for it");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  BOOST_TEST(documents_in(dir / "index") == 0U);
  lock.reset();  // the other writer finishes
  BOOST_TEST(watcher->wait_for_line("pass 1 at ", kBound).find(": 1 added") != std::string::npos);
  BOOST_TEST(documents_in(dir / "index") == 1U);
  watcher->signal(SIGINT);
  auto result = watcher->wait(std::chrono::seconds(10));
  BOOST_TEST(result.exit_code == 0);
}

// The first pass is a full build and compacts; a file copied in while `evidence-index
// compact` holds the index waits for it and lands in the compacted copy, as does one copied
// in afterwards.
BOOST_AUTO_TEST_CASE(indexes_into_the_compacted_index) {
  TempDir dir;
  write_pages(dir / "corpus" / "first.pdf", {"Marten page one."}, "First");
  auto watcher = start_watch(dir);
  BOOST_TEST(watcher->wait_for_line("pass 1 at ", kBound).find(": 1 added") != std::string::npos);
  BOOST_TEST(watcher->wait_for_line("  compacted the index: ", kBound).find(" -> ") != std::string::npos);
  std::string uuid = Xapian::Database((dir / "index").string()).get_uuid();

  Child compact({evidence::testing::binary("evidence-index"), "compact", "--index", (dir / "index").string(),
                 "--pause-before-exchange", "2500"});
  compact.wait_for_line("evidence-index: the compacted copy is built", kBound);
  write_pages(dir / "corpus" / "during.pdf", {"Stoat page one."}, "During");
  BOOST_TEST(watcher->wait_for_line("the index is being written by another process", kBound) ==
             "the index is being written by another process; waiting for it");
  BOOST_TEST(compact.wait(kBound).exit_code == 0);
  BOOST_TEST(watcher->wait_for_line("pass 2 at ", kBound).find(": 1 added") != std::string::npos);
  Xapian::Database compacted((dir / "index").string());
  BOOST_TEST(compacted.get_uuid() != uuid);
  BOOST_TEST(documents_in(dir / "index") == 2U);

  write_pages(dir / "corpus" / "after.pdf", {"Weasel page one."}, "After");
  wait_for_documents(dir / "index", 3);
  BOOST_TEST(!fs::exists(dir / ".index.compact"));
  watcher->signal(SIGINT);
  BOOST_TEST(watcher->wait(std::chrono::seconds(10)).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(json_lines_alone_on_stdout) {
  TempDir dir;
  write_pages(dir / "corpus" / "only.pdf", {"Fennec page one."}, "Only");
  Child watcher({evidence::testing::binary("evidence-index"), "--watch", "--json", "--progress", "never", "--index",
                 (dir / "index").string(), "--", (dir / "corpus").string()});
  nlohmann::json pass = nlohmann::json::parse(watcher.wait_for_line("{", kBound));
  BOOST_TEST(pass["pass"] == 1);
  BOOST_TEST(pass["added"] == 1);
  BOOST_TEST(pass["documents_in_index"] == 1);
  BOOST_TEST(pass["interrupted"] == false);
  watcher.signal(SIGTERM);
  auto result = watcher.wait(std::chrono::seconds(10));
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out == pass.dump() + "\n");
}

BOOST_AUTO_TEST_SUITE_END()
