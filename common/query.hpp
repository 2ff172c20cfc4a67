#pragma once
// How a user's query text becomes a Xapian query: the query parser set-up (field
// prefixes, boolean filters, stemming per document language, AND by default).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "error.hpp"

namespace evidence::core {

/// Longest query text a user may send, in bytes.
inline constexpr std::size_t kMaxQueryLength = 1000;
/// Longest query text the parser takes, in bytes: what the user sent as the thesaurus widened
/// it (one acronym widens to about 90 bytes), so that widening cannot multiply a query's work.
inline constexpr std::size_t kMaxExpandedQueryLength = 4000;
/// Words of the index one wildcard ("traffick*") may stand for: a word's forms are a few
/// dozen even in a large library; a stem of one or two letters stands for thousands.
inline constexpr Xapian::termcount kMaxWildcardWords = 1000;
/// Words of the index all the wildcards of one query may stand for together: each is a
/// posting list the match opens, once per group of languages (ParsedQuery::groups).
inline constexpr Xapian::termcount kMaxQueryWildcardWords = 2000;

struct ParsedQuery {
  /// Languages (primary subtags) whose stemmers make the same query of the text.
  struct LanguageGroup {
    Xapian::Query query;
    std::vector<std::string> languages;
  };

  Xapian::Query query;             // matches document and page records alike
  std::vector<std::string> terms;  // the query's own terms, for highlighting
  std::vector<std::string> wildcards;  // lower-case prefixes of its plain "word*" terms
  std::string notice;              // set when the query was not searched as written
  std::vector<LanguageGroup> groups;  // `query` is these, each kept to its languages

  /// The query for records in these languages only: the groups that hold them, each kept
  /// to those of its languages; no language filter at all when one group holds them all.
  /// `query` itself when a language is not among the groups.
  Xapian::Query for_languages(const std::vector<std::string>& languages) const;
  /// Any of the words of the query for records in these languages (as for_languages()),
  /// without its filters or field terms; an empty query when it has no such words.
  Xapian::Query any_word(const std::vector<std::string>& languages) const;
};

/// Filters given apart from the query text (API parameters): OR within one facet, AND
/// across facets. Countries may be codes or English names.
struct SearchFilters {
  std::vector<std::string> countries;
  std::vector<std::string> themes;
  std::vector<std::string> exploitation;
  std::vector<std::string> types;
  std::vector<std::string> languages;
  std::vector<std::string> organisations;  // exact names
  std::optional<int> year_from;
  std::optional<int> year_to;

  bool empty() const;
};

/// The filters as a boolean query; an unknown vocabulary value is kInvalidArgument.
Result<Xapian::Query> filter_query(const SearchFilters& filters);

/// Parses queries against one database. Cheap to construct; not thread-safe.
class QueryBuilder {
 public:
  explicit QueryBuilder(const Xapian::Database& database);
  /// With the index's languages already known (index_languages() of the same database).
  QueryBuilder(const Xapian::Database& database, std::vector<std::string> languages);

  /// The primary language subtags of the index's records ("en" when it has none): one
  /// walk of its language terms, which a caller that parses many queries can keep.
  static std::vector<std::string> index_languages(const Xapian::Database& database);

  /// Parses query text (at most kMaxExpandedQueryLength bytes). Empty or over-long text, an
  /// unknown country, a bad date, or wildcards that stand for more words of the index than
  /// kMaxWildcardWords each or kMaxQueryWildcardWords together is kInvalidArgument with a
  /// message that says what is wrong; a query whose operators do not make sense ("shelter
  /// AND") is searched as plain words, with a notice saying so.
  Result<ParsedQuery> parse(std::string_view text) const;

  /// "Did you mean": the text with each plain word that the index does not have replaced
  /// by the nearest word of the corpus's spelling table; empty when nothing changed. For
  /// a reader of every document (tools, tests): the server uses the next one.
  std::string correct_spelling(std::string_view text) const;
  /// The same for a caller who may read only some documents: a word is known, and a
  /// suggestion offered, only where `readable` says a document the caller may read has it
  /// (the spelling table holds the words of every document).
  std::string correct_spelling(std::string_view text,
                               const std::function<bool(const std::string&)>& readable) const;

 private:
  Xapian::Query parse_for_language(const std::string& text, const std::string& language, unsigned flags) const;
  std::vector<ParsedQuery::LanguageGroup> parse_all_languages(const std::string& text, unsigned flags) const;
  Status check_wildcards(const Xapian::Query& query) const;

  Xapian::Database database_;
  std::vector<std::string> languages_;  // primary subtags present in the index
};

/// What a researcher reads when Xapian refuses a wildcard at match time (the index grew past
/// kMaxWildcardWords for it after the query was parsed): the same message as parse() gives.
std::string wildcard_error_message(const Xapian::WildcardError& error);

}  // namespace evidence::core
