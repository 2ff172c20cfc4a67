// Tests of common/locations.hpp: the data directory's layout, the shipped files found beside
// an installed executable or in the source tree, and what is said about a missing path.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "corpus_builder.hpp"
#include "locations.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::core::path_problem;
using evidence::core::PathMust;
using evidence::testing::TempDir;

}  // namespace

BOOST_AUTO_TEST_SUITE(locations)

BOOST_AUTO_TEST_CASE(a_data_directory_holds_the_index_corpus_tokens_and_audit_log) {
  evidence::core::DataDir data{"/var/lib/evidence-library"};
  BOOST_TEST(data.index() == "/var/lib/evidence-library/index");
  BOOST_TEST(data.corpus() == "/var/lib/evidence-library/corpus");
  BOOST_TEST(data.tokens() == "/var/lib/evidence-library/tokens.json");
  BOOST_TEST(data.audit_log() == "/var/lib/evidence-library/audit.jsonl");
}

BOOST_AUTO_TEST_CASE(absolute_paths_are_read_from_the_working_directory) {
  using evidence::core::absolute_path;
  BOOST_TEST(absolute_path("var") == fs::current_path() / "var");
  BOOST_TEST(absolute_path("/srv/evidence/../data/./index") == "/srv/data/index");
  BOOST_TEST(absolute_path("") == "");
}

BOOST_AUTO_TEST_CASE(an_installed_executable_finds_share_beside_its_bin) {
  TempDir prefix;
  evidence::testing::write_file(prefix / "share/evidence-library/thesaurus.json", "{}");
  fs::path executable = prefix / "bin/evidence-server";
  BOOST_TEST(evidence::core::shipped_files_dir(executable) == prefix / "share/evidence-library");
  BOOST_TEST(evidence::core::installed_files_dir(executable) == prefix / "share/evidence-library");
}

BOOST_AUTO_TEST_CASE(an_executable_of_the_build_tree_reads_the_source_tree) {
  // This test runs from the build tree, as the executables under test do.
  fs::path shipped = evidence::core::shipped_files_dir(evidence::core::running_executable());
  BOOST_TEST(fs::equivalent(shipped, fs::path(EVIDENCE_SOURCE_DIR) / "schemas"));
}

BOOST_AUTO_TEST_CASE(an_executable_elsewhere_without_share_finds_nothing) {
  TempDir prefix;
  BOOST_TEST(evidence::core::shipped_files_dir(prefix / "bin/evidence-server").empty());
  BOOST_TEST(evidence::core::shipped_files_dir("").empty());
}

BOOST_AUTO_TEST_CASE(what_is_wrong_with_a_path_is_said_with_its_flag) {
  TempDir dir;
  evidence::testing::write_file(dir / "thesaurus.json", "{}");
  BOOST_TEST(path_problem("--thesaurus", dir / "thesaurus.json", PathMust::kBeFile) == "");
  BOOST_TEST(path_problem("--thesaurus", dir / "no.json", PathMust::kBeFile) ==
             "--thesaurus " + (dir / "no.json").string() + ": no such file");
  BOOST_TEST(path_problem("--thesaurus", dir.path(), PathMust::kBeFile) ==
             "--thesaurus " + dir.path().string() + ": a folder, not a file");
  BOOST_TEST(path_problem("--data-dir", dir.path(), PathMust::kBeFolder) == "");
  BOOST_TEST(path_problem("--data-dir", dir / "no", PathMust::kBeFolder) ==
             "--data-dir " + (dir / "no").string() + ": no such folder");
  BOOST_TEST(path_problem("--corpus", dir / "thesaurus.json", PathMust::kBeFolder) ==
             "--corpus " + (dir / "thesaurus.json").string() + ": not a folder");
  // A file that does not exist yet is fine where its folder does: it is created.
  BOOST_TEST(path_problem("--tokens", dir / "tokens.json", PathMust::kBeInFolder) == "");
  BOOST_TEST(path_problem("--tokens", dir / "no/tokens.json", PathMust::kBeInFolder) ==
             "--tokens " + (dir / "no/tokens.json").string() + ": its folder " + (dir / "no").string() +
                 " does not exist");
}

BOOST_AUTO_TEST_SUITE_END()
