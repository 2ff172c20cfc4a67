#include "query.hpp"

#include "index_layout.hpp"
#include "text.hpp"

namespace evidence::core {

namespace prefix = layout::prefix;

namespace {

constexpr unsigned kParserFlags =
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
    Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;

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

}  // namespace

QueryBuilder::QueryBuilder(const Xapian::Database& database) : database_(database) {
  const std::string language_prefix = prefix::kLanguage;
  for (auto it = database_.allterms_begin(language_prefix); it != database_.allterms_end(language_prefix); ++it) {
    languages_.push_back((*it).substr(language_prefix.size()));
  }
  if (languages_.empty()) languages_.push_back("en");
}

Xapian::Query QueryBuilder::parse_for_language(const std::string& text, const std::string& language) const {
  Xapian::QueryParser parser;
  parser.set_database(database_);
  parser.set_stemmer(layout::stemmer_for(language));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  parser.add_prefix("title", prefix::kTitle);
  parser.add_prefix("author", prefix::kAuthor);
  parser.add_prefix("org", prefix::kOrganisationText);
  parser.add_boolean_prefix("country", prefix::kCountry);
  parser.add_boolean_prefix("theme", prefix::kTheme);
  parser.add_boolean_prefix("exploitation", prefix::kExploitation);
  parser.add_boolean_prefix("type", prefix::kType);
  parser.add_boolean_prefix("lang", prefix::kLanguage);
  parser.add_boolean_prefix("year", prefix::kYear);
  return parser.parse_query(text, kParserFlags);
}

Result<ParsedQuery> QueryBuilder::parse(std::string_view raw) const {
  if (raw.size() > kMaxQueryLength) {
    return Error{ErrorCode::kInvalidArgument, "the query is too long (" + std::to_string(raw.size()) +
                                                  " bytes; at most " + std::to_string(kMaxQueryLength) + ")"};
  }
  std::string text = neutralise_curly_quotes(normalize_line(raw));
  if (text.empty()) return Error{ErrorCode::kInvalidArgument, "the query is empty"};
  try {
    ParsedQuery parsed;
    if (languages_.size() == 1) {
      parsed.query = parse_for_language(text, languages_.front());
    } else {
      // Each language's documents are searched with that language's stemmer.
      std::vector<Xapian::Query> per_language;
      for (const auto& language : languages_) {
        per_language.emplace_back(Xapian::Query::OP_FILTER, parse_for_language(text, language),
                                  Xapian::Query(layout::language_term(language)));
      }
      parsed.query = Xapian::Query(Xapian::Query::OP_OR, per_language.begin(), per_language.end());
    }
    if (parsed.query.empty()) {
      return Error{ErrorCode::kInvalidArgument, "the query has no searchable words"};
    }
    for (auto it = parsed.query.get_unique_terms_begin(); it != parsed.query.get_unique_terms_end(); ++it) {
      parsed.terms.push_back(*it);
    }
    return parsed;
  } catch (const Xapian::QueryParserError& e) {
    return Error{ErrorCode::kInvalidArgument, "cannot parse the query: " + e.get_msg()};
  }
}

}  // namespace evidence::core
