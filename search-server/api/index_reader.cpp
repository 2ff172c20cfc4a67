#include "index_reader.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "facets.hpp"
#include "index_layout.hpp"
#include "passage.hpp"
#include "query.hpp"
#include "records.hpp"

namespace evidence::server {

namespace layout = core::layout;
using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxFacetValues = 50;  // values listed per facet
constexpr Xapian::termcount kSimilarTerms = 40;  // distinctive words that describe a document
constexpr Xapian::doccount kFewResults = 3;      // below this many, suggest a spelling
constexpr std::size_t kMaxRememberedIds = 100'000;  // document ids kept per thread (~10 MB)
// MSet::fetch() (asking a remote shard for all the documents at once) is only called on an
// MSet that starts at the first match: Xapian 1.4's fetch_items() mixes positions and
// ranks, and on a later slice reads before its items (it crashed on page 2 sorted by title).

std::optional<Xapian::docid> find_unique(const Xapian::Database& db, const std::string& term) {
  auto it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return std::nullopt;
  return *it;
}

// The document record of an id taken from a request, or kNotFound.
core::Result<Xapian::docid> find_document(const Xapian::Database& db, const std::string& id) {
  auto docid = layout::is_valid_document_id(id) ? find_unique(db, layout::document_id_term(id)) : std::nullopt;
  if (!docid) return Error{ErrorCode::kNotFound, "no document with id '" + id + "'"};
  return *docid;
}

// One matching page as the API shows it: number, label, passage, how often the words occur.
json page_hit(core::PassageMaker& passages, const core::PageInfo& page, const std::string& language) {
  core::Passage passage = passages.make(page.text, language, page.headings);
  return {{"page", page.number}, {"label", page.label}, {"snippet", std::move(passage.html)}, {"matches", passage.matches}};
}

}  // namespace

IndexReader::IndexReader(std::filesystem::path index, std::chrono::milliseconds refresh_interval,
                         SharedRevision* shared, Ranking ranking, SearchBudget budget)
    : IndexReader(single_index(std::move(index), {}), refresh_interval, shared, ranking, budget) {}

IndexReader::IndexReader(ShardSet shards, std::chrono::milliseconds refresh_interval, SharedRevision* shared,
                         Ranking ranking, SearchBudget budget)
    : shards_(std::move(shards), refresh_interval, shared), ranking_(ranking), budget_(budget) {}

template <class F>
std::invoke_result_t<F, Xapian::Database&> IndexReader::with_database(F&& action) {
  // A revision written while we read may invalidate what we read: reopen and retry. A shard
  // that stops answering is set aside and the request runs again on the others.
  int modified = 0;
  int network_failures = 0;
  int unreadable = 0;
  while (true) {
    auto database = shards_.get();
    if (!database) return database.error();
    database_ = *database;
    try {
      return action(**database);
    } catch (const Xapian::WildcardError& e) {
      // The query parser counts what wildcards stand for; Xapian's own limit is met only where
      // the index grew after the query was parsed.
      return Error{ErrorCode::kInvalidArgument, core::wildcard_error_message(e)};
    } catch (const Xapian::DatabaseModifiedError&) {
      if (++modified == 2) return Error{ErrorCode::kIndexUnavailable, "the index kept changing while it was read; try again"};
      shards_.refresh_next();
    } catch (const Xapian::NetworkError& e) {
      // Each recovery sets aside at least the shard that failed, or reconnects it once.
      if (++network_failures > 8) return Error{ErrorCode::kIndexUnavailable, "the shards keep failing: " + e.get_description()};
      shards_.recover(e);
    } catch (const Xapian::DatabaseError& e) {
      shards_.reset();
      if (++unreadable == 2) return Error{ErrorCode::kIndexUnavailable, "the index cannot be read: " + e.get_description()};
    }
  }
}

json IndexReader::add_coverage(json body) const {
  if (shards_.networked()) body["shards"] = shards_.coverage();
  return body;
}

void IndexReader::name_shard(json& entry, Xapian::docid docid) const {
  if (shards_.networked()) entry["shard"] = shards_.shard_of(docid).name;
}

IndexReader::Remembered& IndexReader::remembered() {
  if (remembered_.generation != shards_.generation()) {
    remembered_ = Remembered{};
    remembered_.generation = shards_.generation();
  }
  return remembered_;
}

// The query parser, without walking the index's language terms for every query.
core::QueryBuilder IndexReader::query_builder() {
  auto& languages = remembered().languages;
  if (!languages) languages = core::QueryBuilder::index_languages(*database_);
  return core::QueryBuilder(*database_, *languages);
}

// The id and language of a document record of an MSet, read once (values are read block
// by block).
const IndexReader::Candidate& IndexReader::candidate(const Xapian::MSetIterator& it) {
  auto& candidates = remembered().candidates;
  auto found = candidates.find(*it);
  if (found == candidates.end()) {
    if (candidates.size() >= kMaxRememberedIds) candidates.clear();
    Xapian::Document document = it.get_document();
    found = candidates
                .emplace(*it, Candidate{document.get_value(layout::slot::kParent),
                                        document.get_value(layout::slot::kLanguage)})
                .first;
  }
  return found->second;
}

// The page records of these documents (PageDirectory: in memory on one local index).
Xapian::Query IndexReader::pages_of(const std::vector<std::string>& ids) {
  bool one_local_index = !shards_.networked() && database_->size() == 1;
  return remembered().pages.pages_of(*database_, ids, one_local_index);
}

core::Result<Xapian::Query> IndexReader::document_query(const std::string& text,
                                                        const core::SearchFilters& filters,
                                                        core::ParsedQuery& parsed) {
  auto filter = core::filter_query(filters);
  if (!filter) return filter.error();
  Xapian::Query query = layout::match_all();
  if (!text.empty() || filters.empty()) {
    auto result = query_builder().parse(text);
    if (!result) return result.error();
    parsed = std::move(result).value();
    query = parsed.query;
  }
  Xapian::Query scope(Xapian::Query::OP_AND, Xapian::Query(layout::kDocumentKindTerm), *filter);
  return Xapian::Query(Xapian::Query::OP_FILTER, query, scope);
}

core::Result<json> IndexReader::search(const SearchRequest& request) {
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    core::ParsedQuery parsed;
    auto query = document_query(request.query, request.filters, parsed);
    if (!query) return query.error();
    Xapian::Enquire enquire(db);
    enquire.set_query(*query);
    enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.k1, 0, 1, ranking_.b, 0.5));
    switch (request.sort) {
      case SortOrder::kRelevance: break;
      case SortOrder::kNewest: enquire.set_sort_by_value_then_relevance(layout::slot::kDate, true); break;
      case SortOrder::kOldest: enquire.set_sort_by_value_then_relevance(layout::slot::kDate, false); break;
      case SortOrder::kTitle: enquire.set_sort_by_value_then_relevance(layout::slot::kTitleSort, false); break;
    }
    core::FacetCounter facets;
    if (request.facets) facets.attach(enquire, db);
    // Facet counts and the total are exact: the match looks at every matching document,
    // unless it takes longer than the budget (then the answer says so, below).
    enquire.set_time_limit(std::chrono::duration<double>(budget_.match_time).count());
    // Relevance: documents are ranked by their own score and by their best page's, so that
    // a document whose words stand together on one page is not buried under long reports
    // that hold the same words scattered over hundreds of pages.
    bool blend = request.sort == SortOrder::kRelevance && !parsed.terms.empty();
    auto wanted = static_cast<Xapian::doccount>(request.offset + request.limit);
    Xapian::doccount first = blend ? 0 : static_cast<Xapian::doccount>(request.offset);
    Xapian::doccount count =
        blend ? std::max(wanted, ranking_.blend_depth) : static_cast<Xapian::doccount>(request.limit);
    Xapian::MSet mset = enquire.get_mset(first, count, db.get_doccount());
    // Remote shards: the documents, asked for together (one round of requests). A local
    // index is read as records are shown: fetch() would read all 50 candidates' records
    // for the 10 shown.
    if (first == 0 && shards_.networked()) mset.fetch();
    std::vector<Xapian::MSetIterator> order;
    for (auto it = mset.begin(); it != mset.end(); ++it) order.push_back(it);
    std::map<Xapian::docid, double> blended;
    std::optional<Xapian::MSet> pages_matched;  // the whole query over the candidates' pages
    if (blend) {
      std::vector<std::string> candidates;
      std::vector<std::string> languages;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Candidate& found = candidate(it);
        candidates.push_back(found.id);
        if (std::find(languages.begin(), languages.end(), found.language) == languages.end())
          languages.push_back(found.language);
      }
      // Their pages, matched with the queries of their own languages only.
      pages_matched =
          match_pages(parsed.for_languages(languages), candidates, std::max(1, request.pages_per_document));
      blended = blend_with_pages(mset, candidates, *pages_matched);
      std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
        return blended[*a] > blended[*b];
      });
      auto from = std::min<std::size_t>(order.size(), static_cast<std::size_t>(request.offset));
      auto to = std::min<std::size_t>(order.size(), from + static_cast<std::size_t>(request.limit));
      order = std::vector<Xapian::MSetIterator>(order.begin() + static_cast<std::ptrdiff_t>(from),
                                                order.begin() + static_cast<std::ptrdiff_t>(to));
    }

    json documents = json::array();
    std::vector<std::string> ids;
    std::vector<std::string> languages;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto& it = order[i];
      auto info = core::decode_document_info(it.get_document().get_data());
      if (!info) return info.error();
      json entry = core::document_info_to_json(*info);
      entry["rank"] = request.offset + static_cast<int>(i) + 1;
      entry["score"] = blend ? blended[*it] : it.get_weight();
      name_shard(entry, *it);
      entry["pages"] = json::array();
      ids.push_back(info->id);
      languages.push_back(info->language);
      documents.push_back(std::move(entry));
    }
    if (!parsed.terms.empty()) {
      json pages = best_pages(parsed, ids, languages, request.pages_per_document, std::move(pages_matched));
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (pages.contains(ids[i])) documents[i]["pages"] = std::move(pages[ids[i]]);
      }
    }
    json body = {{"query", request.query},
                 {"total", mset.get_matches_estimated()},
                 {"total_exact", mset.get_matches_lower_bound() == mset.get_matches_upper_bound()},
                 {"offset", request.offset},
                 {"limit", request.limit},
                 {"documents", std::move(documents)}};
    if (request.facets) body["facets"] = facets.to_json(kMaxFacetValues);
    // Asked to look at every document, the match saw fewer than matched only when the time
    // budget stopped it counting.
    auto seen = facets.documents_seen();
    if (!body["total_exact"].get<bool>() || (seen && *seen < mset.get_matches_lower_bound())) {
      body["time_limit_reached"] = true;
    }
    if (!parsed.notice.empty()) body["notice"] = parsed.notice;
    // "Did you mean": offered when the query finds little and the corpus knows better words.
    if (mset.get_matches_estimated() < kFewResults && !parsed.terms.empty()) {
      // Correct what the user typed, not the thesaurus's widening of it.
      const std::string& typed = request.typed_query.empty() ? request.query : request.typed_query;
      std::string corrected = query_builder().correct_spelling(typed);
      if (!corrected.empty()) body["did_you_mean"] = corrected;
    }
    return add_coverage(std::move(body));
  });
}

core::Result<json> IndexReader::hits(const std::string& id, const std::string& text) {
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    auto docid = find_document(db, id);
    if (!docid) return docid.error();
    auto info = core::decode_document_info(db.get_document(*docid).get_data());
    if (!info) return info.error();
    auto parsed = query_builder().parse(text);
    if (!parsed) return parsed.error();
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                    parsed->for_languages({layout::primary_language(info->language)}),
                                    pages_of({id})));
    enquire.set_sort_by_value(layout::slot::kPageNumber, false);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(info->page_count));
    mset.fetch();
    core::PassageMaker passages(parsed->terms, parsed->wildcards);
    json pages = json::array();
    Xapian::termcount total_matches = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto page = core::decode_page_info(it.get_document().get_data());
      if (!page) continue;
      pages.push_back(page_hit(passages, *page, info->language));
      total_matches += pages.back()["matches"].get<Xapian::termcount>();
    }
    return add_coverage({{"id", id}, {"query", text}, {"page_count", info->page_count},
                         {"matching_pages", pages.size()}, {"matches", total_matches}, {"pages", std::move(pages)}});
  });
}

core::Result<json> IndexReader::similar(const std::string& id, int limit) {
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    auto docid = find_document(db, id);
    if (!docid) return docid.error();
    // The document's most distinctive words (Xapian's relevance feedback), searched for.
    Xapian::Enquire enquire(db);
    Xapian::RSet relevant;
    relevant.add_document(*docid);
    enquire.set_query(Xapian::Query(layout::kDocumentKindTerm));
    struct WordsOnly : Xapian::ExpandDecider {
      bool operator()(const std::string& term) const override {
        // Unprefixed words (lower case) and their stems (Z + lower case); no ids or filters.
        auto c = static_cast<unsigned char>(term[0]);
        return std::islower(c) || (term.size() > 1 && c == 'Z' && std::islower(static_cast<unsigned char>(term[1])));
      }
    } words_only;
    // Exact term frequencies: over several shards Xapian otherwise takes them from the
    // document's own shard, and the words that describe it would depend on where it is.
    Xapian::ESet eset = enquire.get_eset(kSimilarTerms, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &words_only);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
    json documents = json::array();
    if (!terms.empty()) {
      Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
      Xapian::Query others(Xapian::Query::OP_AND_NOT, Xapian::Query(layout::kDocumentKindTerm),
                           Xapian::Query(layout::document_id_term(id)));
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, like, others));
      Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
      mset.fetch();
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        auto info = core::decode_document_info(it.get_document().get_data());
        if (!info) return info.error();
        json entry = core::document_info_to_json(*info);
        entry["rank"] = it.get_rank() + 1;
        entry["score"] = it.get_weight();
        name_shard(entry, *it);
        documents.push_back(std::move(entry));
      }
    }
    json words = json::array();
    for (auto it = eset.begin(); it != eset.end(); ++it) words.push_back(*it);
    return add_coverage({{"id", id}, {"terms", std::move(words)}, {"documents", std::move(documents)}});
  });
}

core::Result<json> IndexReader::trends(const std::string& text, const core::SearchFilters& filters) {
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    core::ParsedQuery parsed;
    auto query = document_query(text, filters, parsed);
    if (!query) return query.error();
    Xapian::Enquire enquire(db);
    enquire.set_query(*query);
    core::FacetCounter facets;
    facets.attach(enquire, db);
    Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
    json by_year = json::array();
    for (const auto& [year, count] : facets.counts("year")) {
      by_year.push_back({{"year", std::stoi(year)}, {"documents", count}});
    }
    json by_country = json::array();
    for (const auto& [country, count] : facets.counts("country")) {
      by_country.push_back({{"country", country}, {"label", core::facet_label("country", country)}, {"documents", count}});
    }
    return add_coverage({{"query", text}, {"total", mset.get_matches_estimated()},
                         {"by_year", std::move(by_year)}, {"by_country", std::move(by_country)}});
  });
}

// The best `per_document` pages of each of the parents for a query, best first.
Xapian::MSet IndexReader::match_pages(const Xapian::Query& query, const std::vector<std::string>& parents,
                                      int per_document) {
  Xapian::Query filter = pages_of(parents);
  Xapian::Enquire enquire(*database_);
  enquire.set_weighting_scheme(Xapian::BM25Weight(ranking_.page_k1, 0, 1, ranking_.page_b, 0.5));
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, filter));
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

json IndexReader::best_pages(const core::ParsedQuery& parsed, const std::vector<std::string>& ids,
                             const std::vector<std::string>& languages, int per_document,
                             std::optional<Xapian::MSet> whole_query) {
  json by_document = json::object();
  if (ids.empty() || per_document <= 0) return by_document;
  std::map<std::string, std::string> language_of;
  for (std::size_t i = 0; i < ids.size(); ++i) language_of[ids[i]] = languages[i];

  // Pages that match the whole query first (already matched when the ranking blended them
  // in); for documents where the words are spread over several pages, the pages with any.
  std::vector<std::string> missing = ids;
  core::PassageMaker passages(parsed.terms, parsed.wildcards);
  for (int pass = 0; pass < 2 && !missing.empty(); ++pass) {
    std::vector<std::string> primaries;  // the missing documents' languages
    for (const auto& id : missing) primaries.push_back(layout::primary_language(language_of[id]));
    Xapian::MSet mset;
    if (pass == 0 && whole_query) {
      mset = std::move(*whole_query);
    } else if (pass == 0) {
      mset = match_pages(parsed.for_languages(primaries), missing, per_document);
    } else {
      // Pages with any of the words (not merely with the language term of a language filter).
      Xapian::Query any_word = parsed.any_word(primaries);
      if (any_word.empty()) break;
      mset = match_pages(any_word, missing, per_document);
    }
    // The pages to show, asked for together: one round of requests to remote shards.
    std::vector<Xapian::MSetIterator> shown;
    std::map<std::string, int> taken;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string parent = it.get_collapse_key();
      if (!language_of.count(parent)) continue;  // a candidate that is not on this result page
      if (int already = by_document.contains(parent) ? static_cast<int>(by_document[parent].size()) : 0;
          already + taken[parent]++ >= per_document) {
        continue;
      }
      shown.push_back(it);
      mset.fetch(it);
    }
    for (const auto& it : shown) {
      auto page = core::decode_page_info(it.get_document().get_data());
      if (!page) continue;
      by_document[it.get_collapse_key()].push_back(page_hit(passages, *page, language_of[it.get_collapse_key()]));
    }
    std::vector<std::string> still_missing;
    for (const auto& id : missing) {
      if (!by_document.contains(id)) still_missing.push_back(id);
    }
    missing = std::move(still_missing);
  }
  return by_document;
}

core::Result<json> IndexReader::list(int offset, int limit) {
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(layout::kDocumentKindTerm));
    enquire.set_sort_by_value(layout::slot::kTitleSort, false);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(offset),
                                         static_cast<Xapian::doccount>(limit));
    if (offset == 0) mset.fetch();
    json documents = json::array();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto info = core::decode_document_info(it.get_document().get_data());
      if (!info) return info.error();
      json entry = core::document_info_to_json(*info);
      name_shard(entry, *it);
      documents.push_back(std::move(entry));
    }
    return add_coverage({{"total", db.get_termfreq(layout::kDocumentKindTerm)},
                         {"offset", offset},
                         {"limit", limit},
                         {"documents", std::move(documents)}});
  });
}

core::Result<json> IndexReader::document(const std::string& id) {
  auto located = locate(id);
  if (!located) return located.error();
  json body = core::document_info_to_json(located->info);
  if (shards_.networked()) body["shard"] = located->shard->name;
  return body;
}

core::Result<json> IndexReader::page(const std::string& id, int number) {
  auto page = page_info(id, number);
  if (!page) return page.error();
  return json{{"id", id}, {"page", page->number}, {"label", page->label}, {"text", page->text}, {"ocr", page->ocr}};
}

core::Result<core::DocumentInfo> IndexReader::document_info(const std::string& id) {
  auto located = locate(id);
  if (!located) return located.error();
  return std::move(located->info);
}

core::Result<LocatedDocument> IndexReader::locate(const std::string& id) {
  return with_database([&](Xapian::Database& db) -> core::Result<LocatedDocument> {
    auto docid = find_document(db, id);
    if (!docid) return docid.error();
    auto info = core::decode_document_info(db.get_document(*docid).get_data());
    if (!info) return info.error();
    return LocatedDocument{std::move(info).value(), &shards_.shard_of(*docid)};
  });
}

core::Result<core::PageInfo> IndexReader::page_info(const std::string& id, int number) {
  return with_database([&](Xapian::Database& db) -> core::Result<core::PageInfo> {
    if (auto document = find_document(db, id); !document) return document.error();
    auto docid = find_unique(db, layout::page_id_term(id, number));
    if (!docid) return Error{ErrorCode::kNotFound, "document '" + id + "' has no page " + std::to_string(number)};
    return core::decode_page_info(db.get_document(*docid).get_data());
  });
}

core::Result<json> IndexReader::health() {
  if (shards_.networked()) {
    (void)shards_.get();  // opens, or tries again, what is due
    json shards = shards_.shard_health();
    std::size_t up = 0;
    Xapian::doccount documents = 0;
    Xapian::doccount pages = 0;
    for (const auto& shard : shards) {
      if (shard["status"] != "ok") continue;
      ++up;
      documents += shard["documents"].get<Xapian::doccount>();
      pages += shard["pages"].get<Xapian::doccount>();
    }
    return json{{"status", up == shards.size() ? "ok" : up > 0 ? "degraded" : "unavailable"},
                {"documents", documents}, {"pages", pages}, {"shards", std::move(shards)}};
  }
  return with_database([&](Xapian::Database& db) -> core::Result<json> {
    return json{{"status", "ok"},
                {"documents", db.get_termfreq(layout::kDocumentKindTerm)},
                {"pages", db.get_termfreq(layout::kPageKindTerm)},
                {"revision", db.get_revision()}};
  });
}

}  // namespace evidence::server
