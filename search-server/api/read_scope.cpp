#include "read_scope.hpp"

#include <algorithm>

#include "index_layout.hpp"

namespace evidence::server {

namespace layout = core::layout;

ReadScope ReadScope::anonymous() { return ReadScope(Kind::kAnonymous, {}); }

ReadScope ReadScope::member(std::vector<std::string> groups) {
  return ReadScope(Kind::kMember, std::move(groups));
}

ReadScope ReadScope::nothing() { return ReadScope(Kind::kNothing, {}); }

bool ReadScope::may_read(const core::DocumentAccess& access) const {
  switch (access.level) {
    case core::AccessLevel::kPublic:
      return kind_ != Kind::kNothing;
    case core::AccessLevel::kMembers:
      return kind_ == Kind::kMember;
    case core::AccessLevel::kRestricted:
      return kind_ == Kind::kMember &&
             std::any_of(access.groups.begin(), access.groups.end(), [this](const auto& group) {
               return std::find(groups_.begin(), groups_.end(), group) != groups_.end();
             });
  }
  return false;
}

// A member reads everything but the restricted records of groups not theirs: said as that
// exception ("all but these"), the filter costs a member's search a look-up in a short list
// (none at all in a library without restricted documents) instead of a walk through the
// union of the public and members' lists, which together hold nearly every record.
// Every record holds exactly one access term, so the two forms select the same records.
Xapian::Query ReadScope::unreadable() const {
  Xapian::Query restricted(layout::access_term("restricted"));
  if (groups_.empty()) return restricted;
  std::vector<Xapian::Query> mine;
  // A group term is only on restricted documents' records.
  for (const auto& group : groups_) mine.emplace_back(layout::reader_group_term(group));
  return Xapian::Query(Xapian::Query::OP_AND_NOT, restricted,
                       Xapian::Query(Xapian::Query::OP_OR, mine.begin(), mine.end()));
}

Xapian::Query ReadScope::filter() const {
  switch (kind_) {
    case Kind::kNothing:
      // No record holds the bare prefix: a filter that matches nothing, and says so in a
      // query's description (an empty Xapian::Query would be dropped from some combinations).
      return Xapian::Query(std::string(layout::prefix::kAccess));
    case Kind::kAnonymous:
      return Xapian::Query(layout::access_term("public"));
    case Kind::kMember:
      break;
  }
  return Xapian::Query(Xapian::Query::OP_AND_NOT, layout::match_all(), unreadable());
}

Xapian::Query ReadScope::findable() const {
  switch (kind_) {
    case Kind::kNothing:
      return filter();
    case Kind::kAnonymous: {
      Xapian::Query documents(Xapian::Query::OP_AND, Xapian::Query(layout::kDocumentKindTerm), filter());
      Xapian::Query catalogue(Xapian::Query::OP_AND_NOT, Xapian::Query(layout::kCatalogueKindTerm), filter());
      return Xapian::Query(Xapian::Query::OP_OR, documents, catalogue);
    }
    case Kind::kMember:
      break;
  }
  // The document and catalogue records (no page records), but the document records the
  // member may not read and the catalogue records of those they may (catalogue records are
  // few: one per listed non-public document).
  Xapian::Query unreadable_documents(Xapian::Query::OP_AND, Xapian::Query(layout::kDocumentKindTerm),
                                     unreadable());
  Xapian::Query readable_catalogue(Xapian::Query::OP_AND_NOT, Xapian::Query(layout::kCatalogueKindTerm),
                                   unreadable());
  Xapian::Query records(Xapian::Query::OP_OR, Xapian::Query(layout::kDocumentKindTerm),
                        Xapian::Query(layout::kCatalogueKindTerm));
  return Xapian::Query(Xapian::Query::OP_AND_NOT, records,
                       Xapian::Query(Xapian::Query::OP_OR, unreadable_documents, readable_catalogue));
}

Xapian::doccount public_records(const Xapian::Database& db, const std::string& kind_term) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(kind_term),
                                  Xapian::Query(layout::access_term("public"))));
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace evidence::server
