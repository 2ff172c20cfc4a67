// evidence-index against an index it cannot have: one locked by another writer, and one on
// a disk that fills up. Each is a clear error with its exit status, and the index still
// opens afterwards with its last committed state; a later run completes the work.
#define BOOST_TEST_MODULE index_faults
#include <boost/test/unit_test.hpp>

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <regex>
#include <set>

#include <xapian.h>

#include "index_layout.hpp"
#include "skip.hpp"
#include "test_support.hpp"

namespace layout = evidence::core::layout;

namespace {

// A tmpfs of a given size, unmounted when the object goes.
class SmallDisk {
 public:
  SmallDisk(const fs::path& where, const std::string& size) : where_(where) {
    fs::create_directories(where);
    if (::mount("tmpfs", where.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool resize(const std::string& size) {
    return ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

 private:
  fs::path where_;
  bool mounted_ = false;
  std::string error_;
};

// A document of pages pages of words no other document has, so that the index grows.
std::vector<std::string> distinct_pages(int document, int pages, std::mt19937& random) {
  std::vector<std::string> out;
  for (int p = 0; p < pages; ++p) {
    std::string text = "Reintegration report " + std::to_string(document) + ".";
    for (int w = 0; w < 60; ++w) {
      std::string word;
      for (int c = 0; c < 8; ++c) word += static_cast<char>('a' + random() % 26);
      text += " " + word;
    }
    out.push_back(text + ".");
  }
  return out;
}

// A worker executable that copies every job it is sent to `log`, then is the real worker.
fs::path logging_worker(const fs::path& dir, const fs::path& log) {
  fs::path script = dir / "logging-worker.sh";
  write_file(script,
             "#!/bin/sh\ntee -a '" + log.string() + "' | '" + binary("evidence-index") + "' \"$@\"\n");
  fs::permissions(script, fs::perms::owner_all);
  return script;
}

// The corpus files ("doc-N.pdf") named in the jobs a logging worker was sent.
std::set<std::string> files_sent(const fs::path& log) {
  std::string jobs = fs::exists(log) ? read_file(log) : "";
  static const std::regex kName("doc-[0-9]+\\.pdf");
  std::set<std::string> out;
  for (std::sregex_iterator it(jobs.begin(), jobs.end(), kName), end; it != end; ++it) out.insert(it->str());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(index_faults)

BOOST_AUTO_TEST_CASE(an_index_locked_by_another_writer_is_a_clear_error) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "a.pdf", {"Avocet one.", "Avocet two."});
  write_pages(corpus / "b.pdf", {"Bittern."});
  BOOST_REQUIRE(summary_of(run_indexer(corpus, dir / "index"))["added"] == 2);
  write_pages(corpus / "c.pdf", {"Curlew."});
  {
    Xapian::WritableDatabase other_writer((dir / "index").string(), Xapian::DB_OPEN);
    auto locked = run_indexer(corpus, dir / "index");
    BOOST_TEST(locked.exit_code == 4);
    BOOST_TEST(locked.out.empty());
    BOOST_TEST(locked.err == "evidence-index: the index " + (dir / "index").string() +
                                 " is being written by another process (another evidence-index run, or an "
                                 "evidence-server taking an upload); wait for it to finish and run again\n");
    // Readers are not held up by the lock.
    Xapian::Database reader((dir / "index").string());
    BOOST_TEST(reader.get_termfreq(layout::kDocumentKindTerm) == 2U);
    BOOST_TEST(reader.get_termfreq("avocet") == 3U);
  }
  auto summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["unchanged"] == 2);
  BOOST_TEST(summary["documents_in_index"] == 3);
  BOOST_TEST(summary["pages_in_index"] == 4);
}

BOOST_AUTO_TEST_CASE(a_full_disk_is_a_clear_error_and_the_index_survives) {
  if (::geteuid() != 0) {
    evidence::testing::skip_test("a full disk needs a small tmpfs, and mounting one needs root");
    return;
  }
  TempDir dir;
  SmallDisk disk(dir / "disk", "1m");
  if (!disk.mounted()) {
    evidence::testing::skip_test("cannot mount a tmpfs here (" + disk.error() + ")");
    return;
  }
  fs::path corpus = dir / "corpus";
  constexpr int kDocuments = 300;
  constexpr int kPages = 8;
  std::mt19937 random(6);
  for (int d = 0; d < kDocuments; ++d) {
    write_pages(corpus / ("doc-" + std::to_string(d) + ".pdf"), distinct_pages(d, kPages, random));
  }
  fs::path index = dir / "disk" / "index";
  // Xapian 1.4 can lose a small object inside libxapian when a write fails with ENOSPC
  // (112 bytes in one CI run under ASan, depending on which write fills the disk). That is
  // not ours to free, so this one run does not check for leaks; the re-run below does.
  const char* sanitizer = std::getenv("ASAN_OPTIONS");
  std::string saved = sanitizer != nullptr ? sanitizer : "";
  ::setenv("ASAN_OPTIONS", (saved + (saved.empty() ? "" : ":") + "detect_leaks=0").c_str(), 1);
  fs::path jobs_log = dir / "jobs.log";
  auto full = run_indexer(corpus, index,
                          {"--batch-pages", "16", "--jobs", "2", "--worker-executable",
                           logging_worker(dir.path(), jobs_log).string()});
  if (sanitizer != nullptr) {
    ::setenv("ASAN_OPTIONS", saved.c_str(), 1);
  } else {
    ::unsetenv("ASAN_OPTIONS");
  }
  BOOST_TEST(full.exit_code == 5);
  BOOST_TEST(full.signal == 0, full.err);
  BOOST_TEST(full.err.rfind("evidence-index: cannot write the index: ", 0) == 0U, full.err);
  BOOST_TEST(full.err.find("No space left on device") != std::string::npos, full.err);
  // The failed write stopped the run: no extraction started after it. The disk fills after
  // a few documents, and the writer is slower than the workers on these pages of rare
  // words, so the workers were ahead by some tens of files (8 to 44 of 120 in runs on two
  // busy cores); a run that went on extracting sent all of them.
  std::size_t sent = files_sent(jobs_log).size();
  BOOST_TEST_MESSAGE("the run sent " << sent << " of " << kDocuments << " files to its workers");
  BOOST_TEST(sent > 0U);
  BOOST_TEST(sent < static_cast<std::size_t>(kDocuments / 2));

  // The last committed state opens, and each document in it has all its pages.
  {
    Xapian::Database db(index.string());
    Xapian::doccount documents = db.get_termfreq(layout::kDocumentKindTerm);
    BOOST_TEST_MESSAGE("the full disk held " << documents << " documents");
    BOOST_TEST(documents < static_cast<Xapian::doccount>(kDocuments));
    BOOST_TEST(db.get_termfreq(layout::kPageKindTerm) == documents * static_cast<Xapian::doccount>(kPages));
  }
  // With room again, a re-run completes the work.
  BOOST_REQUIRE(disk.resize("64m"));
  auto summary = summary_of(run_indexer(corpus, index));
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["documents_in_index"] == kDocuments);
  BOOST_TEST(summary["pages_in_index"] == kDocuments * kPages);
}

BOOST_AUTO_TEST_SUITE_END()
