// The sample corpus, indexed and served for real: a phrase copied from any page of any
// sample PDF finds that document first and names that page.
#define BOOST_TEST_MODULE sample_corpus
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <map>
#include <sstream>

#include "test_support.hpp"

namespace {

constexpr std::size_t kPhraseWords = 8;

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

// Lower-case letters and digits only, words separated by one space: for uniqueness checks.
std::string folded(const std::vector<std::string>& words, std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t i = from; i < from + count; ++i) {
    for (char c : words[i]) {
      auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || u >= 0x80) out += static_cast<char>(std::tolower(u));
      else out += ' ';
    }
    out += ' ';
  }
  std::string squeezed;
  for (char c : out) {
    if (c == ' ' && (squeezed.empty() || squeezed.back() == ' ')) continue;
    squeezed += c;
  }
  return " " + squeezed;
}

struct SamplePage {
  std::string id;
  int number;
  std::vector<std::string> words;
  std::string folded_text;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sample_corpus)

BOOST_AUTO_TEST_CASE(phrase_from_every_page_finds_its_document_and_page) {
  LibraryFixture library(fs::path(EVIDENCE_SOURCE_DIR) / "corpus" / "sample");
  json summary = library.index_corpus();
  BOOST_TEST(summary["failed"].size() == 0U);
  BOOST_TEST(summary["added"].get<int>() >= 12);
  library.start_server();
  HttpClient& client = *library.client;

  BOOST_TEST(client.get("/api/search?q=reintegration").json()["total"].get<int>() > 0);

  // Collect every page's text through the API.
  std::vector<SamplePage> pages;
  json all = client.get("/api/search?q=" + url_encode("sample OR document OR fictional") + "&limit=100&pages=0").json();
  for (const auto& document : all["documents"]) {
    std::string id = document["id"];
    json full = client.get("/api/documents/" + id).json();
    BOOST_TEST(schema_errors(full, "document.schema.json") == "");
    for (int n = 1; n <= full["page_count"].get<int>(); ++n) {
      json page = client.get("/api/documents/" + id + "/pages/" + std::to_string(n)).json();
      auto words = split(page["text"].get<std::string>());
      pages.push_back({id, n, words, folded(words, 0, words.size())});
    }
  }
  BOOST_TEST(pages.size() >= 60U);

  std::size_t checked = 0;
  for (const auto& page : pages) {
    // The first phrase from the middle of the page that no other page contains.
    std::string phrase;
    for (std::size_t start = page.words.size() / 3; start + kPhraseWords <= page.words.size() && phrase.empty(); ++start) {
      std::string candidate = folded(page.words, start, kPhraseWords);
      bool unique = true;
      for (const auto& other : pages) {
        if (&other != &page && other.folded_text.find(candidate) != std::string::npos) unique = false;
      }
      bool clean = true;
      std::string text;
      for (std::size_t i = start; i < start + kPhraseWords; ++i) {
        if (page.words[i].find('"') != std::string::npos) clean = false;
        text += (text.empty() ? "" : " ") + page.words[i];
      }
      if (unique && clean) phrase = text;
    }
    if (phrase.empty()) continue;  // a page too short to quote
    json result = client.get("/api/search?q=" + url_encode("\"" + phrase + "\"")).json();
    BOOST_TEST_CONTEXT("page " << page.number << " of " << page.id << ": \"" << phrase << "\"") {
      BOOST_REQUIRE(result["documents"].size() >= 1U);
      BOOST_TEST(result["documents"][0]["id"] == page.id);
      BOOST_REQUIRE(result["documents"][0]["pages"].size() >= 1U);
      BOOST_TEST(result["documents"][0]["pages"][0]["page"] == page.number);
    }
    ++checked;
  }
  BOOST_TEST_MESSAGE(checked << " of " << pages.size() << " pages checked");
  BOOST_TEST(checked >= pages.size() * 9 / 10);
}

BOOST_AUTO_TEST_SUITE_END()
