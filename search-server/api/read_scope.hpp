#pragma once
// Who is reading: what one request's caller may read of the library (docs/operating.md,
// "Who may read what"). Decided once per request by the application (app/application.cpp)
// from the route table's access and the caller's token; IndexReader applies it as a filter
// inside every query it runs, so that what a caller may not read never takes part in a
// match (results, totals, facets, suggestions). No sockets here.

#include <string>
#include <vector>

#include <xapian.h>

#include "metadata.hpp"

namespace evidence::server {

class ReadScope {
 public:
  /// A caller without a token on a public library: public documents.
  static ReadScope anonymous();
  /// A token's holder: public and members' documents, and those restricted to one of
  /// `groups`.
  static ReadScope member(std::vector<std::string> groups);
  /// Nothing at all (a caller without a token on a --private library, where public means
  /// members).
  static ReadScope nothing();

  /// Whether the caller may read a document with this access.
  bool may_read(const core::DocumentAccess& access) const;
  /// Whether the caller may read any document that is not public (a token's holder).
  bool reads_beyond_public() const { return kind_ == Kind::kMember; }
  /// The records (document and page records alike) the caller may read, as a boolean query
  /// on the access terms of core/index_layout.hpp.
  Xapian::Query filter() const;
  /// The records a search of documents finds: the document records the caller may read and
  /// the catalogue records of the documents they may not (found by their brief summary
  /// only). A caller who may read a document never meets its catalogue record; one who may
  /// read nothing (a --private library without a token) finds nothing at all.
  Xapian::Query findable() const;

 private:
  enum class Kind { kNothing, kAnonymous, kMember };
  /// A member's: the records of restricted documents of none of their groups.
  Xapian::Query unreadable() const;
  ReadScope(Kind kind, std::vector<std::string> groups) : kind_(kind), groups_(std::move(groups)) {}
  Kind kind_;
  std::vector<std::string> groups_;
};

/// How many records of a kind (layout::kDocumentKindTerm or kPageKindTerm) are public: what
/// /healthz and /metrics count, whoever asks, so that they say nothing of what others hold.
Xapian::doccount public_records(const Xapian::Database& db, const std::string& kind_term);

}  // namespace evidence::server
