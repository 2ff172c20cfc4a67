// SIGKILL of evidence-index at moments during a run: the last committed index stays
// readable, and a re-run completes the work with nothing lost or duplicated.
#define BOOST_TEST_MODULE crash_recovery
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <random>
#include <thread>

#include <xapian.h>

#include "corpus_builder.hpp"
#include "index_layout.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
namespace layout = evidence::core::layout;
using evidence::testing::Child;
using evidence::testing::TempDir;
using evidence::testing::binary;
using evidence::testing::run_indexer;
using evidence::testing::summary_of;
using evidence::testing::write_pages;

BOOST_AUTO_TEST_SUITE(crash_recovery)

BOOST_AUTO_TEST_CASE(kill_minus_nine_mid_run_leaves_a_usable_index) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  constexpr int kDocuments = 60;
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
  std::uniform_int_distribution<int> delay_ms(30, 400);
  int partial_rounds = 0;
  for (int round = 0; round < 4; ++round) {
    Child indexer({binary("evidence-index"), "--progress", "never", "--jobs", "2", "--batch-pages", "16",
                   "--index", index.string(), corpus.string()});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    indexer.signal(SIGKILL);
    indexer.wait(std::chrono::seconds(10));
    if (!fs::exists(index / "iamglass")) continue;  // killed before the first commit
    // The committed state opens and is consistent: every document has all its pages.
    Xapian::Database db(index.string());
    Xapian::doccount documents = db.get_termfreq(layout::kDocumentKindTerm);
    BOOST_TEST_MESSAGE("round " << round << ": killed with " << documents << " documents committed");
    if (documents > 0 && documents < static_cast<Xapian::doccount>(kDocuments)) ++partial_rounds;
    BOOST_TEST(documents <= static_cast<Xapian::doccount>(kDocuments));
    BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == documents * kPages);
  }
  // Timing decides where each kill lands; at least one should interrupt a run half-way.
  BOOST_WARN(partial_rounds > 0);
  auto summary = summary_of(run_indexer(corpus, index));
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["added"].get<int>() + summary["unchanged"].get<int>() == kDocuments);
  Xapian::Database db(index.string());
  BOOST_TEST(db.get_termfreq(layout::kDocumentKindTerm) == static_cast<Xapian::doccount>(kDocuments));
  BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == static_cast<Xapian::doccount>(kDocuments * kPages));
  BOOST_TEST(db.get_termfreq("r7x3") == 2U);  // one page record and its document record
  auto again = summary_of(run_indexer(corpus, index));
  BOOST_TEST(again["unchanged"] == kDocuments);
}

BOOST_AUTO_TEST_SUITE_END()
