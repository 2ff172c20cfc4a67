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

Xapian::Query ReadScope::filter() const {
  // No record holds the bare prefix: a filter that matches nothing, and says so in a query's
  // description (an empty Xapian::Query would be dropped from some combinations).
  if (kind_ == Kind::kNothing) return Xapian::Query(std::string(layout::prefix::kAccess));
  std::vector<Xapian::Query> readable{Xapian::Query(layout::access_term("public"))};
  if (kind_ == Kind::kMember) {
    readable.emplace_back(layout::access_term("members"));
    // A group term is only on restricted documents' records.
    for (const auto& group : groups_) readable.emplace_back(layout::reader_group_term(group));
  }
  if (readable.size() == 1) return readable.front();
  return Xapian::Query(Xapian::Query::OP_OR, readable.begin(), readable.end());
}

Xapian::Query ReadScope::findable() const {
  if (kind_ == Kind::kNothing) return filter();
  Xapian::Query documents(Xapian::Query::OP_AND, Xapian::Query(layout::kDocumentKindTerm), filter());
  Xapian::Query catalogue(Xapian::Query::OP_AND_NOT, Xapian::Query(layout::kCatalogueKindTerm), filter());
  return Xapian::Query(Xapian::Query::OP_OR, documents, catalogue);
}

Xapian::doccount public_records(const Xapian::Database& db, const std::string& kind_term) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(kind_term),
                                  Xapian::Query(layout::access_term("public"))));
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace evidence::server
