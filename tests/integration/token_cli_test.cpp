// The real `evidence-server token add|list|revoke`: output and exit codes.

#define BOOST_TEST_MODULE token_cli
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include "corpus_builder.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using evidence::testing::ProcessResult;

ProcessResult token(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {evidence::testing::binary("evidence-server"), "token"};
  argv.insert(argv.end(), args.begin(), args.end());
  return evidence::testing::run_process(argv);
}

}  // namespace

BOOST_AUTO_TEST_CASE(add_list_revoke_through_the_binary) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();

  ProcessResult added = token({"add", "alice", "--role", "editor", "--tokens", file});
  BOOST_TEST(added.exit_code == 0);
  BOOST_REQUIRE_EQUAL(added.out.size(), 4U + 43U + 1U);
  std::string secret = added.out.substr(0, added.out.size() - 1);
  BOOST_TEST(secret.rfind("evl_", 0) == 0U);
  BOOST_TEST(added.err.find("cannot be shown again") != std::string::npos);
  BOOST_TEST(evidence::testing::read_file(file).find(secret) == std::string::npos);
  struct stat info {};
  BOOST_REQUIRE(::stat(file.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600);

  ProcessResult reader = token({"add", "bob", "--role", "reader", "--tokens", file});
  BOOST_TEST(reader.exit_code == 0);
  BOOST_TEST(reader.out != added.out);

  ProcessResult listed = token({"list", "--tokens", file});
  BOOST_TEST(listed.exit_code == 0);
  BOOST_TEST(listed.out.rfind("NAME   ROLE    CREATED\nalice  editor  ", 0) == 0U);
  BOOST_TEST(listed.out.find("\nbob    reader  ") != std::string::npos);
  BOOST_TEST(listed.out.find(secret) == std::string::npos);
  BOOST_TEST(listed.out.find("evl_") == std::string::npos);

  ProcessResult duplicate = token({"add", "alice", "--role", "reader", "--tokens", file});
  BOOST_TEST(duplicate.exit_code == 1);
  BOOST_TEST(duplicate.err == "evidence-server token add: a token named alice already exists\n");

  ProcessResult revoked = token({"revoke", "alice", "--tokens", file});
  BOOST_TEST(revoked.exit_code == 0);
  ProcessResult unknown = token({"revoke", "alice", "--tokens", file});
  BOOST_TEST(unknown.exit_code == 1);
  BOOST_TEST(unknown.err == "evidence-server token revoke: no token named alice\n");

  listed = token({"list", "--tokens", file});
  BOOST_TEST(listed.exit_code == 0);
  BOOST_TEST(listed.out.find("alice") == std::string::npos);
  BOOST_TEST(listed.out.find("bob") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  evidence::testing::TempDir dir;
  std::string file = (dir / "tokens.json").string();
  BOOST_TEST(token({}).exit_code == 2);
  BOOST_TEST(token({"add", "alice", "--tokens", file}).exit_code == 2);
  ProcessResult bad_role = token({"add", "alice", "--role", "admin", "--tokens", file});
  BOOST_TEST(bad_role.exit_code == 2);
  BOOST_TEST(bad_role.err.find("--role") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(file));
}
