#include "query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "index_layout.hpp"
#include "query_text.hpp"
#include "text.hpp"
#include "vocabulary.hpp"

namespace evidence::core {

namespace prefix = layout::prefix;

namespace {

// When the operators of a query make no sense, its words are searched as they stand.
constexpr unsigned kPlainFlags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE;

constexpr unsigned kParserFlags =
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
    Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(c < 0x80 ? std::tolower(c) : c); });
  return s;
}

// The prefixes of the plain-text wildcards of a query ("traffick*" → "traffick"); words
// with a field prefix ("title:traffick*") search metadata, not page text, and are left out.
std::vector<std::string> plain_wildcards(const std::string& text) {
  std::vector<std::string> prefixes;
  Xapian::Utf8Iterator it(text);
  Xapian::Utf8Iterator end;
  std::string word;
  bool fielded = false;
  while (it != end) {
    unsigned ch = *it;
    ++it;
    if (Xapian::Unicode::is_wordchar(ch)) {
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
      continue;
    }
    if (ch == '*' && !word.empty() && !fielded) prefixes.push_back(word);
    fielded = ch == ':' && !word.empty();
    word.clear();
  }
  return prefixes;
}

// The pattern of an OP_WILDCARD query ("title:traffick*" → "XTtraffick"). Xapian 1.4 shows it
// only in the description, "Query(WILDCARD SYNONYM XTtraffick)"; empty when the description
// has another form or escaped bytes (such a wildcard is held by Xapian's own limit alone).
std::string wildcard_pattern(const Xapian::Query& wildcard) {
  const std::string description = wildcard.get_description();
  constexpr std::string_view kStart = "Query(WILDCARD ";
  if (!description.starts_with(kStart) || !description.ends_with(")")) return {};
  std::size_t space = description.find(' ', kStart.size());  // after the combining operator
  if (space == std::string::npos) return {};
  std::string pattern = description.substr(space + 1, description.size() - space - 2);
  if (pattern.empty() || pattern.find_first_of(" \\") != std::string::npos) return {};
  return pattern;
}

// A wildcard as the researcher wrote it: "XTtraffick" → "title:traffick*".
std::string shown_wildcard(const std::string& pattern) {
  const std::pair<const char*, std::string_view> fields[] = {
      {"title:", prefix::kTitle}, {"author:", prefix::kAuthor}, {"org:", prefix::kOrganisationText}};
  for (const auto& [field, term_prefix] : fields) {
    if (pattern.starts_with(term_prefix)) return field + pattern.substr(term_prefix.size()) + "*";
  }
  return pattern + "*";
}

std::string too_many_words(const std::string& pattern) {
  return "the wildcard '" + shown_wildcard(pattern) + "' stands for more than " +
         std::to_string(kMaxWildcardWords) +
         " words of the library (the most one wildcard may search): type more letters before the *";
}

void collect_wildcards(const Xapian::Query& query, std::vector<Xapian::Query>& wildcards) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) {
    wildcards.push_back(query);
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
    collect_wildcards(query.get_subquery(i), wildcards);
}

// The words of the index that start with the pattern, counted up to one more than `most`.
Xapian::termcount words_starting(const Xapian::Database& database, const std::string& pattern,
                                 Xapian::termcount most) {
  Xapian::termcount words = 0;
  for (auto it = database.allterms_begin(pattern); it != database.allterms_end(pattern) && words <= most;
       ++it) {
    ++words;
  }
  return words;
}

// The processors below do not throw: Xapian 1.4's parser leaks its parse state when a
// processor throws (found by fuzz_query under LeakSanitizer). They note the first error
// in *error and match nothing; parse_for_language throws once the parser has returned.

// "country:ng", "country:Nigeria", country:"united kingdom" → XCng / XCgb.
class CountryProcessor : public Xapian::FieldProcessor {
 public:
  explicit CountryProcessor(std::string* error) : error_(error) {}
  Xapian::Query operator()(const std::string& text) override {
    auto code = countries().find(text);
    if (!code) {
      if (error_->empty()) *error_ = "unknown country '" + text + "' (use an ISO code or an English name)";
      return Xapian::Query::MatchNothing;
    }
    return Xapian::Query(prefix::kCountry + lower_ascii(*code));
  }

 private:
  std::string* error_;
};

// date:2019-01-01..2020-06-30 over the "YYYYMMDD" date slot; partial dates are allowed
// ("2019..2020-06"): a start fills in the earliest day, an end the latest.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  explicit DateRangeProcessor(std::string* error)
      : Xapian::RangeProcessor(layout::slot::kDate, "date:"), error_(error) {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    std::string from = begin.empty() ? std::string() : digits(begin, '0');
    std::string to = end.empty() ? std::string() : digits(end, '9');
    for (const auto* bad : {&begin, &end}) {
      if (!bad->empty() && (bad == &begin ? from : to).empty()) {
        if (error_->empty()) *error_ = "bad date '" + *bad + "' (use YYYY, YYYY-MM or YYYY-MM-DD)";
        return Xapian::Query::MatchNothing;
      }
    }
    if (from.empty() && to.empty()) return layout::match_all();
    if (to.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, from);
    if (from.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, to);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, from, to);
  }

 private:
  // "2019-06" → "20190601" (fill '0') or "20190699" (fill '9'); empty when not a date.
  static std::string digits(const std::string& date, char fill) {
    std::string out;
    for (char ch : date) {
      if (ch >= '0' && ch <= '9') out += ch;
      else if (ch != '-') return {};
    }
    if (out.size() != 4 && out.size() != 6 && out.size() != 8) return {};
    out.resize(8, fill);
    return out;
  }

  std::string* error_;
};

Xapian::Query any_of(const std::string& term_prefix, const std::vector<std::string>& values) {
  std::vector<Xapian::Query> terms;
  for (const auto& value : values) terms.emplace_back(term_prefix + lower_ascii(value));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Status check_vocabulary(const Vocabulary& vocabulary, const std::vector<std::string>& values, const char* what) {
  for (const auto& value : values) {
    if (!vocabulary.labels().count(value)) {
      return Error{ErrorCode::kInvalidArgument, "unknown " + std::string(what) + " '" + value + "'"};
    }
  }
  return {};
}

}  // namespace

using query_text::neutralise_curly_quotes;
using query_text::operator_at_an_end;
using query_text::operator_before_proximity;

bool SearchFilters::empty() const {
  return countries.empty() && themes.empty() && exploitation.empty() && types.empty() && languages.empty() &&
         organisations.empty() && !year_from && !year_to;
}

Result<Xapian::Query> filter_query(const SearchFilters& filters) {
  std::vector<Xapian::Query> parts;
  std::vector<std::string> country_codes;
  for (const auto& country : filters.countries) {
    auto code = countries().find(country);
    if (!code) return Error{ErrorCode::kInvalidArgument, "unknown country '" + country + "'"};
    country_codes.push_back(*code);
  }
  for (auto status : {check_vocabulary(themes(), filters.themes, "theme"),
                      check_vocabulary(exploitation_forms(), filters.exploitation, "form of exploitation"),
                      check_vocabulary(document_types(), filters.types, "document type")}) {
    if (!status) return status.error();
  }
  std::vector<std::string> languages;
  for (const auto& language : filters.languages) languages.push_back(layout::primary_language(language));
  const std::pair<const char*, const std::vector<std::string>*> facets[] = {
      {prefix::kCountry, &country_codes}, {prefix::kTheme, &filters.themes},
      {prefix::kExploitation, &filters.exploitation}, {prefix::kType, &filters.types},
      {prefix::kLanguage, &languages}, {prefix::kOrganisation, &filters.organisations}};
  for (const auto& [term_prefix, values] : facets) {
    if (!values->empty()) parts.push_back(any_of(term_prefix, *values));
  }
  if (filters.year_from || filters.year_to) {
    std::string from = Xapian::sortable_serialise(filters.year_from.value_or(0));
    std::string to = Xapian::sortable_serialise(filters.year_to.value_or(9999));
    parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, layout::slot::kYear, from, to);
  }
  if (parts.empty()) return layout::match_all();
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

QueryBuilder::QueryBuilder(const Xapian::Database& database)
    : QueryBuilder(database, index_languages(database)) {}

QueryBuilder::QueryBuilder(const Xapian::Database& database, std::vector<std::string> languages)
    : database_(database), languages_(std::move(languages)) {}

std::vector<std::string> QueryBuilder::index_languages(const Xapian::Database& database) {
  const std::string language_prefix = prefix::kLanguage;
  std::vector<std::string> languages;
  for (auto it = database.allterms_begin(language_prefix); it != database.allterms_end(language_prefix); ++it) {
    languages.push_back((*it).substr(language_prefix.size()));
  }
  if (languages.empty()) languages.push_back("en");
  return languages;
}

Xapian::Query QueryBuilder::parse_for_language(const std::string& text, const std::string& language,
                                               unsigned flags) const {
  std::string field_error;  // declared first: it outlives the parser, which owns the processors
  Xapian::QueryParser parser;
  parser.set_database(database_);
  parser.set_stemmer(layout::thread_stemmer(language));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  // parse() counts what each wildcard stands for before anything is matched; Xapian's own
  // limit holds where the index grew between the two.
  parser.set_max_expansion(kMaxWildcardWords, Xapian::Query::WILDCARD_LIMIT_ERROR,
                           Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
  parser.add_prefix("title", prefix::kTitle);
  parser.add_prefix("author", prefix::kAuthor);
  parser.add_prefix("org", prefix::kOrganisationText);
  parser.add_boolean_prefix("country", (new CountryProcessor(&field_error))->release());
  parser.add_boolean_prefix("theme", prefix::kTheme);
  parser.add_boolean_prefix("exploitation", prefix::kExploitation);
  parser.add_boolean_prefix("type", prefix::kType);
  parser.add_boolean_prefix("lang", prefix::kLanguage);
  parser.add_boolean_prefix("year", prefix::kYear);
  parser.add_rangeprocessor((new Xapian::NumberRangeProcessor(layout::slot::kYear, "year:"))->release());
  parser.add_rangeprocessor((new DateRangeProcessor(&field_error))->release());
  Xapian::Query query = parser.parse_query(text, flags);
  if (!field_error.empty()) throw Xapian::QueryParserError(field_error);
  return query;
}

std::vector<ParsedQuery::LanguageGroup> QueryBuilder::parse_all_languages(const std::string& text,
                                                                          unsigned flags) const {
  // Each language's documents are searched with that language's stemmer. Languages whose
  // stemmers make the same query of this text share it (one set of posting lists instead
  // of one per language).
  std::vector<ParsedQuery::LanguageGroup> groups;
  std::vector<std::string> keys;  // each group's query serialised
  for (const auto& language : languages_) {
    Xapian::Query query = parse_for_language(text, language, flags);
    std::string key = languages_.size() == 1 ? std::string() : query.serialise();
    auto same = std::find(keys.begin(), keys.end(), key);
    if (same == keys.end()) {
      keys.push_back(std::move(key));
      groups.push_back({std::move(query), {}});
      same = keys.end() - 1;
    }
    groups[static_cast<std::size_t>(same - keys.begin())].languages.push_back(language);
  }
  return groups;
}

// Each occurrence of a wildcard is expanded, and opens its posting lists, on its own; a
// pattern's words are counted once. Stops counting once past a limit, so that the check
// itself reads at most kMaxQueryWildcardWords + kMaxWildcardWords terms of the index.
Status QueryBuilder::check_wildcards(const Xapian::Query& query) const {
  std::vector<Xapian::Query> wildcards;
  collect_wildcards(query, wildcards);
  std::map<std::string, Xapian::termcount> words;  // pattern → words of the index it stands for
  Xapian::termcount total = 0;
  for (const auto& wildcard : wildcards) {
    std::string pattern = wildcard_pattern(wildcard);
    if (pattern.empty()) continue;
    auto [it, added] = words.try_emplace(pattern, 0);
    if (added) it->second = words_starting(database_, pattern, kMaxWildcardWords);
    if (it->second > kMaxWildcardWords) return Error{ErrorCode::kInvalidArgument, too_many_words(pattern)};
    total += it->second;
    if (total > kMaxQueryWildcardWords) {
      return Error{ErrorCode::kInvalidArgument,
                   "the query's wildcards stand for more than " + std::to_string(kMaxQueryWildcardWords) +
                       " words of the library together (the most one query may search): use fewer wildcards, "
                       "or type more letters before each *"};
    }
  }
  return {};
}

std::string wildcard_error_message(const Xapian::WildcardError& error) {
  // Xapian 1.4: "Wildcard XTtraffick* expands to more than 1000 terms".
  const std::string& message = error.get_msg();
  constexpr std::string_view kStart = "Wildcard ";
  std::size_t end = message.find("* expands to more than ");
  if (!message.starts_with(kStart) || end == std::string::npos || end <= kStart.size()) {
    return "a wildcard of the query stands for more than " + std::to_string(kMaxWildcardWords) +
           " words of the library (the most one wildcard may search): type more letters before the *";
  }
  return too_many_words(message.substr(kStart.size(), end - kStart.size()));
}

namespace {

// The groups' queries, each kept to the records of its languages (of `only`, when given);
// a group that is alone needs no language filter: every record has one of its languages.
Xapian::Query join_groups(const std::vector<const ParsedQuery::LanguageGroup*>& groups,
                          const std::vector<std::string>* only) {
  if (groups.size() == 1) return groups.front()->query;
  std::vector<Xapian::Query> per_group;
  for (const auto* group : groups) {
    std::vector<Xapian::Query> languages;
    for (const auto& language : group->languages) {
      if (!only || std::find(only->begin(), only->end(), language) != only->end()) {
        languages.emplace_back(layout::language_term(language));
      }
    }
    per_group.emplace_back(Xapian::Query::OP_FILTER, group->query,
                           Xapian::Query(Xapian::Query::OP_OR, languages.begin(), languages.end()));
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_group.begin(), per_group.end());
}

}  // namespace

Xapian::Query ParsedQuery::for_languages(const std::vector<std::string>& languages) const {
  std::vector<const LanguageGroup*> wanted;
  for (const auto& language : languages) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const LanguageGroup& g) {
      return std::find(g.languages.begin(), g.languages.end(), language) != g.languages.end();
    });
    if (group == groups.end()) return query;
    if (std::find(wanted.begin(), wanted.end(), &*group) == wanted.end()) wanted.push_back(&*group);
  }
  if (wanted.empty()) return query;
  // In the groups' own order, so that the same languages always make the same query.
  std::sort(wanted.begin(), wanted.end());
  return join_groups(wanted, &languages);
}

Xapian::Query ParsedQuery::any_word(const std::vector<std::string>& languages) const {
  Xapian::Query words = for_languages(languages);
  std::vector<Xapian::Query> word_terms;
  for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it) {
    if (layout::is_word_term(*it)) word_terms.emplace_back(*it);
  }
  return Xapian::Query(Xapian::Query::OP_OR, word_terms.begin(), word_terms.end());
}

Result<ParsedQuery> QueryBuilder::parse(std::string_view raw) const {
  if (raw.size() > kMaxExpandedQueryLength) {
    return Error{ErrorCode::kInvalidArgument, "the query is too long to search (" +
                                                  std::to_string(raw.size()) + " bytes; at most " +
                                                  std::to_string(kMaxExpandedQueryLength) + ")"};
  }
  std::string text = neutralise_curly_quotes(normalize_line(raw));
  if (text.empty()) return Error{ErrorCode::kInvalidArgument, "the query is empty"};
  ParsedQuery parsed;
  try {
    try {
      if (std::string misplaced = operator_before_proximity(text); !misplaced.empty()) {
        throw Xapian::QueryParserError("Syntax: " + misplaced);
      }
      if (std::string misplaced = operator_at_an_end(text); !misplaced.empty()) {
        throw Xapian::QueryParserError("Syntax: " + misplaced);
      }
      parsed.groups = parse_all_languages(text, kParserFlags);
    } catch (const Xapian::QueryParserError& e) {
      if (e.get_msg().rfind("Syntax:", 0) != 0) throw;  // our own field errors stay errors
      parsed.groups = parse_all_languages(text, kPlainFlags);
      parsed.notice = "the query's operators do not fit together (" + e.get_msg() +
                      "); its words were searched as plain words";
    }
  } catch (const Xapian::QueryParserError& e) {
    return Error{ErrorCode::kInvalidArgument, "cannot parse the query: " + e.get_msg()};
  }
  std::vector<const ParsedQuery::LanguageGroup*> all;
  for (const auto& group : parsed.groups) {
    // Every group holds the same wildcards (they are not stemmed); each is checked all the same.
    if (auto checked = check_wildcards(group.query); !checked) return checked.error();
    all.push_back(&group);
  }
  parsed.query = join_groups(all, nullptr);
  if (parsed.query.empty()) {
    return Error{ErrorCode::kInvalidArgument, "the query has no searchable words"};
  }
  for (auto it = parsed.query.get_unique_terms_begin(); it != parsed.query.get_unique_terms_end(); ++it) {
    parsed.terms.push_back(*it);
  }
  parsed.wildcards = plain_wildcards(text);
  return parsed;
}

std::string QueryBuilder::correct_spelling(std::string_view text) const {
  return correct_spelling(text, [this](const std::string& word) { return database_.term_exists(word); });
}

std::string QueryBuilder::correct_spelling(std::string_view text,
                                           const std::function<bool(const std::string&)>& readable) const {
  // Only plain words are corrected, and only when the index does not have them: Xapian's
  // suggestions alone would also replace rare words that are spelt right.
  std::string corrected;
  bool changed = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string word(text.substr(start, end - start));
    std::string folded = lower_ascii(word);
    bool plain = !word.empty() && word.find_first_of(":\"()*+-=") == std::string::npos &&
                 folded != "and" && folded != "or" && folded != "not";
    if (plain && !readable(folded)) {
      std::string suggestion = database_.get_spelling_suggestion(folded);
      if (!suggestion.empty() && readable(suggestion)) {
        word = suggestion;
        changed = true;
      }
    }
    corrected += (corrected.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return changed ? corrected : std::string();
}

}  // namespace evidence::core
