#pragma once
// Passages: the part of a page's text that shows why the page matched a query — about
// two sentences around the densest cluster of the query's words, the words marked.

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

namespace evidence::core {

struct Passage {
  std::string html;               // HTML-escaped text, matched words in <mark>...</mark>
  Xapian::termcount matches = 0;  // how many words of the whole page match the query
};

/// Cuts passages for one query. A page word matches when it is one of the query's plain
/// terms, when its stem (in the page's language) is one of the query's stems ("Z" terms),
/// or when it starts with one of the query's wildcard prefixes. Stems once worked out are
/// kept per thread, so that most words of most pages are never stemmed again.
class PassageMaker {
 public:
  /// `terms` as Xapian's query gives them (plain words, "Z" stems, prefixed field terms,
  /// which are ignored); `wildcards` lower-case prefixes ("traffick" for "traffick*").
  PassageMaker(const std::vector<std::string>& terms, std::vector<std::string> wildcards,
               std::size_t length = kDefaultLength);

  /// The passage of one page in the given language (BCP 47; its stemmer is used). The
  /// page's headings end sentences where they stand on a line of their own.
  Passage make(std::string_view text, const std::string& language, const std::vector<std::string>& headings = {});

  /// Bytes of page text a passage aims at (before marks and escaping).
  static constexpr std::size_t kDefaultLength = 320;

 private:
  struct Word {
    std::size_t begin = 0;  // byte offsets in the page text
    std::size_t end = 0;
    int term = 0;           // index of the query term it matches
  };
  // Byte offsets in the page text: the densest cluster of matched words, and the passage
  // cut around it (with an ellipsis at a cut end).
  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  struct Cut {
    std::size_t from = 0;
    std::size_t to = 0;
    bool before = false;  // text was cut before `from`
    bool after = false;   // text was cut after `to`
  };
  Span densest_cluster() const;
  Cut around(std::string_view text, const std::vector<std::size_t>& sentence_starts, Span cluster) const;
  std::string marked(std::string_view text, Cut cut, const std::vector<std::size_t>& heading_ends) const;
  void find_words(std::string_view text, const std::string& language);
  std::size_t read_word(std::string_view text, std::size_t at, std::string& word, const std::string& language);
  int match(std::string& word, const std::string& language);
  int match_uncached(const std::string& word, const std::string& language);
  const std::string& stem(const std::string& word, const std::string& language);
  void note_start(std::string_view term);
  bool may_match(const std::string& word) const;
  bool may_match_ascii(std::string_view word) const;

  std::unordered_map<std::string, int> seen_;   // language + '\0' + word → match() result
  std::unordered_map<std::string, int> plain_;  // word → term index
  std::unordered_map<std::string, int> stems_;  // stem (without "Z") → term index
  std::vector<std::string> wildcards_;
  // The first two bytes of every term, stem and wildcard: most page words start otherwise
  // and need no lookup. Sound for stemmers that only change the ends of words.
  std::vector<bool> starts_ = std::vector<bool>(256 * 257, false);
  bool stems_everything_ = false;  // the page's stemmer may change the starts of words
  std::size_t length_;
  std::vector<Word> words_;  // the page's words that match, in text order
};

}  // namespace evidence::core
