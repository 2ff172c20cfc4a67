#pragma once
// Phrases and NEAR over the page records. Word positions are kept once, in the document
// records (common/index_layout.hpp): page n's words at n × kPagePositions plus their
// position on the page. A page record has its words and weights only; the pages a phrase
// is on are read off its document's positions.

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

namespace evidence::server {

/// A document whose pages are searched: its record's docid and its id.
using SearchedDocument = std::pair<Xapian::docid, std::string>;

/// True when the query holds an OP_PHRASE or OP_NEAR.
bool holds_phrase(const Xapian::Query& query);

/// `query`, a query of the page records of `documents`, with each OP_PHRASE and OP_NEAR in
/// it matching the pages of those documents that hold it, as Xapian would match it on a
/// page record with positions: in order within the window (PHRASE), or in any order within
/// it (NEAR), never across pages. Weights are unchanged: Xapian weighs a phrase as the AND
/// of its words, and that AND is what weighs here. A query without phrases is returned as
/// it is.
Xapian::Query phrases_on_pages(const Xapian::Database& db, const Xapian::Query& query,
                               const std::vector<SearchedDocument>& documents);

/// The pages of one document where a phrase's words stand: each subquery's positions in
/// the document record (`positions[i]`, sorted), in order within `window` when `ordered`,
/// in any order within it otherwise. Exposed for its tests.
std::vector<int> phrase_pages(const std::vector<std::vector<Xapian::termpos>>& positions,
                              Xapian::termpos window, bool ordered);

}  // namespace evidence::server
