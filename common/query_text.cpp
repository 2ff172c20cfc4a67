#include "query_text.hpp"

namespace evidence::core::query_text {

namespace {

// A byte that can be part of a word, as the checks below break words: on the safe side,
// anything but an ASCII letter, digit or '_' is a break.
bool is_word_byte(char byte) {
  auto c = static_cast<unsigned char>(byte);
  return std::isalnum(c) != 0 || c == '_';
}

}  // namespace

// Xapian 1.4's parser fails on a boolean operator followed by NEAR/n or ADJ/n ("a OR NEAR/9
// b", also "a,OR ,NEAR/9": its lexer skips punctuation between words) and leaks 96 bytes
// each time, which a server must not do for a query anyone can send. Such a query is
// recognised before Xapian sees it and gets the fallback of any misplaced operator, with
// the place named. The test leans to the safe side: any byte that is not an ASCII letter,
// digit or '_' counts as a break between words, so a few queries that Xapian would have
// parsed ("title:or NEAR/2 x") fall back too. Returns "" when there is none.
std::string operator_before_proximity(std::string_view text) {
  auto word_byte = [&](std::size_t i) { return is_word_byte(text[i]); };
  // The length of the word w at i, case-insensitively, standing alone; 0 when it is not there.
  auto word_at = [&](std::size_t i, std::string_view w) -> std::size_t {
    if (i + w.size() > text.size() || (i > 0 && word_byte(i - 1))) return 0;
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(text[i + k])) != w[k]) return 0;
    }
    return w.size();
  };
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (quoted) continue;
    std::size_t op = 0;
    for (std::string_view w : {"and", "or", "not", "xor"}) {
      if ((op = word_at(i, w)) != 0) break;
    }
    if (op == 0 || i + op >= text.size() || word_byte(i + op)) continue;
    std::size_t next = i + op;  // past the operator and the punctuation after it
    while (next < text.size() && !word_byte(next) && text[next] != '(' && text[next] != '"') ++next;
    std::size_t name = 0;
    for (std::string_view w : {"near", "adj"}) {
      if ((name = word_at(next, w)) != 0) break;
    }
    std::size_t digits = next + name + 1;
    if (name == 0 || digits >= text.size() || text[digits - 1] != '/' ||
        !std::isdigit(static_cast<unsigned char>(text[digits]))) {
      continue;
    }
    std::size_t end = digits;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    return std::string(text.substr(next, end - next)) + " cannot follow " + std::string(text.substr(i, op)) +
           ": NEAR/n and ADJ/n go between two words";
  }
  return {};
}

// Xapian 1.4's parser also leaks 96 bytes on some queries that begin with a binary operator
// ("AND T`d NEAR c l", found by fuzz_query), while it reads others as words ("AND d NEAR c
// l"); a query that ends with an operator is always its syntax error. Such a query never
// reaches Xapian's parser with operators on: it gets the plain-words fallback with Xapian's
// own message ("<expression> AND <expression>"). Words are broken as above; a query that
// starts (or ends) with a quote starts (or ends) with a phrase. Returns "" when there is none.
std::string operator_at_an_end(std::string_view text) {
  auto word_at = [&](std::size_t begin, std::size_t end) {
    std::string word(text.substr(begin, end - begin));
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return word;
  };
  auto binary = [](const std::string& word) { return word == "AND" || word == "OR" || word == "XOR"; };
  auto message = [](const std::string& op) { return "<expression> " + op + " <expression>"; };
  std::size_t first = 0;
  while (first < text.size() && !is_word_byte(text[first])) ++first;
  std::size_t first_end = first;
  while (first_end < text.size() && is_word_byte(text[first_end])) ++first_end;
  if (text.substr(0, first).find('"') == std::string_view::npos && binary(word_at(first, first_end))) {
    return message(word_at(first, first_end));
  }
  std::size_t last_end = text.size();
  while (last_end > 0 && !is_word_byte(text[last_end - 1])) --last_end;
  std::size_t last = last_end;
  while (last > 0 && is_word_byte(text[last - 1])) --last;
  if (text.substr(last_end).find('"') != std::string_view::npos) return {};
  std::string word = word_at(last, last_end);
  if (binary(word)) return message(word);
  if (word != "NOT") return {};
  std::size_t before_end = last;
  while (before_end > 0 && !is_word_byte(text[before_end - 1])) --before_end;
  std::size_t before = before_end;
  while (before > 0 && is_word_byte(text[before - 1])) --before;
  return message(word_at(before, before_end) == "AND" ? "AND NOT" : "NOT");
}

// Xapian reads curly quotes as phrase quotes. Inside a query that uses straight quotes they
// are text someone copied from a page ("a “prefer not to say” option"), so they become spaces.
std::string neutralise_curly_quotes(std::string text) {
  if (text.find('"') == std::string::npos) return text;
  for (const char* quote : {"\u201c", "\u201d", "\u201e", "\u201f"}) {
    std::string q = quote;
    for (auto pos = text.find(q); pos != std::string::npos; pos = text.find(q, pos)) text.replace(pos, q.size(), " ");
  }
  return text;
}

}  // namespace evidence::core::query_text
