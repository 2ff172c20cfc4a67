#include "results.hpp"

namespace evidence::server {

using nlohmann::json;

namespace {

void add_coverage(json& out, const Coverage& shards) {
  if (shards) out["shards"] = *shards;
}

const char* status_name(IndexStatus status) {
  switch (status) {
    case IndexStatus::kOk:
      return "ok";
    case IndexStatus::kDegraded:
      return "degraded";
    case IndexStatus::kUnavailable:
      break;
  }
  return "unavailable";
}

}  // namespace

void to_json(json& out, const ListedDocument& document) {
  out = core::document_info_to_json(document.info);
  if (document.shard) out["shard"] = *document.shard;
  if (!document.request_access.empty()) out["request_access"] = document.request_access;
}

void to_json(json& out, const PageHit& hit) {
  out = {{"page", hit.page}, {"label", hit.label}, {"snippet", hit.snippet}, {"matches", hit.matches}};
}

void to_json(json& out, const RankedDocument& document) {
  out = document.document;
  out["rank"] = document.rank;
  out["score"] = document.score;
}

void to_json(json& out, const FoundDocument& document) {
  out = document.ranked;
  out["pages"] = document.pages;
}

void to_json(json& out, const SearchResult& result) {
  out = {{"query", result.query},   {"total", result.total}, {"total_exact", result.total_exact},
         {"offset", result.offset}, {"limit", result.limit}, {"documents", result.documents}};
  if (result.facets) out["facets"] = core::facet_counts_to_json(*result.facets);
  if (result.time_limit_reached) out["time_limit_reached"] = true;
  if (!result.notice.empty()) out["notice"] = result.notice;
  if (!result.did_you_mean.empty()) out["did_you_mean"] = result.did_you_mean;
  add_coverage(out, result.shards);
}

void to_json(json& out, const DocumentHits& hits) {
  out = {{"id", hits.id},
         {"query", hits.query},
         {"page_count", hits.page_count},
         {"matching_pages", hits.pages.size()},
         {"matches", hits.matches},
         {"pages", hits.pages}};
  add_coverage(out, hits.shards);
}

void to_json(json& out, const SimilarDocuments& similar) {
  out = {{"id", similar.id}, {"terms", similar.terms}, {"documents", similar.documents}};
  add_coverage(out, similar.shards);
}

void to_json(json& out, const Trends& trends) {
  json by_year = json::array();
  for (const auto& year : trends.by_year)
    by_year.push_back({{"year", year.year}, {"documents", year.documents}});
  json by_country = json::array();
  for (const auto& country : trends.by_country) {
    by_country.push_back(
        {{"country", country.country}, {"label", country.label}, {"documents", country.documents}});
  }
  out = {{"query", trends.query},
         {"total", trends.total},
         {"by_year", std::move(by_year)},
         {"by_country", std::move(by_country)}};
  add_coverage(out, trends.shards);
}

void to_json(json& out, const DocumentList& list) {
  out = {
      {"total", list.total}, {"offset", list.offset}, {"limit", list.limit}, {"documents", list.documents}};
  add_coverage(out, list.shards);
}

void to_json(json& out, const PageText& page) {
  out = {{"id", page.id},
         {"page", page.page.number},
         {"label", page.page.label},
         {"text", page.page.text},
         {"ocr", page.page.ocr}};
}

void to_json(json& out, const ShardCoverage& coverage) {
  json unavailable = json::array();
  for (const auto& shard : coverage.unavailable)
    unavailable.push_back({{"name", shard.name}, {"error", shard.error}});
  out = {{"answered", coverage.answered}, {"unavailable", std::move(unavailable)}};
}

void to_json(json& out, const ShardHealth& shard) {
  out = {{"name", shard.name},
         {"kind", shard.remote ? "remote" : "local"},
         {"address", shard.address},
         {"status", shard.answers ? "ok" : "unavailable"}};
  if (shard.answers) {
    out["documents"] = shard.documents;
    out["pages"] = shard.pages;
    if (shard.revision) out["revision"] = *shard.revision;
  } else {
    out["error"] = shard.error;
  }
}

void to_json(json& out, const IndexHealth& health) {
  out = {{"status", status_name(health.status)}, {"documents", health.documents}, {"pages", health.pages}};
  if (health.revision) out["revision"] = *health.revision;
  if (health.shards) out["shards"] = *health.shards;
}

void to_json(json& out, const ServerHealth& health) {
  if (health.index) {
    out = *health.index;
  } else {
    out = {{"status", "unavailable"}, {"message", health.index.error().message}};
  }
  if (health.thesaurus) {
    json thesaurus = {{"file", health.thesaurus->file}, {"groups", health.thesaurus->groups}};
    if (!health.thesaurus->error.empty()) thesaurus["error"] = health.thesaurus->error;
    out["thesaurus"] = std::move(thesaurus);
  }
}

}  // namespace evidence::server
