#include "thesaurus.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>
#include <xapian.h>

namespace evidence::core {

namespace {

std::size_t word_count(const std::string& folded) {
  return static_cast<std::size_t>(std::count(folded.begin(), folded.end(), ' ')) + 1;
}

// A piece of the query: a word that may be part of an expression, or anything else.
struct Token {
  std::size_t begin;
  std::size_t end;
  std::string key;  // folded word without trailing punctuation; empty when not matchable
};

bool is_operator(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "XOR" || word.rfind("NEAR", 0) == 0 ||
         word.rfind("ADJ", 0) == 0;
}

std::vector<Token> tokenize(std::string_view query) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < query.size()) {
    char c = query[i];
    if (c == ' ' || c == '(' || c == ')') {
      ++i;
      continue;
    }
    if (c == '"') {  // a quoted phrase is searched as written
      auto close = query.find('"', i + 1);
      std::size_t end = close == std::string_view::npos ? query.size() : close + 1;
      tokens.push_back({i, end, {}});
      i = end;
      continue;
    }
    std::size_t end = query.find_first_of(" ()\"", i);
    if (end == std::string_view::npos) end = query.size();
    std::string_view word = query.substr(i, end - i);
    std::string key;
    bool matchable = word.find(':') == std::string_view::npos && word.find('*') == std::string_view::npos &&
                     c != '+' && c != '-' && c != '=' && !is_operator(word);
    if (matchable) {
      while (!word.empty() && (word.back() == ',' || word.back() == ';' || word.back() == '.')) word.remove_suffix(1);
      key = fold_expression(word);
    }
    tokens.push_back({i, end, key});
    i = end;
  }
  return tokens;
}

std::string as_query_part(const std::string& expression) {
  return expression.find(' ') == std::string::npos ? expression : "\"" + expression + "\"";
}

}  // namespace

std::string fold_expression(std::string_view text) {
  std::string out;
  bool space = false;
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    unsigned ch = *it;
    if (Xapian::Unicode::is_whitespace(ch)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
  }
  return out;
}

Result<Thesaurus> Thesaurus::from_json(std::string_view text) {
  Thesaurus thesaurus;
  try {
    auto json = nlohmann::json::parse(text);
    const auto& groups = json.at("groups");
    if (!groups.is_array()) return Error{ErrorCode::kInvalidArgument, "'groups' must be an array"};
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto& terms = groups[g].at("terms");
      std::vector<std::string> expressions;
      for (const auto& term : terms) {
        std::string expression = term.get<std::string>();
        std::string folded = fold_expression(expression);
        if (folded.empty() || folded.find_first_of("\"()") != std::string::npos) {
          return Error{ErrorCode::kInvalidArgument,
                       "group " + std::to_string(g + 1) + ": '" + expression + "' is not a usable expression"};
        }
        thesaurus.index_[folded].push_back(thesaurus.groups_.size());
        thesaurus.longest_ = std::max(thesaurus.longest_, word_count(folded));
        expressions.push_back(std::move(expression));
      }
      if (expressions.size() < 2) {
        return Error{ErrorCode::kInvalidArgument, "group " + std::to_string(g + 1) + " needs at least two terms"};
      }
      thesaurus.groups_.push_back(std::move(expressions));
    }
  } catch (const nlohmann::json::exception& e) {
    return Error{ErrorCode::kInvalidArgument, std::string("not a thesaurus: ") + e.what()};
  }
  return thesaurus;
}

Expansion Thesaurus::expand(std::string_view query) const {
  std::vector<Token> tokens = tokenize(query);
  Expansion result;
  std::size_t copied = 0;  // bytes of query already in result.query
  for (std::size_t i = 0; i < tokens.size();) {
    if (query[tokens[i].begin] == '=') {  // =word: exactly this word
      result.query.append(query.substr(copied, tokens[i].begin - copied));
      result.query += "\"" + std::string(query.substr(tokens[i].begin + 1, tokens[i].end - tokens[i].begin - 1)) + "\"";
      copied = tokens[i].end;
      ++i;
      continue;
    }
    std::size_t matched = 0;
    const std::vector<std::size_t>* groups = nullptr;
    std::string key;
    for (std::size_t n = std::min(longest_, tokens.size() - i); n >= 1 && !groups; --n) {
      key.clear();
      bool usable = true;
      for (std::size_t k = i; k < i + n && usable; ++k) {
        usable = !tokens[k].key.empty();
        key += (k == i ? "" : " ") + tokens[k].key;
      }
      auto it = usable ? index_.find(key) : index_.end();
      if (it != index_.end()) {
        groups = &it->second;
        matched = n;
      }
    }
    if (!groups) {
      ++i;
      continue;
    }
    std::vector<std::string> parts;
    std::set<std::string> seen{key};
    for (std::size_t g : *groups) {
      for (const auto& expression : groups_[g]) {
        if (!seen.insert(fold_expression(expression)).second) continue;
        parts.push_back(as_query_part(expression));
        result.also_searched.push_back(expression);
      }
    }
    std::size_t begin = tokens[i].begin;
    std::size_t end = tokens[i + matched - 1].end;
    result.query.append(query.substr(copied, begin - copied));
    std::string original(query.substr(begin, end - begin));
    result.query += "(" + as_query_part(original);
    for (const auto& part : parts) result.query += " OR " + part;
    result.query += ")";
    copied = end;
    i += matched;
  }
  result.query.append(query.substr(copied));
  return result;
}

}  // namespace evidence::core
