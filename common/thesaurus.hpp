#pragma once
// Domain synonyms and acronyms (schemas/thesaurus.json), applied to the query text by our
// own code, so that it works the same over local and remote databases.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace evidence::core {

struct Expansion {
  std::string query;                      // the query with each known expression widened
  std::vector<std::string> also_searched;  // the expressions added, for "also searched: ..."
};

class Thesaurus {
 public:
  Thesaurus() = default;

  /// Reads the thesaurus file format; errors name the group and the reason.
  static Result<Thesaurus> from_json(std::string_view text);

  /// Widens every expression of the query that the thesaurus knows into an OR of its
  /// group, e.g. modern slavery → ("modern slavery" OR "human trafficking" OR THB ...).
  /// Quoted phrases, field queries (title:...) and +/- words are left alone; =word is
  /// searched exactly (as a one-word phrase, so neither widened nor stemmed).
  Expansion expand(std::string_view query) const;

  std::size_t group_count() const { return groups_.size(); }

 private:
  std::vector<std::vector<std::string>> groups_;           // expressions as written
  std::map<std::string, std::vector<std::size_t>> index_;  // folded expression → groups
  std::size_t longest_ = 1;                                // words in the longest expression
};

/// Lower-cases (Unicode) and collapses white space, for matching expressions.
std::string fold_expression(std::string_view text);

}  // namespace evidence::core
