#pragma once
// What the index answers, as types. IndexReader returns these; the API writes them as JSON
// at its edge (to_json below, found by nlohmann/json), in the shapes schemas/api/ describe.

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "error.hpp"
#include "facets.hpp"
#include "records.hpp"

namespace evidence::server {

/// A document as lists show it: its stored record, and in a network the shard it is from.
/// For a catalogue record (info.catalogue), its Request access link when the server has one.
struct ListedDocument {
  core::DocumentInfo info;
  std::optional<std::string> shard;
  std::string request_access;
};

/// One page of a document where the words are: number, printed label, a passage with the
/// words marked (HTML), and how often they occur on the page.
struct PageHit {
  int page = 0;
  std::string label;
  std::string snippet;
  Xapian::termcount matches = 0;
};

/// A document in a ranking: 1-based rank and score.
struct RankedDocument {
  ListedDocument document;
  int rank = 0;
  double score = 0;
};

/// A search's document, with its best pages.
struct FoundDocument {
  RankedDocument ranked;
  std::vector<PageHit> pages;
};

/// A shard of a network that did not answer, and why.
struct UnavailableShard {
  std::string name;
  std::string error;
};

/// Which shards of a network a result covers (ShardedDatabase::coverage).
struct ShardCoverage {
  std::vector<std::string> answered;
  std::vector<UnavailableShard> unavailable;
};

/// In a network, which shards answered; none on one index.
using Coverage = std::optional<ShardCoverage>;

struct SearchResult {
  std::string query;  // as searched (widened by the thesaurus)
  Xapian::doccount total = 0;
  bool total_exact = true;
  int offset = 0;
  int limit = 0;
  std::vector<FoundDocument> documents;
  std::optional<core::FacetCounts> facets;  // when asked for
  bool time_limit_reached = false;          // the match stopped counting at its time budget
  std::string notice;                       // how a broken query was read
  std::string did_you_mean;                 // a better spelling the corpus knows
  Coverage shards;
};

/// Every page of one document that matches a query.
struct DocumentHits {
  std::string id;
  std::string query;
  int page_count = 0;
  Xapian::termcount matches = 0;
  std::vector<PageHit> pages;
  Coverage shards;
};

/// Documents like one: its most distinctive words, and what they find.
struct SimilarDocuments {
  std::string id;
  std::vector<std::string> terms;
  std::vector<RankedDocument> documents;
  Coverage shards;
};

struct YearCount {
  int year = 0;
  Xapian::doccount documents = 0;
};

struct CountryCount {
  std::string country;
  std::string label;
  Xapian::doccount documents = 0;
};

/// How many matching documents per year and per country.
struct Trends {
  std::string query;
  Xapian::doccount total = 0;
  std::vector<YearCount> by_year;
  std::vector<CountryCount> by_country;
  Coverage shards;
};

/// All documents by title, a slice at a time.
struct DocumentList {
  Xapian::doccount total = 0;
  int offset = 0;
  int limit = 0;
  std::vector<ListedDocument> documents;
  Coverage shards;
};

/// One page's text.
struct PageText {
  std::string id;
  core::PageInfo page;
};

/// One shard of a network as /healthz shows it (ShardedDatabase::shard_health).
struct ShardHealth {
  std::string name;
  bool remote = false;
  std::string address;
  bool answers = false;
  Xapian::doccount documents = 0;  // when it answers
  Xapian::doccount pages = 0;      // when it answers
  std::optional<Xapian::rev>
      revision;       // when a local shard answers: Xapian's remote protocol does not carry it
  std::string error;  // why it does not answer
};

enum class IndexStatus { kOk, kDegraded, kUnavailable };

/// Whether the index answers, and its size: one index's revision, or each shard of a network.
struct IndexHealth {
  IndexStatus status = IndexStatus::kUnavailable;  // degraded: some shards of a network answer
  Xapian::doccount documents = 0;
  Xapian::doccount pages = 0;
  std::optional<Xapian::rev> revision;             // one index
  std::optional<std::vector<ShardHealth>> shards;  // a network
};

/// The thesaurus a server widens queries with: its file, its groups, why it could not be read.
struct ThesaurusHealth {
  std::string file;
  std::size_t groups = 0;
  std::string error;  // empty: read
};

/// What /healthz reports: the index's health or why it cannot be read, and the thesaurus.
struct ServerHealth {
  core::Result<IndexHealth> index;
  std::optional<ThesaurusHealth> thesaurus;  // when the server has one and the index answers

  /// kUnavailable also when the index cannot be read.
  IndexStatus status() const { return index ? index->status : IndexStatus::kUnavailable; }
};

/// A result of a query the thesaurus widened: the result names the query as the user
/// wrote it, and what else was searched.
template <class T>
struct Widened {
  T result;
  std::string query;                       // as the user wrote it
  std::vector<std::string> also_searched;  // what the thesaurus added
};

void to_json(nlohmann::json& out, const ListedDocument& document);
void to_json(nlohmann::json& out, const PageHit& hit);
void to_json(nlohmann::json& out, const RankedDocument& document);
void to_json(nlohmann::json& out, const FoundDocument& document);
void to_json(nlohmann::json& out, const SearchResult& result);
void to_json(nlohmann::json& out, const DocumentHits& hits);
void to_json(nlohmann::json& out, const SimilarDocuments& similar);
void to_json(nlohmann::json& out, const Trends& trends);
void to_json(nlohmann::json& out, const DocumentList& list);
void to_json(nlohmann::json& out, const PageText& page);
void to_json(nlohmann::json& out, const ShardCoverage& coverage);
void to_json(nlohmann::json& out, const ShardHealth& shard);
void to_json(nlohmann::json& out, const IndexHealth& health);
void to_json(nlohmann::json& out, const ServerHealth& health);

template <class T>
void to_json(nlohmann::json& out, const Widened<T>& answer) {
  out = answer.result;
  out["query"] = answer.query;
  if (!answer.also_searched.empty()) out["also_searched"] = answer.also_searched;
}

}  // namespace evidence::server
