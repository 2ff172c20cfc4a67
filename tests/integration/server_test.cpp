// The real evidence-server on loopback, over a real index built by evidence-index from
// PDFs with known text on known pages: search, documents, pages, errors, limits, live
// index updates, shutdown.
#define BOOST_TEST_MODULE server
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "test_support.hpp"

namespace {

struct Library : LibraryFixture {
  Library() {
    add_pdf("guides/shelter guide.pdf",
            {"Introduction to shelter standards for survivors.",
             "Night staff must complete the quokka protocol before each shift.",
             "Annex on fire safety and evacuation drills."},
            R"({"id": "shelter-guide", "title": "Shelter standards guide", "countries": ["GB"],
                "organisations": ["Fictional Shelter Network"], "date": "2022-05", "type": "guidance"})",
            "Title in the PDF");
    add_pdf("survey.pdf",
            {"Survey of seasonal farm workers in two regions.",
             "Recruitment fees were charged to most respondents by labour brokers.",
             "A single quokka sighting is noted in the appendix."},
            "", "Labour survey");
    index_corpus();
    start_server();
  }
};

void check_error(const HttpResult& result, int status, const std::string& code) {
  BOOST_TEST(result.status == status);
  BOOST_TEST(result.headers.at("content-type") == "application/json; charset=utf-8");
  json body = result.json();
  BOOST_TEST(schema_errors(body, "error.schema.json") == "");
  BOOST_TEST(body["error"]["status"] == status);
  BOOST_TEST(body["error"]["code"] == code);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(server, Library)

BOOST_AUTO_TEST_CASE(schema_check_rejects_a_wrong_body) {
  // Guards the schema assertions below against passing vacuously.
  BOOST_TEST(schema_errors(json{{"total", "many"}}, "search.schema.json") != "");
  BOOST_TEST(schema_errors(json{{"error", {{"status", 200}}}}, "error.schema.json") != "");
}

BOOST_AUTO_TEST_CASE(search_names_document_page_and_passage) {
  HttpResult result = search("quokka protocol");
  BOOST_REQUIRE(result.status == 200);
  json body = result.json();
  BOOST_TEST(schema_errors(body, "search.schema.json") == "");
  BOOST_TEST(body["total"] == 1);
  BOOST_REQUIRE(body["documents"].size() == 1U);
  const json& hit = body["documents"][0];
  BOOST_TEST(hit["id"] == "shelter-guide");
  BOOST_TEST(hit["title"] == "Shelter standards guide");
  BOOST_TEST(hit["rank"] == 1);
  BOOST_REQUIRE(hit["pages"].size() == 1U);
  BOOST_TEST(hit["pages"][0]["page"] == 2);
  BOOST_TEST(hit["pages"][0]["label"] == "2");
  BOOST_TEST(hit["pages"][0]["snippet"] ==
             "Night staff must complete the <mark>quokka protocol</mark> before each shift.");
}

BOOST_AUTO_TEST_CASE(phrases_booleans_and_stemming) {
  json phrase = search("\"recruitment fees were charged\"").json();
  BOOST_REQUIRE(phrase["documents"].size() == 1U);
  BOOST_TEST(phrase["documents"][0]["title"] == "Labour survey");
  BOOST_TEST(phrase["documents"][0]["pages"][0]["page"] == 2);

  BOOST_TEST(search("\"fees recruitment\"").json()["total"] == 0);
  BOOST_TEST(search("quokka").json()["total"] == 2);
  BOOST_TEST(search("quokka OR brokers").json()["total"] == 2);
  json not_query = search("quokka NOT protocol").json();
  BOOST_REQUIRE(not_query["documents"].size() == 1U);
  BOOST_TEST(not_query["documents"][0]["title"] == "Labour survey");
  // All words are required by default; "charging" finds "charged" through the stemmer.
  BOOST_TEST(search("quokka evacuation").json()["total"] == 1);
  BOOST_TEST(search("charging").json()["total"] == 1);
  BOOST_TEST(search("title:shelter").json()["total"] == 1);
  BOOST_TEST(search("country:gb quokka").json()["total"] == 1);
}

BOOST_AUTO_TEST_CASE(words_on_different_pages_still_name_pages) {
  json body = search("quokka evacuation").json();
  BOOST_REQUIRE(body["documents"].size() == 1U);
  std::set<int> pages;
  for (const auto& page : body["documents"][0]["pages"]) pages.insert(page["page"].get<int>());
  BOOST_TEST((pages == std::set<int>{2, 3}));
}

BOOST_AUTO_TEST_CASE(document_and_page_endpoints) {
  HttpResult document = client->get("/api/documents/shelter-guide");
  BOOST_REQUIRE(document.status == 200);
  json body = document.json();
  BOOST_TEST(schema_errors(body, "document.schema.json") == "");
  BOOST_TEST(body["page_count"] == 3);
  BOOST_TEST(body["files"] == json::array({"guides/shelter guide.pdf"}));
  BOOST_TEST(body["countries"] == json::array({"GB"}));
  BOOST_TEST(body["year"] == 2022);
  BOOST_TEST(body["sha256"].get<std::string>().size() == 64U);

  HttpResult page = client->get("/api/documents/shelter-guide/pages/3");
  BOOST_REQUIRE(page.status == 200);
  BOOST_TEST(schema_errors(page.json(), "page.schema.json") == "");
  BOOST_TEST(page.json()["text"] == "Annex on fire safety and evacuation drills.");
}

BOOST_AUTO_TEST_CASE(bad_requests_get_json_errors) {
  check_error(client->get("/api/search"), 400, "invalid_argument");
  check_error(client->get("/api/search?q="), 400, "invalid_argument");
  check_error(search(std::string(1001, 'a')), 400, "invalid_argument");
  check_error(search("quokka", "&limit=0"), 400, "invalid_argument");
  check_error(search("quokka", "&offset=-1"), 400, "invalid_argument");
  check_error(client->get("/api/search?q=%zz"), 400, "invalid_argument");
  check_error(client->get("/api/nothing"), 404, "not_found");
  check_error(client->get("/api/documents/unknown-id"), 404, "not_found");
  check_error(client->get("/api/documents/..%2F..%2Fetc%2Fpasswd"), 404, "not_found");
  check_error(client->get("/api/documents/shelter-guide/pages/9"), 404, "not_found");
  check_error(client->get("/api/documents/shelter-guide/pages/x"), 400, "invalid_argument");
  HttpResult post = client->request("POST", "/api/search?q=x");
  check_error(post, 405, "method_not_allowed");
  BOOST_TEST(post.headers.at("allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(protocol_limits) {
  std::string huge_header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  std::string reply = client->raw(huge_header);
  BOOST_TEST(reply.rfind("HTTP/1.1 431", 0) == 0U, reply.substr(0, 80));
  std::string garbage = client->raw("NOT HTTP AT ALL\r\n\r\n");
  BOOST_TEST(garbage.rfind("HTTP/1.1 400", 0) == 0U, garbage.substr(0, 80));
  // The server still answers after both.
  BOOST_TEST(client->get("/healthz").status == 200);
}

// RFC 9112 6.3: a request whose body length is not plain (a Transfer-Encoding that does not
// end in chunked) must be refused and the connection closed; before, the bytes after such a
// header were read as a second request. HTTP/1.1 without Host is an error too (RFC 9112 3.2).
BOOST_AUTO_TEST_CASE(ambiguous_requests_are_refused_and_the_connection_closed) {
  auto status_lines = [](const std::string& reply) {
    std::regex status_line("(^|\r\n)HTTP/1\\.1 [0-9]{3} ");
    return std::distance(std::sregex_iterator(reply.begin(), reply.end(), status_line),
                         std::sregex_iterator());
  };
  auto message = [](const std::string& reply) {
    return json::parse(reply.substr(reply.find("\r\n\r\n") + 4))["error"]["message"].get<std::string>();
  };
  std::string after = "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string gzip =
      client->raw("POST /api/search?q=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + after);
  BOOST_TEST(gzip.rfind("HTTP/1.1 400", 0) == 0U, gzip.substr(0, 80));
  BOOST_TEST(status_lines(gzip) == 1);
  BOOST_TEST(
      message(gzip) ==
      "unsupported Transfer-Encoding 'gzip': a request body is sent as is with a Content-Length, or chunked");
  std::string identity =
      client->raw("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + after);
  BOOST_TEST(identity.rfind("HTTP/1.1 400", 0) == 0U, identity.substr(0, 80));
  BOOST_TEST(status_lines(identity) == 1);
  std::string no_host = client->raw("GET /healthz HTTP/1.1\r\n\r\n" + after);
  BOOST_TEST(no_host.rfind("HTTP/1.1 400", 0) == 0U, no_host.substr(0, 80));
  BOOST_TEST(status_lines(no_host) == 1);
  BOOST_TEST(message(no_host) == "an HTTP/1.1 request needs a Host header");
  // HTTP/1.0 has no Host header to require; chunked alone is fine.
  BOOST_TEST(client->raw("GET /healthz HTTP/1.0\r\n\r\n").rfind("HTTP/1.0 200", 0) == 0U);
  std::string chunked = client->raw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n0\r\n\r\n");
  BOOST_TEST(chunked.rfind("HTTP/1.1 200", 0) == 0U, chunked.substr(0, 80));
}

// Other requests than uploads take at most --max-body-bytes (64 KiB), however they send it.
BOOST_AUTO_TEST_CASE(a_body_over_the_limit_is_refused_with_the_limit_named) {
  std::string body(70 * 1024, 'x');
  std::string announced =
      client->raw("PATCH /api/documents/shelter-guide HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body);
  BOOST_TEST(announced.rfind("HTTP/1.1 413", 0) == 0U, announced.substr(0, 80));
  BOOST_TEST(announced.find("the request body is larger than the limit of 65536 bytes") != std::string::npos);
  BOOST_TEST(client->get("/healthz").status == 200);
}

// Every answer, JSON, text, HTML, PDF or error, tells browsers not to guess its type, and
// tells caches that credentials change it.
BOOST_AUTO_TEST_CASE(every_answer_says_nosniff_and_varies_by_credentials) {
  for (const std::string target :
       {"/api/search?q=quokka", "/api/documents/shelter-guide/cite?format=apa&quote=x",
        "/documents/shelter-guide.pdf", "/api/nothing", "/healthz", "/metrics", "/", "/api/search"}) {
    HttpResult result = client->get(target);
    BOOST_TEST_CONTEXT(target) {
      BOOST_TEST(result.headers["x-content-type-options"] == "nosniff");
      BOOST_TEST(result.headers["vary"] == "Authorization, Cookie");
      // A public library's anonymous answers may be cached by anyone.
      BOOST_TEST(result.headers["cache-control"].find("private") == std::string::npos);
    }
  }
  BOOST_TEST(client->get("/documents/shelter-guide.pdf").headers["cache-control"] == "public, no-cache");
  HttpResult with_token =
      client->request("GET", "/documents/shelter-guide.pdf", {{"Authorization", "Bearer evl_x"}});
  BOOST_TEST(with_token.headers["cache-control"] == "private, no-cache");
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
  HttpClient one(server->port());
  one.forbid_retries();  // a dropped answer or a closed connection must fail the test
  for (int i = 0; i < 200; ++i) BOOST_REQUIRE(one.get("/api/search?q=quokka").status == 200);
  BOOST_TEST(one.connections() == 1);
  json health = client->get("/healthz").json();
  BOOST_TEST(schema_errors(health, "health.schema.json") == "");
  BOOST_TEST(health["documents"] == 2);
  BOOST_TEST(health["pages"] == 6);
  // The server under test runs with the configuration it ships with: its thesaurus is read.
  BOOST_TEST(health["thesaurus"]["groups"].get<int>() > 0);
  BOOST_TEST(!health["thesaurus"].contains("error"), health.dump());
}

BOOST_AUTO_TEST_CASE(new_index_revision_is_served_without_restart) {
  BOOST_TEST(search("wombat").json()["total"] == 0);
  add_pdf("new.pdf", {"First page.", "The wombat census is on this page."}, "", "Wombat census");
  index_corpus();
  int total = 0;
  for (int attempt = 0; attempt < 50 && total == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    total = search("wombat").json()["total"].get<int>();
  }
  BOOST_TEST(total == 1);
  BOOST_TEST(search("wombat").json()["documents"][0]["pages"][0]["page"] == 2);
}

// `evidence-index compact` puts a new copy of the index (a new UUID, from revision 1) at its
// path while the server searches it: every search answers, the same, from both copies; a
// document indexed afterwards is found, and the server does not reopen on every request.
BOOST_AUTO_TEST_CASE(a_compaction_is_followed_without_restart_or_error) {
  // More commits, as a long build leaves them: each page its own batch.
  for (int i = 0; i < 6; ++i) {
    add_pdf("batch-" + std::to_string(i) + ".pdf",
            {"Filler page " + std::to_string(i) + " about outreach.", "More."});
  }
  index_corpus({"--batch-pages", "1"});
  auto answer = [&] {
    json body = search("quokka").json();
    json ids = json::array();
    for (const auto& document : body["documents"])
      ids.push_back({document["id"], document["pages"][0]["page"]});
    return json{{"total", body["total"]}, {"ids", ids}};
  };
  json before = answer();
  std::string page_before = client->get("/api/documents/shelter-guide/pages/2").json()["text"];

  std::atomic<bool> stop{false};
  std::atomic<int> searches{0};
  std::vector<std::string> problems;
  std::thread searching([&] {
    HttpClient own(server->port());
    while (!stop.load()) {
      HttpResult result = own.get("/api/search?q=quokka");
      if (result.status != 200 || result.json()["total"] != 2) problems.push_back(result.body);
      ++searches;
    }
  });
  auto compacted = run_process({binary("evidence-index"), "compact", "--index", index().string(), "--json",
                                "--pause-before-exchange", "300"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // past the server's refresh interval
  stop = true;
  searching.join();
  BOOST_REQUIRE_MESSAGE(compacted.exit_code == 0, compacted.err);
  json report = json::parse(compacted.out.substr(compacted.out.find('{')));
  BOOST_TEST(report["bytes_after"].get<std::uint64_t>() < report["bytes_before"].get<std::uint64_t>());
  BOOST_TEST(problems.empty(), (problems.empty() ? std::string() : problems.front()));
  BOOST_TEST(searches.load() > 10);
  BOOST_TEST(answer() == before);
  BOOST_TEST(client->get("/api/documents/shelter-guide/pages/2").json()["text"] == page_before);

  add_pdf("after.pdf", {"A numbat count, indexed after the compaction."}, "", "Numbat count");
  index_corpus();
  int total = 0;
  for (int attempt = 0; attempt < 50 && total == 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    total = search("numbat").json()["total"].get<int>();
  }
  BOOST_TEST(total == 1);
  BOOST_TEST(answer() == before);
}

BOOST_AUTO_TEST_CASE(metrics_count_answers_and_read_the_index) {
  for (int i = 0; i < 3; ++i) BOOST_TEST(search("quokka").status == 200);
  BOOST_TEST(client->get("/api/search").status == 400);
  BOOST_TEST(client->get("/api/documents/shelter-guide").status == 200);
  BOOST_TEST(client->get("/api/documents/nothing-here").status == 404);
  HttpResult metrics = client->get("/metrics");
  BOOST_TEST(metrics.status == 200);
  BOOST_TEST(metrics.headers.at("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  auto has_line = [](const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  const std::string& text = metrics.body;
  for (const std::string line : {R"(evidence_http_requests_total{route="search",code="200"} 3)",
                                 R"(evidence_http_requests_total{route="search",code="400"} 1)",
                                 R"(evidence_http_requests_total{route="document",code="200"} 1)",
                                 R"(evidence_http_requests_total{route="document",code="404"} 1)",
                                 R"(evidence_http_request_duration_seconds_count{route="search"} 4)",
                                 R"(evidence_http_request_duration_seconds_bucket{route="search",le="+Inf"} 4)",
                                 "evidence_index_up 1", "evidence_index_documents 2", "evidence_index_pages 6",
                                 "evidence_http_connections_open 1", "# TYPE process_open_fds gauge"}) {
    BOOST_TEST(has_line(text, line), line);
  }
  // Every sample line is in the text format, and a histogram's buckets only grow.
  std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+]?[0-9.e+-]+$)");
  std::istringstream lines(text);
  std::uint64_t previous = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    BOOST_TEST(std::regex_match(line, sample), line);
    if (line.rfind(R"(evidence_http_request_duration_seconds_bucket{route="search",)", 0) == 0) {
      std::uint64_t count = std::stoull(line.substr(line.rfind(' ') + 1));
      BOOST_TEST(count >= previous, line);
      previous = count;
    }
  }
  // The scrape itself is counted by the next one.
  BOOST_TEST(has_line(client->get("/metrics").body, R"(evidence_http_requests_total{route="metrics",code="200"} 1)"));
}

BOOST_AUTO_TEST_CASE(stops_cleanly_on_sigterm) {
  server->child().signal(SIGTERM);
  auto result = server->child().wait(std::chrono::seconds(10));
  BOOST_TEST(result.signal == 0);
  BOOST_TEST(result.exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()
