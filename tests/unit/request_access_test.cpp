// Tests of search-server/api/request_access.hpp: which --request-access templates are taken,
// with exact reasons for those that are not, and the link a listed document gets.

#include <boost/test/unit_test.hpp>

#include <string>

#include "request_access.hpp"

namespace {

using evidence::server::request_access_link;
using evidence::server::request_access_problem;

std::string problem(const std::string& url_template) {
  return request_access_problem(url_template).value_or("(none)");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_access)

BOOST_AUTO_TEST_CASE(mailto_and_https_templates_are_taken) {
  BOOST_TEST(problem("mailto:library@example.org?subject=Access%20to%20{title}&body={link}") == "(none)");
  BOOST_TEST(problem("https://example.org/request?doc={id}&title={title}") == "(none)");
  BOOST_TEST(problem("https://example.org/ask") == "(none)");  // no placeholder: one form for all
}

BOOST_AUTO_TEST_CASE(bad_templates_are_named) {
  const std::string example = " (mailto:library@example.org?subject=Access%20to%20{title}&body={link})";
  BOOST_TEST(problem("http://example.org/ask?{id}") == "must be a mailto: or https:// URL" + example);
  BOOST_TEST(problem("library@example.org") == "must be a mailto: or https:// URL" + example);
  BOOST_TEST(problem("mailto:") == "must name an address after mailto:" + example);
  BOOST_TEST(problem("mailto:?subject={title}") == "must name an address after mailto:" + example);
  BOOST_TEST(problem("https:///ask") == "must name a host after https://" + example);
  BOOST_TEST(problem("https://example.org/ask?title={title} please") ==
             "must not hold white space, quotes, backslashes or angle brackets: write them percent-encoded "
             "(a space as %20)");
  BOOST_TEST(problem("https://example.org/\"><script>") ==
             "must not hold white space, quotes, backslashes or angle brackets: write them percent-encoded "
             "(a space as %20)");
  BOOST_TEST(problem("https://example.org/ask?doc={name}") ==
             "has {name} where only the placeholders {title}, {id} and {link} may stand");
  BOOST_TEST(problem("https://example.org/ask?doc={id") ==
             "has { where only the placeholders {title}, {id} and {link} may stand");
  BOOST_TEST(problem("https://example.org/ask?doc=id}") ==
             "has } where only the placeholders {title}, {id} and {link} may stand");
  BOOST_TEST(problem("https://example.org/" + std::string(2000, 'a')) == "is longer than 2000 bytes");
}

BOOST_AUTO_TEST_CASE(the_link_fills_in_title_id_and_stable_link_encoded) {
  BOOST_TEST(request_access_link("mailto:library@example.org?subject=Access%20to%20{title}&body={link}",
                                 "Minutes: May & June", "minutes-2024", "https://evidence.example.org") ==
             "mailto:library@example.org?subject=Access%20to%20Minutes%3A%20May%20%26%20June&body="
             "https%3A%2F%2Fevidence.example.org%2Fd%2Fminutes-2024");
  BOOST_TEST(request_access_link("https://example.org/ask?doc={id}&t={title}", "Épreuve", "net.draft-1",
                                 "https://x.org") ==
             "https://example.org/ask?doc=net.draft-1&t=%C3%89preuve");
  // Without a public address, the stable link is relative.
  BOOST_TEST(request_access_link("https://example.org/ask?l={link}", "T", "a", "") ==
             "https://example.org/ask?l=%2Fd%2Fa");
}

BOOST_AUTO_TEST_SUITE_END()
