// Tests of search-server/web/search_state.hpp: the search page's state read from its URL,
// and every link as that state changed.

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "params.hpp"
#include "web/search_state.hpp"

namespace web = evidence::server::web;
using evidence::server::parse_target;

namespace {

web::SearchState state_of(const std::string& target) {
  return web::SearchState(parse_target(target).value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(search_state)

BOOST_AUTO_TEST_CASE(search_state_links_add_and_remove_filters) {
  web::SearchState state = state_of("/?q=shelter&country=GB&offset=20&limit=99&unknown=1&sort=relevance");
  BOOST_TEST(state.url() == "/?q=shelter&country=GB&offset=20");
  BOOST_TEST(state.api_target() == "/api/search?q=shelter&country=GB&offset=20&limit=10");
  // Changing the filters goes back to the first page; OR within a facet, AND across.
  BOOST_TEST(state.with_filter("country", "NG").url() == "/?q=shelter&country=GB&country=NG");
  BOOST_TEST(state.with_filter("country", "GB").url() == "/?q=shelter&country=GB");
  BOOST_TEST(state.with_filter("theme", "housing").url() == "/?q=shelter&country=GB&theme=housing");
  BOOST_TEST(state.without_filter("country", "GB").url() == "/?q=shelter");
  BOOST_TEST(state.with_years("2015", "2020").url() == "/?q=shelter&country=GB&year_from=2015&year_to=2020");
  BOOST_TEST(state.with_sort("newest").url() == "/?q=shelter&country=GB&sort=newest");
  BOOST_TEST(state.with_offset(30).url() == "/?q=shelter&country=GB&offset=30");
  BOOST_TEST(state.without_filters().url() == "/?q=shelter");
  BOOST_TEST(state.with_filter("nonsense", "x").url() == "/?q=shelter&country=GB");
  // Forms keep the query, the filters and the order, not the position.
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  BOOST_TEST((state_of("/?q=a&sort=newest&offset=10&year_to=2020").form_params() ==
              Pairs{{"q", "a"}, {"year_to", "2020"}, {"sort", "newest"}}));
  BOOST_TEST(!state_of("/").searching());
  BOOST_TEST(!state_of("/?q=+%20").searching());
  BOOST_TEST(state_of("/?type=report").searching());
}

BOOST_AUTO_TEST_SUITE_END()
