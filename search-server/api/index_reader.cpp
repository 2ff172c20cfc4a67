#include "index_reader.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>

#include "facets.hpp"
#include "index_layout.hpp"
#include "index_reader_impl.hpp"
#include "passage.hpp"
#include "query.hpp"
#include "records.hpp"

namespace evidence::server {

namespace layout = core::layout;
using core::Error;
using core::ErrorCode;

namespace {

constexpr Xapian::termcount kSimilarTerms = 40;  // distinctive words that describe a document
constexpr std::size_t kMaxRememberedIds = 100'000;  // document ids kept per thread (~10 MB)
// MSet::fetch() (asking a remote shard for all the documents at once) is only called on an
// MSet that starts at the first match: Xapian 1.4's fetch_items() mixes positions and
// ranks, and on a later slice reads before its items (it crashed on page 2 sorted by title).

}  // namespace

using detail::find_unique;


IndexReader::IndexReader(std::filesystem::path index, std::chrono::milliseconds refresh_interval,
                         SharedRevision* shared, Ranking ranking, SearchBudget budget)
    : IndexReader(single_index(std::move(index), {}), refresh_interval, shared, ranking, budget) {}

IndexReader::IndexReader(ShardSet shards, std::chrono::milliseconds refresh_interval, SharedRevision* shared,
                         Ranking ranking, SearchBudget budget)
    : shards_(std::move(shards), refresh_interval, shared), ranking_(ranking), budget_(budget) {}

IndexReader::Reading IndexReader::read_as(ReadScope scope) {
  std::swap(scope_, scope);  // `scope` now holds the one to go back to
  reads_ = NonPublicReads{};
  return Reading(*this, std::move(scope));
}

namespace {

void note(std::vector<std::string>& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

// Only a caller who may read more than public documents has anything to note: an anonymous
// caller's answers pay nothing for the audit. A catalogue record (the brief summary of a
// document the caller may not read) is metadata, not a read.
namespace {
bool audited(const ReadScope& scope, const core::DocumentInfo& info) {
  return scope.reads_beyond_public() && !info.catalogue &&
         info.metadata.access.level != core::AccessLevel::kPublic;
}
}  // namespace

void IndexReader::note_located(const core::DocumentInfo& info) {
  if (audited(scope_, info)) note(reads_.located, info.id);
}

void IndexReader::note_text(const core::DocumentInfo& info) {
  if (audited(scope_, info)) note(reads_.text, info.id);
}

void IndexReader::note_text(Xapian::Database& db, const std::string& id) {
  if (!scope_.reads_beyond_public()) return;
  // One record's postings against the public term: cheap, and asked of a remote shard too.
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(layout::document_id_term(id)),
                                  Xapian::Query(layout::access_term("public"))));
  if (enquire.get_mset(0, 1).empty()) note(reads_.text, id);
}

core::Result<Xapian::docid> IndexReader::find_readable(Xapian::Database& db, const std::string& id) {
  Error unknown{ErrorCode::kNotFound, "no document with id '" + id + "'"};
  if (!layout::is_valid_document_id(id)) return unknown;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(layout::document_id_term(id)), scope_.filter()));
  Xapian::MSet found = enquire.get_mset(0, 1);
  if (found.empty()) return unknown;
  return *found.begin();
}

core::Result<Xapian::docid> IndexReader::find_findable(Xapian::Database& db, const std::string& id) {
  Error unknown{ErrorCode::kNotFound, "no document with id '" + id + "'"};
  if (!layout::is_valid_document_id(id)) return unknown;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::Query record(Xapian::Query::OP_OR, Xapian::Query(layout::document_id_term(id)),
                       Xapian::Query(layout::catalogue_id_term(id)));
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, record, scope_.findable()));
  Xapian::MSet found = enquire.get_mset(0, 1);
  if (found.empty()) return unknown;
  return *found.begin();
}

bool IndexReader::readable_word(Xapian::Database& db, const std::string& word) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(word), scope_.findable()));
  return !enquire.get_mset(0, 1).empty();
}

Coverage IndexReader::coverage() const {
  if (!shards_.networked()) return std::nullopt;
  return shards_.coverage();
}

ListedDocument IndexReader::listed(core::DocumentInfo info, Xapian::docid docid) const {
  ListedDocument document{std::move(info), std::nullopt, {}};
  if (shards_.networked()) document.shard = shards_.shard_of(docid).name;
  return document;
}

IndexReader::Remembered& IndexReader::remembered() {
  if (remembered_.generation != shards_.generation()) {
    remembered_ = Remembered{};
    remembered_.generation = shards_.generation();
  }
  return remembered_;
}

// The query parser, without walking the index's language terms for every query.
core::QueryBuilder IndexReader::query_builder(Xapian::Database& db) {
  auto& languages = remembered().languages;
  if (!languages) languages = core::QueryBuilder::index_languages(db);
  return core::QueryBuilder(db, *languages);
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
Xapian::Query IndexReader::pages_of(Xapian::Database& db, const std::vector<std::string>& ids) {
  bool one_local_index = !shards_.networked() && db.size() == 1;
  return remembered().pages.pages_of(db, ids, one_local_index);
}

core::Result<Xapian::Query> IndexReader::document_query(Xapian::Database& db, const std::string& text,
                                                        const core::SearchFilters& filters,
                                                        core::ParsedQuery& parsed) {
  auto filter = core::filter_query(filters);
  if (!filter) return filter.error();
  Xapian::Query query = layout::match_all();
  if (!text.empty() || filters.empty()) {
    auto result = query_builder(db).parse(text);
    if (!result) return result.error();
    parsed = std::move(result).value();
    query = parsed.query;
  }
  Xapian::Query scope(Xapian::Query::OP_AND, *filter, scope_.findable());
  return Xapian::Query(Xapian::Query::OP_FILTER, query, scope);
}

core::Result<SimilarDocuments> IndexReader::similar(const std::string& id, int limit) {
  return with_database([&](Xapian::Database& db) -> core::Result<SimilarDocuments> {
    auto docid = find_readable(db, id);
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
    SimilarDocuments similar{id, {}, {}, coverage()};
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) {
      terms.emplace_back(*it);
      similar.terms.push_back(*it);
    }
    if (terms.empty()) return similar;
    note_text(db, id);  // its most distinctive words are in the answer
    Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
    Xapian::Query readable(Xapian::Query::OP_AND, Xapian::Query(layout::kDocumentKindTerm), scope_.filter());
    Xapian::Query others(Xapian::Query::OP_AND_NOT, readable, Xapian::Query(layout::document_id_term(id)));
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, like, others));
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    mset.fetch();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto info = core::decode_document_info(it.get_document().get_data());
      if (!info) return info.error();
      similar.documents.push_back(RankedDocument{listed(std::move(info).value(), *it),
                                                 static_cast<int>(it.get_rank()) + 1, it.get_weight()});
    }
    return similar;
  });
}

core::Result<Trends> IndexReader::trends(const std::string& text, const core::SearchFilters& filters) {
  return with_database([&](Xapian::Database& db) -> core::Result<Trends> {
    core::ParsedQuery parsed;
    auto query = document_query(db, text, filters, parsed);
    if (!query) return query.error();
    Xapian::Enquire enquire(db);
    enquire.set_query(*query);
    core::FacetCounter facets;
    facets.attach(enquire, db);
    Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
    Trends trends{text, mset.get_matches_estimated(), {}, {}, coverage()};
    for (const auto& [year, count] : facets.counts("year"))
      trends.by_year.push_back({std::stoi(year), count});
    for (const auto& [country, count] : facets.counts("country")) {
      trends.by_country.push_back({country, core::facet_label("country", country), count});
    }
    return trends;
  });
}

// The best `per_document` pages of each of the parents for a query, best first.
core::Result<DocumentList> IndexReader::list(int offset, int limit) {
  return with_database([&](Xapian::Database& db) -> core::Result<DocumentList> {
    Xapian::Enquire enquire(db);
    enquire.set_query(scope_.findable());
    enquire.set_sort_by_value(layout::slot::kTitleSort, false);
    // Counted to the end: the total is of the documents the caller may read.
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(offset),
                                         static_cast<Xapian::doccount>(limit), db.get_doccount());
    if (offset == 0) mset.fetch();
    DocumentList list{mset.get_matches_estimated(), offset, limit, {}, coverage()};
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto info = core::decode_document_info(it.get_document().get_data());
      if (!info) return info.error();
      list.documents.push_back(listed(std::move(info).value(), *it));
    }
    return list;
  });
}

core::Result<ListedDocument> IndexReader::document(const std::string& id) {
  return with_database([&](Xapian::Database& db) -> core::Result<ListedDocument> {
    auto docid = find_findable(db, id);
    if (!docid) return docid.error();
    auto info = core::decode_document_info(db.get_document(*docid).get_data());
    if (!info) return info.error();
    note_located(*info);  // a read where the route shows the document (its page, not its JSON)
    return listed(std::move(info).value(), *docid);
  });
}

core::Result<PageText> IndexReader::page(const std::string& id, int number) {
  auto page = page_info(id, number);
  if (!page) return page.error();
  return PageText{id, std::move(page).value()};
}

core::Result<core::DocumentInfo> IndexReader::document_info(const std::string& id) {
  auto located = locate(id);
  if (!located) return located.error();
  return std::move(located->info);
}

core::Result<LocatedDocument> IndexReader::locate(const std::string& id) {
  return with_database([&](Xapian::Database& db) -> core::Result<LocatedDocument> {
    auto docid = find_readable(db, id);
    if (!docid) return docid.error();
    auto info = core::decode_document_info(db.get_document(*docid).get_data());
    if (!info) return info.error();
    note_located(*info);
    return LocatedDocument{std::move(info).value(), &shards_.shard_of(*docid)};
  });
}

core::Result<core::PageInfo> IndexReader::page_info(const std::string& id, int number) {
  return with_database([&](Xapian::Database& db) -> core::Result<core::PageInfo> {
    if (auto document = find_readable(db, id); !document) return document.error();
    auto docid = find_unique(db, layout::page_id_term(id, number));
    if (!docid)
      return Error{ErrorCode::kNotFound, "document '" + id + "' has no page " + std::to_string(number)};
    auto page = core::decode_page_info(db.get_document(*docid).get_data());
    if (page) note_text(db, id);
    return page;
  });
}

core::Result<IndexHealth> IndexReader::health() {
  if (shards_.networked()) {
    (void)shards_.get();  // opens, or tries again, what is due
    IndexHealth health;
    health.shards = shards_.shard_health();
    std::size_t up = 0;
    for (const auto& shard : *health.shards) {
      if (!shard.answers) continue;
      ++up;
      health.documents += shard.documents;
      health.pages += shard.pages;
    }
    health.status = up == health.shards->size() ? IndexStatus::kOk
                    : up > 0                    ? IndexStatus::kDegraded
                                                : IndexStatus::kUnavailable;
    return health;
  }
  return with_database([&](Xapian::Database& db) -> core::Result<IndexHealth> {
    IndexHealth health;
    health.status = IndexStatus::kOk;
    health.documents = public_records(db, layout::kDocumentKindTerm);
    health.pages = public_records(db, layout::kPageKindTerm);
    health.revision = db.get_revision();
    return health;
  });
}

}  // namespace evidence::server
