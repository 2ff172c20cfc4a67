// Tests of search-server/auth/authorize.hpp with the error table (api/error_responses.hpp): which
// Authorization headers get 401, 403 or through, and the JSON the client sees.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "authorize.hpp"
#include "error_responses.hpp"
#include "temp_dir.hpp"

namespace {

using evidence::core::ErrorCode;
using evidence::server::authorize;
using evidence::server::Role;
using evidence::server::TokenStore;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Tokens {
  evidence::testing::TempDir dir;
  TokenStore store{{dir / "tokens.json", std::chrono::milliseconds(0)}};
  std::string editor = store.add("ed", Role::kEditor).value();
  std::string reader = store.add("rita", Role::kReader).value();
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(authorize_header, Tokens)

BOOST_AUTO_TEST_CASE(editor_token_passes) {
  auto who = authorize({{"host", "x"}, {"authorization", "Bearer " + editor}}, store, Role::kEditor);
  BOOST_REQUIRE(who.ok());
  BOOST_TEST(who->name == "ed");
  BOOST_TEST((authorize({{"authorization", "bearer  " + editor + " "}}, store, Role::kEditor).ok()));
  BOOST_TEST((authorize({{"authorization", "Bearer " + editor}}, store, Role::kReader).ok()));
  BOOST_TEST((authorize({{"authorization", "Bearer " + reader}}, store, Role::kReader)->name == "rita"));
}

BOOST_AUTO_TEST_CASE(reader_token_is_forbidden_for_editing) {
  auto who = authorize({{"authorization", "Bearer " + reader}}, store, Role::kEditor);
  BOOST_REQUIRE(!who.ok());
  BOOST_TEST((who.error().code == ErrorCode::kForbidden));
  auto response = evidence::server::error_response(who.error());
  BOOST_TEST(response.status == 403);
  BOOST_TEST(nlohmann::json::parse(response.body) ==
             nlohmann::json::parse(R"({"error":{"status":403,"code":"forbidden",
               "message":"token rita is a reader token; this action needs an editor"}})"));
  BOOST_TEST(response.headers.empty());
}

BOOST_AUTO_TEST_CASE(missing_malformed_and_unknown_tokens_are_unauthorized) {
  const std::vector<std::pair<Headers, std::string>> cases = {
      {{}, "this action needs a token: Authorization: Bearer TOKEN"},
      {{{"authorization", "Basic YWxpY2U6cGFzcw=="}}, "the Authorization header must be: Bearer TOKEN"},
      {{{"authorization", "Bearer"}}, "the Authorization header must be: Bearer TOKEN"},
      {{{"authorization", "Bearer "}}, "the Authorization header must be: Bearer TOKEN"},
      {{{"authorization", "Bearer a b"}}, "the Authorization header must be: Bearer TOKEN"},
      {{{"authorization", "Bearer" + editor}}, "the Authorization header must be: Bearer TOKEN"},
      {{{"authorization", "Bearer evl_AAAA"}}, "unknown or revoked token"},
      {{{"authorization", "Bearer " + editor.substr(4)}}, "not an Evidence Library token"},
      {{{"authorization", "Bearer " + editor}, {"authorization", "Bearer " + editor}},
       "more than one Authorization header"},
  };
  for (const auto& [headers, message] : cases) {
    auto who = authorize(headers, store, Role::kReader);
    BOOST_REQUIRE(!who.ok());
    BOOST_TEST((who.error().code == ErrorCode::kUnauthorized));
    BOOST_TEST(who.error().message == message);
  }
}

BOOST_AUTO_TEST_CASE(unauthorized_response_names_the_scheme) {
  auto who = authorize({}, store, Role::kEditor);
  BOOST_REQUIRE(!who.ok());
  auto response = evidence::server::error_response(who.error());
  BOOST_TEST(response.status == 401);
  BOOST_TEST(response.content_type == "application/json");
  BOOST_TEST(nlohmann::json::parse(response.body) ==
             nlohmann::json::parse(R"({"error":{"status":401,"code":"unauthorized",
               "message":"this action needs a token: Authorization: Bearer TOKEN"}})"));
  BOOST_REQUIRE_EQUAL(response.headers.size(), 1U);
  BOOST_TEST(response.headers[0].first == "WWW-Authenticate");
  BOOST_TEST(response.headers[0].second == "Bearer");
}

BOOST_AUTO_TEST_CASE(revoked_token_is_unauthorized) {
  BOOST_REQUIRE(store.revoke("ed").ok());
  auto who = authorize({{"authorization", "Bearer " + editor}}, store, Role::kEditor);
  BOOST_REQUIRE(!who.ok());
  BOOST_TEST((who.error().code == ErrorCode::kUnauthorized));
}

BOOST_AUTO_TEST_SUITE_END()
