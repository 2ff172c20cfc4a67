// Tests of common/facets.hpp: exact document counts per facet value over a whole match.

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "facets.hpp"
#include "index_layout.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using Counts = std::map<std::string, Xapian::doccount>;

// An in-memory index of document records with years and languages, and countries on some.
Xapian::WritableDatabase sample_index() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  struct Record {
    int year;
    const char* language;
    const char* countries;
  };
  for (const Record& r : {Record{2019, "en", ""}, Record{2021, "en", "GB\x1fNG"}, Record{2021, "fr", "NG"},
                          Record{2021, "en", ""}}) {
    Xapian::Document document;
    document.add_boolean_term(layout::kDocumentKindTerm);
    document.add_value(layout::slot::kYear, Xapian::sortable_serialise(r.year));
    document.add_value(layout::slot::kLanguage, r.language);
    document.add_value(layout::slot::kCountries, r.countries);
    db.add_document(document);
  }
  return db;
}

Counts count(core::FacetCounter& facets, const Xapian::Database& db, const std::string& facet) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(layout::kDocumentKindTerm));
  facets.attach(enquire, db);
  (void)enquire.get_mset(0, 0, db.get_doccount());
  return facets.counts(facet);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(facets)

BOOST_AUTO_TEST_CASE(counts_are_exact_and_multi_valued_fields_count_once_per_value) {
  Xapian::WritableDatabase db = sample_index();
  core::FacetCounter facets;
  BOOST_TEST((count(facets, db, "year") == Counts{{"2019", 1}, {"2021", 3}}));
  BOOST_TEST((facets.counts("language") == Counts{{"en", 3}, {"fr", 1}}));
  BOOST_TEST((facets.counts("country") == Counts{{"GB", 1}, {"NG", 2}}));
}

BOOST_AUTO_TEST_CASE(facets_that_no_record_fills_are_empty) {
  Xapian::WritableDatabase db = sample_index();
  core::FacetCounter facets;
  BOOST_TEST(count(facets, db, "theme").empty());
  BOOST_TEST(facets.counts("organisation").empty());
  BOOST_TEST(facets.to_json(50)["type"].dump() == "[]");
  BOOST_TEST(facets.to_json(50)["language"].dump() ==
             R"([{"count":3,"label":"en","value":"en"},{"count":1,"label":"fr","value":"fr"}])");
}

BOOST_AUTO_TEST_SUITE_END()
