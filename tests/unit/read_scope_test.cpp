// Tests of search-server/api/read_scope.hpp: who may read which level, and the filter query
// that IndexReader applies inside every match, over records with the index's access terms.

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include <xapian.h>

#include "index_layout.hpp"
#include "read_scope.hpp"
#include "records.hpp"

namespace {

using evidence::core::AccessLevel;
using evidence::core::DocumentAccess;
using evidence::server::ReadScope;

const DocumentAccess kPublic{};
const DocumentAccess kMembers{AccessLevel::kMembers, {}};
const DocumentAccess kAlpha{AccessLevel::kRestricted, {"alpha"}};
const DocumentAccess kBetaGamma{AccessLevel::kRestricted, {"beta", "gamma"}};

// The ids of the page records (one per level) that the scope's filter matches.
std::set<std::string> readable(const ReadScope& scope) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  int n = 1;
  for (const auto& [id, access] :
       {std::pair{"pub", kPublic}, {"mem", kMembers}, {"alpha", kAlpha}, {"beta", kBetaGamma}}) {
    db.add_document(evidence::core::make_page_record(id, "en", {n++, "1", "words", {}}, access));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(scope.filter());
  std::set<std::string> ids;
  Xapian::MSet matched = enquire.get_mset(0, 10);
  for (auto it = matched.begin(); it != matched.end(); ++it) {
    ids.insert(it.get_document().get_value(evidence::core::layout::slot::kParent));
  }
  return ids;
}

// What findable() matches over a library of one document record per level, the members'
// and alpha's documents listed (catalogue records), beta's hidden: "id" for a document
// record, "id (catalogue)" for a catalogue record.
std::set<std::string> findable(const ReadScope& scope) {
  using evidence::core::Catalogue;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  DocumentAccess listed_alpha = kAlpha;
  listed_alpha.catalogue = Catalogue::kListed;
  DocumentAccess listed_members = kMembers;
  listed_members.catalogue = Catalogue::kListed;
  for (const auto& [id, access] :
       {std::pair{"pub", kPublic}, {"mem", listed_members}, {"alpha", listed_alpha}, {"beta", kBetaGamma}}) {
    evidence::core::DocumentInfo info;
    info.id = id;
    info.metadata.title = "Minutes";
    info.metadata.access = access;
    db.add_document(evidence::core::DocumentRecordBuilder(id, "en").finish(info.metadata));
    if (evidence::core::has_catalogue_record(access))
      db.add_document(evidence::core::make_catalogue_record(info));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(scope.findable());
  std::set<std::string> found;
  Xapian::MSet matched = enquire.get_mset(0, 10);
  for (auto it = matched.begin(); it != matched.end(); ++it) {
    auto info = evidence::core::decode_document_info(it.get_document().get_data());
    std::string id = it.get_document().get_value(evidence::core::layout::slot::kParent);
    found.insert(info.ok() && info->catalogue ? id + " (catalogue)" : id);
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(read_scope)

BOOST_AUTO_TEST_CASE(who_may_read_which_level) {
  ReadScope anonymous = ReadScope::anonymous();
  ReadScope member = ReadScope::member({});
  ReadScope gamma = ReadScope::member({"gamma"});
  ReadScope nothing = ReadScope::nothing();
  BOOST_TEST(anonymous.may_read(kPublic));
  BOOST_TEST(!anonymous.may_read(kMembers));
  BOOST_TEST(!anonymous.may_read(kAlpha));
  BOOST_TEST(member.may_read(kMembers));
  BOOST_TEST(!member.may_read(kAlpha));
  BOOST_TEST(gamma.may_read(kBetaGamma));
  BOOST_TEST(!gamma.may_read(kAlpha));
  BOOST_TEST(!nothing.may_read(kPublic));
}

BOOST_AUTO_TEST_CASE(the_filter_matches_what_the_scope_may_read) {
  BOOST_TEST(readable(ReadScope::anonymous()) == (std::set<std::string>{"pub"}),
             boost::test_tools::per_element());
  BOOST_TEST(readable(ReadScope::member({})) == (std::set<std::string>{"pub", "mem"}),
             boost::test_tools::per_element());
  BOOST_TEST(readable(ReadScope::member({"alpha"})) == (std::set<std::string>{"pub", "mem", "alpha"}),
             boost::test_tools::per_element());
  BOOST_TEST(readable(ReadScope::member({"gamma", "delta"})) == (std::set<std::string>{"pub", "mem", "beta"}),
             boost::test_tools::per_element());
  BOOST_TEST(readable(ReadScope::nothing()).empty());
}

BOOST_AUTO_TEST_CASE(findable_is_what_the_scope_reads_and_the_catalogue_of_the_rest) {
  BOOST_TEST(findable(ReadScope::anonymous()) ==
                 (std::set<std::string>{"pub", "mem (catalogue)", "alpha (catalogue)"}),
             boost::test_tools::per_element());
  BOOST_TEST(findable(ReadScope::member({})) == (std::set<std::string>{"pub", "mem", "alpha (catalogue)"}),
             boost::test_tools::per_element());
  // A reader of a document never meets its catalogue record as well.
  BOOST_TEST(findable(ReadScope::member({"alpha"})) == (std::set<std::string>{"pub", "mem", "alpha"}),
             boost::test_tools::per_element());
  BOOST_TEST(findable(ReadScope::member({"gamma"})) ==
                 (std::set<std::string>{"pub", "mem", "beta", "alpha (catalogue)"}),
             boost::test_tools::per_element());
  BOOST_TEST(findable(ReadScope::nothing()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
