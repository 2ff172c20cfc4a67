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

BOOST_AUTO_TEST_SUITE_END()
