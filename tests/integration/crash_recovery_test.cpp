// SIGKILL of evidence-index at moments during a run: the last committed index stays
// readable, and a re-run completes the work with nothing lost or duplicated.
#define BOOST_TEST_MODULE crash_recovery
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <random>
#include <set>
#include <thread>

#include <xapian.h>

#include "index_layout.hpp"
#include "records.hpp"
#include "test_support.hpp"

namespace layout = evidence::core::layout;

namespace {

// Checks that the committed index opens, searches, and holds each document once with all
// its pages: distinct document ids, and per id exactly pages page records. Returns the
// number of documents.
Xapian::doccount check_consistent(const fs::path& index, int pages) {
  Xapian::Database db(index.string());
  Xapian::doccount documents = db.get_termfreq(layout::kDocumentKindTerm);
  std::set<std::string> ids;
  for (auto it = db.postlist_begin(layout::kDocumentKindTerm); it != db.postlist_end(layout::kDocumentKindTerm); ++it) {
    auto info = evidence::core::decode_document_info(db.get_document(*it).get_data());
    BOOST_REQUIRE(info.ok());
    BOOST_TEST(ids.insert(info->id).second, "document " << info->id << " is in the index twice");
    BOOST_TEST(info->page_count == pages);
  }
  BOOST_TEST(ids.size() == documents);
  BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == documents * static_cast<Xapian::doccount>(pages));
  // A search over the committed state finds every document record (all hold "reintegration").
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query("reintegration"),
                                  Xapian::Query(layout::kDocumentKindTerm)));
  BOOST_TEST(enquire.get_mset(0, 1000).size() == documents);
  return documents;
}

// Documents in the last committed state of the index (0 before the first commit).
Xapian::doccount documents_committed(const fs::path& index) {
  try {
    return Xapian::Database(index.string()).get_termfreq(layout::kDocumentKindTerm);
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash_recovery)

BOOST_AUTO_TEST_CASE(kill_minus_nine_mid_run_leaves_a_usable_index) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  constexpr int kDocuments = 150;
  constexpr int kPages = 8;
  for (int d = 0; d < kDocuments; ++d) {
    std::vector<std::string> pages;
    for (int p = 1; p <= kPages; ++p) {
      pages.push_back("Document " + std::to_string(d) + " page " + std::to_string(p) +
                      " about labour inspection, shelters and reintegration grants in region r" +
                      std::to_string(d) + "x" + std::to_string(p) + ".");
    }
    write_pages(corpus / ("doc-" + std::to_string(d) + ".pdf"), pages);
  }
  fs::path index = dir / "index";
  std::mt19937 random(20261128);
  std::uniform_int_distribution<int> delay_ms(0, 50);
  int partial_rounds = 0;
  Xapian::doccount committed = 0;
  for (int round = 0; round < 5; ++round) {
    // One worker and a commit per document or two: each run stays under way long enough to be cut.
    Child indexer({binary("evidence-index"), "--progress", "never", "--jobs", "1", "--batch-pages", "8",
                   "--index", index.string(), corpus.string()});
    // Kill while the run is under way: once it has committed something new, at a random moment.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && documents_committed(index) <= committed) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    indexer.signal(SIGKILL);
    bool mid_run = indexer.wait(std::chrono::seconds(10)).signal == SIGKILL;  // not finished before the kill
    // The committed state opens, searches and is consistent: every document once, with all its pages.
    Xapian::doccount documents = check_consistent(index, kPages);
    BOOST_TEST_MESSAGE("round " << round << ": killed with " << documents << " documents committed");
    if (mid_run && documents > committed && documents < static_cast<Xapian::doccount>(kDocuments)) ++partial_rounds;
    BOOST_TEST(documents <= static_cast<Xapian::doccount>(kDocuments));
    // The kill came after a new commit was seen: the run was either cut (killed by it) or
    // had already finished everything; nothing else.
    BOOST_TEST((mid_run || documents == static_cast<Xapian::doccount>(kDocuments)));
    committed = documents;
  }
  // Timing decides where each kill lands: at least one must have cut a run that had
  // committed part of its work (each round waits for a new commit before its kill).
  BOOST_TEST_MESSAGE(partial_rounds << " of 5 kills cut a run part-way");
  BOOST_TEST(partial_rounds >= 1);
  auto summary = summary_of(run_indexer(corpus, index));
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["added"].get<int>() + summary["unchanged"].get<int>() == kDocuments);
  BOOST_TEST(check_consistent(index, kPages) == static_cast<Xapian::doccount>(kDocuments));
  Xapian::Database db(index.string());
  BOOST_TEST(db.get_termfreq("r7x3") == 2U);  // one page record and its document record
  auto again = summary_of(run_indexer(corpus, index));
  BOOST_TEST(again["unchanged"] == kDocuments);
}

BOOST_AUTO_TEST_SUITE_END()
