// The Evidence Library as installed: `cmake --install` of this build tree into a temporary
// prefix, then the installed evidence-index and evidence-server run from a folder that has
// nothing to do with the project, told only where the data directory and the corpus are.
#define BOOST_TEST_MODULE install
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "corpus_builder.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::testing::Child;
using evidence::testing::HttpClient;
using evidence::testing::ProcessResult;
using evidence::testing::run_process;
using evidence::testing::TempDir;
using evidence::testing::write_pages;
using nlohmann::json;

// This build tree installed into a temporary prefix, once for all the cases.
class Installation {
 public:
  Installation() {
    ProcessResult installed =
        run_process({EVIDENCE_CMAKE_COMMAND, "--install", EVIDENCE_BUILD_DIR, "--prefix", prefix().string()});
    if (installed.exit_code != 0)
      throw std::runtime_error("cmake --install failed: " + installed.out + installed.err);
  }
  fs::path prefix() const { return dir_.path() / "prefix"; }
  std::string bin(const std::string& name) const { return (prefix() / "bin" / name).string(); }
  fs::path share() const { return prefix() / "share" / "evidence-library"; }

 private:
  TempDir dir_;
};

const Installation& installation() {
  static const Installation once;
  return once;
}

// A corpus of two PDFs, an empty data directory, and a working directory elsewhere.
struct Library {
  Library() {
    write_pages(corpus() / "returns.pdf",
                {"Cover.", "An evaluation of assisted voluntary return and reintegration programmes."},
                "Returns");
    write_pages(corpus() / "fishing.pdf", {"Forced labour on fishing vessels."}, "Fishing");
    fs::create_directories(data());
    fs::create_directories(elsewhere());
  }
  fs::path corpus() const { return dir.path() / "corpus"; }
  fs::path data() const { return dir.path() / "data"; }
  fs::path elsewhere() const { return dir.path() / "elsewhere"; }

  TempDir dir;
};

}  // namespace

BOOST_AUTO_TEST_CASE(install_puts_each_file_where_debian_expects_it) {
  const Installation& installed = installation();
  for (const char* file :
       {"bin/evidence-index", "bin/evidence-server", "share/evidence-library/thesaurus.json",
        "share/evidence-library/openapi.json", "share/evidence-library/document.schema.json",
        "share/evidence-library/vocabularies/themes.json", "share/evidence-library/api/search.schema.json",
        "share/doc/evidence-library/README.md", "share/doc/evidence-library/docs/operating.md",
        "lib/systemd/system/evidence-server.service", "lib/systemd/system/evidence-index-watch.service"}) {
    BOOST_TEST(fs::is_regular_file(installed.prefix() / file), file);
  }
}

BOOST_AUTO_TEST_CASE(the_installed_server_runs_from_another_folder_with_its_thesaurus) {
  const Installation& installed = installation();
  Library library;
  ProcessResult indexed = run_process({installed.bin("evidence-index"), "--data-dir", library.data().string(),
                                       "--json", "--progress", "never", library.corpus().string()},
                                      library.elsewhere());
  BOOST_REQUIRE_MESSAGE(indexed.exit_code == 0, indexed.err);
  BOOST_TEST(json::parse(indexed.out)["added"] == 2);
  BOOST_TEST(fs::is_directory(library.data() / "index"));

  Child server({installed.bin("evidence-server"), "--data-dir", library.data().string(), "--corpus",
                library.corpus().string(), "--host", "127.0.0.1", "--port", "0", "--threads", "2"},
               library.elsewhere());
  std::string line = server.wait_for_line("listening on http://127.0.0.1:", std::chrono::seconds(20));
  HttpClient client(static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1))));

  json health = client.get("/healthz").json();
  BOOST_TEST(health["documents"] == 2);
  BOOST_TEST(
      fs::equivalent(health["thesaurus"]["file"].get<std::string>(), installed.share() / "thesaurus.json"),
      health.dump());
  BOOST_TEST(health["thesaurus"]["groups"].get<int>() > 0);
  BOOST_TEST(!health["thesaurus"].contains("error"), health.dump());
  // The shipped thesaurus widens an acronym to the words the document has.
  json found = client.get("/api/search?q=AVRR").json();
  BOOST_REQUIRE(found["documents"].size() == 1U);
  BOOST_TEST(found["documents"][0]["title"] == "Returns");
  BOOST_TEST(
      found["also_searched"].dump().find("assisted voluntary return and reintegration") != std::string::npos,
      found.dump());

  // The token command finds the data directory the same way.
  ProcessResult token = run_process({installed.bin("evidence-server"), "token", "add", "alice", "--role",
                                     "editor", "--data-dir", library.data().string()},
                                    library.elsewhere());
  BOOST_TEST(token.exit_code == 0, token.err);
  BOOST_TEST(fs::is_regular_file(library.data() / "tokens.json"));

  server.signal(SIGTERM);
  ProcessResult stopped = server.wait(std::chrono::seconds(10));
  BOOST_TEST(stopped.exit_code == 0);
  // It said which files it used, and kept them all in the data directory.
  BOOST_TEST(stopped.err.find("data directory " + library.data().string() + "; tokens " +
                              (library.data() / "tokens.json").string() + "; audit log " +
                              (library.data() / "audit.jsonl").string()) != std::string::npos,
             stopped.err);
  BOOST_TEST(stopped.err.find("thesaurus " + fs::canonical(installed.share() / "thesaurus.json").string()) !=
                 std::string::npos,
             stopped.err);
  BOOST_TEST(fs::is_regular_file(library.data() / "audit.jsonl"));
  BOOST_TEST(fs::is_empty(library.elsewhere()));
}

BOOST_AUTO_TEST_CASE(a_missing_file_or_folder_it_was_asked_for_refuses_the_start) {
  const Installation& installed = installation();
  Library library;
  auto serve = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv{installed.bin("evidence-server"),
                                  "--data-dir",
                                  library.data().string(),
                                  "--corpus",
                                  library.corpus().string(),
                                  "--port",
                                  "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, library.elsewhere());
  };
  fs::path no_thesaurus = library.dir.path() / "no-such-thesaurus.json";
  ProcessResult refused = serve({"--thesaurus", no_thesaurus.string()});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.out == "");  // it never listened
  BOOST_TEST(refused.err == "evidence-server: --thesaurus " + no_thesaurus.string() + ": no such file\n");

  fs::path no_folder = library.dir.path() / "no-such-folder";
  refused = serve({"--tokens", (no_folder / "tokens.json").string()});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.err == "evidence-server: --tokens " + (no_folder / "tokens.json").string() +
                                ": its folder " + no_folder.string() + " does not exist\n");

  ProcessResult index_refused = run_process(
      {installed.bin("evidence-index"), "--data-dir", no_folder.string(), library.corpus().string()},
      library.elsewhere());
  BOOST_TEST(index_refused.exit_code == 2);
  BOOST_TEST(index_refused.err == "evidence-index: --data-dir " + no_folder.string() + ": no such folder\n");
  BOOST_TEST(!fs::exists(no_folder));
}

BOOST_AUTO_TEST_CASE(a_server_without_its_installed_files_says_so) {
  const Installation& installed = installation();
  Library library;
  // The executable alone, copied out of its prefix and out of the build tree.
  fs::path bare = library.dir.path() / "bare";
  fs::create_directories(bare / "bin");
  fs::copy_file(installed.bin("evidence-server"), bare / "bin" / "evidence-server");
  ProcessResult refused = run_process(
      {(bare / "bin" / "evidence-server").string(), "--data-dir", library.data().string(), "--port", "0"},
      library.elsewhere());
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.err == "evidence-server: the thesaurus it ships with is not installed beside it (no " +
                                (fs::canonical(bare) / "share/evidence-library/thesaurus.json").string() +
                                "); name one with --thesaurus FILE, or none with --thesaurus ''\n",
             refused.err);
  // Told to run without one, it starts.
  Child server({(bare / "bin" / "evidence-server").string(), "--data-dir", library.data().string(),
                "--thesaurus", "", "--host", "127.0.0.1", "--port", "0"},
               library.elsewhere());
  server.wait_for_line("listening on http://127.0.0.1:", std::chrono::seconds(20));
}
