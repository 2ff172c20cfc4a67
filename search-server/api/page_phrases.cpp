#include "page_phrases.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "index_layout.hpp"

namespace evidence::server {

namespace layout = core::layout;

namespace {

using Op = Xapian::Query::op;

bool positional(Op op) { return op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR; }

// The operators a parsed query holds above a phrase; each is rebuilt from its subqueries
// alone. Those with a parameter (OP_SCALE_WEIGHT's factor, OP_ELITE_SET's size, a value
// range's bounds) cannot be, and Xapian's QueryParser builds none of them around a phrase.
bool rebuildable(Op op) {
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return true;
    default:
      return false;
  }
}

std::vector<Xapian::Query> subqueries(const Xapian::Query& query) {
  std::vector<Xapian::Query> out;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) out.push_back(query.get_subquery(i));
  return out;
}

// A phrase's window. Xapian 1.4's Query has no accessor for it, but its description states
// it, "Query((a@1 PHRASE 3 b@2))", and that format is fixed within 1.4.
Xapian::termpos window_of(const Xapian::Query& phrase) {
  std::string description = phrase.get_description();
  const char* keyword = phrase.get_type() == Xapian::Query::OP_NEAR ? " NEAR " : " PHRASE ";
  std::size_t at = description.find(keyword);
  Xapian::termpos window = 0;
  if (at != std::string::npos) {
    for (std::size_t i = at + std::char_traits<char>::length(keyword);
         i < description.size() && description[i] >= '0' && description[i] <= '9'; ++i) {
      window = window * 10 + static_cast<Xapian::termpos>(description[i] - '0');
    }
  }
  // Without a window Xapian takes the number of words: next to each other.
  return std::max<Xapian::termpos>(window, static_cast<Xapian::termpos>(phrase.get_num_subqueries()));
}

// A subquery's positions in a document record: its terms' (a term, or the terms of an OR).
std::vector<Xapian::termpos> positions_of(const Xapian::Database& db, Xapian::docid docid,
                                          const Xapian::Query& subquery) {
  std::vector<Xapian::termpos> positions;
  std::size_t terms = 0;
  for (auto term = subquery.get_unique_terms_begin(); term != subquery.get_unique_terms_end();
       ++term, ++terms) {
    for (auto p = db.positionlist_begin(docid, *term); p != db.positionlist_end(docid, *term); ++p) {
      positions.push_back(*p);
    }
  }
  if (terms > 1) {  // one term's positions come sorted
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  }
  return positions;
}

// In order: from each position of the first word, the next position of each word after
// it, all on the same page.
void ordered_pages(const std::vector<std::vector<Xapian::termpos>>& positions, Xapian::termpos window,
                   std::set<int>& pages) {
  const auto& firsts = positions.front();
  for (auto first = firsts.begin(); first != firsts.end();) {
    int page = layout::page_of_position(*first);
    Xapian::termpos last = *first;
    bool found = true;
    for (std::size_t i = 1; i < positions.size() && found; ++i) {
      auto next = std::upper_bound(positions[i].begin(), positions[i].end(), last);
      found = next != positions[i].end() && layout::page_of_position(*next) == page;
      if (found) last = *next;
    }
    if (found && last - *first < window) {
      pages.insert(page);  // found on this page: on to the next page's first word
      first = std::lower_bound(first, firsts.end(),
                               static_cast<Xapian::termpos>(page + 1) * layout::kPagePositions);
    } else {
      ++first;
    }
  }
}

// In any order: a window over the words' positions on one page that holds every word, a
// word asked for twice at two places of its own.
void unordered_pages(const std::vector<std::vector<Xapian::termpos>>& positions, Xapian::termpos window,
                     std::set<int>& pages) {
  std::map<std::vector<Xapian::termpos>, std::size_t> needed;  // a word's positions → times asked for
  for (const auto& p : positions) ++needed[p];
  std::vector<std::size_t> need;
  std::vector<std::pair<Xapian::termpos, std::size_t>> events;  // position, which word
  for (const auto& [places, times] : needed) {
    for (Xapian::termpos p : places) events.emplace_back(p, need.size());
    need.push_back(times);
  }
  std::sort(events.begin(), events.end());
  std::vector<std::size_t> inside(need.size(), 0);
  std::size_t satisfied = 0;  // words with as many places in the window as they need
  std::size_t start = 0;
  for (std::size_t end = 0; end < events.size(); ++end) {
    auto [position, word] = events[end];
    while (events[start].first + window <= position ||
           layout::page_of_position(events[start].first) != layout::page_of_position(position)) {
      std::size_t leaving = events[start].second;
      if (inside[leaving]-- == need[leaving]) --satisfied;
      ++start;
    }
    if (++inside[word] == need[word]) ++satisfied;
    if (satisfied == need.size()) pages.insert(layout::page_of_position(position));
  }
}

// The page terms of the documents' pages where the phrase stands.
Xapian::Query pages_holding(const Xapian::Database& db, const Xapian::Query& phrase,
                            const std::vector<SearchedDocument>& documents) {
  Xapian::termpos window = window_of(phrase);
  bool ordered = phrase.get_type() == Xapian::Query::OP_PHRASE;
  std::vector<Xapian::Query> pages;
  for (const auto& [docid, id] : documents) {
    std::vector<std::vector<Xapian::termpos>> positions;
    for (const auto& subquery : subqueries(phrase)) positions.push_back(positions_of(db, docid, subquery));
    for (int page : phrase_pages(positions, window, ordered))
      pages.emplace_back(layout::page_id_term(id, page));
  }
  return Xapian::Query(Xapian::Query::OP_OR, pages.begin(), pages.end());
}

}  // namespace

bool holds_phrase(const Xapian::Query& query) {
  if (positional(query.get_type())) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (holds_phrase(query.get_subquery(i))) return true;
  }
  return false;
}

std::vector<int> phrase_pages(const std::vector<std::vector<Xapian::termpos>>& positions,
                              Xapian::termpos window, bool ordered) {
  std::set<int> pages;
  bool each_word_somewhere = !positions.empty() && std::none_of(positions.begin(), positions.end(),
                                                                [](const auto& p) { return p.empty(); });
  if (each_word_somewhere) {
    if (ordered) {
      ordered_pages(positions, window, pages);
    } else {
      unordered_pages(positions, window, pages);
    }
  }
  pages.erase(0);  // the metadata fields are on no page
  return {pages.begin(), pages.end()};
}

Xapian::Query phrases_on_pages(const Xapian::Database& db, const Xapian::Query& query,
                               const std::vector<SearchedDocument>& documents) {
  Op op = query.get_type();
  if (positional(op)) {
    std::vector<Xapian::Query> words = subqueries(query);
    return Xapian::Query(Xapian::Query::OP_FILTER,
                         Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                         pages_holding(db, query, documents));
  }
  if (!rebuildable(op) || !holds_phrase(query)) return query;
  std::vector<Xapian::Query> rebuilt;
  for (const auto& subquery : subqueries(query)) rebuilt.push_back(phrases_on_pages(db, subquery, documents));
  return Xapian::Query(op, rebuilt.begin(), rebuilt.end());
}

}  // namespace evidence::server
