// The sample corpus, indexed and served for real: a phrase copied from any page of any
// sample PDF finds that document first and names that page, for a reader who may read them
// all; and the members' minutes and the restricted draft are read only by those who may.
#define BOOST_TEST_MODULE sample_corpus
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <map>
#include <sstream>
#include <tuple>

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

// The sample documents that are not public (corpus/README.md), each with a word that stands
// only in its text: what a caller may not read must not show it.
constexpr const char* kMinutes = "kcpa-minutes-2024-09-19";  // "access": "members"
constexpr const char* kMinutesWord = "Wrenfield";
constexpr const char* kDraft = "mrp-draft-returns-from-detention-2025";  // restricted to steering-group
constexpr const char* kDraftWord = "Tarvellin";
constexpr int kSampleDocuments = 16;

// The sample corpus indexed and served, with a token for a reader without groups and one for a
// reader of the steering group.
struct SampleLibrary : LibraryFixture {
  SampleLibrary() : LibraryFixture(fs::path(EVIDENCE_SOURCE_DIR) / "corpus" / "sample") {
    json summary = index_corpus();
    BOOST_TEST(summary["failed"].size() == 0U);
    BOOST_TEST(summary["added"] == kSampleDocuments);
    member = {{"Authorization", "Bearer " + add_token(dir / "tokens.json", "member", "reader")}};
    steering = {{"Authorization",
                 "Bearer " + add_token(dir / "tokens.json", "steering", "reader", {"steering-group"})}};
    start_server({"--tokens", (dir / "tokens.json").string()});
  }

  HttpResult get(const std::map<std::string, std::string>& caller, const std::string& target) {
    return client->request("GET", target, caller);
  }

  std::map<std::string, std::string> anonymous, member, steering;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sample_corpus)

BOOST_FIXTURE_TEST_CASE(phrase_from_every_page_finds_its_document_and_page, SampleLibrary) {
  BOOST_TEST(get(anonymous, "/api/search?q=reintegration").json()["total"].get<int>() > 0);

  // Collect every page's text through the API, as a reader who may read every document.
  std::vector<SamplePage> pages;
  json all =
      get(steering, "/api/search?q=" + url_encode("sample OR document OR fictional") + "&limit=100&pages=0")
          .json();
  BOOST_TEST(all["total"] == kSampleDocuments);
  for (const auto& document : all["documents"]) {
    std::string id = document["id"];
    json full = get(steering, "/api/documents/" + id).json();
    BOOST_TEST(schema_errors(full, "document.schema.json") == "");
    for (int n = 1; n <= full["page_count"].get<int>(); ++n) {
      json page = get(steering, "/api/documents/" + id + "/pages/" + std::to_string(n)).json();
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
    const std::string target = "/api/search?q=" + url_encode("\"" + phrase + "\"");
    json result = get(steering, target).json();
    BOOST_TEST_CONTEXT("page " << page.number << " of " << page.id << ": \"" << phrase << "\"") {
      BOOST_REQUIRE(result["documents"].size() >= 1U);
      BOOST_TEST(result["documents"][0]["id"] == page.id);
      BOOST_REQUIRE(result["documents"][0]["pages"].size() >= 1U);
      BOOST_TEST(result["documents"][0]["pages"][0]["page"] == page.number);
      // A page of the minutes or the draft: its text is not found by a caller without a token.
      if (page.id == kMinutes || page.id == kDraft) {
        json found = get(anonymous, target).json();
        for (const auto& document : found["documents"]) BOOST_TEST(document["id"] != page.id);
      }
    }
    ++checked;
  }
  BOOST_TEST_MESSAGE(checked << " of " << pages.size() << " pages checked");
  BOOST_TEST(checked >= pages.size() * 9 / 10);
}

// The members' minutes: any token reads them; the restricted draft: a token of the steering
// group. Their titles may be listed to others (a catalogue record); their text may not.
BOOST_FIXTURE_TEST_CASE(the_minutes_and_the_draft_are_read_by_those_who_may, SampleLibrary) {
  struct Case {
    std::string caller;
    const std::map<std::string, std::string>& headers;
    bool reads_minutes;
    bool reads_draft;
  };
  for (const Case& c : {Case{"anonymous", anonymous, false, false}, Case{"member", member, true, false},
                        Case{"steering group", steering, true, true}}) {
    BOOST_TEST_CONTEXT(c.caller) {
      for (const auto& [id, word, reads] : {std::tuple{kMinutes, kMinutesWord, c.reads_minutes},
                                            std::tuple{kDraft, kDraftWord, c.reads_draft}}) {
        HttpResult found = get(c.headers, "/api/search?q=" + std::string(word));
        BOOST_TEST(found.json()["total"] == (reads ? 1 : 0), word);
        if (reads) BOOST_TEST(found.json()["documents"][0]["id"] == id);
        const std::string document = "/api/documents/" + std::string(id);
        for (const std::string& target : {document + "/pages/2", document + "/hits?q=children",
                                          "/documents/" + std::string(id) + ".pdf"}) {
          HttpResult answer = get(c.headers, target);
          BOOST_TEST(answer.status == (reads ? 200 : 404), target);
          if (!reads) BOOST_TEST(answer.body.find(word) == std::string::npos, target);
        }
      }
      // A restricted document is hidden entirely from those who may not read it.
      BOOST_TEST(get(c.headers, "/api/documents/" + std::string(kDraft)).status ==
                 (c.reads_draft ? 200 : 404));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
