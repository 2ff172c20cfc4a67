// The browser session /admin's sign-in starts (POST /api/session), through the real
// evidence-server on a public library: the cookie's exact attributes, members' documents
// readable in the pages with it and 404 without it, the header naming who is signed in, what
// caches are told, a revoked token's cookie reading as no token, and signing out.
#define BOOST_TEST_MODULE session
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <thread>

#include "test_support.hpp"

namespace {

struct Library : LibraryFixture {
  Library() {
    add_pdf("pub-report.pdf", {"The harbour report on shelter."},
            R"({"id": "pub-report", "title": "Harbour report", "date": "2020"})");
    add_pdf("mem-minutes.pdf", {"Minutes of the quillmeeting on harbour staff.", "Second page."},
            R"({"id": "mem-minutes", "title": "Harbour minutes", "date": "2021", "access": "members",)"
            R"( "catalogue": "hidden"})");  // nothing of it without the cookie, not even listed
    index_corpus();
    token = add_token(dir / "tokens.json", "member");
  }

  std::string tokens_command(std::vector<std::string> args) {
    args.insert(args.begin(), {binary("evidence-server"), "token"});
    args.insert(args.end(), {"--tokens", (dir / "tokens.json").string()});
    return run_process(args).out;
  }

  void start(std::vector<std::string> extra = {}) {
    extra.insert(extra.end(),
                 {"--tokens", (dir / "tokens.json").string(), "--audit-log", (dir / "audit.jsonl").string()});
    start_server(extra);
  }

  std::map<std::string, std::string> cookie() const { return {{"Cookie", "evidence_token=" + token}}; }

  std::string token;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(session, Library)

BOOST_AUTO_TEST_CASE(signing_in_sets_an_http_only_strict_cookie_for_a_working_day) {
  start();
  HttpResult signed_in = client->request("POST", "/api/session", {{"Authorization", "Bearer " + token}});
  BOOST_TEST(signed_in.status == 200);
  BOOST_TEST(signed_in.json() ==
             json::parse(R"({"name": "member", "role": "reader", "private_library": false})"));
  BOOST_TEST(signed_in.headers["set-cookie"] ==
             "evidence_token=" + token + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
  BOOST_TEST(signed_in.headers["cache-control"].starts_with("private"));

  // Only the Authorization header starts a session: not the cookie, not a token that does not verify.
  HttpResult by_cookie = client->request("POST", "/api/session", cookie());
  BOOST_TEST(by_cookie.status == 401);
  BOOST_TEST(by_cookie.headers.count("set-cookie") == 0U);
  HttpResult wrong = client->request("POST", "/api/session", {{"Authorization", "Bearer evl_wrong"}});
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(wrong.headers.count("set-cookie") == 0U);

  HttpResult signed_out = client->request("DELETE", "/api/session");
  BOOST_TEST(signed_out.status == 200);
  BOOST_TEST(signed_out.json() == json::parse(R"({"signed_in": false})"));
  BOOST_TEST(signed_out.headers["set-cookie"] ==
             "evidence_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

BOOST_AUTO_TEST_CASE(behind_https_the_cookie_is_secure) {
  start({"--public-url", "https://evidence.example.org"});
  HttpResult signed_in = client->request("POST", "/api/session", {{"Authorization", "Bearer " + token}});
  BOOST_TEST(signed_in.headers["set-cookie"] ==
             "evidence_token=" + token + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
  BOOST_TEST(client->request("DELETE", "/api/session").headers["set-cookie"] ==
             "evidence_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
}

BOOST_AUTO_TEST_CASE(the_pages_read_members_documents_with_the_cookie) {
  start();
  BOOST_TEST(client->get("/d/mem-minutes").status == 404);
  BOOST_TEST(client->get("/?q=quillmeeting").body.find("/d/mem-minutes") == std::string::npos);

  HttpResult page = client->request("GET", "/d/mem-minutes?page=1", cookie());
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.body.find("quillmeeting") != std::string::npos);
  BOOST_TEST(page.body.find(R"(<p class="session">Signed in as <strong>member</strong> · )"
                            R"(<a href="/admin#sign-out">Sign out</a></p>)") != std::string::npos);
  // Answered to one reader: no shared cache may keep it.
  BOOST_TEST(page.headers["cache-control"] == "private, no-cache");
  BOOST_TEST(page.headers["vary"].find("Cookie") != std::string::npos);

  HttpResult results = client->request("GET", "/?q=quillmeeting", cookie());
  BOOST_TEST(results.body.find("/d/mem-minutes") != std::string::npos);
  BOOST_TEST(results.body.find("Signed in as <strong>member</strong>") != std::string::npos);
  BOOST_TEST(client->request("GET", "/documents/mem-minutes.pdf", cookie()).status == 200);

  // Without a session the header names no one.
  BOOST_TEST(client->get("/").body.find("Signed in as") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_revoked_tokens_cookie_reads_as_no_token) {
  start();
  BOOST_TEST(client->request("GET", "/d/mem-minutes", cookie()).status == 200);
  tokens_command({"revoke", "member"});
  // The server re-reads the token file within a second.
  int status = 200;
  for (int i = 0; i < 50 && status == 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = client->request("GET", "/d/mem-minutes", cookie()).status;
  }
  BOOST_TEST(status == 404);
  HttpResult front = client->request("GET", "/", cookie());
  BOOST_TEST(front.status == 200);
  BOOST_TEST(front.body.find("Signed in as") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_write_routes_never_take_the_cookie) {
  std::string editor = add_token(dir / "tokens.json", "staff", "editor");
  start();
  HttpResult refused =
      client->request("DELETE", "/api/documents/mem-minutes", {{"Cookie", "evidence_token=" + editor}});
  BOOST_TEST(refused.status == 401);
  BOOST_TEST(client->request("GET", "/d/mem-minutes", {{"Cookie", "evidence_token=" + editor}}).status ==
             200);
}

BOOST_AUTO_TEST_SUITE_END()
