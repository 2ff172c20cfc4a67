// Tests of common/index_layout.hpp: the terms and ids of the index, languages and their
// stemmers.

#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>

#include <xapian.h>

#include "index_layout.hpp"

namespace layout = evidence::core::layout;

BOOST_AUTO_TEST_SUITE(index_layout)

BOOST_AUTO_TEST_CASE(layout_terms) {
  BOOST_TEST(layout::document_id_term("doc-1") == "Qdoc-1");
  BOOST_TEST(layout::page_id_term("doc-1", 12) == "Qdoc-1/12");
  BOOST_TEST(layout::parent_term("doc-1") == "XPdoc-1");
  BOOST_TEST(layout::hash_term("abc123") == "XHabc123");
  BOOST_TEST(layout::language_term("fr-CA") == "XLfr");
  BOOST_TEST(layout::language_term("") == "XLen");
}

BOOST_AUTO_TEST_CASE(valid_document_ids) {
  for (const char* id : {"abc", "nrm-review-2022", "a.b_c-d", "0123456789abcdef", "9lives"}) {
    BOOST_TEST(layout::is_valid_document_id(id), id);
  }
  BOOST_TEST(layout::is_valid_document_id(std::string(64, 'a')));
  BOOST_TEST(
      layout::is_valid_document_id(layout::shard_document_id(std::string(32, 's'), std::string(64, 'a'))));
}

BOOST_AUTO_TEST_CASE(invalid_document_ids) {
  for (const char* id :
       {"", "ab", "Abc", "-abc", ".abc", "abc/def", "abc def", "caf\xC3\xA9", "ABCDEF0123456789"}) {
    BOOST_TEST(!layout::is_valid_document_id(id), id);
  }
  BOOST_TEST(!layout::is_valid_document_id(std::string(98, 'a')));
}

BOOST_AUTO_TEST_CASE(shard_names_and_sharded_ids) {
  for (const std::string name : {"a", "hope-shelter", "ngo7", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
    BOOST_TEST(layout::is_valid_shard_name(name), name);
  }
  for (const std::string name :
       {"", "-a", "Hope", "a.b", "a_b", "a b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
    BOOST_TEST(!layout::is_valid_shard_name(name), name);
  }
  BOOST_TEST(layout::shard_document_id("hope-shelter", "report-2021") == "hope-shelter.report-2021");
  BOOST_TEST(layout::shard_document_id("", "report-2021") == "report-2021");
}

BOOST_AUTO_TEST_CASE(content_document_id_is_the_first_16_hex_digits) {
  const std::string sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  BOOST_TEST(layout::content_document_id(sha) == "9f86d081884c7d65");
  BOOST_TEST(layout::is_valid_document_id(layout::content_document_id(sha)));
}

BOOST_AUTO_TEST_CASE(primary_language_subtag) {
  BOOST_TEST(layout::primary_language("pt-BR") == "pt");
  BOOST_TEST(layout::primary_language("EN-gb") == "en");
  BOOST_TEST(layout::primary_language("es-419") == "es");
  BOOST_TEST(layout::primary_language("fr") == "fr");
  BOOST_TEST(layout::primary_language("") == "en");
}

BOOST_AUTO_TEST_CASE(word_terms_are_words_and_their_stems) {
  for (const char* term : {"shelter", "Zshelter", "2021", "Z2021",
                           "\xC3\xA9"
                           "conomie",
                           "Z\xC3\xA9"
                           "conom",
                           "Z"}) {
    BOOST_TEST(layout::is_word_term(term) == (std::string(term) != "Z"), term);
  }
  for (const char* term :
       {"", "XLen", "XKpage", "Qreport-2021", "XPreport", "Sshelter", "ZSshelter", "XCgb"}) {
    BOOST_TEST(!layout::is_word_term(term), term);
  }
}

BOOST_AUTO_TEST_CASE(stemmer_per_language) {
  BOOST_TEST(layout::stemmer_for("en").get_description() == "Xapian::Stem(english)");
  BOOST_TEST(layout::stemmer_for("en")("running") == "run");
  BOOST_TEST(layout::stemmer_for("pt-BR").get_description() == "Xapian::Stem(portuguese)");
  BOOST_TEST(layout::stemmer_for("").get_description() == "Xapian::Stem(english)");
}

BOOST_AUTO_TEST_CASE(unknown_language_does_not_stem) {
  Xapian::Stem stem = layout::stemmer_for("xx");
  BOOST_TEST(stem.get_description() == "Xapian::Stem(none)");
  BOOST_TEST(stem("running") == "running");
}

BOOST_AUTO_TEST_CASE(thread_stemmer_is_made_once_per_language) {
  const Xapian::Stem& french = layout::thread_stemmer("fr-CA");
  BOOST_TEST(french.get_description() == "Xapian::Stem(french)");
  BOOST_TEST(&layout::thread_stemmer("FR") == &french);  // the same primary subtag
  BOOST_TEST(layout::thread_stemmer("xx").get_description() == "Xapian::Stem(none)");
  BOOST_TEST(&layout::thread_stemmer("xx") == &layout::thread_stemmer("xx"));
  // Another thread has its own.
  bool own = false;
  std::thread([&] { own = &layout::thread_stemmer("fr") != &french; }).join();
  BOOST_TEST(own);
}

BOOST_AUTO_TEST_SUITE_END()
