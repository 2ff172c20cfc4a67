#include "passage.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "index_layout.hpp"

namespace evidence::core {

namespace {

constexpr int kDistinctWeight = 8;     // a window with one more distinct query word wins
constexpr std::size_t kMaxStems = 100'000;  // cached stems per thread before the cache starts again
constexpr unsigned kRightSingleQuote = 0x2019;

// Languages whose Snowball stemmers change only the ends of words (Indonesian and Irish,
// for example, remove prefixes and are not here).
bool stems_suffixes_only(const std::string& language) {
  static constexpr std::array<std::string_view, 17> kSuffixOnly = {
      "en", "fr", "es", "pt", "it", "de", "nl", "sv", "no", "nb", "nn", "da", "fi", "ro", "hu", "tr", "ca"};
  std::string_view primary(language);
  primary = primary.substr(0, primary.find('-'));
  return std::find(kSuffixOnly.begin(), kSuffixOnly.end(), primary) != kSuffixOnly.end();
}

bool is_ascii_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Words that end with a full stop without ending a sentence.
bool is_abbreviation(std::string_view word) {
  static constexpr std::array<std::string_view, 16> kAbbreviations = {
      "e.g", "i.e", "etc", "cf", "no", "nos", "p", "pp", "vol", "fig", "art", "para", "mr", "mrs", "dr", "st"};
  if (word.size() == 1) return true;  // initials: "J. Smith", "U.S."
  return std::any_of(kAbbreviations.begin(), kAbbreviations.end(), [word](std::string_view abbreviation) {
    return abbreviation.size() == word.size() &&
           std::equal(word.begin(), word.end(), abbreviation.begin(), [](char a, char b) { return ascii_lower(a) == b; });
  });
}

// Byte offsets where sentences start: after ". ", "! ", "? " before something that is not
// a lower-case letter, after blank lines and after headings; the text's start is one.
std::vector<std::size_t> sentence_starts(std::string_view text, const std::vector<std::string>& headings,
                                         std::vector<std::size_t>& heading_ends) {
  std::vector<std::size_t> starts{0};
  std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    bool blank_line = text[i] == '\n' && i + 1 < n && text[i + 1] == '\n';
    bool stop = (text[i] == '.' || text[i] == '!' || text[i] == '?') && i + 1 < n && is_space(text[i + 1]);
    if (!blank_line && !stop) continue;
    if (stop && text[i] == '.') {
      std::size_t w = i;
      while (w > 0 && !is_space(text[w - 1])) --w;
      if (is_abbreviation(text.substr(w, i - w))) continue;
    }
    std::size_t next = i + 1;
    while (next < n && is_space(text[next])) ++next;
    if (next >= n) break;
    if (stop && std::islower(static_cast<unsigned char>(text[next]))) continue;
    if (next > starts.back()) starts.push_back(next);
    i = next - 1;
  }
  // A heading on a line of its own ends where its line ends, full stop or not.
  for (const auto& heading : headings) {
    for (auto at = text.find(heading); at != std::string_view::npos; at = text.find(heading, at + 1)) {
      std::size_t end = at + heading.size();
      bool own_line = (at == 0 || text[at - 1] == '\n') && end < text.size() && text[end] == '\n';
      if (!own_line) continue;
      std::size_t next = end;
      while (next < text.size() && is_space(text[next])) ++next;
      if (next < text.size()) starts.push_back(next);
      heading_ends.push_back(end);
    }
  }
  std::sort(heading_ends.begin(), heading_ends.end());
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

void append_escaped(std::string& out, std::string_view text) {
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty() && out.back() != ' ') out += ' ';
    space = false;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  if (space && !out.empty() && out.back() != ' ') out += ' ';
}

// Text between marks; where a heading ends inside it, a dash keeps the heading apart from
// the sentence after it ("The Compass Score — To compare…").
void append_text(std::string& out, std::string_view text, std::size_t from, std::size_t to,
                 const std::vector<std::size_t>& heading_ends) {
  for (std::size_t end : heading_ends) {
    if (end < from || end >= to) continue;
    append_escaped(out, text.substr(from, end - from));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += " \u2014 ";
    from = end;
  }
  append_escaped(out, text.substr(from, to - from));
}

}  // namespace

PassageMaker::PassageMaker(const std::vector<std::string>& terms, std::vector<std::string> wildcards,
                           std::size_t length)
    : wildcards_(std::move(wildcards)), length_(length) {
  int index = 0;
  for (const auto& term : terms) {
    if (!layout::is_word_term(term)) continue;  // ids, filters and field terms
    if (term[0] == 'Z') {
      stems_.emplace(term.substr(1), index++);
    } else {
      plain_.emplace(term, index++);
    }
  }
  for (const auto& entry : plain_) note_start(entry.first);
  for (const auto& entry : stems_) note_start(entry.first);
  for (const auto& prefix : wildcards_) note_start(prefix);
}

// starts_[256 * first + second]; [256 * 256 + first] for one-byte words.
void PassageMaker::note_start(std::string_view term) {
  if (term.empty()) return;
  std::size_t first = static_cast<unsigned char>(term[0]);
  if (term.size() == 1) {  // a one-byte prefix or stem may begin words of any length
    starts_[256 * 256 + first] = true;
    for (std::size_t second = 0; second < 256; ++second) starts_[256 * first + second] = true;
    return;
  }
  starts_[256 * first + static_cast<unsigned char>(term[1])] = true;
}

// The same test for a word of ASCII letters and digits, without lower-casing it first.
bool PassageMaker::may_match_ascii(std::string_view word) const {
  std::size_t first = static_cast<unsigned char>(ascii_lower(word[0]));
  if (word.size() == 1) return starts_[256 * 256 + first];
  return starts_[256 * first + static_cast<unsigned char>(ascii_lower(word[1]))];
}

bool PassageMaker::may_match(const std::string& word) const {
  std::size_t first = static_cast<unsigned char>(word[0]);
  if (first >= 0x80) return true;
  if (word.size() == 1) return starts_[256 * 256 + first];
  std::size_t second = static_cast<unsigned char>(word[1]);
  return second >= 0x80 || starts_[256 * first + second];
}

const std::string& PassageMaker::stem(const std::string& word, const std::string& language) {
  thread_local std::unordered_map<std::string, std::unordered_map<std::string, std::string>> by_language;
  auto& stems = by_language[language];  // word → stem
  auto found = stems.find(word);
  if (found != stems.end()) return found->second;
  if (stems.size() >= kMaxStems) stems.clear();
  return stems.emplace(word, layout::thread_stemmer(language)(word)).first->second;
}

// Pages of one result share most of their words: each is looked up once per query.
int PassageMaker::match(std::string& word, const std::string& language) {
  std::size_t length = word.size();
  word += '\0';
  word += language;
  auto found = seen_.find(word);
  if (found == seen_.end()) {
    int term = match_uncached(word.substr(0, length), language);
    found = seen_.emplace(word, term).first;
  }
  word.resize(length);
  return found->second;
}

int PassageMaker::match_uncached(const std::string& word, const std::string& language) {
  if (auto it = plain_.find(word); it != plain_.end()) return it->second;
  if (!stems_.empty()) {
    if (auto it = stems_.find(stem(word, language)); it != stems_.end()) return it->second;
  }
  for (std::size_t i = 0; i < wildcards_.size(); ++i) {
    if (word.rfind(wildcards_[i], 0) == 0) return static_cast<int>(plain_.size() + stems_.size() + i);
  }
  return -1;
}

// The page's words that match the query, found as Xapian's term generator sees words: runs
// of word characters, with an apostrophe inside a word kept ("survivor's"), compared in
// lower case. Words of plain ASCII letters and digits, most words of most pages, take a
// short path that builds no string unless the word's first two letters start some query
// word. Words that do not match are not kept: a passage is built from the matched ones.
void PassageMaker::find_words(std::string_view text, const std::string& language) {
  words_.clear();
  stems_everything_ = !stems_.empty() && !stems_suffixes_only(language);
  std::string word;
  std::size_t at = 0;
  std::size_t n = text.size();
  while (at < n) {
    auto byte = static_cast<unsigned char>(text[at]);
    if (is_ascii_word_char(byte)) {
      std::size_t end = at + 1;
      while (end < n && is_ascii_word_char(static_cast<unsigned char>(text[end]))) ++end;
      auto next = end < n ? static_cast<unsigned char>(text[end]) : 0;
      if (next < 0x80 && next != '\'') {
        if (stems_everything_ || may_match_ascii(text.substr(at, end - at))) {
          word.assign(text.substr(at, end - at));
          for (char& c : word) c = ascii_lower(c);
          if (int term = match(word, language); term >= 0) words_.push_back({at, end, term});
        }
        at = end;
        continue;
      }
    } else if (byte < 0x80) {
      ++at;
      continue;
    }
    at = read_word(text, at, word, language);
  }
}

// One word that may hold non-ASCII letters or an apostrophe, from `at`; returns where the
// text after it starts.
std::size_t PassageMaker::read_word(std::string_view text, std::size_t at, std::string& word,
                                    const std::string& language) {
  Xapian::Utf8Iterator end;
  word.clear();
  std::size_t begin = at;
  while (at < text.size()) {
    Xapian::Utf8Iterator it(text.data() + at, text.size() - at);
    unsigned ch = *it;
    ++it;
    std::size_t next = it == end ? text.size() : static_cast<std::size_t>(it.raw() - text.data());
    if (Xapian::Unicode::is_wordchar(ch)) {
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
    } else if (!word.empty() && (ch == '\'' || ch == kRightSingleQuote) && it != end &&
               Xapian::Unicode::is_wordchar(*it)) {
      word += '\'';
    } else if (word.empty()) {
      return next;  // not a word character at all
    } else {
      break;
    }
    at = next;
  }
  if (int term = stems_everything_ || may_match(word) ? match(word, language) : -1; term >= 0) {
    words_.push_back({begin, at, term});
  }
  return at;
}

Passage PassageMaker::make(std::string_view text, const std::string& language,
                           const std::vector<std::string>& headings) {
  find_words(text, language);
  Passage passage;
  passage.matches = static_cast<Xapian::termcount>(words_.size());
  Span cluster = densest_cluster();
  std::vector<std::size_t> heading_ends;
  std::vector<std::size_t> starts = sentence_starts(text, headings, heading_ends);
  passage.html = marked(text, around(text, starts, cluster), heading_ends);
  return passage;
}

// The run of matched words within length_ bytes with the most distinct query words, then
// the most words; the first such run on ties.
PassageMaker::Span PassageMaker::densest_cluster() const {
  const std::vector<Word>& matched = words_;  // only matched words are kept
  Span cluster;
  if (matched.empty()) return cluster;
  std::unordered_map<int, int> in_window;
  int best = -1;
  std::size_t j = 0;
  for (std::size_t i = 0; i < matched.size(); ++i) {
    if (j < i) j = i;
    while (j < matched.size() && (j == i || matched[j].end - matched[i].begin <= length_)) {
      ++in_window[matched[j].term];
      ++j;
    }
    int score = static_cast<int>(in_window.size()) * kDistinctWeight + static_cast<int>(j - i);
    if (score > best) {
      best = score;
      cluster = {matched[i].begin, matched[j - 1].end};
    }
    if (j > i && --in_window[matched[i].term] == 0) in_window.erase(matched[i].term);
  }
  return cluster;
}

// Out to the sentences around the cluster, a short sentence with its neighbour; too long, a
// window of length_ bytes with a third of the room before the cluster, whole words only.
PassageMaker::Cut PassageMaker::around(std::string_view text, const std::vector<std::size_t>& starts,
                                       Span cluster) const {
  const std::size_t core_begin = cluster.begin;
  const std::size_t core_end = cluster.end;
  auto after = std::upper_bound(starts.begin(), starts.end(), core_begin);
  std::size_t from = *(after - 1);
  auto next = std::lower_bound(starts.begin(), starts.end(), std::max(core_end, core_begin + 1));
  std::size_t to = next == starts.end() ? text.size() : *next;
  if (to - from < length_ / 2) {
    if (next != starts.end()) {
      std::size_t further = next + 1 == starts.end() ? text.size() : *(next + 1);
      if (further - from <= length_) to = further;
    } else if (after - 1 != starts.begin() && to - *(after - 2) <= length_) {
      from = *(after - 2);
    }
  }
  Cut cut{from, to, false, false};
  if (to - from <= length_) return cut;
  std::size_t core = std::min(core_end - core_begin, length_);
  std::size_t spare = length_ - core;
  std::size_t before = std::min(core_begin - from, spare / 3);
  std::size_t new_to = std::min(to, core_begin + core + (spare - before));
  before = std::min(core_begin - from, length_ - (new_to - core_begin));
  std::size_t new_from = core_begin - before;
  if (new_from > from) {
    while (new_from < core_begin && !is_space(text[new_from - 1])) ++new_from;
    cut.before = true;
  }
  if (new_to < to) {
    while (new_to > core_end && !is_space(text[new_to])) --new_to;
    cut.after = true;
  }
  cut.from = new_from;
  cut.to = new_to;
  return cut;
}

// The cut text, escaped, with its matched words marked.
std::string PassageMaker::marked(std::string_view text, Cut cut,
                                 const std::vector<std::size_t>& heading_ends) const {
  std::string out;
  if (cut.before) out += "\u2026";
  std::size_t at = cut.from;
  auto first = std::lower_bound(words_.begin(), words_.end(), cut.from,
                                [](const Word& w, std::size_t offset) { return w.begin < offset; });
  auto heading_between = [&](std::size_t a, std::size_t b) {
    auto it = std::lower_bound(heading_ends.begin(), heading_ends.end(), a);
    return it != heading_ends.end() && *it < b;
  };
  for (auto w = first; w != words_.end() && w->end <= cut.to; ++w) {
    // Neighbouring matches share one mark: nothing but spaces between them (a word that
    // does not match is not in words_, and what it leaves between two matches is no space).
    auto last = w;
    while (last + 1 != words_.end() && (last + 1)->end <= cut.to &&
           !heading_between(last->end, (last + 1)->begin) &&
           std::all_of(text.begin() + static_cast<std::ptrdiff_t>(last->end),
                       text.begin() + static_cast<std::ptrdiff_t>((last + 1)->begin), is_space)) {
      ++last;
    }
    append_text(out, text, at, w->begin, heading_ends);
    out += "<mark>";
    append_escaped(out, text.substr(w->begin, last->end - w->begin));
    out += "</mark>";
    at = last->end;
    w = last;
  }
  append_text(out, text, at, cut.to, heading_ends);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (cut.after) out += "\u2026";
  return out;
}

}  // namespace evidence::core
