// A network of shards searched as one: three member indexes written by evidence-index
// --shard, one local and two served by real xapian-tcpsrv processes on loopback, against
// one index of all the same documents. Then a shard killed, a shard stalled, and a read
// replica kept by xapian-replicate that follows its master.
#define BOOST_TEST_MODULE shards
#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <set>
#include <thread>

#include "test_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// A Xapian daemon (xapian-tcpsrv, xapian-replicate-server) in its own process group, so
// that killing it also kills the children it forks for each connection.
class Daemon {
 public:
  /// Starts argv (argv[0] a path) and waits until it accepts connections on port.
  Daemon(std::vector<std::string> argv, unsigned short port) : Daemon(argv) {
    auto deadline = Clock::now() + std::chrono::seconds(20);
    int fd = -1;
    while ((fd = connect_loopback(port)) < 0) {
      if (Clock::now() > deadline) throw std::runtime_error(argv[0] + " does not listen on port " + std::to_string(port));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::close(fd);
  }
  ~Daemon() { signal(SIGKILL); }
  /// Starts argv (argv[0] a path).
  explicit Daemon(std::vector<std::string> argv) {
    std::vector<std::string> command{"/usr/bin/setsid"};
    command.insert(command.end(), argv.begin(), argv.end());
    child_ = std::make_unique<Child>(command);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  void signal(int sig) { ::kill(-child_->pid(), sig); }

 private:
  std::unique_ptr<Child> child_;
};

// The member's side: the project's script that starts xapian-tcpsrv for a shard.
std::unique_ptr<Daemon> serve_index(const fs::path& index, unsigned short port) {
  return std::make_unique<Daemon>(std::vector<std::string>{EVIDENCE_SOURCE_DIR "/scripts/shard-serve.sh", index.string(),
                                                           std::to_string(port)},
                                  port);
}

struct MemberDocument {
  std::string file;
  std::string id;
  std::vector<std::string> pages;
  std::string sidecar;  // without the id
};

// Three members' documents. Both "annual-report" ids are a member's own: the shards keep
// them apart.
const std::map<std::string, std::vector<MemberDocument>>& members() {
  static const std::map<std::string, std::vector<MemberDocument>> kMembers = {
      {"harbour",
       {{"shelter-review.pdf", "shelter-review",
         {"Night shelter capacity for survivors of trafficking.", "Staffing the shelter rota with trained caseworkers.",
          "Referral pathways into safe housing for survivors."},
         R"("title": "Shelter capacity review", "countries": ["GB"], "themes": ["survivor-support"], "type": "report",
            "date": "2021-04-01", "organisations": ["Harbour Light Foundation"])"},
        {"annual-report.pdf", "annual-report",
         {"The zephyrine lantern project began in the harbour district.", "Lantern volunteers and zephyrine outreach."},
         R"("title": "Harbour annual report", "countries": ["GB"], "type": "annual-report", "date": "2023",
            "organisations": ["Harbour Light Foundation"])"}}},
      {"lumen",
       {{"fishing.pdf", "forced-labour-fishing",
         {"Forced labour on fishing vessels in distant waters.", "Recruitment fees charged by brokers to migrant fishers.",
          "A shelter for rescued fishers on the coast."},
         R"("title": "Forced labour in fishing", "countries": ["NG", "GH"], "themes": ["supply-chains"],
            "exploitation": ["forced-labour"], "type": "research-paper", "date": "2022-09", "organisations": ["Lumen Research Institute"])"},
        {"annual-report.pdf", "annual-report",
         {"Zephyrine research on lanterns in coastal towns.", "A year of lantern studies and shelter visits."},
         R"("title": "Lumen annual report", "countries": ["NG"], "type": "annual-report", "date": "2022",
            "organisations": ["Lumen Research Institute"])"}}},
      {"northbridge",
       {{"trauma.pdf", "trauma-guidance",
         {"Trauma informed interviews with survivors.", "Caseworkers and shelter staff training on trauma."},
         R"("title": "Trauma informed guidance", "countries": ["GB"], "themes": ["survivor-support"], "type": "guidance",
            "date": "2023-02-15", "organisations": ["Northbridge Survivor Network"])"},
        {"nrm.pdf", "referral-mechanism",
         {"National referral mechanism decisions and delays.", "Survivors waiting for decisions in a shelter."},
         R"("title": "Waiting for the referral mechanism", "countries": ["GB"], "themes": ["survivor-support"],
            "type": "report", "date": "2020", "organisations": ["Northbridge Survivor Network"])"}}}};
  return kMembers;
}

void write_sidecar(const fs::path& folder, const MemberDocument& document, const std::string& id) {
  fs::path sidecar = folder / document.file;
  sidecar.replace_extension(".json");
  write_file(sidecar, R"({"id": ")" + id + R"(", )" + document.sidecar + "}");
}

void write_document(const fs::path& folder, const MemberDocument& document, const std::string& id) {
  fs::create_directories(folder);
  write_pages(folder / document.file, document.pages);
  write_sidecar(folder, document, id);
}

// The same document in another folder under another id: a copy of its PDF (written again, it
// could differ in its creation time, and so in its sha256), with its own sidecar.
void copy_document(const fs::path& from, const fs::path& folder, const MemberDocument& document,
                   const std::string& id) {
  fs::create_directories(folder);
  fs::copy_file(from / document.file, folder / document.file);
  write_sidecar(folder, document, id);
}

// The network and the one index must hold the same documents for their answers to agree.
void every_file_indexed(const evidence::testing::ProcessResult& run) {
  json summary = summary_of(run);
  BOOST_TEST_REQUIRE(summary.value("failed", json::array()).empty(), summary.dump());
}

// The network: harbour local, lumen and northbridge behind xapian-tcpsrv; and one index of
// all six documents, their ids written as the network names them.
struct Network {
  Network() {
    for (const auto& [member, documents] : members()) {
      for (const auto& document : documents) {
        write_document(dir / ("corpus-" + member), document, document.id);
        copy_document(dir / ("corpus-" + member), dir / "all" / member, document, member + "." + document.id);
      }
      every_file_indexed(run_indexer(dir / ("corpus-" + member), dir / ("index-" + member), {"--shard", member}));
    }
    every_file_indexed(run_indexer(dir / "all", dir / "index-all"));
    ports["lumen"] = free_loopback_port();
    ports["northbridge"] = free_loopback_port();
    for (const auto& [member, port] : ports) daemons[member] = serve_index(dir / ("index-" + member), port);
    write_file(dir / "shards.json", json{{"timeout_ms", 1000},
                                         {"connect_timeout_ms", 1000},
                                         {"retry_ms", 300},
                                         {"shards",
                                          {{{"name", "harbour"}, {"index", "index-harbour"}, {"corpus", "corpus-harbour"}},
                                           {{"name", "lumen"},
                                            {"remote", "127.0.0.1:" + std::to_string(ports["lumen"])},
                                            {"pdf_base_url", "https://lumen.example.org/evidence"}},
                                           {{"name", "northbridge"},
                                            {"remote", "127.0.0.1:" + std::to_string(ports["northbridge"])}}}}}
                                         .dump(2));
    const std::string thesaurus = EVIDENCE_SOURCE_DIR "/schemas/thesaurus.json";
    network = std::make_unique<ServerProcess>(
        dir / "unused", dir / "unused",
        std::vector<std::string>{"--shards", (dir / "shards.json").string(), "--thesaurus", thesaurus});
    one_index = std::make_unique<ServerProcess>(dir / "index-all", dir / "all",
                                                std::vector<std::string>{"--thesaurus", thesaurus});
    client = std::make_unique<HttpClient>(network->port());
    reference = std::make_unique<HttpClient>(one_index->port());
  }

  json search(const std::string& query) {
    HttpResult result = client->get("/api/search?" + query);
    BOOST_TEST_REQUIRE(result.status == 200, query << ": " << result.body);
    return result.json();
  }

  // The ids of the documents a search finds.
  std::vector<std::string> ids(const json& found) {
    std::vector<std::string> out;
    for (const auto& document : found["documents"]) out.push_back(document["id"]);
    return out;
  }

  TempDir dir;
  std::map<std::string, unsigned short> ports;
  std::map<std::string, std::unique_ptr<Daemon>> daemons;
  std::unique_ptr<ServerProcess> network;
  std::unique_ptr<ServerProcess> one_index;
  std::unique_ptr<HttpClient> client;
  std::unique_ptr<HttpClient> reference;
};

// What a network answer holds beyond one index's: which shard, which shards answered.
// The files differ too: one corpus holds all members' files.
json without_shards(json body) {
  body.erase("shards");
  for (auto& document : body["documents"]) {
    document.erase("shard");
    document.erase("files");
  }
  return body;
}

void wait_until(const std::function<bool()>& done, std::chrono::seconds timeout, const std::string& what) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) BOOST_FAIL("timed out waiting: " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_network_answers_as_one_index_of_all_its_documents) {
  Network net;
  for (const std::string& query : std::vector<std::string>{"q=shelter", "q=survivors", "q=" + url_encode("\"referral mechanism\""), "q=zephyrine",
        "q=shelter&country=GB", "q=shelter&sort=newest", "q=shelter&sort=title", "type=annual-report&sort=title",
        "q=" + url_encode("fishers OR caseworkers"), "q=shelter&offset=2&limit=2", "q=" + url_encode("title:report"),
        "q=shelter&year_from=2022", "q=" + url_encode("forced labour")}) {
    json found = net.search(query);
    HttpResult expected = net.reference->get("/api/search?" + query);
    BOOST_TEST_REQUIRE(expected.status == 200);
    BOOST_TEST_INFO("query: " << query);
    BOOST_TEST(without_shards(found).dump(2) == without_shards(expected.json()).dump(2));
    BOOST_TEST(found["shards"] == json({{"answered", {"harbour", "lumen", "northbridge"}}, {"unavailable", json::array()}}),
               found["shards"].dump());
    BOOST_TEST(schema_errors(found, "search.schema.json").empty(), query);
  }
  // The thesaurus widens the query on the portal, before the shards see it.
  json synonyms = net.search("q=" + url_encode("forced labor"));
  BOOST_TEST(synonyms["also_searched"] == json({"forced labour"}));
  BOOST_TEST(net.ids(synonyms) == std::vector<std::string>{"lumen.forced-labour-fishing"});
  // "Did you mean" reads the spelling tables of local shards only: Xapian's remote protocol
  // does not carry them (one index knows "labour" and suggests it; the portal has it only
  // from the remote lumen shard). A word of the local shard is suggested.
  BOOST_TEST(!synonyms.contains("did_you_mean"));
  BOOST_TEST(net.reference->get("/api/search?q=" + url_encode("forced labor")).json()["did_you_mean"] == "forced labour");
  BOOST_TEST(net.search("q=zephyrene")["did_you_mean"] == "zephyrine");
  // Facets over all three shards, multi-valued ones included.
  json facets = net.search("q=shelter")["facets"];
  BOOST_TEST(facets["country"].dump() == R"([{"count":3,"label":"United Kingdom","value":"GB"},{"count":2,"label":"Nigeria","value":"NG"},{"count":1,"label":"Ghana","value":"GH"}])");
  for (const std::string path : {"/api/trends?q=shelter", "/api/documents/lumen.forced-labour-fishing/hits?q=fishers",
                                 "/api/documents?limit=10", "/api/documents/harbour.shelter-review/similar"}) {
    json got = net.client->get(path).json();
    json expected = net.reference->get(path).json();
    BOOST_TEST_INFO("path: " << path);
    BOOST_TEST(without_shards(got).dump(2) == without_shards(expected).dump(2));
  }
}

// Xapian 1.4 expands a wildcard on each shard apart, with that shard's statistics, so the
// weights of wildcard queries differ from one index's. The documents found, and here their
// order, do not.
BOOST_AUTO_TEST_CASE(wildcards_find_the_same_documents) {
  Network net;
  json found = net.search("q=lantern*");
  json expected = net.reference->get("/api/search?q=lantern*").json();
  BOOST_TEST(found["total"] == expected["total"]);
  BOOST_TEST(net.ids(found) == net.ids(expected));
  BOOST_TEST(found["facets"] == expected["facets"]);
}

BOOST_AUTO_TEST_CASE(ids_stay_unique_and_results_name_their_shard) {
  Network net;
  json found = net.search("q=zephyrine");
  std::map<std::string, std::string> shard_of;
  for (const auto& document : found["documents"]) shard_of[document["id"]] = document["shard"];
  BOOST_TEST((shard_of == std::map<std::string, std::string>{{"harbour.annual-report", "harbour"},
                                                              {"lumen.annual-report", "lumen"}}));
  json document = net.client->get("/api/documents/lumen.annual-report").json();
  BOOST_TEST(document["shard"] == "lumen");
  BOOST_TEST(document["title"] == "Lumen annual report");
  BOOST_TEST(schema_errors(document, "document.schema.json").empty());
  json page = net.client->get("/api/documents/northbridge.referral-mechanism/pages/2").json();
  BOOST_TEST(page["text"].get<std::string>().find("Survivors waiting for decisions") != std::string::npos);
  json hits = net.client->get("/api/documents/lumen.annual-report/hits?q=lantern").json();
  BOOST_TEST(hits["pages"].size() == 2U);
  BOOST_TEST(hits["pages"][1]["page"] == 2);
  BOOST_TEST(net.client->get("/d/lumen.annual-report").status == 200);
}

BOOST_AUTO_TEST_CASE(pdf_links_point_to_each_member) {
  Network net;
  HttpResult local = net.client->get("/documents/harbour.shelter-review.pdf");
  BOOST_TEST(local.status == 200);
  BOOST_TEST((local.body == read_file(net.dir / "corpus-harbour" / "shelter-review.pdf")));
  HttpResult remote = net.client->get("/documents/lumen.forced-labour-fishing.pdf");
  BOOST_TEST(remote.status == 302);
  BOOST_TEST(remote.headers["location"] == "https://lumen.example.org/evidence/fishing.pdf");
  HttpResult nowhere = net.client->get("/documents/northbridge.trauma-guidance.pdf");
  BOOST_TEST(nowhere.status == 404);
  BOOST_TEST(nowhere.json()["error"]["message"] == "the PDFs of shard 'northbridge' are not served here");
}

BOOST_AUTO_TEST_CASE(health_reports_each_shard_and_writes_are_refused) {
  Network net;
  HttpResult health = net.client->get("/healthz");
  BOOST_TEST(health.status == 200);
  json body = health.json();
  BOOST_TEST(body["status"] == "ok");
  BOOST_TEST(body["documents"] == 6);
  BOOST_TEST(body["shards"].size() == 3U);
  for (const auto& shard : body["shards"]) {
    BOOST_TEST(shard["status"] == "ok", shard.dump());
    BOOST_TEST(shard["documents"] == 2);
    BOOST_TEST(shard["kind"] == (shard["name"] == "harbour" ? "local" : "remote"));
  }
  BOOST_TEST(schema_errors(body, "health.schema.json").empty());
  HttpResult write = net.client->request("DELETE", "/api/documents/harbour.shelter-review",
                                         {{"Authorization", "Bearer whatever"}});
  BOOST_TEST(write.status == 405);
  BOOST_TEST(net.search("q=shelter")["total"] == 5);
}

BOOST_AUTO_TEST_CASE(a_killed_shard_leaves_the_others_answering_until_it_is_back) {
  Network net;
  BOOST_TEST(net.search("q=shelter")["total"] == 5);
  net.daemons["northbridge"]->signal(SIGKILL);
  net.daemons.erase("northbridge");
  for (int i = 0; i < 4; ++i) {  // on each of the server's threads
    json found = net.search("q=shelter");
    std::vector<std::string> ids = net.ids(found);
    BOOST_TEST(found["total"] == 3);
    for (const auto& id : ids) BOOST_TEST(id.rfind("northbridge.", 0) != 0, id);
    BOOST_TEST(found["shards"]["answered"] == json({"harbour", "lumen"}));
    BOOST_TEST_REQUIRE(found["shards"]["unavailable"].size() == 1U);
    BOOST_TEST(found["shards"]["unavailable"][0]["name"] == "northbridge");
  }
  std::string page = net.client->get("/?q=shelter").body;
  BOOST_TEST(page.find("Not searched, because they did not answer: northbridge.") != std::string::npos);
  BOOST_TEST(page.find("from lumen") != std::string::npos);
  json health = net.client->get("/healthz").json();
  BOOST_TEST(health["status"] == "degraded");
  BOOST_TEST(health["shards"][2]["status"] == "unavailable");
  std::string metrics = net.client->get("/metrics").body;
  BOOST_TEST(metrics.find("\nevidence_shard_up{shard=\"northbridge\"} 0\n") != std::string::npos);
  BOOST_TEST(metrics.find("\nevidence_shard_up{shard=\"lumen\"} 1\n") != std::string::npos);
  BOOST_TEST(net.client->get("/api/documents/northbridge.trauma-guidance").status == 404);

  // Back on its port: it is searched again once its retry is due.
  net.daemons["northbridge"] = serve_index(net.dir / "index-northbridge", net.ports["northbridge"]);
  wait_until([&] { return net.search("q=shelter")["total"] == 5; }, std::chrono::seconds(20), "northbridge back");
  BOOST_TEST(net.client->get("/healthz").json()["status"] == "ok");
}

BOOST_AUTO_TEST_CASE(a_stalled_shard_times_out_without_holding_up_the_answer) {
  Network net;
  BOOST_TEST(net.search("q=lantern")["total"] == 2);
  net.daemons["lumen"]->signal(SIGSTOP);
  for (int i = 0; i < 4; ++i) {
    auto started = Clock::now();
    json found = net.search("q=lantern");
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    BOOST_TEST(found["total"] == 1);
    BOOST_TEST(net.ids(found) == std::vector<std::string>{"harbour.annual-report"});
    BOOST_TEST_REQUIRE(found["shards"]["unavailable"].size() == 1U);
    BOOST_TEST(found["shards"]["unavailable"][0]["error"].get<std::string>().find("Timeout") != std::string::npos);
    // timeout_ms is 1000: the answer came (without the stalled shard), so the wait was bounded.
    BOOST_TEST_MESSAGE("answered in " << seconds << " s with a stalled shard");
  }
  net.daemons["lumen"]->signal(SIGCONT);
  wait_until([&] { return net.search("q=lantern")["total"] == 2; }, std::chrono::seconds(20), "lumen back");
}

BOOST_AUTO_TEST_CASE(an_index_of_another_shard_is_refused) {
  Network net;
  auto again = run_indexer(net.dir / "corpus-harbour", net.dir / "index-harbour", {"--shard", "lumen"});
  BOOST_TEST(again.exit_code != 0);
  BOOST_TEST(again.err.find("the index is shard 'harbour', not 'lumen'") != std::string::npos, again.err);
  auto unsharded = run_indexer(net.dir / "corpus-harbour", net.dir / "index-all", {"--shard", "harbour"});
  BOOST_TEST(unsharded.exit_code != 0);
  BOOST_TEST(unsharded.err.find("not in a shard") != std::string::npos, unsharded.err);
  // A later run without --shard keeps the index's name (as the server's uploads do).
  write_document(net.dir / "corpus-harbour", {"late.pdf", "late-note", {"A late zephyrine note."}, R"("title": "Late")"},
                 "late-note");
  summary_of(run_indexer(net.dir / "corpus-harbour", net.dir / "index-harbour"));
  wait_until([&] { return net.search("q=zephyrine")["total"] == 3; }, std::chrono::seconds(30), "the new document");
  BOOST_TEST(net.search("q=late")["documents"][0]["id"] == "harbour.late-note");
}

// A remote shard's access terms are in its own index: the portal filters its records by them
// inside the match, with nothing new on the member's side.
BOOST_AUTO_TEST_CASE(a_remote_shard_keeps_its_members_documents_to_members) {
  TempDir dir;
  const std::vector<MemberDocument> documents = {
      {"open.pdf", "open-survey", {"Lighthouse survey of harbour shelters."}, R"("title": "Open survey")"},
      {"minutes.pdf",
       "board-minutes",
       {"Lighthouse minutes quillonshard of the board."},
       R"("title": "Board minutes", "access": "members")"},
      {"draft.pdf",
       "board-draft",
       {"Lighthouse draft vespershard for the board."},
       R"("title": "Board draft", "access": "restricted", "groups": ["board"])"}};
  for (const auto& document : documents) write_document(dir / "corpus", document, document.id);
  every_file_indexed(run_indexer(dir / "corpus", dir / "index", {"--shard", "lumen"}));
  unsigned short port = free_loopback_port();
  auto daemon = serve_index(dir / "index", port);
  write_file(
      dir / "shards.json",
      json{{"shards", {{{"name", "lumen"}, {"remote", "127.0.0.1:" + std::to_string(port)}}}}}.dump(2));
  auto made = run_process({binary("evidence-server"), "token", "add", "board-member", "--role", "reader",
                           "--group", "board", "--tokens", (dir / "tokens.json").string()});
  std::string token = made.out.substr(0, made.out.find('\n'));
  BOOST_TEST_REQUIRE(token.rfind("evl_", 0) == 0U, made.out);
  ServerProcess portal(
      dir / "unused", dir / "unused",
      {"--shards", (dir / "shards.json").string(), "--tokens", (dir / "tokens.json").string()});
  HttpClient client(portal.port());

  HttpResult anonymous = client.get("/api/search?q=lighthouse");
  BOOST_TEST(anonymous.json()["total"] == 1);
  BOOST_TEST(anonymous.json()["documents"][0]["id"] == "lumen.open-survey");
  BOOST_TEST(anonymous.body.find("quillonshard") == std::string::npos);
  BOOST_TEST(anonymous.body.find("vespershard") == std::string::npos);
  BOOST_TEST(client.get("/api/search?q=vespershard").json()["total"] == 0);
  // The members' minutes are listed (the default): found by their metadata, never by their
  // text, from the remote shard's own catalogue record; the restricted draft stays hidden.
  HttpResult by_title = client.get("/api/search?q=board");
  BOOST_TEST(by_title.json()["total"] == 1, by_title.body);
  BOOST_TEST(by_title.json()["documents"][0]["id"] == "lumen.board-minutes");
  BOOST_TEST(by_title.json()["documents"][0]["readable"] == false);
  BOOST_TEST(by_title.json()["documents"][0]["shard"] == "lumen");
  BOOST_TEST(by_title.json()["documents"][0]["pages"].empty());
  BOOST_TEST(by_title.body.find("quillonshard") == std::string::npos);
  BOOST_TEST(client.get("/api/search?q=quillonshard").json()["total"] == 0);
  HttpResult record = client.get("/api/documents/lumen.board-minutes");
  BOOST_TEST(record.status == 200);
  BOOST_TEST(record.json()["readable"] == false);
  BOOST_TEST(!record.json().contains("page_count"));
  BOOST_TEST(client.get("/api/documents/lumen.board-minutes/pages/1").status == 404);
  BOOST_TEST(client.get("/api/documents/lumen.board-draft").status == 404);
  BOOST_TEST(client.get("/healthz").json()["shards"][0]["documents"] == 1);  // public ones

  HttpResult member =
      client.request("GET", "/api/search?q=lighthouse", {{"Authorization", "Bearer " + token}});
  BOOST_TEST(member.json()["total"] == 3);
  HttpResult member_by_title =
      client.request("GET", "/api/search?q=board", {{"Authorization", "Bearer " + token}});
  BOOST_TEST(member_by_title.json()["total"] == 2);  // the documents themselves, no catalogue record twice
  const json by_title_body = member_by_title.json();  // held: a loop over a temporary's member would dangle
  for (const auto& document : by_title_body["documents"]) BOOST_TEST(document["readable"] == true);
  BOOST_TEST(client.request("GET", "/api/documents/lumen.board-draft", {{"Authorization", "Bearer " + token}})
                 .status == 200);
}

// Documents at each level, split between a local shard and a remote one, answer as one
// index of all of them, for every caller: the filter is applied inside each shard's match, so
// totals, facets and the results agree, and what a caller may not read is 404 on both.
BOOST_AUTO_TEST_CASE(the_network_with_levels_answers_as_one_index_for_each_caller) {
  TempDir dir;
  // Each with "lighthouse" in its text, a word of its own, and a country of its own; texts of
  // different lengths, so that no two score the same (the network and one index number their
  // documents differently, and equal scores are ordered by that number).
  const std::map<std::string, std::vector<MemberDocument>> shards = {
      {"harbour",
       {{"survey.pdf",
         "harbour-survey",
         {"Lighthouse survey quillonone of harbour shelters.", "Second page."},
         R"("title": "Harbour survey", "countries": ["PT"], "type": "report", "date": "2020")"},
        {"minutes.pdf",
         "harbour-minutes",
         {"Lighthouse minutes quillontwo of the members."},
         R"("title": "Harbour minutes", "countries": ["NO"], "type": "meeting-minutes", "date": "2021",
            "access": "members")"},
        {"draft.pdf",
         "harbour-draft",
         {"Lighthouse draft quillonthree for the board, lighthouse again."},
         R"("title": "Harbour draft", "countries": ["IS"], "type": "position-paper", "date": "2022",
            "access": "restricted", "groups": ["board"])"}}},
      {"lumen",
       {{"study.pdf",
         "lumen-study",
         {"A lighthouse study quillonfour of coastal towns."},
         R"("title": "Lumen study", "countries": ["FI"], "type": "research-paper", "date": "2020")"},
        {"minutes.pdf",
         "lumen-minutes",
         {"Lighthouse minutes quillonfive, lighthouse keepers.", "More."},
         R"("title": "Lumen minutes", "countries": ["DK"], "type": "meeting-minutes", "date": "2023",
            "access": "members")"},
        {"draft.pdf",
         "lumen-draft",
         {"Lighthouse draft quillonsix for the board, to be read before the meeting."},
         R"("title": "Lumen draft", "countries": ["EE"], "type": "position-paper", "date": "2024",
            "access": "restricted", "groups": ["board"])"},
        {"legal.pdf",
         "lumen-legal",
         {"Lighthouse advice quillonseven from counsel."},
         R"("title": "Lumen legal advice", "countries": ["LV"], "type": "other", "date": "2024",
            "access": "restricted", "groups": ["legal"])"}}}};
  for (const auto& [shard, documents] : shards) {
    for (const auto& document : documents) {
      write_document(dir / ("corpus-" + shard), document, document.id);
      copy_document(dir / ("corpus-" + shard), dir / "all" / shard, document, document.id);
    }
    every_file_indexed(run_indexer(dir / ("corpus-" + shard), dir / ("index-" + shard), {"--shard", shard}));
  }
  every_file_indexed(run_indexer(dir / "all", dir / "index-all"));
  unsigned short port = free_loopback_port();
  auto daemon = serve_index(dir / "index-lumen", port);
  write_file(dir / "shards.json",
             json{{"shards",
                   {{{"name", "harbour"}, {"index", "index-harbour"}, {"corpus", "corpus-harbour"}},
                    {{"name", "lumen"}, {"remote", "127.0.0.1:" + std::to_string(port)}}}}}
                 .dump(2));
  const std::string tokens = (dir / "tokens.json").string();
  auto token = [&](const std::string& name, const std::vector<std::string>& groups) {
    return std::map<std::string, std::string>{
        {"Authorization", "Bearer " + add_token(tokens, name, "reader", groups)}};
  };
  const std::vector<std::pair<std::string, std::map<std::string, std::string>>> callers = {
      {"anonymous", {}},
      {"reader without groups", token("plain", {})},
      {"reader of board", token("board-member", {"board"})}};
  ServerProcess portal(dir / "unused", dir / "unused",
                       {"--shards", (dir / "shards.json").string(), "--tokens", tokens});
  ServerProcess one_index(dir / "index-all", dir / "all", {"--tokens", tokens});
  HttpClient network(portal.port());
  HttpClient reference(one_index.port());

  // The network's ids without their "SHARD." prefix.
  auto unprefixed = [](const json& found) {
    std::vector<std::string> ids;
    for (const auto& document : found["documents"]) {
      std::string id = document["id"];
      ids.push_back(id.substr(id.find('.') + 1));
    }
    return ids;
  };
  std::vector<std::string> queries = {"q=lighthouse",
                                      "q=lighthouse&country=IS",
                                      "q=lighthouse&type=meeting-minutes",
                                      "q=&year_from=2022&sort=title",
                                      "q=" + url_encode("lighthouse NOT minutes"),
                                      "q=" + url_encode("\"lighthouse draft\"")};
  for (const std::string word : {"quillonone", "quillontwo", "quillonthree", "quillonfour", "quillonfive",
                                 "quillonsix", "quillonseven"})
    queries.push_back("q=" + std::string(word));
  std::map<std::string, int> totals;  // of "q=lighthouse", by caller
  for (const auto& [caller, headers] : callers) {
    for (const auto& query : queries) {
      BOOST_TEST_CONTEXT(caller << ": /api/search?" << query) {
        HttpResult got = network.request("GET", "/api/search?" + query, headers);
        HttpResult expected = reference.request("GET", "/api/search?" + query, headers);
        BOOST_TEST_REQUIRE(got.status == 200, got.body);
        BOOST_TEST_REQUIRE(expected.status == 200, expected.body);
        json found = got.json();
        BOOST_TEST(found["total"] == expected.json()["total"]);
        BOOST_TEST(unprefixed(found) == unprefixed(expected.json()));
        BOOST_TEST(found["facets"] == expected.json()["facets"]);
        BOOST_TEST(found["shards"]["answered"] == json({"harbour", "lumen"}));
        if (query == "q=lighthouse") totals[caller] = found["total"];
      }
    }
    for (const auto& [shard, documents] : shards) {
      for (const auto& document : documents) {
        for (const std::string suffix : {"", "/pages/1", "/hits?q=lighthouse"}) {
          BOOST_TEST_CONTEXT(caller << ": /api/documents/" << shard << "." << document.id << suffix) {
            int got = network.request("GET", "/api/documents/" + shard + "." + document.id + suffix, headers)
                          .status;
            int expected = reference.request("GET", "/api/documents/" + document.id + suffix, headers).status;
            BOOST_TEST(got == expected);
          }
        }
      }
    }
  }
  // The comparison means something: each caller reads more than the last.
  BOOST_TEST(totals["anonymous"] == 2);
  BOOST_TEST(totals["reader without groups"] == 4);
  BOOST_TEST(totals["reader of board"] == 6);
}

BOOST_AUTO_TEST_CASE(a_read_replica_follows_its_master) {
  TempDir dir;
  // The master keeps changesets, so the replica is brought up to date with changes, not copies.
  ::setenv("XAPIAN_MAX_CHANGESETS", "10", 1);
  const auto& harbour = members().at("harbour");
  write_document(dir / "corpus", harbour[0], harbour[0].id);
  summary_of(run_indexer(dir / "corpus", dir / "masters" / "library"));
  unsigned short port = free_loopback_port();
  Daemon master({"/usr/bin/xapian-replicate-server", "--interface", "127.0.0.1", "--port", std::to_string(port),
                 (dir / "masters").string()},
                port);
  Daemon replica({"/usr/bin/xapian-replicate", "--host", "127.0.0.1", "--port", std::to_string(port), "--master", "library",
                  "--interval", "1", "--reader-time", "1", (dir / "replica").string()});
  wait_until([&] { return fs::exists(dir / "replica" / "XAPIANDB"); }, std::chrono::seconds(30), "the first copy");

  ServerProcess server(dir / "replica", dir / "corpus");
  HttpClient client(server.port());
  auto total = [&](const std::string& query) { return client.get("/api/search?q=" + query).json()["total"]; };
  wait_until([&] { return client.get("/healthz").status == 200; }, std::chrono::seconds(20), "the replica opens");
  BOOST_TEST(total("shelter") == 1);
  BOOST_TEST(total("zephyrine") == 0);

  write_document(dir / "corpus", harbour[1], harbour[1].id);
  summary_of(run_indexer(dir / "corpus", dir / "masters" / "library"));
  wait_until([&] { return total("zephyrine") == 1; }, std::chrono::seconds(30), "the replica catches up");
  BOOST_TEST(client.get("/api/documents/annual-report").json()["title"] == "Harbour annual report");

  // A compacted master is a new database (new UUID, no changesets): the replica takes a
  // whole copy of it, and the server reading the replica follows without an error.
  auto compacted =
      run_process({binary("evidence-index"), "compact", "--index", (dir / "masters" / "library").string()});
  BOOST_TEST(compacted.exit_code == 0, compacted.out + compacted.err);
  const auto& lumen = members().at("lumen");
  write_document(dir / "corpus", lumen[0], lumen[0].id);
  summary_of(run_indexer(dir / "corpus", dir / "masters" / "library"));
  int failures = 0;
  wait_until(
      [&] {
        auto answer = client.get("/api/search?q=fishers");
        if (answer.status != 200) ++failures;
        return answer.status == 200 && answer.json()["total"] == 1;
      },
      std::chrono::seconds(30), "the replica follows the compacted master");
  BOOST_TEST(failures == 0);
  BOOST_TEST(total("zephyrine") == 1);
  BOOST_TEST(total("shelter") == 2);
  ::unsetenv("XAPIAN_MAX_CHANGESETS");
}
