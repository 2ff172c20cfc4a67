// Fuzz target: the thesaurus file (core::Thesaurus::from_json), which staff edit by hand
// while the server runs. Properties: nothing throws; the only error is kInvalidArgument,
// with a message; a thesaurus that loads has the file's groups (read again here with
// nlohmann::json); each expression of the file, searched between a quoted phrase and a
// field query, is widened to exactly the other expressions of the groups that list it,
// all of them in the expanded query beside the original, with the phrase and the field
// query left as they were; a query in which nothing is known comes back unchanged.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "thesaurus.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;

constexpr std::size_t kExpressionsChecked = 64;  // keeps a run fast on a file of thousands

// The groups' terms as the file lists them: a naive second reading of a file that loaded.
std::vector<std::vector<std::string>> groups_in(std::string_view text) {
  std::vector<std::vector<std::string>> groups;
  const auto file = nlohmann::json::parse(text);
  for (const auto& group : file.at("groups")) {
    groups.emplace_back();
    for (const auto& term : group.at("terms")) groups.back().push_back(term.get<std::string>());
  }
  return groups;
}

// True when the query syntax reads the expression as plain words that the thesaurus may
// match: no phrase, field, wildcard, +/-/= word, operator or trailing punctuation.
bool plain_words(const std::string& expression) {
  bool any = false;
  std::size_t start = 0;
  while (start <= expression.size()) {
    auto end = std::min(expression.find(' ', start), expression.size());
    std::string_view word = std::string_view(expression).substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    any = true;
    std::string folded = core::fold_expression(word);
    if (folded.empty() || folded.find(' ') != std::string::npos) return false;
    if (word.find_first_of("\"():*") != std::string_view::npos) return false;
    if (std::string_view("+-=").find(word.front()) != std::string_view::npos) return false;
    if (std::string_view(",;.").find(word.back()) != std::string_view::npos) return false;
    if (word == "AND" || word == "OR" || word == "NOT" || word == "XOR" || word.rfind("NEAR", 0) == 0 ||
        word.rfind("ADJ", 0) == 0) {
      return false;
    }
  }
  return any;
}

std::string trimmed(const std::string& text) {
  auto first = text.find_first_not_of(' ');
  return first == std::string::npos ? std::string()
                                    : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

void check_expression(const core::Thesaurus& thesaurus, const std::vector<std::vector<std::string>>& groups,
                      const std::string& expression) {
  const std::string key = core::fold_expression(expression);
  std::set<std::string> expected;
  for (const auto& group : groups) {
    std::set<std::string> folded;
    for (const auto& term : group) folded.insert(core::fold_expression(term));
    if (folded.count(key)) expected.insert(folded.begin(), folded.end());
  }
  expected.erase(key);
  const std::string before = "\"q\" ";
  const std::string after = " title:z";
  auto expansion = thesaurus.expand(before + expression + after);
  std::set<std::string> added;
  for (const auto& synonym : expansion.also_searched) {
    check(added.insert(core::fold_expression(synonym)).second, "each synonym is added once");
    check(expansion.query.find(synonym) != std::string::npos, "the expanded query holds every synonym added");
  }
  check(added == expected, "an expression adds exactly the other terms of its groups");
  check(expansion.query.find(trimmed(expression)) != std::string::npos,
        "the expanded query holds the original");
  check(expansion.query.rfind(before, 0) == 0, "a quoted phrase is left alone");
  check(expansion.query.size() >= after.size() &&
            expansion.query.compare(expansion.query.size() - after.size(), after.size(), after) == 0,
        "a field query is left alone");
}

void check_unknown(const core::Thesaurus& thesaurus, std::string_view query) {
  auto expansion = thesaurus.expand(query);
  if (expansion.also_searched.empty() && query.find('=') == std::string_view::npos) {
    check(expansion.query == query, "a query with nothing known is unchanged");
  }
}

void check_file(std::string_view text) {
  auto thesaurus = core::Thesaurus::from_json(text);
  if (!thesaurus) {
    check(thesaurus.error().code == core::ErrorCode::kInvalidArgument, "the only error is kInvalidArgument");
    check(!thesaurus.error().message.empty(), "an error has a message");
    return;
  }
  const auto groups = groups_in(text);
  check(thesaurus->group_count() == groups.size(), "the thesaurus has the file's groups");
  std::size_t checked = 0;
  for (const auto& group : groups) {
    for (const auto& expression : group) {
      if (checked == kExpressionsChecked) break;
      if (!plain_words(expression)) continue;
      check_expression(*thesaurus, groups, expression);
      ++checked;
    }
  }
  for (std::string_view query : {"forced labour", "\"modern slavery\" THB", "title:trafficking -x", ""}) {
    check_unknown(*thesaurus, query);
  }
  check_unknown(*thesaurus, text.substr(0, 200));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([&] { check_file(text); });
  return 0;
}
