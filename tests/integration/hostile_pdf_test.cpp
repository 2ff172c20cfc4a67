// evidence-index over hostile PDFs beside good ones: truncated, bit-flipped, encrypted,
// deeply nested, looping, decompression bombs and an enormous page tree. Nothing may
// crash, hang or exhaust the indexer; every good PDF is indexed, every bad one is in the
// summary with its reason, and a re-run is clean.
#define BOOST_TEST_MODULE hostile_pdf
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <map>

#include <xapian.h>

#include "hostile_pdf.hpp"
#include "index_layout.hpp"
#include "records.hpp"
#include "test_support.hpp"

namespace hostile = evidence::testing::hostile;
namespace layout = evidence::core::layout;

namespace {

// The test's own limits: short enough to keep it quick, long enough for every good PDF.
constexpr int kTimeoutSeconds = 20;
constexpr int kMemoryLimitMib = 256;

std::map<std::string, json> failures_by_path(const json& summary) {
  std::map<std::string, json> out;
  for (const auto& f : summary["failed"]) out[f["path"].get<std::string>()] = f;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_pdf)

BOOST_AUTO_TEST_CASE(bad_pdfs_fail_alone_with_their_reasons) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "good-one.pdf", {"Kingfisher report page one.", "Kingfisher report page two."});
  write_pages(corpus / "good-two.pdf", {"Heron guidance."});
  write_pages(dir / "source.pdf", {"Source text for damaged copies, plover.", "Second page, plover."});
  std::string good = read_file(dir / "source.pdf");

  write_file(corpus / "truncated.pdf", hostile::truncated(good));
  write_file(corpus / "bit-flipped.pdf", hostile::bit_flipped(good, 20261128));
  int status = std::system(("qpdf --encrypt secret owner 256 -- '" + (dir / "source.pdf").string() + "' '" +
                            (corpus / "encrypted.pdf").string() + "'").c_str());
  BOOST_REQUIRE(status == 0);
  write_file(corpus / "zeros-bomb.pdf", hostile::zeros_bomb(std::uint64_t{2} << 30));
  write_file(corpus / "words-bomb.pdf", hostile::words_bomb(std::uint64_t{6} << 30));
  write_file(corpus / "many-pages.pdf", hostile::many_pages(200'000));
  // Hostile in shape but readable: these are indexed.
  write_file(corpus / "looping-tree.pdf", hostile::looping_page_tree("Looping tree avocet"));
  write_file(corpus / "deep-arrays.pdf", hostile::deep_arrays(100'000, "Deep arrays bittern"));
  write_file(corpus / "deep-tree.pdf", hostile::deep_page_tree(20'000, "Deep tree curlew"));
  write_file(corpus / "deep-state.pdf", hostile::deep_graphics_state(20'000, "Deep state dunlin"));
  for (const char* name : {"zeros-bomb.pdf", "words-bomb.pdf", "many-pages.pdf"}) {
    BOOST_TEST_MESSAGE(name << ": " << fs::file_size(corpus / name) << " bytes");
    BOOST_TEST(fs::file_size(corpus / name) < 4U << 20);  // small files, enormous insides
  }

  std::vector<std::string> limits{"--jobs", "2", "--timeout", std::to_string(kTimeoutSeconds), "--memory-limit",
                                  std::to_string(kMemoryLimitMib)};
  auto started = std::chrono::steady_clock::now();
  auto result = run_indexer(corpus, dir / "index", limits);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST_MESSAGE("first run: " << seconds << " s");
  BOOST_TEST(seconds < 3.0 * kTimeoutSeconds);
  struct rusage children {};
  ::getrusage(RUSAGE_CHILDREN, &children);
  BOOST_TEST_MESSAGE("largest child resident set: " << children.ru_maxrss / 1024 << " MiB");
  json summary = summary_of(result);
  BOOST_TEST(summary["added"] == 6);

  auto failed = failures_by_path(summary);
  BOOST_TEST(failed.size() == 6U);
  auto code_of = [&](const std::string& path) {
    return failed.count(path) ? failed[path]["code"].get<std::string>() : std::string("(indexed)");
  };
  auto reason_of = [&](const std::string& path) {
    return failed.count(path) ? failed[path]["reason"].get<std::string>() : std::string("(indexed)");
  };
  BOOST_TEST(code_of("truncated.pdf") == "damaged");
  BOOST_TEST(code_of("bit-flipped.pdf") == "damaged");
  BOOST_TEST(code_of("encrypted.pdf") == "encrypted");
  BOOST_TEST(reason_of("encrypted.pdf") == "the PDF is encrypted and needs a password");
  BOOST_TEST(code_of("zeros-bomb.pdf") == "extraction_failed");
  BOOST_TEST(reason_of("zeros-bomb.pdf") == "timed out: no progress for " + std::to_string(kTimeoutSeconds) + " s");
  BOOST_TEST(code_of("words-bomb.pdf") == "extraction_failed");
  BOOST_TEST(reason_of("words-bomb.pdf").find("memory limit of " + std::to_string(kMemoryLimitMib) + " MiB") !=
                 std::string::npos,
             reason_of("words-bomb.pdf"));
  BOOST_TEST(code_of("many-pages.pdf") == "extraction_failed");
  BOOST_TEST(reason_of("many-pages.pdf") == "the PDF has 200000 pages, more than the limit of 100000 (--max-pages)");

  {
    Xapian::Database db((dir / "index").string());
    BOOST_TEST(db.get_termfreq(layout::kDocumentKindTerm) == 6U);
    // good-one 2 + good-two 1 + looping tree 2 (the second is its loop, empty) + 1 each.
    BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == 8U);
    for (const char* word : {"kingfisher", "heron", "avocet", "bittern", "curlew", "dunlin"}) {
      BOOST_TEST(db.get_termfreq(word) >= 2U, word);  // the document record and a page record
    }
  }

  // A re-run is clean: nothing extracted again, the failures remembered, quickly.
  started = std::chrono::steady_clock::now();
  json again = summary_of(run_indexer(corpus, dir / "index", limits));
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(10)));
  BOOST_TEST(again["unchanged"] == 6);
  BOOST_TEST(again["added"] == 0);
  BOOST_TEST(again["pages_extracted"] == 0);
  BOOST_TEST(again["failed"].size() == 6U);
  for (const auto& f : again["failed"]) {
    BOOST_TEST(f["remembered"] == true, f["path"]);
    BOOST_TEST(f["code"] == failed[f["path"].get<std::string>()]["code"], f["path"]);
  }
}

namespace {

// What the index holds of one document: its record and its page records' numbers and text.
struct IndexedDocument {
  evidence::core::DocumentInfo info;
  std::map<int, std::string> pages;  // number → text
};

IndexedDocument indexed(const fs::path& index, const std::string& id) {
  Xapian::Database db(index.string());
  IndexedDocument out;
  Xapian::PostingIterator record = db.postlist_begin(layout::document_id_term(id));
  BOOST_REQUIRE(record != db.postlist_end(layout::document_id_term(id)));
  auto info = evidence::core::decode_document_info(db.get_document(*record).get_data());
  BOOST_REQUIRE_MESSAGE(info.ok(), (info.ok() ? "" : info.error().message));
  out.info = std::move(info).value();
  const std::string parent = layout::parent_term(id);
  for (auto it = db.postlist_begin(parent); it != db.postlist_end(parent); ++it) {
    auto page = evidence::core::decode_page_info(db.get_document(*it).get_data()).value();
    out.pages[page.number] = page.text;
  }
  return out;
}

// Documents whose record matches a phrase (positions are kept in document records only).
Xapian::doccount documents_matching(const fs::path& index, std::vector<std::string> words) {
  Xapian::Database db(index.string());
  Xapian::Enquire enquire(db);
  Xapian::Query phrase(Xapian::Query::OP_PHRASE, words.begin(), words.end());
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, phrase, Xapian::Query(layout::kDocumentKindTerm)));
  return enquire.get_mset(0, 10).size();
}

std::vector<std::string> report_pages(int count) {
  std::vector<std::string> pages;
  for (int n = 1; n <= count; ++n)
    pages.push_back("Page " + std::to_string(n) + " names marker" + std::to_string(n) + ".");
  return pages;
}

constexpr int kStallSeconds = 2;  // --timeout of the tests below

}  // namespace

BOOST_AUTO_TEST_CASE(a_page_that_stalls_loses_only_the_pages_from_it_on) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  // Five pages; page 3 never ends. The sidecar gives the language, so pages are sent as they are read.
  write_file(corpus / "stalls.pdf", hostile::pages_with_bomb(report_pages(5), 3, std::uint64_t{2} << 30));
  write_file(corpus / "stalls.json", R"({"id": "stalls", "title": "Stalled report", "language": "en"})");
  write_pages(corpus / "good.pdf", {"Heron guidance."});
  std::vector<std::string> limits{"--timeout", std::to_string(kStallSeconds), "-j", "2"};
  const std::string reason = "timed out: no progress for " + std::to_string(kStallSeconds) + " s";

  auto first = run_indexer(corpus, dir / "index", limits);
  BOOST_TEST(first.exit_code == 0);  // pages not read are a warning, not a failure
  json summary = summary_of(first);
  BOOST_TEST(summary["added"] == 2);
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["pages_extracted"] == 3);  // stalls.pdf 1-2, good.pdf 1
  json expected = json::array(
      {{{"path", "stalls.pdf"}, {"pages_not_read", {3, 4, 5}}, {"reason", reason}, {"remembered", false}}});
  BOOST_TEST(summary["partial"] == expected, summary["partial"].dump());

  IndexedDocument stalls = indexed(dir / "index", "stalls");
  BOOST_TEST(stalls.info.page_count == 5);
  BOOST_TEST(stalls.info.metadata.title == "Stalled report");
  BOOST_TEST(stalls.info.pages_not_read == (std::vector<int>{3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(stalls.info.pages_not_read_reason == reason);
  BOOST_TEST(stalls.pages.size() == 2U);
  BOOST_TEST(stalls.pages[1] == "Page 1 names marker1.");
  BOOST_TEST(stalls.pages[2] == "Page 2 names marker2.");
  // The document record the parent rebuilt from the two pages: their words, at their places.
  BOOST_TEST(documents_matching(dir / "index", {"page", "2", "names", "marker2"}) == 1U);
  BOOST_TEST(documents_matching(dir / "index", {"names", "marker1"}) == 1U);
  BOOST_TEST(documents_matching(dir / "index", {"marker1", "page", "2"}) == 0U);  // across pages
  BOOST_TEST(documents_matching(dir / "index", {"stalled", "report"}) == 1U);     // the title
  BOOST_TEST(Xapian::Database((dir / "index").string()).get_termfreq("marker4") == 0U);

  // Unchanged, it is not read again, and still named.
  auto started = std::chrono::steady_clock::now();
  auto again =
      run_process({binary("evidence-index"), "--progress", "never", "--index", (dir / "index").string(),
                   "--timeout", std::to_string(kStallSeconds), "--", corpus.string()});
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(kStallSeconds)));
  BOOST_TEST(again.exit_code == 0);
  BOOST_TEST(again.out.find("0 added, 0 updated, 0 removed, 2 unchanged, 0 failed\n0 pages extracted") == 0U,
             again.out);
  BOOST_TEST(again.out.find("partly read: stalls.pdf: pages 3-5 not read (" + reason +
                            ") (unchanged since; --retry-failed reads it again)\n") != std::string::npos,
             again.out);

  // --retry-failed reads it again (and it stalls again).
  json retried = summary_of(
      run_indexer(corpus, dir / "index", {"--timeout", std::to_string(kStallSeconds), "--retry-failed"}));
  BOOST_TEST(retried["updated"] == 1);
  BOOST_TEST(retried["unchanged"] == 1);
  BOOST_TEST(retried["pages_extracted"] == 2);
  BOOST_TEST(retried["partial"] == expected, retried["partial"].dump());

  // New content is read whole: the pages not read are gone from the record.
  write_pages(corpus / "stalls.pdf", report_pages(5));
  json changed = summary_of(run_indexer(corpus, dir / "index", limits));
  BOOST_TEST(changed["updated"] == 1);
  BOOST_TEST(changed["partial"].size() == 0U);
  stalls = indexed(dir / "index", "stalls");
  BOOST_TEST(stalls.info.pages_not_read.empty());
  BOOST_TEST(stalls.info.pages_not_read_reason == "");
  BOOST_TEST(stalls.pages.size() == 5U);
}

BOOST_AUTO_TEST_CASE(a_page_that_stalls_while_the_language_is_guessed_loses_only_the_pages_from_it_on) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  // No language in the sidecar: the first pages are read for the guess before any is sent,
  // and page 3 never ends. The retry guesses from page 1 alone and sends pages as it reads.
  write_file(corpus / "stalls.pdf", hostile::pages_with_bomb(report_pages(5), 3, std::uint64_t{2} << 30));
  write_file(corpus / "stalls.json", R"({"id": "stalls", "title": "Stalled report"})");
  write_file(corpus / "first.pdf", hostile::pages_with_bomb(report_pages(3), 1, std::uint64_t{2} << 30));
  const std::string reason = "timed out: no progress for " + std::to_string(kStallSeconds) + " s";

  auto started = std::chrono::steady_clock::now();
  auto run = run_indexer(corpus, dir / "index", {"--timeout", std::to_string(kStallSeconds), "-j", "2"});
  // Two stalls each (the guess, then the retry), the two files side by side.
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(5 * kStallSeconds)));
  BOOST_TEST(run.exit_code == 0);
  json summary = summary_of(run);
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["pages_extracted"] == 2);
  json expected = json::array(
      {{{"path", "stalls.pdf"}, {"pages_not_read", {3, 4, 5}}, {"reason", reason}, {"remembered", false}}});
  BOOST_TEST(summary["partial"] == expected, summary["partial"].dump());
  // A PDF whose first page stalls has nothing to keep: it fails, after its retry.
  auto failed = failures_by_path(summary);
  BOOST_TEST(failed.size() == 1U);
  BOOST_TEST(failed.count("first.pdf") == 1U);
  if (failed.count("first.pdf")) BOOST_TEST(failed["first.pdf"]["reason"] == reason);

  IndexedDocument stalls = indexed(dir / "index", "stalls");
  BOOST_TEST(stalls.info.language == "en");  // guessed from page 1
  BOOST_TEST(stalls.info.pages_not_read == (std::vector<int>{3, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(stalls.pages.size() == 2U);
  BOOST_TEST(stalls.pages[2] == "Page 2 names marker2.");
  BOOST_TEST(documents_matching(dir / "index", {"page", "2", "names", "marker2"}) == 1U);
}

BOOST_AUTO_TEST_CASE(a_part_that_stalls_loses_only_its_pages_from_there_on) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  // 25 pages read in parts 1-10, 11-20, 21-25; page 13 never ends.
  write_file(corpus / "long.pdf", hostile::pages_with_bomb(report_pages(25), 13, std::uint64_t{2} << 30));
  write_file(corpus / "long.json", R"({"id": "long", "title": "Long report", "language": "en"})");
  const std::string reason = "timed out: no progress for " + std::to_string(kStallSeconds) + " s";
  json summary = summary_of(run_indexer(
      corpus, dir / "index", {"--timeout", std::to_string(kStallSeconds), "-j", "2", "--split-pages", "10"}));
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["documents_split"] == 1);
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["pages_extracted"] == 17);
  json expected = json::array({{{"path", "long.pdf"},
                                {"pages_not_read", {13, 14, 15, 16, 17, 18, 19, 20}},
                                {"reason", reason},
                                {"remembered", false}}});
  BOOST_TEST(summary["partial"] == expected, summary["partial"].dump());

  IndexedDocument long_pdf = indexed(dir / "index", "long");
  std::vector<int> numbers;
  for (const auto& [n, text] : long_pdf.pages) numbers.push_back(n);
  BOOST_TEST(numbers == (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23, 24, 25}),
             boost::test_tools::per_element());
  BOOST_TEST(long_pdf.pages[12] == "Page 12 names marker12.");
  BOOST_TEST(long_pdf.info.pages_not_read == (std::vector<int>{13, 14, 15, 16, 17, 18, 19, 20}),
             boost::test_tools::per_element());
  for (const char* marker : {"marker1", "marker11", "marker12", "marker21", "marker25"}) {
    BOOST_TEST(documents_matching(dir / "index", {"names", marker}) == 1U, marker);
  }
  BOOST_TEST(documents_matching(dir / "index", {"names", "marker14"}) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
