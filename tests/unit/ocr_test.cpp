// Tests of indexer/ocr.hpp: the Tesseract language for a document's language. (The worker's
// OCR of scanned pages is in extraction_test.cpp; through the real indexer and server, in
// integration/ocr_test.cpp.)

#include <boost/test/unit_test.hpp>

#include "ocr.hpp"

BOOST_AUTO_TEST_SUITE(ocr)

BOOST_AUTO_TEST_CASE(tesseract_languages) {
  using evidence::indexer::tesseract_language;
  BOOST_TEST(tesseract_language("en") == "eng");
  BOOST_TEST(tesseract_language("fr-CA") == "fra");
  BOOST_TEST(tesseract_language("es") == "spa");
  BOOST_TEST(tesseract_language("de") == "deu");
  BOOST_TEST(tesseract_language("pt-BR") == "por");
  BOOST_TEST(tesseract_language("zh-Hant") == "chi_tra");
  BOOST_TEST(tesseract_language("zh") == "chi_sim");
  BOOST_TEST(tesseract_language("sw") == "eng");
  BOOST_TEST(tesseract_language("") == "eng");
}

BOOST_AUTO_TEST_SUITE_END()
