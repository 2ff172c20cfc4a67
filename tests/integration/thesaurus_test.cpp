// The thesaurus through the real server: synonyms found, "also searched" reported, exact
// escapes, and edits to the file picked up without a restart.
#define BOOST_TEST_MODULE thesaurus_server
#include <boost/test/unit_test.hpp>

#include <thread>

#include "test_support.hpp"

BOOST_AUTO_TEST_CASE(synonyms_are_searched_and_edits_are_picked_up) {
  LibraryFixture library;
  library.add_pdf("a.pdf", {"Cover.", "A study of human trafficking in fishing fleets."}, "", "Fleets");
  library.add_pdf("b.pdf", {"Support for victims of exploitation."}, "", "Victims");
  library.index_corpus();
  write_file(library.dir / "thesaurus.json",
             R"({"groups": [{"terms": ["THB", "human trafficking", "modern slavery"]}]})");
  library.start_server({"--thesaurus", (library.dir / "thesaurus.json").string()});
  HttpClient& client = *library.client;
  auto search = [&](const std::string& q) { return library.search(q).json(); };

  json thb = search("THB");
  BOOST_TEST(schema_errors(thb, "search.schema.json") == "");
  BOOST_TEST(thb["query"] == "THB");
  BOOST_TEST(thb["also_searched"] == json::array({"human trafficking", "modern slavery"}));
  BOOST_REQUIRE(thb["documents"].size() == 1U);
  BOOST_TEST(thb["documents"][0]["title"] == "Fleets");
  BOOST_TEST(thb["documents"][0]["pages"][0]["page"] == 2);
  BOOST_TEST(thb["documents"][0]["pages"][0]["snippet"] == "A study of <mark>human trafficking</mark> in fishing fleets.");
  BOOST_TEST(search("=THB")["total"] == 0);          // exactly this word
  BOOST_TEST(search("\"THB\"")["total"] == 0);
  BOOST_TEST(search("survivors")["total"] == 0);     // not in the thesaurus yet

  // Staff add a group; the server reads the file again by itself.
  write_file(library.dir / "thesaurus.json", R"({"groups": [{"terms": ["THB", "human trafficking"]},
                                                     {"terms": ["survivors", "victims"]}]})");
  json found;
  for (int attempt = 0; attempt < 40; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    found = search("survivors");
    if (found["total"] == 1) break;
  }
  BOOST_TEST(found["total"] == 1);
  BOOST_TEST(found["also_searched"] == json::array({"victims"}));

  // A broken edit keeps the last good thesaurus and says why in /healthz.
  write_file(library.dir / "thesaurus.json", R"({"groups": [{"terms": ["lonely"]}]})");
  std::string error;
  for (int attempt = 0; attempt < 40 && error.empty(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    json health = client.get("/healthz").json();
    if (health["thesaurus"].contains("error")) error = health["thesaurus"]["error"];
  }
  BOOST_TEST(error.find("group 1 needs at least two terms") != std::string::npos, error);
  BOOST_TEST(search("survivors")["total"] == 1);
}
