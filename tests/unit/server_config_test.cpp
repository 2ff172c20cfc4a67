// Tests of search-server/server_config.hpp: command lines and the environment read into
// ServerConfig, paths resolved from the data directory and the installed files.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "command_line_fixture.hpp"
#include "corpus_builder.hpp"
#include "server_config.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::server::parse_server_args;
using evidence::testing::CleanEnvironment;
using evidence::testing::cores;
using evidence::testing::kConversionError;
using evidence::testing::kExtrasError;
using evidence::testing::kValidationError;
using evidence::testing::TempDir;

const fs::path kSourceThesaurus = fs::path(EVIDENCE_SOURCE_DIR) / "schemas" / "thesaurus.json";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(server_config, CleanEnvironment)

BOOST_AUTO_TEST_CASE(server_defaults) {
  auto parsed = parse_server_args({"evidence-server"});
  BOOST_REQUIRE(parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == 0);
  BOOST_TEST(parsed.message == "");
  const auto& c = *parsed.config;
  // Each path from the data directory, var/ in the working directory, made absolute.
  BOOST_TEST(c.data_dir == fs::current_path() / "var");
  BOOST_TEST(c.index == fs::current_path() / "var/index");
  BOOST_TEST(c.corpus == fs::current_path() / "var/corpus");
  BOOST_TEST(c.tokens == fs::current_path() / "var/tokens.json");
  BOOST_TEST(c.audit_log == fs::current_path() / "var/audit.jsonl");
  // The thesaurus it ships with: this test runs in the build tree, so the source tree's.
  BOOST_TEST(fs::equivalent(c.thesaurus, kSourceThesaurus), c.thesaurus);
  BOOST_TEST(c.host == "127.0.0.1");
  BOOST_TEST(c.port == 8080);
  BOOST_TEST(c.public_url == "http://localhost:8080");
  BOOST_TEST(c.threads == cores());
  BOOST_TEST(c.max_header_bytes == 16U * 1024U);
  BOOST_TEST(c.max_body_bytes == 64U * 1024U);
  BOOST_TEST(c.header_timeout.count() == 10);
  BOOST_TEST(c.request_timeout.count() == 30);
  BOOST_TEST(c.idle_timeout.count() == 60);
  BOOST_TEST(c.max_connections == 10000U);
  BOOST_TEST(c.max_connections_per_address == 512U);
  BOOST_TEST(c.max_unfinished_per_address == 64U);
  BOOST_TEST(c.write_timeout.count() == 600);
  BOOST_TEST(c.ocr_max_pages == 500);
  BOOST_TEST(c.refresh_interval.count() == 200);
  BOOST_TEST(c.match_time_limit.count() == 500);
  BOOST_TEST(c.log_level == "info");
}

BOOST_AUTO_TEST_CASE(server_every_flag) {
  TempDir dir;
  fs::create_directories(dir / "corpus");
  evidence::testing::write_file(dir / "thesaurus.json", "{}");
  auto parsed = parse_server_args({"evidence-server",
                                   "--data-dir",
                                   dir.path().string(),
                                   "--index",
                                   (dir / "index").string(),
                                   "--corpus",
                                   (dir / "corpus").string(),
                                   "--thesaurus",
                                   (dir / "thesaurus.json").string(),
                                   "--host",
                                   "0.0.0.0",
                                   "--port",
                                   "0",
                                   "--threads",
                                   "3",
                                   "--max-header-bytes",
                                   "2048",
                                   "--max-body-bytes",
                                   "100",
                                   "--request-timeout",
                                   "5",
                                   "--idle-timeout",
                                   "7",
                                   "--header-timeout",
                                   "4",
                                   "--max-connections-per-address",
                                   "20",
                                   "--max-unfinished-per-address",
                                   "6",
                                   "--write-timeout",
                                   "90",
                                   "--ocr-max-pages",
                                   "12",
                                   "--max-connections",
                                   "50",
                                   "--log-level",
                                   "debug",
                                   "--bm25-k1",
                                   "0.9",
                                   "--bm25-b",
                                   "0.5",
                                   "--page-bm25-k1",
                                   "2",
                                   "--page-bm25-b",
                                   "0.25",
                                   "--tokens",
                                   (dir / "tokens.json").string(),
                                   "--audit-log",
                                   (dir / "audit.jsonl").string()});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  const auto& c = *parsed.config;
  BOOST_TEST(c.bm25_k1 == 0.9);
  BOOST_TEST(c.bm25_b == 0.5);
  BOOST_TEST(c.page_bm25_k1 == 2.0);
  BOOST_TEST(c.page_bm25_b == 0.25);
  BOOST_TEST(c.data_dir == dir.path());
  BOOST_TEST(c.index == dir / "index");
  BOOST_TEST(c.corpus == dir / "corpus");
  BOOST_TEST(c.thesaurus == dir / "thesaurus.json");
  BOOST_TEST(c.host == "0.0.0.0");
  BOOST_TEST(c.port == 0);
  BOOST_TEST(c.threads == 3);
  BOOST_TEST(c.max_header_bytes == 2048U);
  BOOST_TEST(c.max_body_bytes == 100U);
  BOOST_TEST(c.request_timeout.count() == 5);
  BOOST_TEST(c.idle_timeout.count() == 7);
  BOOST_TEST(c.header_timeout.count() == 4);
  BOOST_TEST(c.max_connections_per_address == 20U);
  BOOST_TEST(c.max_unfinished_per_address == 6U);
  BOOST_TEST(c.write_timeout.count() == 90);
  BOOST_TEST(c.ocr_max_pages == 12);
  BOOST_TEST(c.max_connections == 50U);
  BOOST_TEST(c.log_level == "debug");
  BOOST_TEST(c.tokens == dir / "tokens.json");
  BOOST_TEST(c.audit_log == dir / "audit.jsonl");
}

BOOST_AUTO_TEST_CASE(server_public_url) {
  auto given =
      parse_server_args({"evidence-server", "--public-url", "https://evidence.example.org/library/"});
  BOOST_REQUIRE_MESSAGE(given.config.has_value(), given.message);
  BOOST_TEST(given.config->public_url == "https://evidence.example.org/library");  // no trailing '/'
  auto derived = parse_server_args({"evidence-server", "--host", "10.1.2.3", "--port", "9000"});
  BOOST_REQUIRE_MESSAGE(derived.config.has_value(), derived.message);
  BOOST_TEST(derived.config->public_url == "http://10.1.2.3:9000");
  auto wildcard = parse_server_args({"evidence-server", "--host", "0.0.0.0", "--port", "80"});
  BOOST_REQUIRE_MESSAGE(wildcard.config.has_value(), wildcard.message);
  BOOST_TEST(wildcard.config->public_url == "http://localhost:80");
  // With --port 0 the port is known only once bound: the server derives the URL then.
  auto any_port = parse_server_args({"evidence-server", "--port", "0"});
  BOOST_REQUIRE_MESSAGE(any_port.config.has_value(), any_port.message);
  BOOST_TEST(any_port.config->public_url == "");
  BOOST_TEST(evidence::server::default_public_url("::1", 8080) == "http://localhost:8080");
  BOOST_TEST(evidence::server::default_public_url("fd00::5", 8080) == "http://[fd00::5]:8080");
  ::setenv("EVIDENCE_PUBLIC_URL", "http://library.local", 1);
  auto from_env = parse_server_args({"evidence-server"});
  BOOST_REQUIRE_MESSAGE(from_env.config.has_value(), from_env.message);
  BOOST_TEST(from_env.config->public_url == "http://library.local");
  for (const char* bad : {"ftp://x.org", "evidence.example.org", "http://", "http:///path", "http://a b"}) {
    auto parsed = parse_server_args({"evidence-server", "--public-url", bad});
    BOOST_TEST(!parsed.config.has_value(), bad);
    BOOST_TEST(parsed.exit_code == kValidationError, bad);
  }
}

BOOST_AUTO_TEST_CASE(server_request_access) {
  auto none = parse_server_args({"evidence-server"});
  BOOST_REQUIRE_MESSAGE(none.config.has_value(), none.message);
  BOOST_TEST(none.config->request_access == "");
  const std::string mail = "mailto:library@example.org?subject=Access%20to%20{title}&body={link}";
  auto given = parse_server_args({"evidence-server", "--request-access", mail});
  BOOST_REQUIRE_MESSAGE(given.config.has_value(), given.message);
  BOOST_TEST(given.config->request_access == mail);
  ::setenv("EVIDENCE_REQUEST_ACCESS", "https://example.org/ask?doc={id}", 1);
  auto from_env = parse_server_args({"evidence-server"});
  BOOST_REQUIRE_MESSAGE(from_env.config.has_value(), from_env.message);
  BOOST_TEST(from_env.config->request_access == "https://example.org/ask?doc={id}");
  ::unsetenv("EVIDENCE_REQUEST_ACCESS");
  auto bad = parse_server_args({"evidence-server", "--request-access", "https://example.org/ask?doc={name}"});
  BOOST_TEST(!bad.config.has_value());
  BOOST_TEST(bad.exit_code == kValidationError);
  BOOST_TEST(
      bad.message ==
          "--request-access: has {name} where only the placeholders {title}, {id} and {link} may stand\n"
          "Run with --help for more information.\n",
      bad.message);
}

BOOST_AUTO_TEST_CASE(server_flags_with_equals) {
  auto parsed = parse_server_args({"evidence-server", "--port=9090", "--index=idx"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->port == 9090);
  BOOST_TEST(parsed.config->index == fs::current_path() / "idx");
}

BOOST_AUTO_TEST_CASE(server_environment_and_flag_precedence) {
  TempDir dir;
  ::setenv("EVIDENCE_PORT", "9000", 1);
  ::setenv("EVIDENCE_INDEX", (dir / "index").c_str(), 1);
  auto from_env = parse_server_args({"evidence-server"});
  BOOST_REQUIRE_MESSAGE(from_env.config.has_value(), from_env.message);
  BOOST_TEST(from_env.config->port == 9000);
  BOOST_TEST(from_env.config->index == dir / "index");
  auto from_flag = parse_server_args({"evidence-server", "--port", "9100"});
  BOOST_REQUIRE_MESSAGE(from_flag.config.has_value(), from_flag.message);
  BOOST_TEST(from_flag.config->port == 9100);
}

BOOST_AUTO_TEST_CASE(server_help) {
  auto parsed = parse_server_args({"evidence-server", "--help"});
  BOOST_TEST(!parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == 0);
  BOOST_TEST(parsed.message.find("evidence-server: full-text search over the Evidence Library index") !=
                 std::string::npos,
             parsed.message);
  BOOST_TEST(parsed.message.find("--port") != std::string::npos);
  BOOST_TEST(parsed.message.find("--index") != std::string::npos);
  BOOST_TEST(parsed.message.find("--tokens") != std::string::npos);
  BOOST_TEST(parsed.message.find("evidence-server token add|revoke|list") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(server_version) {
  auto parsed = parse_server_args({"evidence-server", "--version"});
  BOOST_TEST(!parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == 0);
  BOOST_TEST(parsed.message.find("evidence-server 0.1.0") != std::string::npos, parsed.message);
}

BOOST_AUTO_TEST_CASE(server_bad_values) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {{"evidence-server", "--port", "abc"}, kConversionError},
      {{"evidence-server", "--port", "70000"}, kConversionError},
      {{"evidence-server", "--threads", "999"}, kValidationError},
      {{"evidence-server", "--threads", "-1"}, kValidationError},
      {{"evidence-server", "--max-header-bytes", "10"}, kValidationError},
      {{"evidence-server", "--request-timeout", "0"}, kValidationError},
      {{"evidence-server", "--idle-timeout", "3601"}, kValidationError},
      {{"evidence-server", "--header-timeout", "0"}, kValidationError},
      {{"evidence-server", "--max-connections-per-address", "0"}, kValidationError},
      {{"evidence-server", "--write-timeout", "0"}, kValidationError},
      {{"evidence-server", "--ocr-max-pages", "-1"}, kValidationError},
      {{"evidence-server", "--log-level", "loud"}, kValidationError},
      {{"evidence-server", "--match-time-limit", "-1"}, kValidationError},
      {{"evidence-server", "--match-time-limit", "600001"}, kValidationError},
      {{"evidence-server", "--no-such-flag"}, kExtrasError},
      {{"evidence-server", "stray"}, kExtrasError},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.args[1] << " " << (c.args.size() > 2 ? c.args[2] : "")) {
      auto parsed = parse_server_args(c.args);
      BOOST_TEST(!parsed.config.has_value());
      BOOST_TEST(parsed.exit_code == c.exit_code);
      BOOST_TEST(!parsed.message.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(server_match_time_limit) {
  auto parsed = parse_server_args({"evidence-server", "--match-time-limit", "250"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->match_time_limit.count() == 250);
  auto none = parse_server_args({"evidence-server", "--match-time-limit=0"});  // no limit
  BOOST_REQUIRE_MESSAGE(none.config.has_value(), none.message);
  BOOST_TEST(none.config->match_time_limit.count() == 0);
}

BOOST_AUTO_TEST_CASE(server_threads_zero_means_one_per_core) {
  auto parsed = parse_server_args({"evidence-server", "--threads", "0"});
  BOOST_REQUIRE(parsed.config.has_value());
  BOOST_TEST(parsed.config->threads == cores());
  BOOST_TEST(parsed.config->threads >= 1);
}

BOOST_AUTO_TEST_CASE(server_data_dir_holds_every_default) {
  TempDir dir;
  for (bool from_env : {false, true}) {
    BOOST_TEST_CONTEXT((from_env ? "EVIDENCE_DATA_DIR" : "--data-dir")) {
      if (from_env) ::setenv("EVIDENCE_DATA_DIR", dir.path().c_str(), 1);
      auto parsed = from_env ? parse_server_args({"evidence-server"})
                             : parse_server_args({"evidence-server", "--data-dir", dir.path().string()});
      BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
      const auto& c = *parsed.config;
      BOOST_TEST(c.data_dir == dir.path());
      BOOST_TEST(c.index == dir / "index");
      BOOST_TEST(c.corpus == dir / "corpus");
      BOOST_TEST(c.tokens == dir / "tokens.json");
      BOOST_TEST(c.audit_log == dir / "audit.jsonl");
      BOOST_TEST(fs::equivalent(c.thesaurus, kSourceThesaurus));  // not kept in the data directory
    }
  }
  // A flag still names its own place; the others stay in the data directory.
  fs::create_directories(dir / "other");
  auto parsed = parse_server_args({"evidence-server", "--index", (dir / "other/index").string(), "--tokens",
                                   (dir / "other/tokens.json").string()});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->index == dir / "other/index");
  BOOST_TEST(parsed.config->tokens == dir / "other/tokens.json");
  BOOST_TEST(parsed.config->audit_log == dir / "audit.jsonl");
}

BOOST_AUTO_TEST_CASE(server_relative_paths_become_absolute) {
  auto parsed = parse_server_args({"evidence-server", "--data-dir", ".", "--index", "./idx/../index"});
  BOOST_REQUIRE_MESSAGE(parsed.config.has_value(), parsed.message);
  BOOST_TEST(parsed.config->data_dir == fs::current_path() / "");
  BOOST_TEST(parsed.config->index == fs::current_path() / "index");
  BOOST_TEST(parsed.config->tokens == fs::current_path() / "tokens.json");
}

// A path named on the command line or in the environment that is missing stops the start,
// every one said on its own line; a file that does not exist yet in a folder that does is
// fine (the server creates it, or waits for the indexer to).
BOOST_AUTO_TEST_CASE(server_refuses_to_start_without_what_it_was_asked_for) {
  TempDir dir;
  const std::string no = (dir / "no").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--thesaurus", no + "/thesaurus.json"}, "--thesaurus " + no + "/thesaurus.json: no such file"},
      {{"--thesaurus", dir.path().string()}, "--thesaurus " + dir.path().string() + ": a folder, not a file"},
      {{"--data-dir", no}, "--data-dir " + no + ": no such folder"},
      {{"--corpus", no}, "--corpus " + no + ": no such folder"},
      {{"--index", no + "/index"}, "--index " + no + "/index: its folder " + no + " does not exist"},
      {{"--tokens", no + "/tokens.json"},
       "--tokens " + no + "/tokens.json: its folder " + no + " does not exist"},
      {{"--audit-log", no + "/audit.jsonl"},
       "--audit-log " + no + "/audit.jsonl: its folder " + no + " does not exist"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.args[0]) {
      std::vector<std::string> args{"evidence-server"};
      args.insert(args.end(), c.args.begin(), c.args.end());
      auto parsed = parse_server_args(args);
      BOOST_TEST(!parsed.config.has_value());
      BOOST_TEST(parsed.exit_code == 2);
      BOOST_TEST(parsed.message == "evidence-server: " + c.message + "\n");
    }
  }
  ::setenv("EVIDENCE_THESAURUS", (no + "/thesaurus.json").c_str(), 1);
  ::setenv("EVIDENCE_CORPUS", no.c_str(), 1);
  auto from_env = parse_server_args({"evidence-server"});
  BOOST_TEST(from_env.exit_code == 2);
  BOOST_TEST(from_env.message == "evidence-server: --corpus " + no + ": no such folder\n" +
                                     "evidence-server: --thesaurus " + no +
                                     "/thesaurus.json: no such file\n");
  ::unsetenv("EVIDENCE_THESAURUS");
  ::unsetenv("EVIDENCE_CORPUS");
  // A portal reads neither --index nor --corpus: its shards file names its shards.
  evidence::testing::write_file(dir / "shards.json",
                                R"({"shards": [{"name": "a", "remote": "127.0.0.1:7001"}]})");
  auto portal = parse_server_args(
      {"evidence-server", "--shards", (dir / "shards.json").string(), "--index", no, "--corpus", no});
  BOOST_TEST(portal.config.has_value(), portal.message);
  // Not yet there, in folders that are: created later.
  auto to_come = parse_server_args({"evidence-server", "--data-dir", dir.path().string(), "--index",
                                    (dir / "index").string(), "--tokens", (dir / "tokens.json").string(),
                                    "--audit-log", (dir / "audit.jsonl").string()});
  BOOST_TEST(to_come.config.has_value(), to_come.message);
}

BOOST_AUTO_TEST_CASE(server_thesaurus_installed_beside_it_named_or_none) {
  TempDir prefix;
  const fs::path executable = prefix / "bin/evidence-server";
  auto missing = parse_server_args({"evidence-server"}, executable);
  BOOST_TEST(!missing.config.has_value());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.message ==
             "evidence-server: the thesaurus it ships with is not installed beside it (no " +
                 (prefix / "share/evidence-library/thesaurus.json").string() +
                 "); name one with --thesaurus FILE, or none with --thesaurus ''\n");
  auto none = parse_server_args({"evidence-server", "--thesaurus", ""}, executable);
  BOOST_REQUIRE_MESSAGE(none.config.has_value(), none.message);
  BOOST_TEST(none.config->thesaurus.empty());

  evidence::testing::write_file(prefix / "share/evidence-library/thesaurus.json", "{}");
  auto installed = parse_server_args({"evidence-server"}, executable);
  BOOST_REQUIRE_MESSAGE(installed.config.has_value(), installed.message);
  BOOST_TEST(installed.config->thesaurus == prefix / "share/evidence-library/thesaurus.json");
  ::setenv("EVIDENCE_THESAURUS", kSourceThesaurus.c_str(), 1);
  auto named = parse_server_args({"evidence-server"}, executable);
  BOOST_REQUIRE_MESSAGE(named.config.has_value(), named.message);
  BOOST_TEST(named.config->thesaurus == kSourceThesaurus.lexically_normal());
}

BOOST_AUTO_TEST_SUITE_END()
