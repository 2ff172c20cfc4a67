#pragma once
// Read access to the index for one server thread: opens it (also when it appears after
// start-up), follows new revisions written by evidence-index, and answers searches,
// document and page look-ups as the types of results.hpp.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "error.hpp"
#include "page_filter.hpp"
#include "query.hpp"
#include "read_scope.hpp"
#include "records.hpp"
#include "results.hpp"
#include "shard_set.hpp"
#include "sharded_database.hpp"

namespace evidence::server {

enum class SortOrder { kRelevance, kNewest, kOldest, kTitle };

struct SearchRequest {
  std::string query;             // may be empty when filters are given (browsing)
  std::string typed_query;       // as the user typed it, before the thesaurus widened it
  core::SearchFilters filters;
  SortOrder sort = SortOrder::kRelevance;
  int offset = 0;
  int limit = 10;
  int pages_per_document = 3;    // best matching pages shown per document
  bool facets = true;            // count facet values over the whole result set
};

/// BM25 parameters. Documents: 1.2 / 0.75 measured better than Xapian's 1 / 0.5 on word
/// bags from real PDFs (bench/relevance.py: success@1 0.639 against 0.624). Pages: full
/// length normalisation (1.0 / 1.0) put the page a bag came from first more often than
/// 1.2 / 0.75 (page accuracy 0.952 against 0.949, and 0.955 against 0.953 on other pages).
/// blend_depth: how many of the best documents are re-ranked with their best page.
struct Ranking {
  double k1 = 1.2;
  double b = 0.75;
  double page_k1 = 1.0;
  double page_b = 1.0;
  Xapian::doccount blend_depth = 50;
};

/// Bounds on the work of one search, beyond those of the query parser (core/query.hpp).
/// match_time: after this long the document match stops counting every match
/// (Xapian's Enquire::set_time_limit): the best documents are still found, but the facet
/// counts, and the total when total_exact is false, then count the documents it looked at,
/// and the answer says so. It does not stop a match: Xapian 1.4 has no way to. Zero: none.
struct SearchBudget {
  std::chrono::microseconds match_time{500'000};
};

/// The documents not open to everyone (their level is not public) that one caller's answers
/// drew on, for the audit of reads (docs/operating.md, "The audit of reads"). Each id once,
/// in the order first drawn on.
struct NonPublicReads {
  std::vector<std::string> located;  // looked up by id: metadata, citations, the PDF, /d/{id}
  std::vector<std::string> text;     // whose text went into an answer: pages, hits, passages,
                                     // search results matched by their words, /similar's words
};

/// A document's stored record and the shard it comes from.
struct LocatedDocument {
  core::DocumentInfo info;
  const Shard* shard = nullptr;
};

class IndexReader {
 public:
  /// While it lives, its reader reads as one caller (one request's work on this thread).
  class Reading {
   public:
    Reading(const Reading&) = delete;
    Reading& operator=(const Reading&) = delete;
    ~Reading() { reader_.scope_ = std::move(previous_); }

   private:
    friend class IndexReader;
    Reading(IndexReader& reader, ReadScope previous) : reader_(reader), previous_(std::move(previous)) {}
    IndexReader& reader_;
    ReadScope previous_;
  };

  /// refresh_interval: how often to look for a newer index revision on disk; shared (may be
  /// null) is where the threads of one server tell each other about newer revisions.
  IndexReader(std::filesystem::path index, std::chrono::milliseconds refresh_interval,
              SharedRevision* shared = nullptr, Ranking ranking = {}, SearchBudget budget = {});
  /// Searches several shards as one; results then name their shard and say which shards
  /// did not answer.
  IndexReader(ShardSet shards, std::chrono::milliseconds refresh_interval, SharedRevision* shared = nullptr,
              Ranking ranking = {}, SearchBudget budget = {});

  /// Every query this reader runs until the result is destroyed is filtered, inside the
  /// match, to what `scope` may read; a document outside it is kNotFound, as an unknown id
  /// is. Outside any Reading: ReadScope::anonymous().
  [[nodiscard]] Reading read_as(ReadScope scope);
  /// What the answers since the last read_as drew on of documents not open to everyone (none
  /// for a caller who may read only public documents).
  const NonPublicReads& non_public_reads() const { return reads_; }

  /// Ranked documents with their best pages and snippets.
  core::Result<SearchResult> search(const SearchRequest& request);
  /// Every page of one document that matches, in page order, with passages.
  core::Result<DocumentHits> hits(const std::string& id, const std::string& query);
  /// Documents like this one: its most distinctive words (relevance feedback), searched for.
  core::Result<SimilarDocuments> similar(const std::string& id, int limit);
  /// How many matching documents per year and per country.
  core::Result<Trends> trends(const std::string& query, const core::SearchFilters& filters);
  /// All documents the caller finds (catalogue records too), by title, a slice at a time.
  core::Result<DocumentList> list(int offset, int limit);
  /// A document's metadata, page count, files and hash; for a listed document the caller
  /// may not read, its catalogue record (the brief summary, info.catalogue set).
  core::Result<ListedDocument> document(const std::string& id);
  /// One page's text and label.
  core::Result<PageText> page(const std::string& id, int number);
  /// A document's stored record (metadata, files, hash), for citations and file serving.
  core::Result<core::DocumentInfo> document_info(const std::string& id);
  /// The same, with the shard that holds it.
  core::Result<LocatedDocument> locate(const std::string& id);
  /// One page's stored record (number, label, text).
  core::Result<core::PageInfo> page_info(const std::string& id, int number);
  /// Whether the index is readable, with its size (public documents and pages only, whoever
  /// reads) and revision (or each shard's).
  core::Result<IndexHealth> health();

 private:
  template <class F>
  std::invoke_result_t<F, Xapian::Database&> with_database(F&& action);

  /// A search's documents in the order shown, with their scores, and the page match the
  /// ranking made (kept for the passages).
  struct ShownOrder {
    std::vector<Xapian::MSetIterator> order;
    std::map<Xapian::docid, double> blended;  // empty: the match's own weights
    std::optional<Xapian::MSet> pages_matched;
  };
  core::Result<Xapian::Query> document_query(Xapian::Database& db, const std::string& text,
                                             const core::SearchFilters& filters, core::ParsedQuery& parsed);
  Xapian::MSet match_documents(Xapian::Database& db, const Xapian::Query& query, const SearchRequest& request,
                               bool blend, core::FacetCounter* facets);
  ShownOrder rank(Xapian::Database& db, const Xapian::MSet& documents, const core::ParsedQuery& parsed,
                  const SearchRequest& request, bool blend);
  core::Result<std::vector<FoundDocument>> found_documents(const ShownOrder& ranking,
                                                           const SearchRequest& request, bool blend);
  void add_best_pages(Xapian::Database& db, std::vector<FoundDocument>& documents,
                      const core::ParsedQuery& parsed, int per_document,
                      std::optional<Xapian::MSet> whole_query);
  Xapian::MSet match_pages(Xapian::Database& db, const Xapian::Query& query,
                           const std::vector<std::string>& parents, int per_document);
  std::map<Xapian::docid, double> blend_with_pages(const Xapian::MSet& documents,
                                                   const std::vector<std::string>& ids,
                                                   const Xapian::MSet& pages);

  /// A document record's id and primary language, as its values give them.
  struct Candidate {
    std::string id;
    std::string language;
  };
  /// What searches read of the database again and again, kept while it stays the same.
  struct Remembered {
    std::uint64_t generation = 0;
    std::optional<std::vector<std::string>> languages;       // of its records
    std::unordered_map<Xapian::docid, Candidate> candidates;  // document records' ids and languages
    PageDirectory pages;                                     // page records by document
  };
  Remembered& remembered();
  core::QueryBuilder query_builder(Xapian::Database& db);
  const Candidate& candidate(const Xapian::MSetIterator& it);
  Xapian::Query pages_of(Xapian::Database& db, const std::vector<std::string>& ids);

  /// A document record the scope may read, or kNotFound (an unknown and an unreadable id
  /// alike, by the same query).
  core::Result<Xapian::docid> find_readable(Xapian::Database& db, const std::string& id);
  /// A document record the scope may read or a catalogue record it finds (ReadScope::findable),
  /// or kNotFound as find_readable.
  core::Result<Xapian::docid> find_findable(Xapian::Database& db, const std::string& id);
  /// Whether some record the scope finds holds this word (spelling suggestions).
  bool readable_word(Xapian::Database& db, const std::string& word);
  std::string readable_suggestion(Xapian::Database& db, const std::string& typed);

  /// Notes a document an answer drew on when it is not public (see NonPublicReads).
  void note_located(const core::DocumentInfo& info);
  void note_text(const core::DocumentInfo& info);
  /// The same for a document record found by find_readable, whose level is asked of the index.
  void note_text(Xapian::Database& db, const std::string& id);

  Coverage coverage() const;
  ListedDocument listed(core::DocumentInfo info, Xapian::docid docid) const;

  ShardedDatabase shards_;
  Ranking ranking_;
  SearchBudget budget_;
  Remembered remembered_;
  ReadScope scope_ = ReadScope::anonymous();
  NonPublicReads reads_;
};

}  // namespace evidence::server
