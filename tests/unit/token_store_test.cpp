// Tests of search-server/auth/token_store.hpp: adding, listing, revoking and verifying
// tokens, what the file holds, and re-reading it when another process changes it.

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <atomic>
#include <thread>
#include <vector>

#include "corpus_builder.hpp"
#include "sha256.hpp"
#include "temp_dir.hpp"
#include "token_store.hpp"

namespace {

using evidence::core::ErrorCode;
using evidence::server::Role;
using evidence::server::TokenStore;
using evidence::server::TokenStoreOptions;
using evidence::testing::TempDir;

TokenStoreOptions options_in(const TempDir& dir) { return {dir / "var/tokens.json", std::chrono::milliseconds(0)}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(token_store)

BOOST_AUTO_TEST_CASE(add_list_revoke_round_trip) {
  TempDir dir;
  TokenStore store(options_in(dir));
  auto list = store.list();
  BOOST_REQUIRE(list.ok());
  BOOST_TEST(list->empty());

  auto alice = store.add("alice", Role::kEditor);
  BOOST_REQUIRE(alice.ok());
  auto bob = store.add("bob@example.org", Role::kReader);
  BOOST_REQUIRE(bob.ok());
  BOOST_TEST(alice->rfind("evl_", 0) == 0U);
  BOOST_TEST(alice->size() == 4U + 43U);  // 32 random bytes in base64url
  BOOST_TEST(*alice != *bob);

  list = store.list();
  BOOST_REQUIRE(list.ok());
  BOOST_REQUIRE_EQUAL(list->size(), 2U);
  BOOST_TEST((*list)[0].name == "alice");
  BOOST_TEST(((*list)[0].role == Role::kEditor));
  BOOST_TEST((*list)[1].name == "bob@example.org");
  BOOST_TEST(((*list)[1].role == Role::kReader));
  BOOST_TEST((*list)[0].created.size() == 20U);  // 2026-11-28T18:20:00Z
  BOOST_TEST((*list)[0].created.back() == 'Z');

  auto verified = store.verify(*alice);
  BOOST_REQUIRE(verified.ok());
  BOOST_TEST(verified->name == "alice");
  BOOST_TEST((verified->role == Role::kEditor));
  BOOST_TEST(store.verify(*bob)->name == "bob@example.org");

  BOOST_TEST(store.revoke("alice").ok());
  auto revoked = store.verify(*alice);
  BOOST_REQUIRE(!revoked.ok());
  BOOST_TEST((revoked.error().code == ErrorCode::kUnauthorized));
  BOOST_TEST(revoked.error().message == "unknown or revoked token");
  BOOST_TEST(store.verify(*bob).ok());
  BOOST_REQUIRE_EQUAL(store.list()->size(), 1U);
}

BOOST_AUTO_TEST_CASE(duplicate_and_unknown_names_fail) {
  TempDir dir;
  TokenStore store(options_in(dir));
  BOOST_REQUIRE(store.add("alice", Role::kEditor).ok());
  auto again = store.add("alice", Role::kReader);
  BOOST_REQUIRE(!again.ok());
  BOOST_TEST((again.error().code == ErrorCode::kInvalidArgument));
  BOOST_TEST(again.error().message == "a token named alice already exists");
  auto unknown = store.revoke("carol");
  BOOST_REQUIRE(!unknown.ok());
  BOOST_TEST((unknown.error().code == ErrorCode::kNotFound));
  BOOST_TEST(unknown.error().message == "no token named carol");
  BOOST_TEST((!store.add("", Role::kEditor).ok()));
  BOOST_TEST((!store.add("a b", Role::kEditor).ok()));
}

BOOST_AUTO_TEST_CASE(file_holds_only_hashes_and_is_private) {
  TempDir dir;
  TokenStore store(options_in(dir));
  auto token = store.add("alice", Role::kEditor);
  BOOST_REQUIRE(token.ok());
  std::string content = evidence::testing::read_file(store.path());
  BOOST_TEST(content.find(*token) == std::string::npos);
  BOOST_TEST(content.find(token->substr(4)) == std::string::npos);
  BOOST_TEST(content.find(evidence::core::sha256_hex(*token)) != std::string::npos);
  struct stat info {};
  BOOST_REQUIRE(::stat(store.path().c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600);
  // No temporary file is left beside it.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(store.path().parent_path())) {
    files += entry.path().filename() != "tokens.json.lock" ? 1U : 0U;
  }
  BOOST_TEST(files == 1U);
}

BOOST_AUTO_TEST_CASE(verify_rejects_near_misses) {
  TempDir dir;
  TokenStore store(options_in(dir));
  auto token = store.add("alice", Role::kEditor);
  BOOST_REQUIRE(token.ok());
  std::string flipped = *token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const std::string& presented : {flipped, token->substr(0, token->size() - 1), *token + "x", std::string("evl_"),
                                       std::string(""), token->substr(4)}) {
    auto verified = store.verify(presented);
    BOOST_CHECK_MESSAGE(!verified.ok(), presented);
    BOOST_TEST((verified.error().code == ErrorCode::kUnauthorized));
  }
  BOOST_TEST(store.verify("x").error().message == "not an Evidence Library token");
}

BOOST_AUTO_TEST_CASE(groups_are_kept_and_verified) {
  TempDir dir;
  TokenStore store(options_in(dir));
  auto token = store.add("mina", Role::kReader, {"steering-group", "legal", "legal"});
  BOOST_REQUIRE(token.ok());
  auto who = store.verify(*token);
  BOOST_REQUIRE(who.ok());
  BOOST_TEST((who->groups == std::vector<std::string>{"legal", "steering-group"}));  // sorted, once each
  BOOST_TEST((store.list()->front().groups == std::vector<std::string>{"legal", "steering-group"}));
  auto plain = store.add("omar", Role::kReader);
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(store.verify(*plain)->groups.empty());
  // A token without groups is written as before groups existed.
  std::string content = evidence::testing::read_file(store.path());
  BOOST_TEST(content.find("\"groups\"") == content.rfind("\"groups\""));
  auto bad = store.add("nadia", Role::kReader, {"Steering Group"});
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(
      bad.error().message ==
      "a group name must be 1 to 64 of a-z, 0-9 and '-', not starting with '-', not \"Steering Group\"");
}

BOOST_AUTO_TEST_CASE(a_file_written_before_groups_still_loads) {
  TempDir dir;
  std::filesystem::create_directories(dir / "var");
  std::string digest(64, 'a');
  evidence::testing::write_file(dir / "var/tokens.json",
                                R"({"version": 1, "tokens": [{"name": "old", "role": "reader", "created": )"
                                R"("2024-01-01T00:00:00Z", "sha256": ")" +
                                    digest + R"("}]})");
  auto tokens = evidence::server::read_token_file(dir / "var/tokens.json");
  BOOST_REQUIRE(tokens.ok());
  BOOST_TEST(tokens->front().name == "old");
  BOOST_TEST(tokens->front().groups.empty());
  evidence::testing::write_file(dir / "var/tokens.json",
                                R"({"version": 1, "tokens": [{"name": "old", "role": "reader", "created": )"
                                R"("2024-01-01T00:00:00Z", "sha256": ")" +
                                    digest + R"(", "groups": ["Bad Name"]}]})");
  auto broken = evidence::server::read_token_file(dir / "var/tokens.json");
  BOOST_REQUIRE(!broken.ok());
  BOOST_TEST(broken.error().message ==
             (dir / "var/tokens.json").string() + ": token old has no valid groups");
}

BOOST_AUTO_TEST_CASE(reloads_after_external_revoke) {
  TempDir dir;
  TokenStore server(options_in(dir));   // the running server
  TokenStore command(options_in(dir));  // `evidence-server token ...` in another process
  auto token = command.add("alice", Role::kEditor);
  BOOST_REQUIRE(token.ok());
  BOOST_TEST(server.verify(*token).ok());
  BOOST_REQUIRE(command.revoke("alice").ok());
  BOOST_TEST(!server.verify(*token).ok());
  auto again = command.add("alice", Role::kReader);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST((server.verify(*again)->role == Role::kReader));
}

BOOST_AUTO_TEST_CASE(unreadable_file_lets_no_token_in) {
  TempDir dir;
  TokenStore server(options_in(dir));
  auto token = server.add("alice", Role::kEditor);
  BOOST_REQUIRE(token.ok());
  evidence::testing::write_file(server.path(), "{not json");
  auto verified = server.verify(*token);
  BOOST_REQUIRE(!verified.ok());
  BOOST_TEST((verified.error().code == ErrorCode::kInternal));
  BOOST_TEST(server.error().find("not a token file") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(concurrent_verify) {
  TempDir dir;
  TokenStore store(options_in(dir));
  auto editor = store.add("editor", Role::kEditor);
  auto reader = store.add("reader", Role::kReader);
  BOOST_REQUIRE(editor.ok() && reader.ok());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string& presented = (t + i) % 2 == 0 ? *editor : *reader;
        auto verified = store.verify(presented);
        bool right = verified.ok() && verified->name == ((t + i) % 2 == 0 ? "editor" : "reader");
        if (!right) ++wrong;
        if (store.verify("evl_unknown").ok()) ++wrong;
      }
    });
  }
  // Meanwhile another token comes and goes, so the file is re-read under the readers.
  for (int i = 0; i < 20; ++i) {
    BOOST_REQUIRE(store.add("temp", Role::kReader).ok());
    BOOST_REQUIRE(store.revoke("temp").ok());
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
