// Tests of indexer/indexer_config.hpp: command lines and the environment read into
// IndexerConfig, the index's place in the data directory.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "command_line_fixture.hpp"
#include "indexer_config.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::indexer::IndexerCommand;
using evidence::indexer::parse_indexer_args;
using evidence::indexer::ProgressMode;
using evidence::testing::CleanEnvironment;
using evidence::testing::cores;
using evidence::testing::kExtrasError;
using evidence::testing::kRequiredError;
using evidence::testing::kValidationError;
using evidence::testing::TempDir;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(indexer_config, CleanEnvironment)

BOOST_AUTO_TEST_CASE(indexer_defaults) {
  auto parsed = parse_indexer_args({"evidence-index", "corpus/sample"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.exit_code == 0);
  const auto& c = *parsed.config;
  BOOST_TEST(c.corpus.string() == "corpus/sample");
  BOOST_TEST(c.data_dir == fs::current_path() / "var");
  BOOST_TEST(c.index == fs::current_path() / "var/index");
  BOOST_TEST(c.jobs == cores());
  BOOST_TEST(c.jobs >= 1);
  BOOST_TEST(c.limits.stall_timeout.count() == 60);
  BOOST_TEST(c.limits.memory_limit_mib == 2048U);
  BOOST_TEST(c.limits.max_pages == 100000);
  BOOST_TEST(c.batch_pages == 5000U);
  BOOST_TEST(!c.json_summary);
  BOOST_TEST((c.progress == ProgressMode::kAuto));
  BOOST_TEST(!c.retry_failed);
  BOOST_TEST(c.ocr);
  BOOST_TEST(c.ocr_max_pages == 500);
  BOOST_TEST(c.worker_executable == "");
  BOOST_TEST((c.command == IndexerCommand::kIndex));
  BOOST_TEST(c.compact);
}

BOOST_AUTO_TEST_CASE(indexer_every_flag) {
  TempDir dir;
  auto parsed = parse_indexer_args({"evidence-index",
                                    "--data-dir",
                                    dir.path().string(),
                                    "--index",
                                    (dir / "elsewhere").string(),
                                    "--jobs",
                                    "3",
                                    "--timeout",
                                    "9",
                                    "--memory-limit",
                                    "512",
                                    "--max-pages",
                                    "30",
                                    "--batch-pages",
                                    "100",
                                    "--json",
                                    "--progress",
                                    "never",
                                    "--retry-failed",
                                    "--worker-executable",
                                    "/bin/worker",
                                    "/srv/corpus"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  const auto& c = *parsed.config;
  BOOST_TEST(c.corpus.string() == "/srv/corpus");
  BOOST_TEST(c.data_dir == dir.path());
  BOOST_TEST(c.index == dir / "elsewhere");
  BOOST_TEST(c.jobs == 3);
  BOOST_TEST(c.limits.stall_timeout.count() == 9);
  BOOST_TEST(c.limits.memory_limit_mib == 512U);
  BOOST_TEST(c.limits.max_pages == 30);
  BOOST_TEST(c.batch_pages == 100U);
  BOOST_TEST(c.json_summary);
  BOOST_TEST((c.progress == ProgressMode::kNever));
  BOOST_TEST(c.retry_failed);
  BOOST_TEST(c.worker_executable == "/bin/worker");
}

BOOST_AUTO_TEST_CASE(indexer_short_jobs_and_progress_always) {
  auto parsed = parse_indexer_args({"evidence-index", "corpus", "-j", "2", "--progress", "always"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->jobs == 2);
  BOOST_TEST((parsed.config->progress == ProgressMode::kAlways));
}

BOOST_AUTO_TEST_CASE(indexer_environment) {
  TempDir dir;
  ::setenv("EVIDENCE_INDEX", (dir / "index").c_str(), 1);
  ::setenv("EVIDENCE_JOBS", "4", 1);
  auto parsed = parse_indexer_args({"evidence-index", "corpus"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->index == dir / "index");
  BOOST_TEST(parsed.config->jobs == 4);
}

BOOST_AUTO_TEST_CASE(indexer_ocr_flags) {
  auto off = parse_indexer_args({"evidence-index", "corpus", "--no-ocr"});
  BOOST_REQUIRE_MESSAGE(off.config.has_value(), off.message);
  BOOST_TEST(!off.config->ocr);
  auto bounded = parse_indexer_args({"evidence-index", "corpus", "--ocr-max-pages", "40"});
  BOOST_REQUIRE_MESSAGE(bounded.config.has_value(), bounded.message);
  BOOST_TEST(bounded.config->ocr);
  BOOST_TEST(bounded.config->ocr_max_pages == 40);
}

BOOST_AUTO_TEST_CASE(indexer_ocr_max_pages_zero_means_no_bound) {
  auto parsed = parse_indexer_args({"evidence-index", "corpus", "--ocr-max-pages", "0"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->ocr_max_pages == 0);
}

BOOST_AUTO_TEST_CASE(indexer_jobs_zero_means_one_per_core) {
  auto parsed = parse_indexer_args({"evidence-index", "corpus", "--jobs", "0"});
  BOOST_REQUIRE(parsed.config.has_value());
  BOOST_TEST(parsed.config->jobs == cores());
  BOOST_TEST(parsed.config->jobs >= 1);
}

BOOST_AUTO_TEST_CASE(indexer_requires_corpus) {
  auto parsed = parse_indexer_args({"evidence-index"});
  BOOST_TEST(!parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == kRequiredError);
  BOOST_TEST(parsed.message.find("corpus") != std::string::npos, parsed.message);
  auto only_flags = parse_indexer_args({"evidence-index", "--json"});
  BOOST_TEST(!only_flags.config.has_value());
  BOOST_TEST(only_flags.exit_code == kRequiredError);
}

BOOST_AUTO_TEST_CASE(indexer_help) {
  auto parsed = parse_indexer_args({"evidence-index", "--help"});
  BOOST_TEST(!parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == 0);
  BOOST_TEST(
      parsed.message.find("evidence-index: build or update the Evidence Library index") != std::string::npos,
      parsed.message);
  BOOST_TEST(parsed.message.find("--jobs") != std::string::npos);
  // The worker flag is for tests and stays out of the help.
  BOOST_TEST(parsed.message.find("--worker-executable") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(indexer_bad_values) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {{"evidence-index", "corpus", "--progress", "sometimes"}, kValidationError},
      {{"evidence-index", "corpus", "--jobs", "257"}, kValidationError},
      {{"evidence-index", "corpus", "--jobs", "many"}, kValidationError},  // the range check sees it first
      {{"evidence-index", "corpus", "--timeout", "0"}, kValidationError},
      {{"evidence-index", "corpus", "--batch-pages", "0"}, kValidationError},
      {{"evidence-index", "corpus", "--memory-limit", "lots"}, kValidationError},
      {{"evidence-index", "corpus", "--memory-limit", "-1"}, kValidationError},
      {{"evidence-index", "corpus", "--ocr-max-pages", "-1"}, kValidationError},
      {{"evidence-index", "corpus", "--ocr-max-pages", "all"}, kValidationError},
      {{"evidence-index", "corpus", "--no-such-flag"}, kExtrasError},
      {{"evidence-index", "corpus", "second"}, kExtrasError},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.args[2] << " " << (c.args.size() > 3 ? c.args[3] : "")) {
      auto parsed = parse_indexer_args(c.args);
      BOOST_TEST(!parsed.config.has_value());
      BOOST_TEST(parsed.exit_code == c.exit_code);
      BOOST_TEST(!parsed.message.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(indexer_data_dir_holds_the_index) {
  TempDir dir;
  auto parsed = parse_indexer_args({"evidence-index", "--data-dir", dir.path().string(), "corpus"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->data_dir == dir.path());
  BOOST_TEST(parsed.config->index == dir / "index");
  ::setenv("EVIDENCE_DATA_DIR", dir.path().c_str(), 1);
  auto from_env = parse_indexer_args({"evidence-index", "corpus"});
  BOOST_REQUIRE_MESSAGE(from_env.config.has_value(), from_env.message);
  BOOST_TEST(from_env.config->index == dir / "index");
  auto named = parse_indexer_args({"evidence-index", "--index", "shard", "corpus"});
  BOOST_REQUIRE_MESSAGE(named.config.has_value(), named.message);
  BOOST_TEST(named.config->index == fs::current_path() / "shard");
}

BOOST_AUTO_TEST_CASE(indexer_refuses_a_data_dir_that_is_missing) {
  TempDir dir;
  const std::string no = (dir / "no").string();
  auto no_data = parse_indexer_args({"evidence-index", "--data-dir", no, "corpus"});
  BOOST_TEST(!no_data.config.has_value());
  BOOST_TEST(no_data.exit_code == 2);
  BOOST_TEST(no_data.message == "evidence-index: --data-dir " + no + ": no such folder\n");
  // An --index is created by the run, with the folders above it.
  auto new_index = parse_indexer_args({"evidence-index", "--index", no + "/index", "corpus"});
  BOOST_TEST(new_index.config.has_value(), new_index.message);
}

BOOST_AUTO_TEST_CASE(indexer_no_compact) {
  auto parsed = parse_indexer_args({"evidence-index", "corpus", "--no-compact"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(!parsed.config->compact);
  BOOST_TEST((parsed.config->command == IndexerCommand::kIndex));
}

BOOST_AUTO_TEST_CASE(compact_command) {
  TempDir dir;
  auto parsed =
      parse_indexer_args({"evidence-index", "compact", "--index", (dir / "index").string(), "--json"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST((parsed.config->command == IndexerCommand::kCompact));
  BOOST_TEST(parsed.config->index == dir / "index");
  BOOST_TEST(parsed.config->json_summary);
  BOOST_TEST(parsed.config->corpus.empty());
  BOOST_TEST(parsed.config->compact_pause_ms == 0);
  auto paused = parse_indexer_args({"evidence-index", "compact", "--pause-before-exchange", "1500"});
  BOOST_REQUIRE_MESSAGE(paused.config.has_value(), paused.message);
  BOOST_TEST(paused.config->compact_pause_ms == 1500);
  // The index of the data directory, as a run finds it.
  auto in_data_dir = parse_indexer_args({"evidence-index", "compact", "--data-dir", dir.path().string()});
  BOOST_REQUIRE_MESSAGE(in_data_dir.config.has_value(), in_data_dir.message);
  BOOST_TEST(in_data_dir.config->index == dir / "index");
  BOOST_TEST(!in_data_dir.config->json_summary);
  ::setenv("EVIDENCE_INDEX", (dir / "from-env").c_str(), 1);
  auto from_env = parse_indexer_args({"evidence-index", "compact"});
  BOOST_REQUIRE_MESSAGE(from_env.config.has_value(), from_env.message);
  BOOST_TEST(from_env.config->index == dir / "from-env");
}

BOOST_AUTO_TEST_CASE(compact_command_refuses_what_does_not_apply) {
  TempDir dir;
  const std::string no = (dir / "no").string();
  auto missing_data = parse_indexer_args({"evidence-index", "compact", "--data-dir", no});
  BOOST_TEST(!missing_data.config.has_value());
  BOOST_TEST(missing_data.exit_code == 2);
  BOOST_TEST(missing_data.message == "evidence-index: --data-dir " + no + ": no such folder\n");
  for (const auto& extra :
       std::vector<std::vector<std::string>>{{"evidence-index", "compact", "corpus"},
                                             {"evidence-index", "compact", "--jobs", "2"},
                                             {"evidence-index", "compact", "--no-compact"}}) {
    auto parsed = parse_indexer_args(extra);
    BOOST_TEST(!parsed.config.has_value());
    BOOST_TEST(parsed.exit_code == kExtrasError, parsed.message);
  }
  auto help = parse_indexer_args({"evidence-index", "compact", "--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.message.find("evidence-index compact: compact the index in place") != std::string::npos,
             help.message);
  // The main help names the command.
  auto main_help = parse_indexer_args({"evidence-index", "--help"});
  BOOST_TEST(main_help.message.find("evidence-index compact") != std::string::npos, main_help.message);
  BOOST_TEST(main_help.message.find("--no-compact") != std::string::npos, main_help.message);
}

BOOST_AUTO_TEST_SUITE_END()
