// Tests of search-server/app/application.hpp without a socket: who may call what (the one
// place that decides it), the answers to the routes the HTTP layer used to answer itself
// (/api/whoami, /metrics), and what every answer says to caches.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "application.hpp"
#include "server_config.hpp"
#include "temp_dir.hpp"
#include "token_store.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::server::ApiRequest;
using evidence::server::ApiResponse;
using evidence::server::Application;
using evidence::server::Role;
using evidence::server::ServerConfig;
using evidence::server::TokenStore;
using evidence::server::TokenStoreOptions;
using nlohmann::json;

std::string header_of(const ApiResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

// A server's configuration over an index that holds nothing yet, with an editor's and a reader's token.
struct Server {
  explicit Server(bool private_library = false) {
    fs::create_directories(dir / "corpus");
    Xapian::WritableDatabase(dir.path() / "index", Xapian::DB_CREATE_OR_OPEN).commit();  // built, empty
    config.index = dir / "index";
    config.corpus = dir / "corpus";
    config.tokens = dir / "tokens.json";
    config.audit_log = dir / "audit.jsonl";
    config.thesaurus = "";
    config.private_search = private_library;
    config.threads = 1;
    TokenStore store(TokenStoreOptions{config.tokens});
    editor = store.add("editor-ann", Role::kEditor).value();
    reader = store.add("reader-bo", Role::kReader).value();
    app = std::make_unique<Application>(config);
  }
  ApiResponse get(const std::string& target, const std::string& token = {}, const std::string& cookie = {}) {
    ApiRequest request{"GET", target, {{"host", "localhost"}}, "127.0.0.1"};
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!cookie.empty()) request.headers.emplace_back("cookie", "evidence_token=" + cookie);
    return app->respond(request);
  }
  ApiResponse send(const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body) {
    ApiRequest request{method,
                       target,
                       {{"host", "localhost"}, {"content-type", "application/merge-patch+json"}},
                       "127.0.0.1"};
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    return app->respond(request, body);
  }

  evidence::testing::TempDir dir;
  ServerConfig config;
  std::string editor;
  std::string reader;
  std::unique_ptr<Application> app;
};

std::string code_of(const ApiResponse& response) {
  return json::parse(response.body).at("error").at("code").get<std::string>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(application)

BOOST_AUTO_TEST_CASE(a_public_library_reads_without_a_token_and_writes_with_an_editor_s) {
  Server server;
  BOOST_TEST(server.get("/api/documents").status == 200);
  BOOST_TEST(server.get("/").status == 200);
  auto anonymous = server.send("PATCH", "/api/documents/x", "", R"({"title": "T"})");
  BOOST_TEST(anonymous.status == 401);
  BOOST_TEST(code_of(anonymous) == "unauthorized");
  auto reader = server.send("PATCH", "/api/documents/x", server.reader, R"({"title": "T"})");
  BOOST_TEST(reader.status == 403);
  auto editor = server.send("DELETE", "/api/documents/x", server.editor, "");
  BOOST_TEST(editor.status == 404, editor.body);  // allowed, and there is no such document
  BOOST_TEST(server.send("POST", "/api/documents", "", "").status == 401);
}

BOOST_AUTO_TEST_CASE(a_private_library_needs_a_token_except_on_its_open_routes) {
  Server server(true);
  auto api = server.get("/api/search?q=x");
  BOOST_TEST(api.status == 401);
  BOOST_TEST(code_of(api) == "unauthorized");
  auto page = server.get("/?q=x");
  BOOST_TEST(page.status == 401);
  BOOST_TEST(page.content_type.starts_with("text/html"));
  BOOST_TEST(header_of(page, "WWW-Authenticate") == "Bearer");
  // Paths no route takes are judged as a reader's: no token, no 404 that tells what exists.
  BOOST_TEST(server.get("/api/nothing").status == 401);
  for (const char* open : {"/healthz", "/metrics", "/admin", "/favicon.ico"}) {
    BOOST_TEST(server.get(open).status != 401, open);
  }
  BOOST_TEST(server.get("/api/documents", server.reader).status == 200);
  BOOST_TEST(server.get("/api/documents", "", server.reader).status == 200);  // the cookie /admin sets
  BOOST_TEST(server.get("/api/documents", "evl_not-a-token").status == 401);
}

BOOST_AUTO_TEST_CASE(whoami_names_the_token_and_the_library) {
  Server server(true);
  auto who = server.get("/api/whoami", server.editor);
  BOOST_TEST_REQUIRE(who.status == 200, who.body);
  BOOST_TEST(json::parse(who.body) == json::parse(R"({"name": "editor-ann", "role": "editor",
                                                     "private_library": true})"));
  BOOST_TEST(server.get("/api/whoami").status == 401);
}

BOOST_AUTO_TEST_CASE(every_answer_is_counted_by_its_route_name) {
  Server server;
  (void)server.get("/api/documents");
  (void)server.get("/api/documents");
  (void)server.get("/api/nothing");
  auto metrics = server.get("/metrics");
  BOOST_TEST_REQUIRE(metrics.status == 200);
  BOOST_TEST(metrics.content_type.starts_with("text/plain"));
  BOOST_TEST(metrics.body.find("evidence_http_requests_total{route=\"documents\",code=\"200\"} 2\n") !=
                 std::string::npos,
             metrics.body);
  BOOST_TEST(metrics.body.find("evidence_http_requests_total{route=\"other\",code=\"404\"} 1\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(answers_to_callers_with_credentials_are_private_to_caches) {
  Server server;
  auto open = server.get("/api/documents");
  BOOST_TEST(header_of(open, "X-Content-Type-Options") == "nosniff");
  BOOST_TEST(header_of(open, "Vary") == "Authorization, Cookie");
  BOOST_TEST(header_of(open, "Cache-Control").find("private") == std::string::npos);
  auto personal = server.get("/api/documents", server.reader);
  BOOST_TEST(header_of(personal, "Cache-Control").find("private") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_method_the_path_does_not_take_is_405_from_the_table) {
  Server server;
  auto put = server.send("PUT", "/api/documents", server.editor, "");
  BOOST_TEST(put.status == 405);
  BOOST_TEST(header_of(put, "Allow") == "GET, HEAD, POST");
  auto too_large = server.send("PATCH", "/api/documents/x", server.editor, std::string(70 * 1024, ' '));
  BOOST_TEST(too_large.status == 413);
}

BOOST_AUTO_TEST_SUITE_END()
