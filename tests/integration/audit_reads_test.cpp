// The audit of reads, through the real evidence-server over an index the real evidence-index
// built: a public report, members' minutes and a draft restricted to group alpha. Every route
// whose answer carries a document's text or file (Route::reads in app/routes.hpp: a route
// without a case here fails the suite) is read with a token, and the exact lines it appends
// to the audit log are checked; public documents, metadata routes, anonymous callers and
// refusals append nothing. `evidence-server audit` then lists what was written.
#define BOOST_TEST_MODULE audit_reads
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "routes.hpp"
#include "test_support.hpp"

namespace {

struct Library : LibraryFixture {
  Library() {
    add_pdf("pub-report.pdf", {"The harbour report on shelter.", "Second page about harbour staff."},
            R"({"id": "pub-report", "title": "Harbour report", "date": "2020"})");
    add_pdf("mem-minutes.pdf", {"Minutes of the harbour meeting.", "Second page of harbour minutes."},
            R"({"id": "mem-minutes", "title": "Harbour minutes", "date": "2021", "access": "members"})");
    add_pdf("alpha-draft.pdf", {"A harbour draft for the steering group.", "Its second harbour page."},
            R"({"id": "alpha-draft", "title": "Harbour draft", "date": "2022", "access": "restricted",)"
            R"( "groups": ["alpha"]})");
    // Listed: its reader of alpha finds its catalogue record, the brief summary, not its text.
    add_pdf("beta-draft.pdf", {"A harbour draft of group beta."},
            R"({"id": "beta-draft", "title": "Harbour plan of beta", "date": "2023", "access": "restricted",)"
            R"( "groups": ["beta"], "catalogue": "listed"})");
    index_corpus();
    token = add_token(tokens(), "alpha-reader", "reader", {"alpha"});
    start_server({"--tokens", tokens().string(), "--audit-log", audit_log().string()});
  }

  fs::path tokens() const { return dir / "tokens.json"; }
  fs::path audit_log() const { return dir / "audit.jsonl"; }

  // The lines the log holds now, whole.
  std::vector<json> lines() const {
    std::vector<json> all;
    if (!fs::exists(audit_log())) return all;
    std::istringstream in(read_file(audit_log()));
    for (std::string line; std::getline(in, line);) all.push_back(json::parse(line));
    return all;
  }

  // The lines one request appended (they are written before its answer is sent).
  std::vector<json> appended_by(const std::string& method, const std::string& target,
                                const std::map<std::string, std::string>& headers, int expected_status) {
    std::size_t before = lines().size();
    HttpResult result = client->request(method, target, headers);
    BOOST_TEST(result.status == expected_status, method << " " << target << ": " << result.body);
    std::vector<json> all = lines();
    return std::vector<json>(all.begin() + static_cast<std::ptrdiff_t>(before), all.end());
  }

  std::map<std::string, std::string> bearer() const { return {{"Authorization", "Bearer " + token}}; }

  std::string token;
};

// What a read line must say, apart from its time.
json read_line(const std::string& document, const std::string& route) {
  return {{"action", "read"},
          {"client", "127.0.0.1"},
          {"document", document},
          {"route", route},
          {"token", "alpha-reader"}};
}

// The lines without their times, which are checked to be the server's time in the log's form.
std::vector<json> without_times(std::vector<json> lines) {
  static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  for (auto& line : lines) {
    BOOST_TEST(std::regex_match(line.value("time", ""), kTime), line.dump());
    line.erase("time");
  }
  return lines;
}

std::set<std::string> documents_of(const std::vector<json>& lines) {
  std::set<std::string> ids;
  for (const auto& line : lines) ids.insert(line["document"].get<std::string>());
  return ids;
}

// A text route's targets and the lines each must append when read with the token (in any
// order: a search's documents come in the order of their ranking).
struct ReadCase {
  std::string target;
  std::vector<json> expected;
};

std::map<std::string, std::vector<ReadCase>> read_cases() {
  return {
      {"GET /api/search",
       {{"/api/search?q=harbour", {read_line("mem-minutes", "search"), read_line("alpha-draft", "search")}},
        {"/api/search?q=harbour&pages=0",
         {read_line("mem-minutes", "search"), read_line("alpha-draft", "search")}},
        {"/api/search?q=minutes", {read_line("mem-minutes", "search")}},
        {"/api/search?q=&year_from=2021&year_to=2021", {}},  // browsing by filters: metadata only
        {"/api/search?q=nowhereword", {}}}},
      {"GET /api/documents/{id}/hits",
       {{"/api/documents/mem-minutes/hits?q=harbour", {read_line("mem-minutes", "hits")}},
        {"/api/documents/pub-report/hits?q=harbour", {}}}},
      {"GET /api/documents/{id}/similar",
       {{"/api/documents/alpha-draft/similar", {read_line("alpha-draft", "similar")}}}},
      {"GET /api/documents/{id}/pages/{n}",
       {{"/api/documents/mem-minutes/pages/2", {read_line("mem-minutes", "page")}},
        {"/api/documents/pub-report/pages/1", {}}}},
      {"GET /api/documents/{id}/cite",
       {{"/api/documents/mem-minutes/cite?format=apa&page=1&quote=harbour",
         {read_line("mem-minutes", "cite")}},
        {"/api/documents/mem-minutes/cite?format=apa", {}}}},  // no page: the metadata only
      {"GET /documents/{id}.pdf", {{"/documents/alpha-draft.pdf", {read_line("alpha-draft", "pdf")}}}},
      {"GET /",
       {{"/?q=harbour", {read_line("mem-minutes", "search_page"), read_line("alpha-draft", "search_page")}},
        {"/", {}}}},
      {"GET /d/{id}",
       {{"/d/mem-minutes", {read_line("mem-minutes", "document_page")}},
        {"/d/alpha-draft?q=harbour&page=2", {read_line("alpha-draft", "document_page")}},
        {"/d/pub-report?q=harbour", {}}}},
  };
}

std::string route_key(const evidence::server::Route& route) {
  return std::string(route.method) + " " + std::string(route.pattern);
}

bool same_lines(std::vector<json> a, std::vector<json> b) {
  auto by_dump = [](const json& x, const json& y) { return x.dump() < y.dump(); };
  std::sort(a.begin(), a.end(), by_dump);
  std::sort(b.begin(), b.end(), by_dump);
  return a == b;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(audit_reads, Library)

BOOST_AUTO_TEST_CASE(every_text_route_writes_one_line_per_document_that_is_not_public) {
  auto cases = read_cases();
  // A case here for a route the table does not mark as reading is a read gone unrecorded.
  for (const auto& [key, reads] : cases) {
    bool reading = false;
    for (const auto& route : evidence::server::routes())
      reading = reading || (route_key(route) == key && route.reads != evidence::server::Reads::kNothing);
    BOOST_TEST(reading, key << " is not marked as reading text in the route table");
  }
  for (const auto& route : evidence::server::routes()) {
    if (route.reads == evidence::server::Reads::kNothing) continue;
    auto found = cases.find(route_key(route));
    if (found == cases.end()) {
      BOOST_ERROR("the route " << route_key(route)
                               << " reads text but has no case in audit_reads_test.cpp: say what it writes");
      continue;
    }
    for (const ReadCase& read : found->second) {
      auto appended = without_times(appended_by("GET", read.target, bearer(), 200));
      BOOST_TEST(same_lines(appended, read.expected),
                 "GET " << read.target << " wrote " << json(appended).dump());
    }
  }
}

BOOST_AUTO_TEST_CASE(metadata_routes_head_requests_and_errors_write_nothing) {
  for (const std::string target :
       {"/api/documents", "/api/documents/mem-minutes", "/api/trends?q=harbour",
        "/api/export?id=mem-minutes&id=alpha-draft&format=bibtex", "/healthz", "/metrics", "/api/whoami"}) {
    BOOST_TEST(appended_by("GET", target, bearer(), 200).empty(), target);
  }
  BOOST_TEST(appended_by("HEAD", "/documents/mem-minutes.pdf", bearer(), 200).empty());
  BOOST_TEST(appended_by("GET", "/api/documents/mem-minutes/pages/9", bearer(), 404).empty());
  BOOST_TEST(appended_by("GET", "/api/documents/mem-minutes/cite?format=apa&page=9", bearer(), 400).empty());
}

BOOST_AUTO_TEST_CASE(anonymous_callers_and_public_documents_write_nothing) {
  for (const std::string target : {"/api/documents/mem-minutes/pages/1", "/documents/alpha-draft.pdf",
                                   "/d/alpha-draft", "/api/documents/alpha-draft/hits?q=harbour"}) {
    BOOST_TEST(appended_by("GET", target, {}, 404).empty(), target);
  }
  // The members' minutes are listed: an anonymous caller sees their catalogue record.
  for (const std::string target :
       {"/api/search?q=harbour", "/?q=harbour", "/documents/pub-report.pdf",
        "/api/documents/pub-report/pages/1", "/d/pub-report?q=harbour", "/d/mem-minutes"}) {
    BOOST_TEST(appended_by("GET", target, {}, 200).empty(), target);
  }
  // A token that does not verify reads as no token: nothing to record.
  BOOST_TEST(
      appended_by("GET", "/api/search?q=harbour", {{"Authorization", "Bearer evl_nothing"}}, 200).empty());
  BOOST_TEST(lines().empty());
}

BOOST_AUTO_TEST_CASE(a_catalogue_record_is_metadata_and_writes_nothing) {
  // The reader of alpha may not read beta's draft: it finds its brief summary, which is no read.
  HttpResult found = client->request("GET", "/api/search?q=plan", bearer());
  BOOST_TEST(found.body.find("\"beta-draft\"") != std::string::npos, found.body);
  for (const std::string target :
       {"/api/search?q=plan", "/?q=plan", "/d/beta-draft", "/api/documents/beta-draft"}) {
    BOOST_TEST(appended_by("GET", target, bearer(), 200).empty(), target);
  }
  BOOST_TEST(appended_by("GET", "/api/documents/beta-draft/pages/1", bearer(), 404).empty());
}

BOOST_AUTO_TEST_CASE(the_browser_session_cookie_reads_under_its_token_name) {
  auto appended = without_times(
      appended_by("GET", "/d/alpha-draft?page=1", {{"Cookie", "evidence_token=" + token}}, 200));
  BOOST_TEST(same_lines(appended, {read_line("alpha-draft", "document_page")}), json(appended).dump());
}

BOOST_AUTO_TEST_CASE(without_a_log_to_write_to_no_document_that_is_not_public_is_served) {
  fs::create_directories(dir / "not-a-file");  // the log cannot be opened for appending
  start_server({"--tokens", tokens().string(), "--audit-log", (dir / "not-a-file").string()});
  HttpResult refused = client->request("GET", "/api/documents/mem-minutes/pages/1", bearer());
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(refused.json()["error"]["message"].get<std::string>().starts_with(
      "documents that are not public are not served while the audit log cannot be written (cannot open "));
  BOOST_TEST(client->request("GET", "/d/alpha-draft", bearer()).status == 503);
  // What writes no line is served as ever.
  BOOST_TEST(client->request("GET", "/api/documents/pub-report/pages/1", bearer()).status == 200);
  BOOST_TEST(client->request("GET", "/api/documents/mem-minutes", bearer()).status == 200);
  BOOST_TEST(client->request("GET", "/api/search?q=harbour").status == 200);
}

BOOST_AUTO_TEST_CASE(evidence_server_audit_lists_the_reads) {
  (void)appended_by("GET", "/api/documents/mem-minutes/pages/1", bearer(), 200);
  (void)appended_by("GET", "/documents/alpha-draft.pdf", bearer(), 200);
  (void)appended_by("GET", "/api/documents/mem-minutes/hits?q=harbour", bearer(), 200);
  std::vector<json> all = lines();
  BOOST_REQUIRE_EQUAL(all.size(), 3U);
  std::vector<std::string> audit{binary("evidence-server"), "audit", "--audit-log", audit_log().string()};

  auto listed = run_process(audit);
  BOOST_TEST(listed.exit_code == 0);
  BOOST_TEST(
      listed.out ==
      "TIME                  ACTION  TOKEN         DOCUMENT     ROUTE  CLIENT\n" +
          all[0]["time"].get<std::string>() + "  read    alpha-reader  mem-minutes  page   127.0.0.1\n" +
          all[1]["time"].get<std::string>() + "  read    alpha-reader  alpha-draft  pdf    127.0.0.1\n" +
          all[2]["time"].get<std::string>() + "  read    alpha-reader  mem-minutes  hits   127.0.0.1\n");

  auto as_json = run_process({binary("evidence-server"), "audit", "--audit-log", audit_log().string(),
                              "--document", "mem-minutes", "--action", "read", "--token", "alpha-reader",
                              "--since", all[0]["time"].get<std::string>().substr(0, 10), "--json"});
  BOOST_TEST(as_json.exit_code == 0);
  BOOST_TEST(as_json.out == all[0].dump() + "\n" + all[2].dump() + "\n");
  BOOST_TEST(documents_of({all[0], all[2]}) == std::set<std::string>{"mem-minutes"});
}

BOOST_AUTO_TEST_SUITE_END()
