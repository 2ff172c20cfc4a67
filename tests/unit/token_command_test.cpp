// Tests of search-server/token_command.hpp: `evidence-server token ...` argv vectors in,
// exit code and printed text out.

#include <boost/test/unit_test.hpp>

#include <sstream>

#include "corpus_builder.hpp"
#include "temp_dir.hpp"
#include "token_command.hpp"

namespace {

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

Run token(std::vector<std::string> args) {
  args.insert(args.begin(), {"evidence-server", "token"});
  std::ostringstream out;
  std::ostringstream err;
  Run run;
  run.code = evidence::server::run_token_command(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_command)

BOOST_AUTO_TEST_CASE(add_list_revoke) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();
  Run added = token({"add", "alice", "--role", "editor", "--tokens", file});
  BOOST_TEST(added.code == 0);
  BOOST_TEST(added.out.rfind("evl_", 0) == 0U);
  BOOST_TEST(added.out.size() == 4U + 43U + 1U);
  BOOST_TEST(added.err == "Added editor token \"alice\" to " + file +
                              ".\nCopy it now: it is stored hashed and cannot be shown again.\n");
  BOOST_TEST(evidence::testing::read_file(file).find(added.out.substr(0, 47)) == std::string::npos);
  BOOST_TEST(token({"add", "--tokens", file, "bob", "--role", "reader"}).code == 0);

  Run listed = token({"list", "--tokens", file});
  BOOST_TEST(listed.code == 0);
  BOOST_TEST(listed.out.rfind("NAME   ROLE    CREATED\nalice  editor  20", 0) == 0U);
  BOOST_TEST(listed.out.find("\nbob    reader  20") != std::string::npos);
  BOOST_TEST(listed.out.find("evl_") == std::string::npos);

  Run revoked = token({"revoke", "alice", "--tokens", file});
  BOOST_TEST(revoked.code == 0);
  BOOST_TEST(token({"list", "--tokens", file}).out.find("alice") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(tokens_with_groups) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();
  Run added = token(
      {"add", "mina", "--role", "reader", "--group", "steering-group", "--group", "legal", "--tokens", file});
  BOOST_TEST(added.code == 0);
  BOOST_TEST(added.err == "Added reader token \"mina\" (groups: steering-group legal) to " + file +
                              ".\nCopy it now: it is stored hashed and cannot be shown again.\n");
  BOOST_TEST(token({"add", "--group", "legal", "omar", "--role", "reader", "--tokens", file}).code == 0);
  Run listed = token({"list", "--tokens", file});
  BOOST_TEST(listed.code == 0);
  BOOST_TEST(listed.out.rfind("NAME  ROLE    CREATED               GROUPS\nmina  reader  20", 0) == 0U,
             listed.out);
  BOOST_TEST(listed.out.find("Z  legal,steering-group\nomar  reader  20") != std::string::npos, listed.out);
  BOOST_TEST(listed.out.ends_with("Z  legal\n"), listed.out);
  Run bad = token({"add", "nadia", "--role", "reader", "--group", "Steering", "--tokens", file});
  BOOST_TEST(bad.code == 1);
  BOOST_TEST(bad.err ==
             "evidence-server token add: a group name must be 1 to 64 of a-z, 0-9 and '-', not "
             "starting with '-', not \"Steering\"\n");
}

BOOST_AUTO_TEST_CASE(failures_exit_1) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();
  BOOST_TEST(token({"add", "alice", "--role", "editor", "--tokens", file}).code == 0);
  Run again = token({"add", "alice", "--role", "reader", "--tokens", file});
  BOOST_TEST(again.code == 1);
  BOOST_TEST(again.out.empty());
  BOOST_TEST(again.err == "evidence-server token add: a token named alice already exists\n");
  Run unknown = token({"revoke", "carol", "--tokens", file});
  BOOST_TEST(unknown.code == 1);
  BOOST_TEST(unknown.err == "evidence-server token revoke: no token named carol\n");
  Run empty = token({"list", "--tokens", (dir / "none.json").string()});
  BOOST_TEST(empty.code == 0);
  BOOST_TEST(empty.out.empty());
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();
  const std::vector<std::vector<std::string>> cases = {
      {},                                              // no subcommand
      {"remove", "alice"},                             // unknown subcommand
      {"add", "alice", "--tokens", file},              // no role
      {"add", "alice", "--role", "admin", "--tokens", file},
      {"add", "--role", "editor", "--tokens", file},   // no name
      {"revoke", "--tokens", file},
      {"list", "extra", "--tokens", file},
  };
  for (const auto& args : cases) {
    Run run = token(args);
    BOOST_TEST(run.code == 2);
    BOOST_TEST(!run.err.empty());
  }
  BOOST_TEST(!std::filesystem::exists(file));
}

BOOST_AUTO_TEST_CASE(the_token_file_is_in_the_data_directory_unless_named) {
  evidence::testing::TempDir dir;
  Run added = token({"add", "alice", "--role", "editor", "--data-dir", dir.path().string()});
  BOOST_TEST(added.code == 0);
  BOOST_TEST(added.err.find(" to " + (dir / "tokens.json").string() + ".\n") != std::string::npos, added.err);
  BOOST_TEST(token({"list", "--data-dir", dir.path().string()}).out.find("alice") != std::string::npos);
  // As the server does: a data directory or a token file's folder named but missing is refused.
  std::string no = (dir / "no").string();
  Run no_data = token({"list", "--data-dir", no});
  BOOST_TEST(no_data.code == 2);
  BOOST_TEST(no_data.err == "evidence-server token: --data-dir " + no + ": no such folder\n");
  Run no_folder = token({"add", "bob", "--role", "reader", "--tokens", no + "/tokens.json"});
  BOOST_TEST(no_folder.code == 2);
  BOOST_TEST(no_folder.err == "evidence-server token: --tokens " + no + "/tokens.json: its folder " + no +
                                  " does not exist\n");
  BOOST_TEST(!std::filesystem::exists(no));
}

BOOST_AUTO_TEST_CASE(help_exits_0) {
  Run help = token({"--help"});
  BOOST_TEST(help.code == 0);
  BOOST_TEST(help.out.find("add") != std::string::npos);
  BOOST_TEST(help.out.find("revoke") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
