// Who may read what, through the real evidence-server over an index the real evidence-index
// built: documents at each access level (public, members, restricted to group alpha,
// restricted to group beta), each with canary words in its text and in its metadata that
// no other document has. The members' document and alpha's are listed (their catalogue
// records: the members' by default, alpha's explicitly), beta's is hidden. For every route of
// the route table (app/routes.hpp: a route without a case here fails the suite), for an
// anonymous caller, a reader without groups and a reader of group alpha: what each may see;
// that no text canary of a document the caller may not read appears in any answer's body or
// headers, and its metadata canary only where its catalogue record is listed.
#define BOOST_TEST_MODULE access_levels
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "routes.hpp"
#include "test_support.hpp"

namespace {

struct Level {
  std::string id;
  std::string text_canary;      // only in its text
  std::string metadata_canary;  // only in its title and summary
  std::string country;          // only its own: a facet and trend value
  int year;
};

// The documents of the library, each with the word "harbour" in its text.
const std::vector<Level> kLevels = {
    {"pub-report", "quillonpub", "vesperpub", "PT", 2020},
    {"mem-minutes", "quillonmem", "vespermem", "NO", 2021},
    {"alpha-draft", "quillonalpha", "vesperalpha", "IS", 2022},
    {"beta-draft", "quillonbeta", "vesperbeta", "FI", 2023},
};
const std::vector<std::string> kAccess = {
    R"("access": "public")", R"("access": "members")",
    R"("access": "restricted", "groups": ["alpha"], "catalogue": "listed")",
    R"("access": "restricted", "groups": ["beta", "gamma"])"};
const std::set<std::size_t> kListed = {1, 2};  // documents with a catalogue record
const std::string kRequestAccess = "mailto:library@example.org?subject=Access%20to%20{title}&body={link}";

// A caller and the documents (by index into kLevels) it may read.
struct Caller {
  std::string name;
  std::map<std::string, std::string> headers;
  std::set<std::size_t> readable;
  // The listed documents it may not read: found by their brief summary only.
  std::set<std::size_t> listed() const {
    std::set<std::size_t> out;
    for (std::size_t i : kListed) {
      if (!readable.count(i)) out.insert(i);
    }
    return out;
  }
  // What a search by metadata finds: what it reads and the catalogue records of the rest.
  std::set<std::size_t> findable() const {
    std::set<std::size_t> out = readable;
    for (std::size_t i : listed()) out.insert(i);
    return out;
  }
};

std::string token_from(const std::string& out) {
  std::smatch match;
  if (!std::regex_search(out, match, std::regex("evl_[A-Za-z0-9_-]+")))
    throw std::runtime_error("no token in: " + out);
  return match.str();
}

struct Library : LibraryFixture {
  Library() {
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
      const Level& level = kLevels[i];
      add_pdf(level.id + ".pdf",
              {"The harbour report of " + level.text_canary + " on shelter.",
               "Second page about harbour " + level.text_canary + " staff."},
              R"({"id": ")" + level.id + R"(", "title": "Harbour )" + level.metadata_canary +
                  R"(", "summary": "On )" + level.metadata_canary + R"(.", "countries": [")" + level.country +
                  R"("], "date": ")" + std::to_string(level.year) + R"(", )" + kAccess[i] + "}");
    }
    index_corpus();
    plain = "Bearer " + make_token("plain-reader", {});
    alpha = "Bearer " + make_token("alpha-reader", {"--group", "alpha"});
    editor = "Bearer " + make_token("alpha-editor", {"--role", "editor", "--group", "alpha"});
    start_server({"--tokens", tokens().string(), "--audit-log", (dir / "audit.jsonl").string(),
                  "--public-url", "https://evidence.example.org", "--request-access", kRequestAccess});
    callers = {{"anonymous", {}, {0}},
               {"reader without groups", {{"Authorization", plain}}, {0, 1}},
               {"reader of alpha", {{"Authorization", alpha}}, {0, 1, 2}}};
  }

  fs::path tokens() const { return dir / "tokens.json"; }

  std::string make_token(const std::string& name, std::vector<std::string> flags) {
    if (std::find(flags.begin(), flags.end(), "--role") == flags.end())
      flags.insert(flags.begin(), {"--role", "reader"});
    std::vector<std::string> args{binary("evidence-server"), "token", "add", name, "--tokens",
                                  tokens().string()};
    args.insert(args.end(), flags.begin(), flags.end());
    return token_from(run_process(args).out);
  }

  HttpResult get(const Caller& caller, const std::string& target) {
    return client->request("GET", target, caller.headers);
  }

  // Every text canary of a document the caller may not read, and the metadata canary of one
  // it does not find either (hidden), wherever it stands in the answer.
  void check_no_leak(const Caller& caller, const std::string& target, const HttpResult& result) {
    std::string everything = result.body;
    for (const auto& [name, value] : result.headers) everything += "\n" + name + ": " + value;
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
      if (caller.readable.count(i)) continue;
      std::vector<std::string> canaries{kLevels[i].text_canary};
      if (!caller.listed().count(i)) canaries.push_back(kLevels[i].metadata_canary);
      for (const std::string& canary : canaries) {
        if (target.find(canary) != std::string::npos) continue;  // the query, said back
        BOOST_TEST(everything.find(canary) == std::string::npos,
                   caller.name << ": GET " << target << " shows " << canary << " of " << kLevels[i].id);
      }
    }
  }

  std::string plain, alpha, editor;
  std::vector<Caller> callers;
};

std::set<std::string> ids_of(const json& documents) {
  std::set<std::string> ids;
  for (const auto& document : documents) ids.insert(document["id"].get<std::string>());
  return ids;
}

std::set<std::string> readable_ids(const Caller& caller) {
  std::set<std::string> ids;
  for (std::size_t i : caller.readable) ids.insert(kLevels[i].id);
  return ids;
}

std::set<std::string> findable_ids(const Caller& caller) {
  std::set<std::string> ids;
  for (std::size_t i : caller.findable()) ids.insert(kLevels[i].id);
  return ids;
}

// A listed document the caller may not read, as the API shows it: its brief summary, its
// level (no groups), "readable": false, the Request access link; nothing of its text.
void check_catalogue_record(const Caller& caller, std::size_t i, const json& document) {
  const Level& level = kLevels[i];
  std::string says = caller.name + ": " + document.dump();
  BOOST_TEST(document["id"] == level.id, says);
  BOOST_TEST(document["readable"] == false, says);
  BOOST_TEST(document["title"] == "Harbour " + level.metadata_canary, says);
  BOOST_TEST(document["summary"] == "On " + level.metadata_canary + ".", says);
  BOOST_TEST(document["access"] == (i == 1 ? "members" : "restricted"), says);
  BOOST_TEST(document["request_access"] == "mailto:library@example.org?subject=Access%20to%20Harbour%20" +
                                               level.metadata_canary +
                                               "&body=https%3A%2F%2Fevidence.example.org%2Fd%2F" + level.id,
             says);
  for (const char* absent : {"groups", "page_count", "files", "sha256", "size", "catalogue"})
    BOOST_TEST(!document.contains(absent), says << " has " << absent);
}

// Every document of a search's or a list's answer: a readable one with its level (and its
// groups), a catalogue record as check_catalogue_record.
void check_listed_documents(const Caller& caller, const json& documents) {
  for (const auto& document : documents) {
    std::size_t i = 0;
    while (i < kLevels.size() && kLevels[i].id != document["id"]) ++i;
    BOOST_REQUIRE(i < kLevels.size());
    if (caller.listed().count(i)) {
      check_catalogue_record(caller, i, document);
      BOOST_TEST((!document.contains("pages") || document["pages"].empty()), caller.name);
      continue;
    }
    BOOST_TEST(document["readable"] == true, caller.name);
    BOOST_TEST(document["access"] == (i == 0 ? "public" : i == 1 ? "members" : "restricted"), caller.name);
    if (i == 2) BOOST_TEST(document["groups"] == json::array({"alpha"}), caller.name);
  }
}

// A route's case: the targets to ask (with {id} standing for each document in turn), and
// what to check of each answer besides the canaries.
struct RouteCase {
  std::vector<std::string> targets;
  std::function<void(Library&, const Caller&, const std::string& target, const HttpResult&)> check;
};

// A document route answers for a document the caller may not read exactly as for an
// unknown id; for documents it may all read, 200.
void document_route(Library& library, const Caller& caller, const std::string& target,
                    const HttpResult& result) {
  std::optional<std::size_t> hidden;
  bool any = false;
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    if (target.find(kLevels[i].id) == std::string::npos) continue;
    any = true;
    if (!caller.readable.count(i) && !hidden) hidden = i;
  }
  BOOST_REQUIRE_MESSAGE(any, "no document in " + target);
  if (!hidden) {
    BOOST_TEST(result.status == 200, caller.name << ": GET " << target << ": " << result.body);
    return;
  }
  const std::string& id = kLevels[*hidden].id;
  std::string unknown_id = std::string(id.size(), 'x');  // as long, so that lengths match too
  std::string unknown_target = target;
  unknown_target.replace(unknown_target.find(id), id.size(), unknown_id);
  HttpResult unknown = library.get(caller, unknown_target);
  BOOST_TEST(result.status == 404, caller.name << ": GET " << target);
  BOOST_TEST(result.status == unknown.status);
  std::string body = unknown.body;
  for (auto pos = body.find(unknown_id); pos != std::string::npos;
       pos = body.find(unknown_id, pos + id.size())) {
    body.replace(pos, unknown_id.size(), id);
  }
  BOOST_TEST(result.body == body,
             caller.name << ": GET " << target << " answers otherwise than an unknown id");
  BOOST_TEST(result.headers.at("content-type") == unknown.headers.at("content-type"));
}

// The document's own routes (its record, its page): a listed document the caller may not read
// shows its catalogue record; a hidden one is an unknown id, as for document_route.
void catalogue_route(Library& library, const Caller& caller, const std::string& target,
                     const HttpResult& result) {
  for (std::size_t i : caller.listed()) {
    if (target.find("/" + kLevels[i].id) == std::string::npos) continue;
    BOOST_TEST(result.status == 200, caller.name << ": GET " << target << ": " << result.body);
    if (target.starts_with("/api/")) {
      check_catalogue_record(caller, i, result.json());
    } else {
      BOOST_TEST(result.body.find("Harbour " + kLevels[i].metadata_canary) != std::string::npos, caller.name);
      BOOST_TEST(result.body.find("Request access") != std::string::npos, caller.name);
      BOOST_TEST(result.body.find(".pdf") == std::string::npos, caller.name << ": " << target);
      BOOST_TEST(result.body.find(i == 1 ? "Members only" : ">Restricted<") != std::string::npos,
                 caller.name);
    }
    return;
  }
  document_route(library, caller, target, result);
  if (result.status != 200) return;
  for (std::size_t i : caller.readable) {  // the level is shown, groups to those who may read
    if (target.find("/" + kLevels[i].id) == std::string::npos) continue;
    if (target.starts_with("/api/")) {
      BOOST_TEST(result.json()["readable"] == true, caller.name);
    } else if (i == 1) {
      BOOST_TEST(result.body.find("Members only") != std::string::npos, caller.name);
    } else if (i == 2) {
      BOOST_TEST(result.body.find("Restricted: alpha") != std::string::npos, caller.name);
    }
  }
}

void open_route(Library&, const Caller& caller, const std::string& target, const HttpResult& result) {
  BOOST_TEST(result.status < 500, caller.name << ": GET " << target);
}

std::map<std::string, RouteCase> route_cases() {
  const std::string q = "?q=harbour";
  return {
      {"GET /api/search",
       {{"/api/search?q=harbour", "/api/search?q=quillonmem", "/api/search?q=quillonalpha%20OR%20quillonbeta",
         "/api/search?q=vespermem", "/api/search?q=harbour&facets=1&limit=20", "/api/search?q=quillonalpho",
         "/api/search?q=quillonpob", "/api/search?q=quillonbeto", "/api/search?q=&country=FI",
         "/api/search?q=quillonbeta", "/api/search?q=vesperalpha%20OR%20vesperbeta",
         "/api/search?q=&country=IS", "/api/search?q=harbour&sort=title",
         "/api/search?q=%22harbour%20report%22", "/api/search?q=vesperalpho"},
        [](Library&, const Caller& caller, const std::string& target, const HttpResult& result) {
          BOOST_REQUIRE(result.status == 200);
          json body = result.json();
          check_listed_documents(caller, body["documents"]);
          // "harbour" is in every title: found in what the caller reads, and in the catalogue
          // records of the documents it may not read.
          if (target.find("q=harbour") != std::string::npos) {
            BOOST_TEST(ids_of(body["documents"]) == findable_ids(caller), caller.name);
            BOOST_TEST(body["total"] == caller.findable().size(), caller.name);
            std::set<std::string> countries;
            for (const auto& value : body["facets"]["country"]) {
              std::string code = value["value"].get<std::string>();
              for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
              countries.insert(code);
            }
            std::set<std::string> expected;
            for (std::size_t i : caller.findable()) expected.insert(kLevels[i].country);
            BOOST_TEST(countries == expected, caller.name);
          }
          if (target.ends_with("q=quillonbeta") || target.find("country=FI") != std::string::npos)
            BOOST_TEST(body["total"] == 0, caller.name << " " << target);
          // A listed record is found by its metadata, never by its text.
          if (target.ends_with("q=quillonmem"))
            BOOST_TEST(body["total"] == caller.readable.count(1), caller.name);
          if (target.ends_with("q=vespermem")) BOOST_TEST(body["total"] == 1, caller.name);
          if (target.ends_with("q=quillonalpha%20OR%20quillonbeta"))
            BOOST_TEST(body["total"] == caller.readable.count(2), caller.name);
          if (target.ends_with("q=vesperalpha%20OR%20vesperbeta"))
            BOOST_TEST(body["total"] == 1, caller.name);  // alpha's is listed, beta's hidden
          if (target.ends_with("country=IS")) BOOST_TEST(body["total"] == 1, caller.name);
          // Suggestions come from the words everyone may find (public texts, catalogue
          // records): a word of a public text for everyone, none of a text some may not read,
          // for its readers neither (docs/operating.md, "Who may read what").
          if (target.find("quillonpob") != std::string::npos)
            BOOST_TEST(body["did_you_mean"] == "quillonpub", caller.name << ": " << body.dump());
          if (target.find("quillonalpho") != std::string::npos ||
              target.find("quillonbeto") != std::string::npos)
            BOOST_TEST(!body.contains("did_you_mean"), caller.name << ": " << body.dump());
          // A word of a listed record's title: every caller finds the record, so it is offered.
          if (target.find("vesperalpho") != std::string::npos)
            BOOST_TEST(body["did_you_mean"] == "vesperalpha", caller.name << ": " << body.dump());
        }}},
      {"GET /api/trends",
       {{"/api/trends" + q, "/api/trends?q=quillonbeta"},
        [](Library&, const Caller& caller, const std::string& target, const HttpResult& result) {
          BOOST_REQUIRE(result.status == 200);
          json body = result.json();
          std::set<int> years;
          for (const auto& year : body["by_year"]) years.insert(year["year"].get<int>());
          std::set<int> expected;
          if (target.find("harbour") != std::string::npos) {
            for (std::size_t i : caller.findable()) expected.insert(kLevels[i].year);
            BOOST_TEST(body["total"] == caller.findable().size());
          }
          BOOST_TEST(years == expected, caller.name << " " << target);
        }}},
      {"GET /api/documents",
       {{"/api/documents", "/api/documents?limit=2&offset=1"},
        [](Library&, const Caller& caller, const std::string& target, const HttpResult& result) {
          BOOST_REQUIRE(result.status == 200);
          json body = result.json();
          BOOST_TEST(body["total"] == caller.findable().size(), caller.name);
          check_listed_documents(caller, body["documents"]);
          if (target == "/api/documents")
            BOOST_TEST(ids_of(body["documents"]) == findable_ids(caller), caller.name);
        }}},
      {"GET /api/documents/{id}", {{"/api/documents/{id}"}, catalogue_route}},
      {"GET /api/documents/{id}/hits", {{"/api/documents/{id}/hits" + q}, document_route}},
      {"GET /api/documents/{id}/similar",
       {{"/api/documents/{id}/similar"},
        [](Library& library, const Caller& caller, const std::string& target, const HttpResult& result) {
          document_route(library, caller, target, result);
          if (result.status != 200) return;
          std::set<std::string> similar = ids_of(result.json()["documents"]);
          for (const auto& id : similar)
            BOOST_TEST(readable_ids(caller).count(id) == 1U, caller.name << ": " << id);
        }}},
      {"GET /api/documents/{id}/pages/{n}",
       {{"/api/documents/{id}/pages/1", "/api/documents/{id}/pages/2"}, document_route}},
      {"GET /api/documents/{id}/cite",
       {{"/api/documents/{id}/cite?format=bibtex", "/api/documents/{id}/cite?format=apa&page=1"},
        document_route}},
      {"GET /api/export",
       {{"/api/export?format=ris&id={id}", "/api/export?format=bibtex&id=pub-report&id={id}"},
        document_route}},
      {"GET /api/whoami", {{"/api/whoami"}, open_route}},
      {"GET /documents/{id}.pdf", {{"/documents/{id}.pdf"}, document_route}},
      {"GET /healthz",
       {{"/healthz"},
        [](Library&, const Caller& caller, const std::string&, const HttpResult& result) {
          BOOST_REQUIRE(result.status == 200);
          BOOST_TEST(result.json()["documents"] == 1, caller.name);  // public ones, whoever asks
          BOOST_TEST(result.json()["pages"] == 2, caller.name);
        }}},
      {"GET /metrics",
       {{"/metrics"},
        [](Library&, const Caller& caller, const std::string&, const HttpResult& result) {
          BOOST_REQUIRE(result.status == 200);
          BOOST_TEST(result.body.find("\nevidence_index_documents 1\n") != std::string::npos, caller.name);
          BOOST_TEST(result.body.find("\nevidence_index_pages 2\n") != std::string::npos, caller.name);
        }}},
      {"GET /",
       {{"/", "/?q=harbour", "/?q=quillonalpho", "/?q=harbour&country=IS"},
        [](Library&, const Caller& caller, const std::string& target, const HttpResult& result) {
          BOOST_TEST(result.status == 200, caller.name << ": GET " << target);
          for (std::size_t i = 0; i < kLevels.size() && target == "/?q=harbour"; ++i) {
            bool shown = result.body.find("/d/" + kLevels[i].id) != std::string::npos;
            BOOST_TEST(shown == (caller.findable().count(i) == 1U), caller.name << ": " << kLevels[i].id);
            bool pdf = result.body.find("/documents/" + kLevels[i].id + ".pdf") != std::string::npos;
            BOOST_TEST(pdf == (caller.readable.count(i) == 1U), caller.name << ": " << kLevels[i].id);
          }
          if (target == "/?q=harbour") {
            BOOST_TEST(
                (result.body.find("Members only") != std::string::npos) == (caller.findable().count(1) > 0),
                caller.name);
            BOOST_TEST((result.body.find("Restricted: alpha") != std::string::npos) ==
                           (caller.readable.count(2) > 0),
                       caller.name);
          }
        }}},
      {"GET /d/{id}", {{"/d/{id}", "/d/{id}?q=harbour", "/d/{id}?page=2"}, catalogue_route}},
      {"GET /admin", {{"/admin"}, open_route}},
      {"GET /static/{name}", {{"/static/site.js", "/static/site.css"}, open_route}},
      {"GET /favicon.ico", {{"/favicon.ico"}, open_route}},
  };
}

std::string route_key(const evidence::server::Route& route) {
  return std::string(route.method) + " " + std::string(route.pattern);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(access_levels, Library)

BOOST_AUTO_TEST_CASE(every_reading_route_shows_each_caller_what_it_may_read_and_nothing_else) {
  auto cases = route_cases();
  for (const auto& route : evidence::server::routes()) {
    if (route.access == evidence::server::Access::kEditor) continue;  // writes: the next cases
    if (route.name == "session") continue;  // signing in and out: no document (session_test.cpp)
    auto found = cases.find(route_key(route));
    if (found == cases.end()) {
      BOOST_ERROR("the route " << route_key(route)
                               << " has no case in access_test.cpp: say what each caller sees");
      continue;
    }
    for (const Caller& caller : callers) {
      for (const std::string& pattern : found->second.targets) {
        std::vector<std::string> targets;
        if (pattern.find("{id}") == std::string::npos) targets.push_back(pattern);
        for (std::size_t i = 0; i < kLevels.size() && pattern.find("{id}") != std::string::npos; ++i) {
          targets.push_back(std::regex_replace(pattern, std::regex("\\{id\\}"), kLevels[i].id));
        }
        for (const std::string& target : targets) {
          HttpResult result = get(caller, target);
          found->second.check(*this, caller, target, result);
          check_no_leak(caller, target, result);
        }
      }
    }
  }
}

// As before documents had levels: a public library answers a token that does not verify as
// it answers no token (whoami says why).
BOOST_AUTO_TEST_CASE(a_token_that_does_not_verify_reads_as_no_token) {
  HttpResult result =
      client->request("GET", "/api/search?q=harbour", {{"Authorization", "Bearer evl_revoked"}});
  BOOST_TEST(result.status == 200);
  BOOST_TEST(ids_of(result.json()["documents"]) ==
             (std::set<std::string>{"pub-report", "mem-minutes", "alpha-draft"}));
  const json body = result.json();  // held: a loop over a temporary's member would dangle
  for (const auto& document : body["documents"])
    BOOST_TEST(document["readable"] == (document["id"] == "pub-report"));
  BOOST_TEST(client->request("GET", "/api/whoami", {{"Authorization", "Bearer evl_revoked"}}).status == 401);
}

BOOST_AUTO_TEST_CASE(whoami_names_the_groups) {
  HttpResult result = client->request("GET", "/api/whoami", {{"Authorization", alpha}});
  BOOST_TEST(result.json() ==
             json::parse(R"({"name": "alpha-reader", "role": "reader", "private_library": false,
                                              "groups": ["alpha"]})"));
}

BOOST_AUTO_TEST_CASE(a_level_changed_by_patch_holds_for_the_next_request) {
  auto patch = [this](const std::string& id, const std::string& body) {
    return client->request("PATCH", "/api/documents/" + id,
                           {{"Authorization", editor}, {"Content-Type", "application/merge-patch+json"}},
                           body);
  };
  HttpResult refused = patch("pub-report", R"({"access": "restricted"})");
  BOOST_TEST(refused.status == 422, refused.body);
  BOOST_TEST(
      refused.json()["error"]["message"] ==
      R"(groups: a restricted document names the groups that may read it ("groups": ["steering-group"]))");

  HttpResult made_members = patch("pub-report", R"({"access": "members"})");
  BOOST_TEST(made_members.status == 200, made_members.body);
  BOOST_TEST(client->get("/api/documents/pub-report").json()["readable"] == false);  // listed by default
  BOOST_TEST(client->get("/api/documents/pub-report/pages/1").status == 404);
  BOOST_TEST(client->get("/api/search?q=quillonpub").json()["total"] == 0);
  BOOST_TEST(client->request("GET", "/api/search?q=quillonpub", {{"Authorization", plain}}).json()["total"] ==
             1);
  BOOST_TEST(client->get("/healthz").json()["documents"] == 0);

  HttpResult back = patch("pub-report", R"({"access": null})");
  BOOST_TEST(back.status == 200, back.body);
  BOOST_TEST(client->get("/api/search?q=quillonpub").json()["total"] == 1);
}

// Listed to hidden and back, and a public document made restricted and listed: each seen by
// the next request on every server thread (new connections land on either of its two).
BOOST_AUTO_TEST_CASE(a_listing_changed_by_patch_holds_for_the_next_request_on_every_thread) {
  auto patch = [this](const std::string& id, const std::string& body) {
    return client->request("PATCH", "/api/documents/" + id,
                           {{"Authorization", editor}, {"Content-Type", "application/merge-patch+json"}},
                           body);
  };
  // What anonymous callers on eight new connections find: the search's total by metadata, and
  // the document's status.
  auto everywhere = [this](const std::string& query, const std::string& id) {
    std::set<std::pair<long long, int>> seen;
    for (int i = 0; i < 8; ++i) {
      HttpClient fresh(server->port());
      long long total = fresh.get("/api/search?q=" + query).json()["total"].get<long long>();
      seen.insert({total, fresh.get("/api/documents/" + id).status});
    }
    return seen;
  };
  using Seen = std::set<std::pair<long long, int>>;
  BOOST_TEST((everywhere("vespermem", "mem-minutes") == Seen{{1, 200}}));

  HttpResult hidden = patch("mem-minutes", R"({"catalogue": "hidden"})");
  BOOST_TEST(hidden.status == 200, hidden.body);
  BOOST_TEST((everywhere("vespermem", "mem-minutes") == Seen{{0, 404}}));
  BOOST_TEST(client->get("/d/mem-minutes").status == 404);
  // Its readers still read it.
  BOOST_TEST(client->request("GET", "/api/search?q=quillonmem", {{"Authorization", plain}}).json()["total"] ==
             1);

  HttpResult listed = patch("mem-minutes", R"({"catalogue": null})");
  BOOST_TEST(listed.status == 200, listed.body);
  BOOST_TEST((everywhere("vespermem", "mem-minutes") == Seen{{1, 200}}));
  BOOST_TEST(client->get("/api/search?q=quillonmem").json()["total"] == 0);

  // A public document made restricted and listed: found by its metadata only.
  HttpResult restricted =
      patch("pub-report", R"({"access": "restricted", "groups": ["beta"], "catalogue": "listed"})");
  BOOST_TEST(restricted.status == 200, restricted.body);
  BOOST_TEST((everywhere("vesperpub", "pub-report") == Seen{{1, 200}}));
  BOOST_TEST((everywhere("quillonpub", "pub-report") == Seen{{0, 200}}));
  BOOST_TEST(client->get("/api/documents/pub-report").json()["access"] == "restricted");
  BOOST_TEST(!client->get("/api/documents/pub-report").json().contains("groups"));
  // Back to public: a catalogue setting of a public document is refused, with the reason.
  HttpResult refused = patch("pub-report", R"({"access": null, "groups": null})");
  BOOST_TEST(refused.status == 422, refused.body);
  BOOST_TEST(refused.json()["error"]["message"] ==
             "catalogue: a public document is read by everyone and has no catalogue record to list or hide "
             "(remove \"catalogue\", or add \"access\": \"members\" or \"restricted\")");
  HttpResult back = patch("pub-report", R"({"access": null, "groups": null, "catalogue": null})");
  BOOST_TEST(back.status == 200, back.body);
  BOOST_TEST((everywhere("quillonpub", "pub-report") == Seen{{1, 200}}));
  HttpResult record = client->get("/api/documents/pub-report");
  BOOST_TEST(record.json()["readable"] == true);
  BOOST_TEST(record.json()["page_count"] == 2);

  // Withdrawn: its catalogue record goes with it.
  HttpResult withdrawn = client->request("DELETE", "/api/documents/mem-minutes", {{"Authorization", editor}});
  BOOST_TEST(withdrawn.status == 200, withdrawn.body);
  BOOST_TEST((everywhere("vespermem", "mem-minutes") == Seen{{0, 404}}));
}

// Without --request-access, a listed record has no link, and its page says to ask the library.
BOOST_AUTO_TEST_CASE(without_a_request_access_link_the_page_says_to_ask_the_library) {
  start_server({"--tokens", tokens().string()});
  json record = client->get("/api/documents/mem-minutes").json();
  BOOST_TEST(record["readable"] == false);
  BOOST_TEST(!record.contains("request_access"));
  HttpResult page = client->get("/d/mem-minutes");
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.body.find("ask the library for access") != std::string::npos);
  BOOST_TEST(page.body.find("Request access") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_reader_may_not_change_a_level) {
  HttpResult result =
      client->request("PATCH", "/api/documents/mem-minutes",
                      {{"Authorization", alpha}, {"Content-Type", "application/merge-patch+json"}},
                      R"({"access": "public"})");
  BOOST_TEST(result.status == 403);
  BOOST_TEST(client->get("/api/documents/mem-minutes").json()["readable"] == false);
}

BOOST_AUTO_TEST_CASE(on_a_private_library_public_documents_need_a_token_too) {
  start_server({"--private", "--tokens", tokens().string()});
  BOOST_TEST(client->get("/api/search?q=harbour").status == 401);
  BOOST_TEST(client->get("/api/documents/pub-report").status == 401);
  HttpResult plain_search = client->request("GET", "/api/search?q=harbour", {{"Authorization", plain}});
  // alpha's draft by its catalogue record.
  BOOST_TEST(ids_of(plain_search.json()["documents"]) ==
             (std::set<std::string>{"pub-report", "mem-minutes", "alpha-draft"}));
  HttpResult alpha_list = client->request("GET", "/api/documents", {{"Authorization", alpha}});
  BOOST_TEST(ids_of(alpha_list.json()["documents"]) ==
             (std::set<std::string>{"pub-report", "mem-minutes", "alpha-draft"}));
  // The pages, signed in with the cookie /admin sets on a private library.
  HttpResult page =
      client->request("GET", "/d/alpha-draft", {{"Cookie", "evidence_token=" + alpha.substr(7)}});
  BOOST_TEST(page.status == 200);
  BOOST_TEST(
      client->request("GET", "/d/beta-draft", {{"Cookie", "evidence_token=" + alpha.substr(7)}}).status ==
      404);
  HttpResult health = client->get("/healthz");
  BOOST_TEST(health.body.find("quillon") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
