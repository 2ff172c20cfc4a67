#pragma once
// What the index answers, as types. IndexReader returns these; the API writes them as JSON
// at its edge (to_json below, found by nlohmann/json), in the shapes schemas/api/ describe.

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include "facets.hpp"
#include "records.hpp"

namespace evidence::server {

/// A document as lists show it: its stored record, and in a network the shard it is from.
struct ListedDocument {
  core::DocumentInfo info;
  std::optional<std::string> shard;
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

/// In a network, which shards answered (ShardedDatabase::coverage); none on one index.
using Coverage = std::optional<nlohmann::json>;

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

}  // namespace evidence::server
