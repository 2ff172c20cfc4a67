// Tests of search-server/audit_command.hpp: `evidence-server audit ...` argv vectors in, the
// query, exit code and printed text out.

#include <boost/test/unit_test.hpp>

#include <sstream>

#include "audit_command.hpp"
#include "corpus_builder.hpp"
#include "temp_dir.hpp"

namespace {

using evidence::server::AuditQuery;

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

std::vector<std::string> argv(std::vector<std::string> args) {
  args.insert(args.begin(), {"evidence-server", "audit"});
  return args;
}

Run audit(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  Run run;
  run.code = evidence::server::run_audit_command(argv(std::move(args)), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

const std::string kLog =
    R"({"action":"add","document":"minutes-1","sha256":"aa","time":"2026-11-28T09:00:00Z","token":"editor"})"
    "\n"
    R"({"action":"read","client":"192.0.2.9","document":"minutes-1","route":"page","time":"2026-11-29T10:15:00Z","token":"carol"})"
    "\n"
    R"({"action":"read","client":"192.0.2.9","document":"draft-2","route":"pdf","time":"2026-11-30T08:00:00Z","token":"carol"})"
    "\n"
    R"({"action":"read","document":"minutes-1","route":"search","time":"2026-11-30T12:30:00Z","token":"dan"})"
    "\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_command)

BOOST_AUTO_TEST_CASE(options_from_argv) {
  auto parsed = evidence::server::parse_audit_args(
      argv({"--audit-log", "/srv/evidence/audit.jsonl", "--since", "2026-11-29", "--document", "minutes-1",
            "--token", "carol", "--action", "read", "--json"}));
  BOOST_REQUIRE(parsed.config.has_value());
  const AuditQuery& query = *parsed.config;
  BOOST_TEST(query.log == "/srv/evidence/audit.jsonl");
  BOOST_TEST(query.since == "2026-11-29");
  BOOST_TEST(query.document == "minutes-1");
  BOOST_TEST(query.token == "carol");
  BOOST_TEST(query.action == "read");
  BOOST_TEST(query.json);

  auto defaults = evidence::server::parse_audit_args(argv({"--data-dir", "/srv/evidence"}));
  BOOST_REQUIRE(defaults.config.has_value());
  BOOST_TEST(defaults.config->log == "/srv/evidence/audit.jsonl");
  BOOST_TEST(defaults.config->since.empty());
  BOOST_TEST(!defaults.config->json);
}

BOOST_AUTO_TEST_CASE(bad_options_are_usage_errors) {
  Run since = audit({"--since", "yesterday"});
  BOOST_TEST(since.code == 2);
  BOOST_TEST(since.err.find("--since: must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC)") !=
             std::string::npos);
  Run action = audit({"--action", "delete"});
  BOOST_TEST(action.code == 2);
  BOOST_TEST(action.err.find("--action: delete not in {add,edit,withdraw,read}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(lists_entries_as_a_table) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "audit.jsonl").string();
  evidence::testing::write_file(file, kLog);
  Run all = audit({"--audit-log", file});
  BOOST_TEST(all.code == 0);
  BOOST_TEST(all.out ==
             "TIME                  ACTION  TOKEN   DOCUMENT   ROUTE   CLIENT\n"
             "2026-11-28T09:00:00Z  add     editor  minutes-1  -       -\n"
             "2026-11-29T10:15:00Z  read    carol   minutes-1  page    192.0.2.9\n"
             "2026-11-30T08:00:00Z  read    carol   draft-2    pdf     192.0.2.9\n"
             "2026-11-30T12:30:00Z  read    dan     minutes-1  search  -\n");
  BOOST_TEST(all.err.empty());
}

BOOST_AUTO_TEST_CASE(filters_combine) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "audit.jsonl").string();
  evidence::testing::write_file(file, kLog);
  Run reads = audit({"--audit-log", file, "--action", "read", "--document", "minutes-1", "--json"});
  BOOST_TEST(reads.code == 0);
  BOOST_TEST(
      reads.out ==
      R"({"action":"read","client":"192.0.2.9","document":"minutes-1","route":"page","time":"2026-11-29T10:15:00Z","token":"carol"})"
      "\n"
      R"({"action":"read","document":"minutes-1","route":"search","time":"2026-11-30T12:30:00Z","token":"dan"})"
      "\n");
  Run since = audit({"--audit-log", file, "--since", "2026-11-30T12:00", "--json"});
  BOOST_TEST(
      since.out ==
      R"({"action":"read","document":"minutes-1","route":"search","time":"2026-11-30T12:30:00Z","token":"dan"})"
      "\n");
  Run carol = audit({"--audit-log", file, "--token", "carol", "--since", "2026-11-30"});
  BOOST_TEST(carol.out ==
             "TIME                  ACTION  TOKEN  DOCUMENT  ROUTE  CLIENT\n"
             "2026-11-30T08:00:00Z  read    carol  draft-2   pdf    192.0.2.9\n");
  Run none = audit({"--audit-log", file, "--token", "erin"});
  BOOST_TEST(none.code == 0);
  BOOST_TEST(none.out.empty());
  BOOST_TEST(none.err == "no entries match in " + file + "\n");
}

BOOST_AUTO_TEST_CASE(a_cut_line_is_passed_over_and_a_missing_log_is_an_error) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "audit.jsonl").string();
  evidence::testing::write_file(file, kLog + R"({"action":"read","docu)");
  Run run = audit({"--audit-log", file, "--token", "dan", "--json"});
  BOOST_TEST(run.code == 0);
  BOOST_TEST(run.out.find(R"("token":"dan")") != std::string::npos);
  BOOST_TEST(run.err == "evidence-server audit: line 5 of " + file + " is not an entry; passed over\n");

  std::string missing = (dir / "none.jsonl").string();
  Run absent = audit({"--audit-log", missing});
  BOOST_TEST(absent.code == 1);
  BOOST_TEST(absent.err ==
             "evidence-server audit: cannot read " + missing +
                 " (the server writes it at the first upload, edit, withdrawal or read it records)\n");
}

BOOST_AUTO_TEST_SUITE_END()
