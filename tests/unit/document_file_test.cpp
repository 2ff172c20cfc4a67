// Tests of search-server/api/document_file.hpp: Range headers, HTTP dates and
// Content-Disposition (the file serving itself is tested through the real server in
// integration/document_routes_test.cpp).

#include <boost/test/unit_test.hpp>

#include "document_file.hpp"

namespace {

using evidence::server::ByteRange;
using evidence::server::content_disposition;
using evidence::server::http_date;
using evidence::server::parse_byte_range;
using evidence::server::parse_http_date;

// "part 10+5", "whole", "unsatisfiable": a range as a short string, to compare exactly.
std::string show(const ByteRange& range) {
  switch (range.kind) {
    case ByteRange::Kind::kWhole: return "whole";
    case ByteRange::Kind::kUnsatisfiable: return "unsatisfiable";
    case ByteRange::Kind::kPart: return "part " + std::to_string(range.first) + "+" + std::to_string(range.length);
  }
  return "?";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(document_file)

BOOST_AUTO_TEST_CASE(single_ranges) {
  BOOST_TEST(show(parse_byte_range("bytes=0-99", 1000)) == "part 0+100");
  BOOST_TEST(show(parse_byte_range("bytes=990-2000", 1000)) == "part 990+10");
  BOOST_TEST(show(parse_byte_range("bytes=500-", 1000)) == "part 500+500");
  BOOST_TEST(show(parse_byte_range("bytes=-300", 1000)) == "part 700+300");
  BOOST_TEST(show(parse_byte_range("bytes=-3000", 1000)) == "part 0+1000");
  BOOST_TEST(show(parse_byte_range("Bytes = 7-7 ", 1000)) == "part 7+1");
}

BOOST_AUTO_TEST_CASE(unsatisfiable_ranges) {
  BOOST_TEST(show(parse_byte_range("bytes=1000-", 1000)) == "unsatisfiable");
  BOOST_TEST(show(parse_byte_range("bytes=5000-6000", 1000)) == "unsatisfiable");
  BOOST_TEST(show(parse_byte_range("bytes=-0", 1000)) == "unsatisfiable");
}

BOOST_AUTO_TEST_CASE(ranges_that_are_ignored) {
  // Several ranges are answered with the whole file (a server may ignore Range).
  BOOST_TEST(show(parse_byte_range("bytes=0-1,5-6", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("items=0-1", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("bytes=9-1", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("bytes=a-b", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("bytes=", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("bytes=-", 1000)) == "whole");
  BOOST_TEST(show(parse_byte_range("bytes=1-2-3", 1000)) == "whole");
}

BOOST_AUTO_TEST_CASE(http_dates) {
  BOOST_TEST(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  BOOST_TEST(http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  BOOST_TEST(*parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  BOOST_TEST(*parse_http_date("Sat, 28 Nov 2026 16:33:21 GMT") == 1795883601);
  BOOST_TEST(!parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  BOOST_TEST(!parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
  BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT").has_value());
  BOOST_TEST(!parse_http_date("").has_value());
}

BOOST_AUTO_TEST_CASE(content_disposition_names) {
  BOOST_TEST(content_disposition("annual-report-2023.pdf") == "inline; filename=\"annual-report-2023.pdf\"");
  BOOST_TEST(content_disposition("shelter guide.pdf") == "inline; filename=\"shelter guide.pdf\"");
  BOOST_TEST(content_disposition("Informe año 2021.pdf") ==
             "inline; filename=\"Informe a__o 2021.pdf\"; filename*=UTF-8''Informe%20a%C3%B1o%202021.pdf");
  BOOST_TEST(content_disposition("say \"hi\".pdf") ==
             "inline; filename=\"say _hi_.pdf\"; filename*=UTF-8''say%20%22hi%22.pdf");
  // Bytes that are not UTF-8 cannot be named in filename*: only the fallback is given.
  BOOST_TEST(content_disposition("caf\xe9.pdf") == "inline; filename=\"caf_.pdf\"");
}

BOOST_AUTO_TEST_SUITE_END()
