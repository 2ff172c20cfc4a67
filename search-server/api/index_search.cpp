// IndexReader's searches: the ranked documents with their best pages, and one document's
// matching pages (index_reader.cpp holds the rest of the reader).
#include <algorithm>
#include <map>
#include <set>

#include "facets.hpp"
#include "index_layout.hpp"
#include "index_reader.hpp"
#include "index_reader_impl.hpp"
#include "page_phrases.hpp"
#include "passage.hpp"
#include "query.hpp"
#include "records.hpp"

namespace evidence::server {

namespace layout = core::layout;
using detail::page_hit;

namespace {

constexpr std::size_t kMaxFacetValues = 50;  // values listed per facet
constexpr Xapian::doccount kFewResults = 3;  // below this many, suggest a spelling

}  // namespace

core::Result<SearchResult> IndexReader::search(const SearchRequest& request) {
  return with_database([&](Xapian::Database& db) -> core::Result<SearchResult> {
    core::ParsedQuery parsed;
    auto query = document_query(db, request.query, request.filters, parsed);
    if (!query) return query.error();
    // Relevance: documents are ranked by their own score and by their best page's, so that
    // a document whose words stand together on one page is not buried under long reports
    // that hold the same words scattered over hundreds of pages.
    bool blend = request.sort == SortOrder::kRelevance && !parsed.terms.empty();
    core::FacetCounter facets;
    Xapian::MSet mset = match_documents(db, *query, request, blend, request.facets ? &facets : nullptr);
    ShownOrder shown = rank(db, mset, parsed, request, blend);
    auto documents = found_documents(shown, request, blend);
    if (!documents) return documents.error();
    if (!parsed.terms.empty()) {
      add_best_pages(db, *documents, parsed, request.pages_per_document, std::move(shown.pages_matched));
      // Found by their words, shown with passages: their text is in the answer. (Browsing by
      // filters alone matches metadata only.)
      for (const auto& document : *documents) note_text(document.ranked.document.info);
    }

    SearchResult result;
    result.query = request.query;
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.offset = request.offset;
    result.limit = request.limit;
    result.documents = std::move(documents).value();
    if (request.facets) result.facets = facets.top(kMaxFacetValues);
    // Asked to look at every document, the match saw fewer than matched only when the time
    // budget stopped it counting.
    auto seen = facets.documents_seen();
    result.time_limit_reached = !result.total_exact || (seen && *seen < mset.get_matches_lower_bound());
    result.notice = parsed.notice;
    // "Did you mean": offered when the query finds little and the corpus knows better words.
    if (mset.get_matches_estimated() < kFewResults && !parsed.terms.empty()) {
      // Correct what the user typed, not the thesaurus's widening of it.
      const std::string& typed = request.typed_query.empty() ? request.query : request.typed_query;
      result.did_you_mean = readable_suggestion(db, typed);
    }
    result.shards = coverage();
    return result;
  });
}

// "Did you mean": the typed query with its unknown words corrected, when every word it
// suggests and the corrected query itself find a record the caller finds (a document they
// may read, or a catalogue record, which holds only its brief summary's words). The spelling
// table holds the words of every document: one the caller may not read must not show
// through, neither as a suggestion nor by a known word's lack of one.
std::string IndexReader::readable_suggestion(Xapian::Database& db, const std::string& typed) {
  core::QueryBuilder builder = query_builder(db);
  std::string corrected =
      builder.correct_spelling(typed, [&](const std::string& word) { return readable_word(db, word); });
  if (corrected.empty()) return corrected;
  auto parsed = builder.parse(corrected);
  if (!parsed) return {};
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parsed->query, scope_.findable()));
  return enquire.get_mset(0, 1).empty() ? std::string() : corrected;
}

// The document match: its weighting and order, the facet spies, the time budget, and as
// many documents as the page shown needs (or the blend's candidates).
Xapian::MSet IndexReader::match_documents(Xapian::Database& db, const Xapian::Query& query,
                                          const SearchRequest& request, bool blend,
                                          core::FacetCounter* facets) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.k1, 0, 1, ranking_.b, 0.5));
  switch (request.sort) {
    case SortOrder::kRelevance:
      break;
    case SortOrder::kNewest:
      enquire.set_sort_by_value_then_relevance(layout::slot::kDate, true);
      break;
    case SortOrder::kOldest:
      enquire.set_sort_by_value_then_relevance(layout::slot::kDate, false);
      break;
    case SortOrder::kTitle:
      enquire.set_sort_by_value_then_relevance(layout::slot::kTitleSort, false);
      break;
  }
  if (facets != nullptr) facets->attach(enquire, db);
  // Facet counts and the total are exact: the match looks at every matching document,
  // unless it takes longer than the budget (then the answer says so).
  enquire.set_time_limit(std::chrono::duration<double>(budget_.match_time).count());
  auto wanted = static_cast<Xapian::doccount>(request.offset + request.limit);
  Xapian::doccount first = blend ? 0 : static_cast<Xapian::doccount>(request.offset);
  Xapian::doccount count =
      blend ? std::max(wanted, ranking_.blend_depth) : static_cast<Xapian::doccount>(request.limit);
  Xapian::MSet mset = enquire.get_mset(first, count, db.get_doccount());
  // Remote shards: the documents, asked for together (one round of requests). A local
  // index is read as records are shown: fetch() would read all 50 candidates' records
  // for the 10 shown.
  if (first == 0 && shards_.networked()) mset.fetch();
  return mset;
}

// The documents shown, in order: the match's own, or, blended, the candidates re-ranked
// with their best page and then sliced to the page of results asked for.
IndexReader::ShownOrder IndexReader::rank(Xapian::Database& db, const Xapian::MSet& documents,
                                          const core::ParsedQuery& parsed, const SearchRequest& request,
                                          bool blend) {
  ShownOrder shown;
  for (auto it = documents.begin(); it != documents.end(); ++it) shown.order.push_back(it);
  if (!blend) return shown;
  std::vector<std::string> candidates;
  std::vector<std::string> languages;
  for (auto it = documents.begin(); it != documents.end(); ++it) {
    const Candidate& found = candidate(it);
    candidates.push_back(found.id);
    if (std::find(languages.begin(), languages.end(), found.language) == languages.end())
      languages.push_back(found.language);
  }
  // Their pages, matched with the queries of their own languages only.
  shown.pages_matched =
      match_pages(db, parsed.for_languages(languages), candidates, std::max(1, request.pages_per_document));
  shown.blended = blend_with_pages(documents, candidates, *shown.pages_matched);
  std::stable_sort(shown.order.begin(), shown.order.end(),
                   [&](const auto& a, const auto& b) { return shown.blended[*a] > shown.blended[*b]; });
  auto from = std::min<std::size_t>(shown.order.size(), static_cast<std::size_t>(request.offset));
  auto to = std::min<std::size_t>(shown.order.size(), from + static_cast<std::size_t>(request.limit));
  shown.order = std::vector<Xapian::MSetIterator>(shown.order.begin() + static_cast<std::ptrdiff_t>(from),
                                                  shown.order.begin() + static_cast<std::ptrdiff_t>(to));
  return shown;
}

// The shown documents' records, ranks and scores (their pages come after).
core::Result<std::vector<FoundDocument>> IndexReader::found_documents(const ShownOrder& shown,
                                                                      const SearchRequest& request,
                                                                      bool blend) {
  std::vector<FoundDocument> documents;
  for (std::size_t i = 0; i < shown.order.size(); ++i) {
    const auto& it = shown.order[i];
    auto info = core::decode_document_info(it.get_document().get_data());
    if (!info) return info.error();
    double score = blend ? shown.blended.at(*it) : it.get_weight();
    documents.push_back({RankedDocument{listed(std::move(info).value(), *it),
                                        request.offset + static_cast<int>(i) + 1, score},
                         {}});
  }
  return documents;
}

core::Result<DocumentHits> IndexReader::hits(const std::string& id, const std::string& text) {
  return with_database([&](Xapian::Database& db) -> core::Result<DocumentHits> {
    auto docid = find_readable(db, id);
    if (!docid) return docid.error();
    auto info = core::decode_document_info(db.get_document(*docid).get_data());
    if (!info) return info.error();
    note_text(*info);
    auto parsed = query_builder(db).parse(text);
    if (!parsed) return parsed.error();
    Xapian::Query query = phrases_on_pages(
        db, parsed->for_languages({layout::primary_language(info->language)}), {{*docid, id}});
    Xapian::Enquire enquire(db);
    Xapian::Query pages(Xapian::Query::OP_AND, pages_of(db, {id}), scope_.filter());
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, pages));
    enquire.set_sort_by_value(layout::slot::kPageNumber, false);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(info->page_count));
    mset.fetch();
    core::PassageMaker passages(parsed->terms, parsed->wildcards);
    DocumentHits hits{id, text, info->page_count, 0, {}, coverage()};
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto page = core::decode_page_info(it.get_document().get_data());
      if (!page) continue;
      hits.pages.push_back(page_hit(passages, *page, info->language));
      hits.matches += hits.pages.back().matches;
    }
    return hits;
  });
}

Xapian::MSet IndexReader::match_pages(Xapian::Database& db, const Xapian::Query& query,
                                      const std::vector<std::string>& parents, int per_document) {
  Xapian::Query filter(Xapian::Query::OP_AND, pages_of(db, parents), scope_.filter());
  Xapian::Query on_pages = query;
  if (holds_phrase(query)) {  // the pages where its phrases stand, from their documents' positions
    std::vector<SearchedDocument> documents;
    for (const auto& id : parents) {
      if (auto docid = find_readable(db, id)) documents.emplace_back(*docid, id);
    }
    on_pages = phrases_on_pages(db, query, documents);
  }
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.page_k1, 0, 1, ranking_.page_b, 0.5));
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, on_pages, filter));
  enquire.set_collapse_key(layout::slot::kParent, static_cast<Xapian::doccount>(per_document));
  return enquire.get_mset(0, static_cast<Xapian::doccount>(parents.size() * static_cast<std::size_t>(per_document)));
}

// Each document's score scaled to the best document's, plus its best page's scaled to the
// best page's; `ids` are the documents' ids in the MSet's order.
std::map<Xapian::docid, double> IndexReader::blend_with_pages(const Xapian::MSet& documents,
                                                              const std::vector<std::string>& ids,
                                                              const Xapian::MSet& pages) {
  std::map<std::string, Xapian::docid> by_id;
  double top_document = 0;
  std::size_t i = 0;
  for (auto it = documents.begin(); it != documents.end(); ++it, ++i) {
    top_document = std::max(top_document, it.get_weight());
    by_id[ids[i]] = *it;
  }
  double top_page = pages.empty() ? 0 : pages.begin().get_weight();
  std::map<Xapian::docid, double> score;
  for (auto it = documents.begin(); it != documents.end(); ++it) {
    score[*it] = top_document > 0 ? it.get_weight() / top_document : 0;
  }
  std::set<Xapian::docid> counted;
  for (auto it = pages.begin(); it != pages.end(); ++it) {
    auto found = by_id.find(it.get_collapse_key());
    if (found == by_id.end() || top_page <= 0 || !counted.insert(found->second).second) continue;
    score[found->second] += it.get_weight() / top_page;  // its best page only
  }
  return score;
}

// Each document's best pages for the query, with passages: the pages that match the whole
// query first (already matched when the ranking blended them in); for documents where the
// words are spread over several pages, the pages with any of them.
void IndexReader::add_best_pages(Xapian::Database& db, std::vector<FoundDocument>& documents,
                                 const core::ParsedQuery& parsed, int per_document,
                                 std::optional<Xapian::MSet> whole_query) {
  if (documents.empty() || per_document <= 0) return;
  std::map<std::string, FoundDocument*> by_id;
  for (auto& document : documents) by_id[document.ranked.document.info.id] = &document;
  std::vector<std::string> missing;
  for (const auto& document : documents) missing.push_back(document.ranked.document.info.id);
  core::PassageMaker passages(parsed.terms, parsed.wildcards);
  for (int pass = 0; pass < 2 && !missing.empty(); ++pass) {
    std::vector<std::string> primaries;  // the missing documents' languages
    for (const auto& id : missing)
      primaries.push_back(layout::primary_language(by_id[id]->ranked.document.info.language));
    Xapian::MSet mset;
    if (pass == 0 && whole_query) {
      mset = std::move(*whole_query);
    } else if (pass == 0) {
      mset = match_pages(db, parsed.for_languages(primaries), missing, per_document);
    } else {
      // Pages with any of the words (not merely with the language term of a language filter).
      Xapian::Query any_word = parsed.any_word(primaries);
      if (any_word.empty()) break;
      mset = match_pages(db, any_word, missing, per_document);
    }
    // The pages to show, asked for together: one round of requests to remote shards.
    std::vector<Xapian::MSetIterator> shown;
    std::map<std::string, int> taken;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto found = by_id.find(it.get_collapse_key());
      if (found == by_id.end()) continue;  // a candidate that is not on this result page
      if (static_cast<int>(found->second->pages.size()) + taken[found->first]++ >= per_document) continue;
      shown.push_back(it);
      mset.fetch(it);
    }
    for (const auto& it : shown) {
      auto page = core::decode_page_info(it.get_document().get_data());
      if (!page) continue;
      FoundDocument& document = *by_id.at(it.get_collapse_key());
      document.pages.push_back(page_hit(passages, *page, document.ranked.document.info.language));
    }
    std::vector<std::string> still_missing;
    for (const auto& id : missing) {
      if (by_id[id]->pages.empty()) still_missing.push_back(id);
    }
    missing = std::move(still_missing);
  }
}

}  // namespace evidence::server
