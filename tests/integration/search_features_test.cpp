// Filters, facets, field queries, ranges, sorting, pagination, hits in one document and
// trends, through the real server over PDFs and sidecars with known metadata.
#define BOOST_TEST_MODULE search_features
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <thread>

#include "test_support.hpp"

using evidence::pdfgen::Block;
using evidence::pdfgen::PageSpec;

namespace {

struct Catalogue : LibraryFixture {
  Catalogue() {
    add_pdf("alpha.pdf",
            {"Shelter capacity and staffing.", "Shelter night rota. Shelter, shelter.",
             "Nothing relevant here.", "Final shelter note."},
            R"({"id": "doc-alpha", "title": "Alpha report on shelters", "countries": ["GB", "NG", "AL"],
            "themes": ["survivor-support", "housing"], "type": "report", "date": "2019-05-10",
            "organisations": ["Quillon Trust"]})");
    add_pdf("beta.pdf", {"Prevention in schools.", "Shelter referrals."},
            R"({"id": "doc-beta", "title": "Beta guidance", "countries": ["GB"], "themes": ["prevention"],
            "type": "guidance", "date": "2020-03", "organisations": ["Marlowe Network"]})");
    add_pdf(
        "gamma.pdf", {"Forced labour in fishing.", "Recruitment fees charged by brokers."},
        R"({"id": "doc-gamma", "title": "Gamma study", "countries": ["NG"], "themes": ["prevention", "supply-chains"],
            "exploitation": ["forced-labour"], "type": "report", "date": "2021", "organisations": ["Quillon Trust"]})");
    add_pdf(
        "delta.pdf",
        {"Le recrutement équitable des travailleurs migrants.", "Les frais de recrutement sont interdits."},
        R"({"id": "doc-delta", "title": "Delta rapport", "countries": ["FR"], "themes": ["supply-chains"],
            "type": "research-paper", "date": "2022-06-30", "language": "fr", "organisations": ["Tessaly Group"]})");
    PdfSpec no_sidecar = simple_pdf({"Shelter.", "Second page."}, "Epsilon notes");
    no_sidecar.date = "2018-02-01";
    add_pdf_spec("epsilon.pdf", no_sidecar);
    index_corpus();
    start_server();
    json found = get(q("title:epsilon"));  // its id is derived from its content
    epsilon = found["documents"].at(0)["id"].get<std::string>();
  }
  json get(const std::string& target, int status = 200) {
    auto result = client->get(target);
    BOOST_TEST(result.status == status, target << ": " << result.body);
    return result.json();
  }
  // The ids of the documents a search returns, in order.
  std::vector<std::string> ids(const std::string& target) {
    std::vector<std::string> out;
    json body = get(target);  // keep the body alive while iterating over it
    for (const auto& document : body["documents"]) out.push_back(document["id"]);
    return out;
  }
  // The ids of a search once it returns at least count documents (the server sees a new
  // index revision within a few seconds), or what it returns after 30 tries.
  std::vector<std::string> ids_once(const std::string& target, std::size_t count) {
    std::vector<std::string> found;
    for (int attempt = 0; attempt < 30 && found.size() < count; ++attempt) {
      found = ids(target);
      if (found.size() < count) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return found;
  }
  std::set<std::string> id_set(const std::string& target) {
    auto list = ids(target);
    return {list.begin(), list.end()};
  }
  std::string q(const std::string& query) { return "/api/search?q=" + url_encode(query); }

  std::string epsilon;
};

std::map<std::string, int> facet(const json& body, const std::string& name) {
  std::map<std::string, int> out;
  for (const auto& entry : body["facets"][name]) {
    out[entry["value"].is_string() ? entry["value"].get<std::string>() : std::to_string(entry["value"].get<int>())] =
        entry["count"];
  }
  return out;
}

using Ids = std::set<std::string>;
using List = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(search_features, Catalogue)

BOOST_AUTO_TEST_CASE(facets_count_documents_over_the_whole_result) {
  json body = get(q("shelter") + "&limit=1");
  BOOST_TEST(schema_errors(body, "search.schema.json") == "");
  BOOST_TEST(body["total"] == 3);
  BOOST_TEST(body["total_exact"] == true);
  BOOST_TEST(body["documents"].size() == 1U);  // facets are not limited to the page shown
  BOOST_TEST((facet(body, "country") == std::map<std::string, int>{{"GB", 2}, {"NG", 1}, {"AL", 1}}));
  BOOST_TEST((facet(body, "theme") == std::map<std::string, int>{{"survivor-support", 1}, {"housing", 1}, {"prevention", 1}}));
  BOOST_TEST((facet(body, "year") == std::map<std::string, int>{{"2018", 1}, {"2019", 1}, {"2020", 1}}));
  BOOST_TEST((facet(body, "type") == std::map<std::string, int>{{"report", 1}, {"guidance", 1}}));
  BOOST_TEST((facet(body, "organisation") == std::map<std::string, int>{{"Quillon Trust", 1}, {"Marlowe Network", 1}}));
  BOOST_TEST((facet(body, "language") == std::map<std::string, int>{{"en", 3}}));
  BOOST_TEST(body["facets"]["country"][0]["value"] == "GB");
  BOOST_TEST(body["facets"]["country"][0]["label"] == "United Kingdom");
}

BOOST_AUTO_TEST_CASE(filter_parameters_or_within_and_across) {
  BOOST_TEST((id_set(q("shelter") + "&country=GB") == Ids{"doc-alpha", "doc-beta"}));
  BOOST_TEST((id_set(q("shelter") + "&country=AL&country=GB") == Ids{"doc-alpha", "doc-beta"}));
  BOOST_TEST((id_set("/api/search?country=NG&theme=prevention") == Ids{"doc-gamma"}));
  BOOST_TEST((id_set("/api/search?country=Nigeria") == Ids{"doc-alpha", "doc-gamma"}));
  BOOST_TEST((id_set("/api/search?year_from=2020&year_to=2021") == Ids{"doc-beta", "doc-gamma"}));
  BOOST_TEST((id_set("/api/search?type=report&type=guidance") == Ids{"doc-alpha", "doc-beta", "doc-gamma"}));
  BOOST_TEST((id_set("/api/search?org=Quillon%20Trust") == Ids{"doc-alpha", "doc-gamma"}));
  BOOST_TEST((id_set("/api/search?lang=fr") == Ids{"doc-delta"}));
  BOOST_TEST((id_set("/api/search?exploitation=forced-labour") == Ids{"doc-gamma"}));
  json bad = get("/api/search?country=Atlantis", 400);
  BOOST_TEST(bad["error"]["message"] == "unknown country 'Atlantis'");
  BOOST_TEST(get("/api/search?theme=cooking", 400)["error"]["message"] == "unknown theme 'cooking'");
  get("/api/search?year_from=twenty", 400);
  get("/api/search?sort=random&q=shelter", 400);
}

BOOST_AUTO_TEST_CASE(field_queries_and_ranges) {
  BOOST_TEST((id_set(q("country:nigeria")) == Ids{"doc-alpha", "doc-gamma"}));
  BOOST_TEST((id_set(q("country:gb shelter")) == Ids{"doc-alpha", "doc-beta"}));
  BOOST_TEST((id_set(q("theme:supply-chains")) == Ids{"doc-gamma", "doc-delta"}));
  BOOST_TEST((id_set(q("type:report")) == Ids{"doc-alpha", "doc-gamma"}));
  BOOST_TEST((id_set(q("lang:fr")) == Ids{"doc-delta"}));
  BOOST_TEST((id_set(q("org:quillon")) == Ids{"doc-alpha", "doc-gamma"}));
  BOOST_TEST((id_set(q("title:guidance")) == Ids{"doc-beta"}));
  BOOST_TEST((id_set(q("year:2020..2022")) == Ids{"doc-beta", "doc-gamma", "doc-delta"}));
  BOOST_TEST((id_set(q("year:2019")) == Ids{"doc-alpha"}));
  BOOST_TEST((id_set(q("date:2019-01-01..2020-06-30")) == Ids{"doc-alpha", "doc-beta"}));
  BOOST_TEST((id_set(q("capacity NEAR/3 staffing")) == Ids{"doc-alpha"}));
  BOOST_TEST((id_set(q("capacity ADJ/2 staffing")) == Ids{"doc-alpha"}));
  BOOST_TEST(id_set(q("staffing ADJ/2 capacity")).empty());
  BOOST_TEST((id_set(q("shelt*")) == Ids{"doc-alpha", "doc-beta", epsilon}));
  BOOST_TEST((id_set(q("+shelter -rota")) == Ids{"doc-beta", epsilon}));
  BOOST_TEST((id_set(q("(fishing OR schools) AND country:gb")) == Ids{"doc-beta"}));
  json bad = get(q("country:atlantis"), 400);
  BOOST_TEST(bad["error"]["message"].get<std::string>().find("unknown country 'atlantis'") != std::string::npos);
  json bad_date = get(q("date:2019-1..2020"), 400);
  BOOST_TEST(bad_date["error"]["message"].get<std::string>().find("bad date") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_language_is_stemmed_with_its_own_stemmer) {
  // "migrante" and "équitables" reach "migrants" and "équitable" only through the French
  // stemmer (the English one stems them to "migrant" and "équitabl").
  BOOST_TEST((id_set(q("migrante")) == Ids{"doc-delta"}));
  BOOST_TEST((id_set(q("équitables")) == Ids{"doc-delta"}));
  BOOST_TEST((id_set(q("recrutements")) == Ids{"doc-delta"}));
  BOOST_TEST((id_set(q("charging")) == Ids{"doc-gamma"}));
}

BOOST_AUTO_TEST_CASE(language_of_a_document_without_sidecar_is_detected) {
  // The fixture's French report gives its language; this one does not.
  add_pdf("sans-fiche.pdf",
          {"Ce rapport examine les conditions de travail des travailleuses migrantes dans les "
           "exploitations agricoles saisonnières. Les entretiens montrent que les frais de "
           "recrutement, les retenues sur salaire et la confiscation des documents d'identité "
           "restent fréquents, et que les inspections du travail sont trop rares pour protéger "
           "les personnes concernées."},
          "", "Sans fiche");
  index_corpus();
  json found;
  for (int attempt = 0; attempt < 30; ++attempt) {
    found = get(q("title:fiche"));
    if (found["total"] == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  BOOST_REQUIRE(found["documents"].size() == 1U);
  BOOST_TEST(found["documents"][0]["language"] == "fr");
  BOOST_TEST(found["documents"][0]["language_detected"] == true);
  // Searched with the French stemmer: "saisonnière" reaches "saisonnières".
  BOOST_TEST(get(q("saisonnière migrante"))["total"] == 1);
  BOOST_TEST(get("/api/documents/doc-delta")["language_detected"] == false);
}

BOOST_AUTO_TEST_CASE(words_together_on_a_page_beat_words_scattered_over_a_long_report) {
  std::vector<std::string> long_pages;
  for (int n = 0; n < 40; ++n) {
    std::string word = n % 3 == 0 ? "kittiwake" : n % 3 == 1 ? "lighthouse" : "ledger";
    long_pages.push_back("Annual report page " + std::to_string(n) + " on the " + word + " and the " + word +
                         " programme, with more about the " + word + ".");
  }
  add_pdf("long.pdf", long_pages, "", "Long annual report");
  add_pdf("short.pdf", {"Cover.", "The kittiwake lighthouse ledger is kept here."}, "", "Short note");
  index_corpus();
  List found = ids_once(q("kittiwake lighthouse ledger"), 2);
  BOOST_REQUIRE(found.size() == 2U);
  json body = get(q("kittiwake lighthouse ledger"));
  BOOST_TEST(body["documents"][0]["title"] == "Short note");
  BOOST_TEST(body["documents"][0]["pages"][0]["page"] == 2);
  BOOST_TEST(body["documents"][1]["title"] == "Long annual report");
}

BOOST_AUTO_TEST_CASE(a_word_in_a_heading_beats_the_same_word_in_body_text) {
  // Two documents of the same length and words; "petrel" is a heading in one, a body word
  // in the other, and the body document comes first in the corpus.
  auto page = [](bool heading) {
    PageSpec spec;
    if (heading) spec.blocks.push_back({Block::Kind::kHeading, "Petrel crossings"});
    spec.blocks.push_back({Block::Kind::kParagraph, std::string(heading ? "" : "Petrel crossings. ") +
                                                        "Boats cross the strait at night carrying workers "
                                                        "recruited with false promises of jobs ashore."});
    return spec;
  };
  PdfSpec body_doc;
  body_doc.title = "Strait report A";
  body_doc.pages = {page(false)};
  PdfSpec heading_doc;
  heading_doc.title = "Strait report B";
  heading_doc.pages = {page(true)};
  add_pdf_spec("aa-body.pdf", body_doc);
  add_pdf_spec("zz-heading.pdf", heading_doc);
  index_corpus();
  List found = ids_once(q("petrel"), 2);
  BOOST_REQUIRE(found.size() == 2U);
  json body = get(q("petrel"));
  BOOST_TEST(body["documents"][0]["title"] == "Strait report B");
  BOOST_TEST(body["documents"][1]["title"] == "Strait report A");
  BOOST_TEST(body["documents"][0]["pages"][0]["snippet"] ==
             "<mark>Petrel</mark> crossings \u2014 Boats cross the strait at night carrying workers recruited with "
             "false promises of jobs ashore.");
}

BOOST_AUTO_TEST_CASE(sort_orders_and_stable_pagination) {
  std::string all = "/api/search?year_from=1900";
  // epsilon has no sidecar: its date comes from the PDF (2018-02-01), so it is the oldest.
  List newest = ids(all + "&sort=newest");
  BOOST_REQUIRE(newest.size() == 5U);
  BOOST_TEST((List(newest.begin(), newest.begin() + 4) == List{"doc-delta", "doc-gamma", "doc-beta", "doc-alpha"}));
  List oldest = ids(all + "&sort=oldest");
  BOOST_TEST((oldest == List(newest.rbegin(), newest.rend())));
  List by_title = ids(all + "&sort=title");
  BOOST_TEST(by_title.front() == "doc-alpha");
  BOOST_TEST(by_title[1] == "doc-beta");
  List paged;
  for (int offset = 0; offset < 5; offset += 2) {
    for (const auto& id : ids(all + "&sort=title&limit=2&offset=" + std::to_string(offset))) paged.push_back(id);
  }
  BOOST_TEST(paged == by_title);
}

BOOST_AUTO_TEST_CASE(hits_list_every_matching_page_in_order) {
  json body = get("/api/documents/doc-alpha/hits?q=shelter");
  BOOST_TEST(schema_errors(body, "hits.schema.json") == "");
  BOOST_TEST(body["page_count"] == 4);
  BOOST_TEST(body["matching_pages"] == 3);
  BOOST_TEST(body["matches"] == 5);
  std::vector<int> pages;
  std::vector<int> matches;
  for (const auto& page : body["pages"]) {
    pages.push_back(page["page"]);
    matches.push_back(page["matches"]);
  }
  BOOST_TEST((pages == std::vector<int>{1, 2, 4}));
  BOOST_TEST((matches == std::vector<int>{1, 3, 1}));
  BOOST_TEST(body["pages"][1]["snippet"] ==
             "<mark>Shelter</mark> night rota. <mark>Shelter</mark>, <mark>shelter</mark>.");
  get("/api/documents/doc-alpha/hits", 400);
  get("/api/documents/nope-doc/hits?q=shelter", 404);
}

BOOST_AUTO_TEST_CASE(search_pages_carry_match_counts) {
  json body = get(q("shelter") + "&country=AL");
  BOOST_REQUIRE(body["documents"].size() == 1U);
  BOOST_TEST(body["documents"][0]["pages"][0]["page"] == 2);
  BOOST_TEST(body["documents"][0]["pages"][0]["matches"] == 3);
}

BOOST_AUTO_TEST_CASE(operators_that_do_not_fit_fall_back_to_plain_words) {
  json body = get(q("shelter AND"));
  BOOST_TEST(schema_errors(body, "search.schema.json") == "");
  BOOST_TEST(body["notice"] == "the query's operators do not fit together (Syntax: <expression> AND "
                               "<expression>); its words were searched as plain words");
  // "and" is now a word like any other: only alpha has both words.
  BOOST_TEST((id_set(q("shelter AND")) == Ids{"doc-alpha"}));
  BOOST_TEST(get(q("shelter"))["notice"].is_null());
}

BOOST_AUTO_TEST_CASE(did_you_mean_comes_from_the_corpus_vocabulary) {
  json misspelt = get(q("staffng rota"));
  BOOST_TEST(schema_errors(misspelt, "search.schema.json") == "");
  BOOST_TEST(misspelt["total"] == 0);
  BOOST_TEST(misspelt["did_you_mean"] == "staffing rota");
  BOOST_TEST(get(q("staffing rota"))["total"] == 1);
  BOOST_TEST(get(q("shelter"))["did_you_mean"].is_null());  // enough results: no suggestion
}

BOOST_AUTO_TEST_CASE(similar_documents) {
  json body = get("/api/documents/doc-gamma/similar");
  BOOST_TEST(schema_errors(body, "similar.schema.json") == "");
  BOOST_TEST(body["terms"].size() > 0U);
  std::vector<std::string> found;
  for (const auto& document : body["documents"]) found.push_back(document["id"]);
  BOOST_TEST((std::find(found.begin(), found.end(), "doc-gamma") == found.end()));
  // Alpha's distinctive words include "shelter" (shared with beta and epsilon) and its
  // organisation's name (shared with gamma); delta shares nothing with it.
  json alpha = get("/api/documents/doc-alpha/similar?limit=4");
  std::vector<std::string> terms = alpha["terms"];
  BOOST_TEST((std::find(terms.begin(), terms.end(), "Zshelter") != terms.end()));
  Ids like_alpha;
  for (const auto& document : alpha["documents"]) like_alpha.insert(document["id"]);
  BOOST_TEST((like_alpha == Ids{"doc-beta", "doc-gamma", epsilon}), alpha.dump());
  BOOST_TEST(!like_alpha.count("doc-alpha"));
  get("/api/documents/nope-doc/similar", 404);
  get("/api/documents/doc-alpha/similar?limit=0", 400);
}

BOOST_AUTO_TEST_CASE(list_of_all_documents_by_title) {
  json all = get("/api/documents");
  BOOST_TEST(schema_errors(all, "documents.schema.json") == "");
  BOOST_TEST(all["total"] == 5);
  std::vector<std::string> titles;
  for (const auto& document : all["documents"]) titles.push_back(document["title"]);
  BOOST_TEST((titles == List{"Alpha report on shelters", "Beta guidance", "Delta rapport", "Epsilon notes", "Gamma study"}));
  json slice = get("/api/documents?offset=3&limit=1");
  BOOST_REQUIRE(slice["documents"].size() == 1U);
  BOOST_TEST(slice["documents"][0]["title"] == "Epsilon notes");
  get("/api/documents?limit=0", 400);
}

BOOST_AUTO_TEST_CASE(trends_by_year_and_country) {
  json body = get("/api/trends?q=" + url_encode("shelter OR prevention OR recruitment OR recrutement"));
  BOOST_TEST(schema_errors(body, "trends.schema.json") == "");
  BOOST_TEST(body["total"] == 5);
  std::map<int, int> years;
  for (const auto& entry : body["by_year"]) years[entry["year"]] = entry["documents"];
  BOOST_TEST((years == std::map<int, int>{{2018, 1}, {2019, 1}, {2020, 1}, {2021, 1}, {2022, 1}}));
  std::map<std::string, int> countries;
  for (const auto& entry : body["by_country"]) countries[entry["country"]] = entry["documents"];
  BOOST_TEST((countries == std::map<std::string, int>{{"GB", 2}, {"NG", 2}, {"AL", 1}, {"FR", 1}}));
  BOOST_TEST((get("/api/trends?country=GB")["total"] == 2));
  get("/api/trends", 400);
}

BOOST_AUTO_TEST_SUITE_END()

// Regression: "a* OR b* OR ... OR z*" made every word of the index a posting list of the
// match (seconds of work and a hundred MB on an index of 100,000 words). Through the real
// server: past the bound on what wildcards may stand for the answer is a 400 that names it,
// at once, and the next search is answered as before.
BOOST_AUTO_TEST_CASE(every_one_letter_wildcard_is_refused_and_search_goes_on) {
  LibraryFixture library;
  // 2,100 made-up words, 80 or 81 for each first letter, 300 to a page.
  std::vector<std::string> pages(7);
  for (int i = 0; i < 2100; ++i) {
    std::string word(1, static_cast<char>('a' + i % 26));
    for (int rest = i / 26, k = 0; k < 4; ++k, rest /= 26) word += static_cast<char>('a' + rest % 26);
    pages[static_cast<std::size_t>(i / 300)] += word + " ";
  }
  library.add_pdf("wordy.pdf", pages);
  library.add_pdf("shelter.pdf", {"Shelter referrals at the harbour."});
  library.index_corpus();
  library.start_server();
  HttpClient& client = *library.client;

  std::string letters;
  for (char c = 'a'; c <= 'z'; ++c) letters += std::string(letters.empty() ? "" : " OR ") + c + "*";
  const json refused = {{"error",
                         {{"status", 400},
                          {"code", "invalid_argument"},
                          {"message",
                           "the query's wildcards stand for more than 2000 words of the library together "
                           "(the most one query may search): use fewer wildcards, or type more letters "
                           "before each *"}}}};
  for (int round = 0; round < 3; ++round) {
    auto answer = client.get("/api/search?q=" + url_encode(letters));
    BOOST_TEST(answer.status == 400);
    BOOST_TEST(answer.json() == refused, answer.body);
  }
  auto shelter = client.get("/api/search?q=shelter");
  BOOST_TEST(shelter.status == 200);
  BOOST_TEST(shelter.json()["total"] == 1);
  BOOST_TEST(!shelter.json().contains("time_limit_reached"));
  // Wildcards within the bound are searched.
  auto some = client.get("/api/search?q=" + url_encode("a* OR shelt*"));
  BOOST_TEST(some.status == 200, some.body);
  BOOST_TEST(some.json()["total"] == 2);
  BOOST_TEST(schema_errors(some.json(), "search.schema.json") == "");
}
