// Tests of the reading routes (search-server/api/read_routes.hpp, through the route table of
// app/routes.hpp) and index_reader.hpp: every route answered from a small index that the test
// builds with the core record builders.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "index_layout.hpp"
#include "index_reader.hpp"
#include "read_routes.hpp"
#include "records.hpp"
#include "routes.hpp"
#include "temp_dir.hpp"
#include "thesaurus_source.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using evidence::server::ApiRequest;
using evidence::server::ApiResponse;
using evidence::server::handle_request;
using evidence::server::IndexReader;
using nlohmann::json;

struct TestDocument {
  std::string id;
  core::DocumentMetadata metadata;
  std::vector<std::string> pages;
};

TestDocument alpha() {
  TestDocument d;
  d.id = "alpha-report";
  d.metadata.title = "Forced Labour in Fisheries";
  d.metadata.countries = {"GB"};
  d.metadata.date = "2021-03";
  d.metadata.language = "en";
  d.pages = {"Introduction to the fishing fleets of the North Sea.",
             "Crew members described Kittiwakes nesting on the cliffs near the harbour."};
  return d;
}

TestDocument beta() {
  TestDocument d;
  d.id = "beta-guide";
  d.metadata.title = "Guidance for Frontline Staff";
  d.pages = {"Frontline staff should know the indicators of exploitation.",
             "Referral forms are kept at the harbour office.",
             "Lighthouse keepers reported unusual arrivals."};
  return d;
}

TestDocument gamma() {
  TestDocument d;
  d.id = "gamma-notes";
  d.metadata.title = "Field Notes";
  d.pages = {"Zebra crossings near the school were watched."};
  return d;
}

std::string fake_sha256(char digit) { return std::string(64, digit); }

// Adds the document record and the page records of one document, as the indexer does.
void add_document(Xapian::WritableDatabase& db, const TestDocument& d, char sha_digit) {
  core::DocumentRecordBuilder builder(d.id, "en");
  core::DocumentInfo info;
  info.id = d.id;
  info.sha256 = fake_sha256(sha_digit);
  info.size = 1000 * d.pages.size();
  info.page_count = static_cast<int>(d.pages.size());
  info.language = "en";
  info.metadata_source = "sidecar";
  info.metadata = d.metadata;
  info.files = {core::FileStamp{"docs/" + d.id + ".pdf", info.size, 1}};
  info.indexed_at = 1700000000;
  for (std::size_t i = 0; i < d.pages.size(); ++i) {
    const int number = static_cast<int>(i + 1);
    core::PageInfo page{number, std::to_string(number), d.pages[i], {}};
    builder.add_page(number, core::page_words("en", page));
    db.replace_document(layout::page_id_term(d.id, number), core::make_page_record(d.id, "en", page));
  }
  Xapian::Document record = builder.finish(d.metadata);
  record.set_data(core::encode_document_info(info));
  db.replace_document(layout::document_id_term(d.id), record);
}

void build_index(const std::filesystem::path& path, const std::vector<TestDocument>& documents) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN);
  char digit = 'a';
  for (const auto& d : documents) add_document(db, d, digit++);
  db.commit();
}

ApiResponse request(IndexReader& reader, const std::string& target, const std::string& method = "GET") {
  return handle_request(ApiRequest{method, target}, reader);
}

json body_of(const ApiResponse& response) {
  BOOST_TEST(response.content_type == "application/json");
  return json::parse(response.body);
}

json error_body(int status, const std::string& code, const std::string& message) {
  return {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
}

// Asserts an error response exactly: status, content type and the whole JSON body.
void check_error(const ApiResponse& response, int status, const std::string& code,
                 const std::string& message) {
  BOOST_TEST(response.status == status);
  BOOST_TEST(body_of(response) == error_body(status, code, message));
}

std::string first_header(const ApiResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

// Two documents, alpha (2 pages) and beta (3 pages), and a reader that follows every new revision.
struct IndexFixture {
  IndexFixture() : reader(index_path(), std::chrono::milliseconds(0)) {
    build_index(index_path(), {alpha(), beta()});
  }
  std::filesystem::path index_path() const { return dir / "index"; }

  evidence::testing::TempDir dir;
  IndexReader reader;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_FIXTURE_TEST_CASE(search_finds_document_and_page, IndexFixture) {
  ApiResponse response = request(reader, "/api/search?q=kittiwakes");
  BOOST_TEST(response.status == 200);
  json body = body_of(response);
  BOOST_TEST(body.at("query") == "kittiwakes");
  BOOST_TEST(body.at("total") == 1);
  BOOST_TEST(body.at("total_exact") == true);
  BOOST_TEST(body.at("offset") == 0);
  BOOST_TEST(body.at("limit") == 10);
  BOOST_REQUIRE_EQUAL(body.at("documents").size(), 1U);
  const json& document = body["documents"][0];
  BOOST_TEST(document.at("id") == "alpha-report");
  BOOST_TEST(document.at("title") == "Forced Labour in Fisheries");
  BOOST_TEST(document.at("page_count") == 2);
  BOOST_TEST(document.at("year") == 2021);
  BOOST_TEST(document.at("rank") == 1);
  BOOST_REQUIRE_EQUAL(document.at("pages").size(), 1U);
  const json& page = document["pages"][0];
  BOOST_TEST(page.at("page") == 2);
  BOOST_TEST(page.at("label") == "2");
  const std::string snippet = page.at("snippet").get<std::string>();
  BOOST_TEST(snippet.find("<mark>Kittiwakes</mark>") != std::string::npos, snippet);
}

BOOST_FIXTURE_TEST_CASE(search_stems_the_query, IndexFixture) {
  json body = body_of(request(reader, "/api/search?q=kittiwake"));
  BOOST_REQUIRE_EQUAL(body.at("documents").size(), 1U);
  BOOST_TEST(body["documents"][0]["id"] == "alpha-report");
  BOOST_TEST(body["documents"][0]["pages"][0]["page"] == 2);
}

BOOST_FIXTURE_TEST_CASE(search_finds_every_document_with_the_word, IndexFixture) {
  json body = body_of(request(reader, "/api/search?q=harbour"));
  BOOST_TEST(body.at("total") == 2);
  BOOST_REQUIRE_EQUAL(body.at("documents").size(), 2U);
  std::set<std::string> ids;
  for (const auto& document : body["documents"]) {
    ids.insert(document.at("id").get<std::string>());
    BOOST_REQUIRE_EQUAL(document.at("pages").size(), 1U);
    BOOST_TEST(document["pages"][0]["page"] == 2);
    BOOST_TEST(document["pages"][0]["snippet"].get<std::string>().find("<mark>harbour</mark>") !=
               std::string::npos);
  }
  BOOST_TEST((ids == std::set<std::string>{"alpha-report", "beta-guide"}));
}

BOOST_FIXTURE_TEST_CASE(search_limit_offset_and_pages, IndexFixture) {
  json first = body_of(request(reader, "/api/search?q=harbour&limit=1"));
  BOOST_TEST(first.at("total") == 2);
  BOOST_TEST(first.at("limit") == 1);
  BOOST_REQUIRE_EQUAL(first.at("documents").size(), 1U);
  json second = body_of(request(reader, "/api/search?q=harbour&limit=1&offset=1"));
  BOOST_REQUIRE_EQUAL(second.at("documents").size(), 1U);
  BOOST_TEST(second.at("offset") == 1);
  BOOST_TEST(second["documents"][0]["rank"] == 2);
  BOOST_TEST(first["documents"][0]["id"] != second["documents"][0]["id"]);
  json no_pages = body_of(request(reader, "/api/search?q=harbour&pages=0"));
  BOOST_REQUIRE_EQUAL(no_pages.at("documents").size(), 2U);
  BOOST_TEST(no_pages["documents"][0]["pages"] == json::array());
}

BOOST_FIXTURE_TEST_CASE(search_with_no_match_is_empty, IndexFixture) {
  ApiResponse response = request(reader, "/api/search?q=walrus");
  BOOST_TEST(response.status == 200);
  json body = body_of(response);
  BOOST_TEST(body.at("total") == 0);
  BOOST_TEST(body.at("documents") == json::array());
}

BOOST_FIXTURE_TEST_CASE(search_without_query_is_400, IndexFixture) {
  check_error(request(reader, "/api/search"), 400, "invalid_argument",
              "parameter 'q' (the query) is required unless a filter is given");
  check_error(request(reader, "/api/search?q="), 400, "invalid_argument",
              "parameter 'q' (the query) is required unless a filter is given");
  check_error(request(reader, "/api/search?q=+"), 400, "invalid_argument", "the query is empty");
}

BOOST_FIXTURE_TEST_CASE(search_with_bad_limit_is_400, IndexFixture) {
  const std::string message = "parameter 'limit' must be a whole number from 1 to 100";
  check_error(request(reader, "/api/search?q=harbour&limit=0"), 400, "invalid_argument", message);
  check_error(request(reader, "/api/search?q=harbour&limit=abc"), 400, "invalid_argument", message);
  check_error(request(reader, "/api/search?q=harbour&limit=101"), 400, "invalid_argument", message);
  check_error(request(reader, "/api/search?q=harbour&offset=-1"), 400, "invalid_argument",
              "parameter 'offset' must be a whole number from 0 to 100000");
  check_error(request(reader, "/api/search?q=harbour&pages=21"), 400, "invalid_argument",
              "parameter 'pages' must be a whole number from 0 to 20");
}

BOOST_FIXTURE_TEST_CASE(search_with_over_long_query_is_400, IndexFixture) {
  check_error(request(reader, "/api/search?q=" + std::string(1001, 'a')), 400, "invalid_argument",
              "parameter 'q' is too long (1001 bytes; at most 1000)");
}

// Regression: the 1,000 bytes a user may send were checked again after the thesaurus
// widened the query, so 999 bytes of "THB THB ..." (an acronym of human trafficking) were
// refused as "the query is too long (23399 bytes; at most 1000)".
BOOST_FIXTURE_TEST_CASE(thesaurus_widening_has_its_own_limit, IndexFixture) {
  const std::filesystem::path file =
      std::filesystem::path(EVIDENCE_SOURCE_DIR) / "schemas" / "thesaurus.json";
  evidence::server::ThesaurusSource thesaurus(file);
  auto widen = [&](const std::string& text) { return thesaurus.current()->expand(text).query.size(); };
  auto ask = [&](const std::string& target) {
    return handle_request(ApiRequest{"GET", target}, reader, &thesaurus);
  };
  std::string acronyms = "THB";
  while (acronyms.size() + 4 <= core::kMaxQueryLength) acronyms += " THB";
  BOOST_REQUIRE_EQUAL(acronyms.size(), 999U);
  std::string sent = acronyms;
  std::replace(sent.begin(), sent.end(), ' ', '+');
  const std::string message =
      "the query is too long once the thesaurus widens it (" + std::to_string(widen(acronyms)) +
      " bytes; at most 4000): search fewer of its synonyms and acronyms at once, or write "
      "=WORD to search a word only as written";
  for (const std::string route :
       {"/api/search?q=", "/api/trends?q=", "/api/documents/alpha-report/hits?q="}) {
    BOOST_TEST_CONTEXT(route) { check_error(ask(route + sent), 400, "invalid_argument", message); }
  }
  // What the user sent is held to its own limit, before any widening.
  check_error(ask("/api/search?q=" + sent + "+THB"), 400, "invalid_argument",
              "parameter 'q' is too long (1003 bytes; at most 1000)");
  // A few acronyms widen well within the limit; written =THB, each is searched as written.
  json few = body_of(ask("/api/search?q=THB+THB+THB+harbour"));
  BOOST_TEST(few.at("also_searched").size() > 0U);
  std::string exact = "=THB";
  while (exact.size() + 5 <= core::kMaxQueryLength) exact += " =THB";
  std::replace(exact.begin(), exact.end(), ' ', '+');
  BOOST_TEST(ask("/api/search?q=" + exact).status == 200);
}

BOOST_FIXTURE_TEST_CASE(bad_escape_is_400, IndexFixture) {
  check_error(request(reader, "/api/search?q=%zz"), 400, "invalid_argument",
              "bad percent-escape in the request target");
}

BOOST_FIXTURE_TEST_CASE(document_by_id, IndexFixture) {
  ApiResponse response = request(reader, "/api/documents/alpha-report");
  BOOST_TEST(response.status == 200);
  const json expected = {{"id", "alpha-report"},
                         {"access", "public"},
                         {"readable", true},
                         {"title", "Forced Labour in Fisheries"},
                         {"countries", {"GB"}},
                         {"date", "2021-03"},
                         {"language", "en"},
                         {"language_detected", false},
                         {"page_count", 2},
                         {"metadata_source", "sidecar"},
                         {"files", {"docs/alpha-report.pdf"}},
                         {"sha256", fake_sha256('a')},
                         {"size", 2000},
                         {"ocr_pages", json::array()},
                         {"pages_without_text", json::array()},
                         {"year", 2021}};
  BOOST_TEST(body_of(response) == expected);
}

BOOST_FIXTURE_TEST_CASE(document_page_count, IndexFixture) {
  json body = body_of(request(reader, "/api/documents/beta-guide"));
  BOOST_TEST(body.at("page_count") == 3);
  BOOST_TEST(!body.contains("year"));
}

BOOST_FIXTURE_TEST_CASE(unknown_document_is_404, IndexFixture) {
  check_error(request(reader, "/api/documents/no-such-doc"), 404, "not_found",
              "no document with id 'no-such-doc'");
  // An id the layout cannot hold is simply not found.
  check_error(request(reader, "/api/documents/Bad%20Id"), 404, "not_found", "no document with id 'Bad Id'");
}

BOOST_FIXTURE_TEST_CASE(page_text, IndexFixture) {
  ApiResponse response = request(reader, "/api/documents/alpha-report/pages/2");
  BOOST_TEST(response.status == 200);
  const json expected = {
      {"id", "alpha-report"},
      {"page", 2},
      {"label", "2"},
      {"text", "Crew members described Kittiwakes nesting on the cliffs near the harbour."},
      {"ocr", false}};
  BOOST_TEST(body_of(response) == expected);
  BOOST_TEST(body_of(request(reader, "/api/documents/beta-guide/pages/3")).at("text") ==
             "Lighthouse keepers reported unusual arrivals.");
}

BOOST_FIXTURE_TEST_CASE(bad_page_number_is_400, IndexFixture) {
  const std::string message = "the page number must be a whole number from 1";
  for (const char* target :
       {"/api/documents/alpha-report/pages/0", "/api/documents/alpha-report/pages/x",
        "/api/documents/alpha-report/pages/-1", "/api/documents/alpha-report/pages/1.5"}) {
    BOOST_TEST_CONTEXT(target) { check_error(request(reader, target), 400, "invalid_argument", message); }
  }
}

BOOST_FIXTURE_TEST_CASE(missing_page_is_404, IndexFixture) {
  check_error(request(reader, "/api/documents/alpha-report/pages/99"), 404, "not_found",
              "document 'alpha-report' has no page 99");
  check_error(request(reader, "/api/documents/alpha-report/pages/3"), 404, "not_found",
              "document 'alpha-report' has no page 3");
  check_error(request(reader, "/api/documents/no-such-doc/pages/1"), 404, "not_found",
              "no document with id 'no-such-doc'");
}

BOOST_FIXTURE_TEST_CASE(unknown_route_is_404, IndexFixture) {
  check_error(request(reader, "/api/nothing"), 404, "not_found", "no such resource: /api/nothing");
  check_error(request(reader, "/api/documents/alpha-report/nothing"), 404, "not_found",
              "no such resource: /api/documents/alpha-report/nothing");
  check_error(request(reader, "/api/documents/alpha-report/pages"), 404, "not_found",
              "no such resource: /api/documents/alpha-report/pages");
  // Outside the API's paths the pages answer: an HTML 404 page.
  ApiResponse page = request(reader, "/search?q=x");
  BOOST_TEST(page.status == 404);
  BOOST_TEST(page.content_type == "text/html; charset=utf-8");
}

BOOST_FIXTURE_TEST_CASE(target_without_slash_is_400, IndexFixture) {
  check_error(request(reader, "api/search?q=x"), 400, "invalid_argument",
              "the request target must start with '/'");
}

BOOST_FIXTURE_TEST_CASE(post_is_405_with_allow, IndexFixture) {
  ApiResponse response = request(reader, "/api/search?q=harbour", "POST");
  check_error(response, 405, "method_not_allowed", "use GET, HEAD for /api/search");
  BOOST_TEST(first_header(response, "Allow") == "GET, HEAD");
  // The write methods of documents are named (the HTTP layer routes them to the writer).
  ApiResponse put = request(reader, "/api/documents/alpha-report", "PUT");
  BOOST_TEST(put.status == 405);
  BOOST_TEST(first_header(put, "Allow") == "GET, HEAD, PATCH, DELETE");
  ApiResponse put_all = request(reader, "/api/documents", "PUT");
  BOOST_TEST(first_header(put_all, "Allow") == "GET, HEAD, POST");
}

BOOST_FIXTURE_TEST_CASE(head_is_answered_like_get, IndexFixture) {
  ApiResponse response = request(reader, "/api/documents/alpha-report", "HEAD");
  BOOST_TEST(response.status == 200);
}

BOOST_FIXTURE_TEST_CASE(cite_uses_the_injected_date_and_public_url, IndexFixture) {
  evidence::server::ApiOptions options;
  options.public_url = "http://test.local";
  options.today = [] {
    return std::chrono::year_month_day{std::chrono::year(2030), std::chrono::January, std::chrono::day(2)};
  };
  ApiResponse apa = handle_request(ApiRequest{"GET", "/api/documents/alpha-report/cite?format=apa&page=2"},
                                   reader, nullptr, options);
  BOOST_TEST(apa.status == 200);
  BOOST_TEST(apa.content_type == "text/plain; charset=utf-8");
  BOOST_TEST(apa.body ==
             "(Forced Labour in Fisheries, 2021, p. 2)\n\n"
             "Forced Labour in Fisheries. (2021). http://test.local/d/alpha-report?page=2\n");
  ApiResponse bibtex = handle_request(ApiRequest{"GET", "/api/documents/alpha-report/cite?format=bibtex"},
                                      reader, nullptr, options);
  BOOST_TEST(bibtex.body.find("  urldate = {2030-01-02}") != std::string::npos, bibtex.body);
}

BOOST_FIXTURE_TEST_CASE(pdf_of_a_file_not_in_the_corpus_is_404, IndexFixture) {
  evidence::server::ApiOptions options;
  options.corpus = dir.path() / "empty-corpus";
  check_error(handle_request(ApiRequest{"GET", "/documents/alpha-report.pdf"}, reader, nullptr, options), 404,
              "not_found", "the file of document 'alpha-report' is no longer in the corpus");
  check_error(handle_request(ApiRequest{"GET", "/documents/nothing.pdf"}, reader, nullptr, options), 404,
              "not_found", "no document with id 'nothing'");
}

BOOST_FIXTURE_TEST_CASE(healthz_counts_documents_and_pages, IndexFixture) {
  ApiResponse response = request(reader, "/healthz");
  BOOST_TEST(response.status == 200);
  json body = body_of(response);
  BOOST_TEST(body.at("status") == "ok");
  BOOST_TEST(body.at("documents") == 2);
  BOOST_TEST(body.at("pages") == 5);
  BOOST_TEST(body.at("revision") == 1);
}

// /healthz's answer as the JSON edge writes it: each shard's size or why it does not
// answer, and an index that cannot be read without the thesaurus.
BOOST_AUTO_TEST_CASE(health_as_json) {
  using evidence::server::IndexHealth;
  using evidence::server::IndexStatus;
  using evidence::server::ServerHealth;
  using evidence::server::ShardHealth;
  ShardHealth harbour;
  harbour.name = "harbour";
  harbour.address = "/srv/harbour";
  harbour.answers = true;
  harbour.documents = 2;
  harbour.pages = 13;
  harbour.revision = 4;
  ShardHealth lumen;
  lumen.name = "lumen";
  lumen.remote = true;
  lumen.address = "lumen.example:7000";
  lumen.error = "down";
  IndexHealth network;
  network.status = IndexStatus::kDegraded;
  network.documents = 2;
  network.pages = 13;
  network.shards = std::vector<ShardHealth>{harbour, lumen};
  BOOST_TEST(json(ServerHealth{network, evidence::server::ThesaurusHealth{"t.json", 3, ""}}).dump() ==
             R"({"documents":2,"pages":13,"shards":[{"address":"/srv/harbour","documents":2,"kind":"local",)"
             R"("name":"harbour","pages":13,"revision":4,"status":"ok"},{"address":"lumen.example:7000",)"
             R"("error":"down","kind":"remote","name":"lumen","status":"unavailable"}],"status":"degraded",)"
             R"("thesaurus":{"file":"t.json","groups":3}})");
  ServerHealth unreadable{evidence::core::Error{evidence::core::ErrorCode::kIndexUnavailable, "no index"},
                          std::nullopt};
  BOOST_TEST(json(unreadable).dump() == R"({"message":"no index","status":"unavailable"})");
  BOOST_TEST((unreadable.status() == IndexStatus::kUnavailable));
}

// What the pages read (search_answer, hits_answer) is what the routes answer, as types.
BOOST_FIXTURE_TEST_CASE(typed_answers_are_the_routes_answers, IndexFixture) {
  using evidence::server::Target;
  Target search{"/api/search", {}, {{"q", "report"}, {"limit", "1"}}};
  auto answer = evidence::server::search_answer(search, reader, nullptr, evidence::server::ApiOptions{});
  BOOST_TEST_REQUIRE(answer.ok());
  BOOST_TEST(json(*answer) == body_of(request(reader, "/api/search?q=report&limit=1")));
  auto hits =
      evidence::server::hits_answer(Target{{}, {}, {{"q", "report"}}}, "alpha-report", reader, nullptr);
  BOOST_TEST_REQUIRE(hits.ok());
  BOOST_TEST(json(*hits) == body_of(request(reader, "/api/documents/alpha-report/hits?q=report")));
  auto bad = evidence::server::search_answer(Target{"/api/search", {}, {{"q", "report"}, {"limit", "0"}}},
                                             reader, nullptr, evidence::server::ApiOptions{});
  BOOST_TEST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().message ==
             json::parse(request(reader, "/api/search?q=report&limit=0").body)["error"]["message"]);
}

BOOST_FIXTURE_TEST_CASE(reader_follows_new_revisions, IndexFixture) {
  BOOST_TEST(body_of(request(reader, "/api/search?q=zebra")).at("total") == 0);
  {
    Xapian::WritableDatabase db(index_path().string(), Xapian::DB_OPEN);
    add_document(db, gamma(), 'c');
    db.commit();
  }
  ApiResponse response = request(reader, "/api/search?q=zebra");
  BOOST_TEST(response.status == 200);
  json body = body_of(response);
  BOOST_TEST(body.at("total") == 1);
  BOOST_REQUIRE_EQUAL(body.at("documents").size(), 1U);
  BOOST_TEST(body["documents"][0]["id"] == "gamma-notes");
  BOOST_TEST(body["documents"][0]["pages"][0]["page"] == 1);
  json health = body_of(request(reader, "/healthz"));
  BOOST_TEST(health.at("documents") == 3);
  BOOST_TEST(health.at("revision") == 2);
  BOOST_TEST(request(reader, "/api/documents/gamma-notes/pages/1").status == 200);
}

// A document whose words stand on no one page shows the pages with any of them, and no
// page that only shares a filter's term with the query (here the language of "lang:en").
BOOST_FIXTURE_TEST_CASE(pages_shown_hold_a_word_of_the_query, IndexFixture) {
  for (const char* query : {"frontline+lighthouse", "frontline+lighthouse+lang:en"}) {
    json body = body_of(request(reader, std::string("/api/search?q=") + query));
    BOOST_REQUIRE_EQUAL(body.at("documents").size(), 1U);
    const json& pages = body["documents"][0]["pages"];
    std::set<int> numbers;
    for (const auto& page : pages) {
      numbers.insert(page.at("page").get<int>());
      BOOST_TEST(page.at("matches") == 1, query);
    }
    BOOST_TEST((numbers == std::set<int>{1, 3}), query);
  }
}

// The reader keeps what every search reads again (the index's languages, the documents'
// ids, which pages are whose) only while the index stays the same revision.
BOOST_FIXTURE_TEST_CASE(remembered_records_follow_new_revisions, IndexFixture) {
  json before = body_of(request(reader, "/api/search?q=harbour+referral"));
  BOOST_REQUIRE_EQUAL(before.at("documents").size(), 1U);
  BOOST_TEST(before["documents"][0]["pages"][0]["page"] == 2);
  BOOST_TEST(body_of(request(reader, "/api/search?q=chevaux")).at("total") == 0);
  {
    // beta gets a fourth page (a new page record) and a French document arrives: the
    // French stemmer finds "cheval" for "chevaux", the English one does not.
    Xapian::WritableDatabase db(index_path().string(), Xapian::DB_OPEN);
    TestDocument longer = beta();
    longer.pages.push_back("Harbour referral: each harbour referral is recorded.");
    add_document(db, longer, 'b');
    TestDocument french = gamma();
    french.id = "delta-notes";
    french.metadata.language = "fr";
    french.pages = {"Le cheval blanc du port."};
    core::DocumentRecordBuilder builder(french.id, "fr");
    core::PageInfo page{1, "1", french.pages[0], {}};
    builder.add_page(1, core::page_words("fr", page));
    db.replace_document(layout::page_id_term(french.id, 1), core::make_page_record(french.id, "fr", page));
    Xapian::Document record = builder.finish(french.metadata);
    core::DocumentInfo info;
    info.id = french.id;
    info.sha256 = fake_sha256('d');
    info.page_count = 1;
    info.language = "fr";
    info.metadata = french.metadata;
    record.set_data(core::encode_document_info(info));
    db.replace_document(layout::document_id_term(french.id), record);
    db.commit();
  }
  json after = body_of(request(reader, "/api/search?q=harbour+referral"));
  BOOST_REQUIRE_EQUAL(after.at("documents").size(), 1U);
  BOOST_TEST(after["documents"][0]["id"] == "beta-guide");
  BOOST_REQUIRE_EQUAL(after["documents"][0]["pages"].size(), 2U);
  BOOST_TEST(after["documents"][0]["pages"][0]["page"] == 4);
  BOOST_TEST(after["documents"][0]["pages"][1]["page"] == 2);
  json french = body_of(request(reader, "/api/search?q=chevaux"));
  BOOST_TEST(french.at("total") == 1);
  BOOST_REQUIRE_EQUAL(french.at("documents").size(), 1U);
  BOOST_TEST(french["documents"][0]["id"] == "delta-notes");
  BOOST_TEST(french["documents"][0]["pages"][0]["page"] == 1);
}

// Regression: a wildcard stood for every word of the index that starts with it. Past its
// bound a search, the hits of a document and trends answer 400 naming the wildcard, and the
// next search is answered as before.
BOOST_AUTO_TEST_CASE(wildcard_past_its_bound_is_400) {
  evidence::testing::TempDir dir;
  TestDocument wordy = gamma();
  std::string words;
  for (int i = 0; i < 1001; ++i) words += " ab" + std::to_string(10000 + i);
  wordy.pages = {words};
  build_index(dir / "index", {alpha(), beta(), wordy});
  IndexReader reader(dir / "index", std::chrono::milliseconds(0));
  const std::string message =
      "the wildcard 'ab*' stands for more than 1000 words of the library (the most one wildcard may search): "
      "type more letters before the *";
  for (const std::string target : {"/api/search?q=ab*", "/api/search?q=harbour+OR+ab*&sort=newest",
                                   "/api/trends?q=ab*", "/api/documents/gamma-notes/hits?q=ab*"}) {
    BOOST_TEST_CONTEXT(target) { check_error(request(reader, target), 400, "invalid_argument", message); }
  }
  BOOST_TEST(body_of(request(reader, "/api/search?q=ab1000*")).at("total") == 1);  // 10 words
  json after = body_of(request(reader, "/api/search?q=harbour"));
  BOOST_TEST(after.at("total") == 2);
  BOOST_TEST(!after.contains("time_limit_reached"));
}

namespace {

// 5,060 documents that all hold "harbour"; in documents 4,000 to 4,059 "kittiwakes" stands
// too. Once the match has the 50 best of them (the blend's candidates) and no document left
// can beat them, it may stop, but only when it no longer has to count every match.
std::filesystem::path budget_index(const evidence::testing::TempDir& dir) {
  std::vector<TestDocument> documents;
  for (int i = 0; i < 5060; ++i) {
    TestDocument d;
    d.id = "harbour-" + std::to_string(10000 + i);
    d.metadata.language = "en";
    d.pages = {i >= 4000 && i < 4060 ? "The harbour and its kittiwakes." : "The harbour and its boats."};
    documents.push_back(d);
  }
  build_index(dir / "index", documents);
  return dir / "index";
}

}  // namespace

// The document match has a time budget (SearchBudget): past it Xapian stops counting every
// match, and the answer says that its counts are of the documents the match looked at.
BOOST_AUTO_TEST_CASE(search_says_when_its_time_budget_cut_the_count) {
  evidence::testing::TempDir dir;
  auto index = budget_index(dir);
  using evidence::server::SearchBudget;
  const std::string target = "/api/search?q=harbour+OR+kittiwakes";
  IndexReader unlimited(index, std::chrono::milliseconds(0), nullptr, {},
                        SearchBudget{std::chrono::microseconds(0)});
  json full = body_of(request(unlimited, target));
  BOOST_TEST(full.at("total") == 5060);
  BOOST_TEST(full.at("total_exact") == true);
  BOOST_TEST(!full.contains("time_limit_reached"));
  BOOST_TEST(full.at("facets").at("language").at(0).at("count") == 5060);
  // A budget of a microsecond runs out (Xapian learns of it from a timer thread) while the
  // match walks the first 4,000 documents, milliseconds before it meets the best ones.
  // Asked five times, so that a machine too busy to run the timer's thread once in time
  // does not fail the test.
  IndexReader hurried(index, std::chrono::milliseconds(0), nullptr, {},
                      SearchBudget{std::chrono::microseconds(1)});
  json cut;
  for (int attempt = 0; attempt < 5 && !cut.contains("time_limit_reached"); ++attempt)
    cut = body_of(request(hurried, target));
  BOOST_TEST(cut.at("time_limit_reached") == true);
  BOOST_TEST(cut.at("facets").at("language").at(0).at("count") < 5060);
  // The best documents are found all the same.
  BOOST_REQUIRE_EQUAL(cut.at("documents").size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) BOOST_TEST(cut["documents"][i]["id"] == full["documents"][i]["id"]);
}

BOOST_AUTO_TEST_CASE(missing_index_is_503) {
  evidence::testing::TempDir dir;
  IndexReader reader(dir.path(), std::chrono::milliseconds(0));
  const std::string message = "the index is not built yet; run evidence-index on the corpus";
  ApiResponse health = request(reader, "/healthz");
  BOOST_TEST(health.status == 503);
  BOOST_TEST(body_of(health) == (json{{"status", "unavailable"}, {"message", message}}));
  check_error(request(reader, "/api/search?q=harbour"), 503, "index_unavailable", message);
  check_error(request(reader, "/api/documents/alpha-report"), 503, "index_unavailable", message);
  check_error(request(reader, "/api/documents/alpha-report/pages/1"), 503, "index_unavailable", message);
  // Parameters are still checked first.
  check_error(request(reader, "/api/search"), 400, "invalid_argument",
              "parameter 'q' (the query) is required unless a filter is given");
}

BOOST_AUTO_TEST_CASE(missing_folder_is_503) {
  evidence::testing::TempDir dir;
  IndexReader reader(dir / "does-not-exist", std::chrono::milliseconds(0));
  BOOST_TEST(request(reader, "/healthz").status == 503);
  BOOST_TEST(request(reader, "/api/search?q=x").status == 503);
}

BOOST_AUTO_TEST_CASE(index_built_after_start_is_opened) {
  evidence::testing::TempDir dir;
  IndexReader reader(dir / "index", std::chrono::milliseconds(0));
  BOOST_TEST(request(reader, "/healthz").status == 503);
  build_index(dir / "index", {alpha()});
  ApiResponse health = request(reader, "/healthz");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(body_of(health).at("documents") == 1);
  BOOST_TEST(body_of(request(reader, "/api/search?q=kittiwakes")).at("total") == 1);
}

// Regression: every search copied the static Xapian::Query::MatchAll, whose reference
// count is not atomic, from all server threads at once; under load the count went wrong,
// the shared query was freed, and a server thread jumped into freed memory. Each thread
// here has its own reader, as in the server; run under ThreadSanitizer it reports the race
// if it comes back, and a corrupted count shows here as a crash or a wrong answer.
BOOST_FIXTURE_TEST_CASE(concurrent_searches_share_no_xapian_object, IndexFixture) {
  const std::vector<std::string> targets = {"/api/search?q=kittiwakes", "/api/search?lang=en",
                                            "/api/trends?q=kittiwakes",
                                            "/api/search?q=kittiwakes&sort=newest"};
  std::vector<std::string> expected;
  for (const auto& target : targets) expected.push_back(request(reader, target).body);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      IndexReader own(index_path(), std::chrono::milliseconds(1000));
      for (int round = 0; round < 150; ++round) {
        std::size_t i = (t + static_cast<std::size_t>(round)) % targets.size();
        if (request(own, targets[i]).body != expected[i]) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(wrong == std::vector<int>(4, 0), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
