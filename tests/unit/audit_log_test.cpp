// Tests of search-server/auth/audit_log.hpp: the lines are JSON with exactly the agreed
// fields, appended, and the file is private.

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit_log.hpp"
#include "corpus_builder.hpp"
#include "temp_dir.hpp"

namespace {

using evidence::server::AuditAction;
using evidence::server::AuditEntry;
using evidence::server::AuditLog;
using evidence::testing::TempDir;

std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::istringstream in(evidence::testing::read_file(path));
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// 2026-11-28T18:20:05Z
std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1795890005));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_log)

BOOST_AUTO_TEST_CASE(line_has_exact_fields) {
  AuditEntry entry{fixed_time(), "alice", AuditAction::kWithdraw, "hlf-annual-report-2023", std::string(64, 'a')};
  BOOST_TEST(evidence::server::audit_line(entry) ==
             R"({"action":"withdraw","document":"hlf-annual-report-2023","sha256":")" + std::string(64, 'a') +
                 R"(","time":"2026-11-28T18:20:05Z","token":"alice"})" + "\n");
}

BOOST_AUTO_TEST_CASE(line_names_the_client_and_the_changes_of_an_edit) {
  AuditEntry entry{fixed_time(),
                   "bob",
                   AuditAction::kEdit,
                   "doc-1",
                   "22",
                   "192.0.2.7",
                   nlohmann::json{{"title", {{"from", "Old"}, {"to", "New"}}}}};
  BOOST_TEST(evidence::server::audit_line(entry) ==
             R"({"action":"edit","changes":{"title":{"from":"Old","to":"New"}},"client":"192.0.2.7",)"
             R"("document":"doc-1","sha256":"22","time":"2026-11-28T18:20:05Z","token":"bob"})"
             "\n");
}

BOOST_AUTO_TEST_CASE(appends_json_lines) {
  TempDir dir;
  auto path = dir / "var/audit.jsonl";
  {
    auto log = AuditLog::open(path);
    BOOST_REQUIRE(log.ok());
    BOOST_TEST(log->record({fixed_time(), "alice", AuditAction::kAdd, "doc-1", "11"}).ok());
    BOOST_TEST(log->record({fixed_time(), "bob", AuditAction::kEdit, "doc-1", "22"}).ok());
  }
  {
    auto reopened = AuditLog::open(path);  // a restart keeps what was there
    BOOST_REQUIRE(reopened.ok());
    BOOST_TEST(reopened->record({fixed_time(), "alice", AuditAction::kWithdraw, "doc-\"1\"", "33"}).ok());
  }
  auto lines = read_lines(path);
  BOOST_REQUIRE_EQUAL(lines.size(), 3U);
  nlohmann::json expected = {{"time", "2026-11-28T18:20:05Z"},
                             {"token", "alice"},
                             {"action", "add"},
                             {"document", "doc-1"},
                             {"sha256", "11"}};
  BOOST_TEST(lines[0] == expected);
  BOOST_TEST(lines[1]["action"] == "edit");
  BOOST_TEST(lines[1]["token"] == "bob");
  BOOST_TEST(lines[2]["action"] == "withdraw");
  BOOST_TEST(lines[2]["document"] == "doc-\"1\"");
  for (const auto& line : lines) BOOST_TEST(line.size() == 5U);
  struct stat info {};
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600);
}

BOOST_AUTO_TEST_CASE(lines_from_threads_stay_whole) {
  TempDir dir;
  auto log = AuditLog::open(dir / "audit.jsonl");
  BOOST_REQUIRE(log.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        (void)log->record({fixed_time(), "token-" + std::to_string(t), AuditAction::kAdd, "doc-" + std::to_string(i),
                           std::string(64, 'f')});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(read_lines(dir / "audit.jsonl").size() == 100U);
}

BOOST_AUTO_TEST_CASE(a_read_names_its_route_and_no_hash) {
  AuditEntry entry{fixed_time(), "carol", AuditAction::kRead, "network-minutes", "", "192.0.2.9", {}, "page"};
  BOOST_TEST(evidence::server::audit_line(entry) ==
             R"({"action":"read","client":"192.0.2.9","document":"network-minutes","route":"page",)"
             R"("time":"2026-11-28T18:20:05Z","token":"carol"})"
             "\n");
}

BOOST_AUTO_TEST_CASE(append_writes_the_lines_of_one_answer_together) {
  TempDir dir;
  auto log = AuditLog::open(dir / "audit.jsonl");
  BOOST_REQUIRE(log.ok());
  std::vector<AuditEntry> reads;
  for (const char* id : {"minutes-1", "draft-2"}) {
    reads.push_back({fixed_time(), "carol", AuditAction::kRead, id, "", "", {}, "search"});
  }
  BOOST_TEST(log->append(reads).ok());
  BOOST_TEST(log->append({}).ok());  // nothing read: nothing written
  auto lines = read_lines(dir / "audit.jsonl");
  BOOST_REQUIRE_EQUAL(lines.size(), 2U);
  BOOST_TEST(lines[0]["document"] == "minutes-1");
  BOOST_TEST(lines[1]["document"] == "draft-2");
  BOOST_TEST(lines[1]["route"] == "search");
}

BOOST_AUTO_TEST_CASE(open_fails_as_a_value) {
  TempDir dir;
  evidence::testing::write_file(dir / "file", "x");
  auto log = AuditLog::open(dir / "file/audit.jsonl");
  BOOST_REQUIRE(!log.ok());
  BOOST_TEST((log.error().code == evidence::core::ErrorCode::kIo));
}

BOOST_AUTO_TEST_SUITE_END()
