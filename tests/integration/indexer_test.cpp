// evidence-index end to end on corpora the tests generate: add, unchanged, replace,
// remove, identical copies, sidecars, awkward file names, bad files, isolation, locking.
#define BOOST_TEST_MODULE indexer
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <filesystem>
#include <set>

#include <xapian.h>

#include "index_layout.hpp"
#include "records.hpp"
#include "test_support.hpp"

namespace layout = evidence::core::layout;

namespace {

struct Index {
  explicit Index(const fs::path& path) : db(path.string()) {}
  Xapian::doccount documents() const { return db.get_termfreq(layout::kDocumentKindTerm); }
  Xapian::doccount pages() const { return db.get_termfreq(layout::kPageKindTerm); }
  // Every document record, with what it says of its document.
  std::vector<std::pair<Xapian::docid, evidence::core::DocumentInfo>> records() const {
    std::vector<std::pair<Xapian::docid, evidence::core::DocumentInfo>> out;
    for (auto it = db.postlist_begin(layout::kDocumentKindTerm); it != db.postlist_end(layout::kDocumentKindTerm); ++it) {
      auto info = evidence::core::decode_document_info(db.get_document(*it).get_data());
      BOOST_REQUIRE(info.ok());
      out.emplace_back(*it, info.value());
    }
    return out;
  }
  // Every indexed document, by id.
  std::map<std::string, evidence::core::DocumentInfo> all() const {
    std::map<std::string, evidence::core::DocumentInfo> out;
    for (auto& [docid, info] : records()) out.emplace(info.id, std::move(info));
    return out;
  }
  Xapian::Database db;
};

std::string reason_for(const json& summary, const std::string& path) {
  for (const auto& f : summary["failed"]) {
    if (f["path"] == path) return f["reason"].get<std::string>();
  }
  return "(not failed)";
}

// Sets a file's mtime so that the size+mtime pre-check sees a change.
void touch_later(const fs::path& path) {
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(5));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(indexer)

BOOST_AUTO_TEST_CASE(names_starting_with_a_dot_are_not_part_of_the_corpus) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "visible.pdf", {"Visible page."}, "Visible");
  write_pages(corpus / ".incoming" / "upload.pdf", {"Upload in progress."}, "Upload");
  write_pages(corpus / ".withdrawn" / "old.pdf", {"Withdrawn report."}, "Withdrawn");
  write_pages(corpus / "sub" / ".hidden.pdf", {"Hidden file."}, "Hidden");
  write_file(corpus / ".incoming" / "upload.json", R"({"title": "broken)");
  write_file(corpus / ".notes.txt", "not counted");
  json summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["other_files"] == 0);
  Index index(dir / "index");
  auto all = index.all();
  BOOST_REQUIRE_EQUAL(all.size(), 1U);
  BOOST_TEST(all.begin()->second.files.at(0).path == "visible.pdf");
}

BOOST_AUTO_TEST_CASE(add_unchanged_replace_remove) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "a.pdf", {"Aardvark one.", "Aardvark two."}, "Document A");
  write_pages(corpus / "sub" / "b.pdf", {"Badger one."}, "Document B");
  write_pages(corpus / "c.pdf", {"Cormorant one.", "Cormorant two.", "Cormorant three."}, "Document C");

  json first = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(first["added"] == 3);
  BOOST_TEST(first["failed"].size() == 0U);
  BOOST_TEST(first["pages_extracted"] == 6);
  {
    Index index(dir / "index");
    BOOST_TEST(index.documents() == 3U);
    BOOST_TEST(index.pages() == 6U);
  }

  json second = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(second["unchanged"] == 3);
  BOOST_TEST(second["added"] == 0);
  BOOST_TEST(second["pages_extracted"] == 0);

  // Change a's content, delete b.
  write_pages(corpus / "a.pdf", {"Albatross replaced."}, "Document A v2");
  fs::remove(corpus / "sub" / "b.pdf");
  json third = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(third["updated"] == 1);
  BOOST_TEST(third["removed"] == 1);
  BOOST_TEST(third["unchanged"] == 1);
  Index index(dir / "index");
  BOOST_TEST(index.documents() == 2U);
  BOOST_TEST(index.pages() == 4U);  // a: 1 page, c: 3 pages
  BOOST_TEST(index.db.get_termfreq("aardvark") == 0U);
  BOOST_TEST(index.db.get_termfreq("albatross") == 2U);  // document and page record
}

BOOST_AUTO_TEST_CASE(identical_copies_are_one_document) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "report.pdf", {"Kestrel survey."}, "Copy");
  fs::create_directories(corpus / "mirror");
  fs::copy_file(corpus / "report.pdf", corpus / "mirror" / "report copy.pdf");
  json summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 1);
  Index index(dir / "index");
  BOOST_REQUIRE(index.documents() == 1U);
  auto document = index.all().begin()->second;
  BOOST_REQUIRE(document.files.size() == 2U);
  BOOST_TEST(document.files[0].path == "mirror/report copy.pdf");
  BOOST_TEST(document.files[1].path == "report.pdf");
  BOOST_TEST(document.id == document.sha256.substr(0, 16));

  // Removing one copy keeps the document with the other file name.
  fs::remove(corpus / "report.pdf");
  json after = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(after["updated"] == 1);
  BOOST_TEST(after["removed"] == 0);
  Index again(dir / "index");
  BOOST_REQUIRE(again.documents() == 1U);
  BOOST_TEST(again.all().begin()->second.files.size() == 1U);
}

BOOST_AUTO_TEST_CASE(sidecar_metadata_and_fallbacks) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "with-sidecar.pdf", {"Sidecar body."}, "Title inside the PDF");
  write_file(corpus / "with-sidecar.json",
             R"({"id": "fixed-id-1", "title": "Title from sidecar", "countries": ["GB", "NG"], "date": "2021-03",
                 "language": "fr", "type": "report"})");
  write_pages(corpus / "pdf-title.pdf", {"Pdf title body."}, "Title from the info dictionary");
  write_pages(corpus / "no_title_at_all.pdf", {"Nameless body."});
  json summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 3);
  Index index(dir / "index");
  auto all = index.all();
  BOOST_REQUIRE(all.count("fixed-id-1"));
  BOOST_TEST(all["fixed-id-1"].metadata.title == "Title from sidecar");
  BOOST_TEST(all["fixed-id-1"].language == "fr");
  BOOST_TEST(all["fixed-id-1"].metadata_source == "sidecar");
  BOOST_TEST(index.db.get_termfreq("XCgb") == 1U);
  BOOST_TEST(index.db.get_termfreq("Y2021") == 1U);
  std::set<std::string> titles;
  for (const auto& [id, info] : all) titles.insert(info.metadata.title + "|" + info.metadata_source);
  BOOST_TEST(titles.count("Title from the info dictionary|pdf") == 1U);
  BOOST_TEST(titles.count("no title at all|file name") == 1U);
}

BOOST_AUTO_TEST_CASE(invalid_sidecar_is_reported_and_not_indexed) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "bad.pdf", {"Bad metadata body."});
  write_file(corpus / "bad.json", R"({"title": "x", "countries": ["XX"]})");
  write_pages(corpus / "good.pdf", {"Good body."});
  json summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 1);
  BOOST_REQUIRE(summary["failed"].size() == 1U);
  BOOST_TEST(summary["failed"][0]["path"] == "bad.pdf");
  BOOST_TEST(summary["failed"][0]["code"] == "invalid_metadata");
  std::string reason = summary["failed"][0]["reason"];
  BOOST_TEST(reason.find("bad.json") != std::string::npos, reason);
  BOOST_TEST(reason.find("countries[0]") != std::string::npos, reason);
  BOOST_TEST(Index(dir / "index").documents() == 1U);

  // Fixing the sidecar indexes the PDF on the next run.
  write_file(corpus / "bad.json", R"({"title": "Fixed", "countries": ["KE"]})");
  touch_later(corpus / "bad.json");
  json fixed = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(fixed["added"] == 1);
  BOOST_TEST(fixed["failed"].size() == 0U);
}

BOOST_AUTO_TEST_CASE(bad_files_each_get_their_reason) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "fine.pdf", {"Fine body."});
  write_file(corpus / "empty.pdf", "");
  write_file(corpus / "text.pdf", "this is a text file, not a PDF\n");
  write_file(corpus / "garbage.pdf", "%PDF-1.7\n" + std::string(3000, 'z') + "\n");
  write_file(corpus / "notes.txt", "other file\n");
  fs::path outside = dir / "outside.pdf";
  write_pages(outside, {"Outside the corpus."});
  fs::create_symlink(outside, corpus / "link-out.pdf");
  int status = std::system(("qpdf --encrypt u o 256 -- '" + (corpus / "fine.pdf").string() + "' '" +
                            (corpus / "locked.pdf").string() + "'").c_str());
  BOOST_REQUIRE(status == 0);

  json summary = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(summary["added"] == 1);
  BOOST_TEST(summary["other_files"] == 1);
  BOOST_TEST(reason_for(summary, "empty.pdf") == "the file is empty (0 bytes)");
  BOOST_TEST(reason_for(summary, "text.pdf") == "not a PDF: the file does not start with %PDF-");
  BOOST_TEST(reason_for(summary, "locked.pdf") == "the PDF is encrypted and needs a password");
  BOOST_TEST(reason_for(summary, "garbage.pdf").rfind("the PDF is damaged", 0) == 0U);
  BOOST_TEST(reason_for(summary, "link-out.pdf") == "symbolic link leads outside the corpus; not followed");

  // Failed files are remembered: an unchanged re-run does not retry them.
  json again = summary_of(run_indexer(corpus, dir / "index"));
  BOOST_TEST(again["unchanged"] == 1);
  for (const auto& failure : again["failed"]) {
    if (failure["path"] == "locked.pdf" || failure["path"] == "garbage.pdf") BOOST_TEST(failure["remembered"] == true);
  }
}

BOOST_AUTO_TEST_CASE(awkward_file_names_work_end_to_end) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  std::vector<std::string> names = {"with space.pdf", "quote\"and'apostrophe.pdf", "-leading-dash.pdf",
                                    "new\nline.pdf", "latin1-\xe9t\xe9.pdf", "UPPER.PDF", "no-extension"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    write_pages(corpus / names[i], {"Awkward name number " + std::to_string(i) + " zebrafinch."});
  }
  auto result = run_indexer(corpus, dir / "index");
  json summary = summary_of(result);  // also proves the JSON output parses
  BOOST_TEST(summary["added"] == names.size());
  BOOST_TEST(summary["failed"].size() == 0U);
  Index index(dir / "index");
  std::set<std::string> paths;
  for (const auto& [id, info] : index.all()) paths.insert(info.files.at(0).path);
  for (const auto& name : names) BOOST_TEST(paths.count(name) == 1U, name);
  BOOST_TEST(index.db.get_termfreq("zebrafinch") == 2 * names.size());
}

BOOST_AUTO_TEST_CASE(crashing_and_hanging_workers_fail_only_their_file) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "one.pdf", {"One."});
  write_pages(corpus / "two.pdf", {"Two."});
  // Stand-in workers: one that crashes, one that hangs without a word.
  write_file(dir / "crash.sh", "#!/bin/sh\nkill -SEGV $$\n");
  write_file(dir / "hang.sh", "#!/bin/sh\nexec sleep 30\n");
  fs::permissions(dir / "crash.sh", fs::perms::owner_all);
  fs::permissions(dir / "hang.sh", fs::perms::owner_all);

  json crashed = summary_of(run_indexer(corpus, dir / "index1", {"--worker-executable", (dir / "crash.sh").string()}));
  BOOST_TEST(crashed["failed"].size() == 2U);
  std::string reason = crashed["failed"][0]["reason"];
  BOOST_TEST(reason.find("crashed") != std::string::npos, reason);
  BOOST_TEST(reason.find("SIGSEGV") != std::string::npos, reason);

  auto started = std::chrono::steady_clock::now();
  json hung = summary_of(run_indexer(corpus, dir / "index2",
                                     {"--worker-executable", (dir / "hang.sh").string(), "--timeout", "1", "-j", "2"}));
  BOOST_TEST(hung["failed"].size() == 2U);
  BOOST_TEST(hung["failed"][0]["reason"] == "timed out: no progress for 1 s");
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(20)));
}

namespace {

// A record's terms with their wdf and number of positions, and its values: all that ranks
// and matches it, apart from where its positions start.
std::string record_shape(const Xapian::Document& record) {
  std::string out;
  for (auto term = record.termlist_begin(); term != record.termlist_end(); ++term) {
    out += *term + " wdf " + std::to_string(term.get_wdf()) + " positions " +
           std::to_string(term.positionlist_count()) + "\n";
  }
  for (auto value = record.values_begin(); value != record.values_end(); ++value) {
    out += "value " + std::to_string(value.get_valueno()) + " " + *value + "\n";
  }
  return out;
}

// Every page record of an index: its data, terms and positions, sorted.
std::vector<std::string> page_records(const Xapian::Database& db) {
  std::vector<std::string> out;
  for (auto it = db.postlist_begin(layout::kPageKindTerm); it != db.postlist_end(layout::kPageKindTerm); ++it) {
    Xapian::Document page = db.get_document(*it);
    std::string text = page.get_data() + "\n" + record_shape(page);
    for (auto term = page.termlist_begin(); term != page.termlist_end(); ++term) {
      for (auto position = term.positionlist_begin(); position != term.positionlist_end(); ++position) {
        text += *term + "@" + std::to_string(*position) + " ";
      }
    }
    out.push_back(std::move(text));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> long_report_pages() {
  std::vector<std::string> pages;
  for (int n = 1; n <= 25; ++n) {
    pages.push_back("Page " + std::to_string(n) + " of the long report names marker" + std::to_string(n) +
                    ". Labour inspection found debt bondage on " + std::to_string(n * 3) + " vessels.");
  }
  return pages;
}

}  // namespace

BOOST_AUTO_TEST_CASE(long_pdf_read_in_parts_is_indexed_as_if_read_whole) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "long.pdf", long_report_pages(), "Long report");
  write_pages(corpus / "short.pdf", {"A short note on labour inspection."}, "Short note");

  json whole = summary_of(run_indexer(corpus, dir / "whole", {"--split-pages", "0", "-j", "2"}));
  json parts = summary_of(run_indexer(corpus, dir / "parts", {"--split-pages", "10", "-j", "2"}));
  BOOST_TEST(whole["documents_split"] == 0);
  BOOST_TEST(parts["documents_split"] == 1);  // 25 pages: 1-10, 11-20, 21-25; the note is not split
  BOOST_TEST(parts["added"] == 2);
  BOOST_TEST(parts["pages_extracted"] == 26);
  BOOST_TEST(parts["failed"].size() == 0U);

  Index a(dir / "whole");
  Index b(dir / "parts");
  BOOST_TEST(b.pages() == 26U);
  BOOST_TEST(page_records(a.db) == page_records(b.db), boost::test_tools::per_element());
  // Document records by title (ids come from the content, the same in both indexes).
  auto by_title = [](const Index& index) {
    std::map<std::string, Xapian::docid> out;
    for (const auto& [docid, info] : index.records()) out.emplace(info.metadata.title, docid);
    return out;
  };
  auto in_a = by_title(a);
  auto in_b = by_title(b);
  BOOST_REQUIRE(in_a.size() == 2U);
  BOOST_REQUIRE(in_b.size() == 2U);
  for (const std::string title : {"Long report", "Short note"}) {
    BOOST_TEST(record_shape(a.db.get_document(in_a.at(title))) == record_shape(b.db.get_document(in_b.at(title))), title);
    BOOST_TEST(a.db.get_doclength(in_a.at(title)) == b.db.get_doclength(in_b.at(title)), title);
  }
  auto info = evidence::core::decode_document_info(b.db.get_document(in_b.at("Long report")).get_data()).value();
  BOOST_TEST(info.page_count == 25);
  BOOST_TEST(info.language == "en");

  // Phrases match in the later parts' text, and do not run across pages or parts.
  auto count = [&](const Index& index, Xapian::Query query) {
    Xapian::Enquire enquire(index.db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(layout::kDocumentKindTerm)));
    return enquire.get_mset(0, 10).size();
  };
  auto phrase = [](std::vector<std::string> words) {
    return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end());
  };
  for (const Index* index : {&a, &b}) {
    BOOST_TEST(count(*index, phrase({"names", "marker23"})) == 1U);
    BOOST_TEST(count(*index, phrase({"on", "75", "vessels"})) == 1U);
    BOOST_TEST(count(*index, phrase({"vessels", "page", "21"})) == 0U);  // end of part 2, start of 3
    BOOST_TEST(count(*index, phrase({"vessels", "page", "11"})) == 0U);  // end of page 10, start of 11
  }
}

BOOST_AUTO_TEST_CASE(a_failed_part_fails_the_whole_pdf_and_nothing_of_it_is_indexed) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "long.pdf", long_report_pages(), "Long report");
  // The first worker started is the real one and reads the first part; every later worker
  // crashes, so some later part of the PDF fails.
  write_file(dir / "worker.sh", "#!/bin/sh\nif mkdir '" + (dir / "first").string() + "' 2>/dev/null; then exec '" +
                                    evidence::testing::binary("evidence-index") + "' \"$@\"; fi\nkill -SEGV $$\n");
  fs::permissions(dir / "worker.sh", fs::perms::owner_all);
  json failed = summary_of(run_indexer(corpus, dir / "index",
                                       {"--split-pages", "10", "-j", "2", "--worker-executable", (dir / "worker.sh").string()}));
  BOOST_TEST(failed["added"] == 0);
  BOOST_TEST(failed["documents_split"] == 0);
  BOOST_REQUIRE(failed["failed"].size() == 1U);
  std::string reason = failed["failed"][0]["reason"];
  BOOST_TEST(reason.find("SIGSEGV") != std::string::npos, reason);
  {
    Index index(dir / "index");
    BOOST_TEST(index.documents() == 0U);
    BOOST_TEST(index.pages() == 0U);
  }
  json retried = summary_of(run_indexer(corpus, dir / "index", {"--split-pages", "10", "-j", "2", "--retry-failed"}));
  BOOST_TEST(retried["added"] == 1);
  BOOST_TEST(retried["documents_split"] == 1);
  Index index(dir / "index");
  BOOST_TEST(index.pages() == 25U);

  auto too_small = run_indexer(corpus, dir / "index", {"--split-pages", "5"});
  BOOST_TEST(too_small.exit_code != 0);
  BOOST_TEST(too_small.err.find("a part is at least 10 pages") != std::string::npos, too_small.err);
}

BOOST_AUTO_TEST_CASE(locked_index_and_missing_corpus_are_clear_errors) {
  TempDir dir;
  fs::path corpus = dir / "corpus";
  write_pages(corpus / "a.pdf", {"A."});
  auto missing = run_indexer(dir / "nope", dir / "index");
  BOOST_TEST(missing.exit_code == 3);
  BOOST_TEST(missing.err.find("does not exist") != std::string::npos, missing.err);

  Xapian::WritableDatabase holder((dir / "index").string(), Xapian::DB_CREATE_OR_OPEN);
  auto locked = run_indexer(corpus, dir / "index");
  BOOST_TEST(locked.exit_code == 4);
  BOOST_TEST(locked.err.find("another process") != std::string::npos, locked.err);
}

// A full build compacts at its end (the summary gives both sizes); an update does not;
// --no-compact keeps the build as it is.
BOOST_AUTO_TEST_CASE(a_full_build_compacts_and_an_update_does_not) {
  TempDir dir;
  for (int i = 0; i < 5; ++i)
    write_pages(dir / "corpus" / ("d" + std::to_string(i) + ".pdf"),
                {"Bilby " + std::to_string(i), "More text."}, "Doc");
  json built = summary_of(run_indexer(dir / "corpus", dir / "index", {"--batch-pages", "1"}));
  BOOST_REQUIRE(built["compaction"].is_object());
  BOOST_TEST(built["compaction"]["bytes_after"].get<std::uint64_t>() <
             built["compaction"]["bytes_before"].get<std::uint64_t>());
  BOOST_TEST(built["compaction_problem"] == "");
  BOOST_TEST(Index(dir / "index").documents() == 5U);
  write_pages(dir / "corpus" / "late.pdf", {"Bilby late."}, "Late");
  json updated = summary_of(run_indexer(dir / "corpus", dir / "index"));
  BOOST_TEST(updated["compaction"].is_null());
  json kept = summary_of(run_indexer(dir / "corpus", dir / "other", {"--no-compact"}));
  BOOST_TEST(kept["compaction"].is_null());
  auto text = run_process({binary("evidence-index"), "--progress", "never", "--index",
                           (dir / "third").string(), (dir / "corpus").string()});
  BOOST_TEST(text.out.find("compacted the index: ") != std::string::npos, text.out);
}

// evidence-index compact killed with its copy built, before the exchange: the index is the
// old one, whole; the next run (of either command) removes the copy.
BOOST_AUTO_TEST_CASE(a_killed_compaction_leaves_the_index_whole) {
  TempDir dir;
  for (int i = 0; i < 4; ++i)
    write_pages(dir / "corpus" / ("d" + std::to_string(i) + ".pdf"), {"Quoll " + std::to_string(i)}, "Doc");
  summary_of(run_indexer(dir / "corpus", dir / "index", {"--batch-pages", "1", "--no-compact"}));
  std::string uuid = Xapian::Database((dir / "index").string()).get_uuid();
  Child compact({binary("evidence-index"), "compact", "--index", (dir / "index").string(),
                 "--pause-before-exchange", "60000"});
  compact.wait_for_line("evidence-index: the compacted copy is built", std::chrono::seconds(20));
  compact.signal(SIGKILL);
  (void)compact.wait(std::chrono::seconds(10));
  BOOST_TEST(fs::exists(dir / ".index.compact" / "iamglass"));
  BOOST_TEST(Xapian::Database((dir / "index").string()).get_uuid() == uuid);
  BOOST_TEST(Index(dir / "index").documents() == 4U);
  write_pages(dir / "corpus" / "late.pdf", {"Quoll late."}, "Late");
  BOOST_TEST(summary_of(run_indexer(dir / "corpus", dir / "index"))["added"] == 1);
  BOOST_TEST(!fs::exists(dir / ".index.compact"));
  auto again = run_process({binary("evidence-index"), "compact", "--index", (dir / "index").string()});
  BOOST_TEST(again.exit_code == 0, again.err);
  BOOST_TEST(Index(dir / "index").documents() == 5U);
}

BOOST_AUTO_TEST_CASE(compact_names_what_is_not_an_index) {
  TempDir dir;
  auto missing = run_process({binary("evidence-index"), "compact", "--index", (dir / "none").string()});
  BOOST_TEST(missing.exit_code == 3);
  BOOST_TEST(missing.err == "evidence-index: there is no index at " + (dir / "none").string() + "\n");
  fs::create_directories(dir / "folder");
  auto folder = run_process({binary("evidence-index"), "compact", "--index", (dir / "folder").string()});
  BOOST_TEST(folder.exit_code == 3);
  BOOST_TEST(folder.err == "evidence-index: " + (dir / "folder").string() +
                               " is not an index (no Xapian glass database in it)\n");
  BOOST_TEST(!fs::exists(dir / "none"));
}

BOOST_AUTO_TEST_SUITE_END()
