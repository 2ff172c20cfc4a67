// Tests of search-server/http/connection_limit.hpp: the cap on connections from the
// descriptor limit, and the caps in all and per client address.

#include <boost/test/unit_test.hpp>

#include <string>

#include "http/connection_limit.hpp"

BOOST_AUTO_TEST_SUITE(connection_limit)

BOOST_AUTO_TEST_CASE(connection_cap_keeps_descriptors_in_reserve) {
  using evidence::server::connection_cap;
  BOOST_TEST(connection_cap(10000, 1048576) == 10000U);
  BOOST_TEST(connection_cap(10000, 1024) == 896U);  // 128 kept for files
  BOOST_TEST(connection_cap(50, 1024) == 50U);
  BOOST_TEST(connection_cap(10000, 200) == 100U);  // a tiny limit: half of it
  BOOST_TEST(connection_cap(10000, 1) == 1U);
}

BOOST_AUTO_TEST_CASE(connection_limit_counts_slots) {
  evidence::server::ConnectionLimit limit({2, 10, 10});
  std::string refused;
  auto a = limit.acquire("127.0.0.1", &refused);
  auto b = limit.acquire("127.0.0.2", &refused);
  BOOST_TEST(static_cast<bool>(a));
  BOOST_TEST(static_cast<bool>(b));
  BOOST_TEST(!limit.acquire("127.0.0.3", &refused));
  BOOST_TEST(refused == "connection limit of 2 reached");
  BOOST_TEST(limit.open() == 2U);
  b.reset();
  BOOST_TEST(limit.open() == 1U);
  BOOST_TEST(
      static_cast<bool>(limit.acquire("127.0.0.3", &refused)));  // given back at once: the temporary is gone
  BOOST_TEST(limit.open() == 1U);
}

BOOST_AUTO_TEST_CASE(one_address_at_its_cap_leaves_room_for_others) {
  evidence::server::ConnectionLimit limit({100, 3, 2});
  std::string refused;
  auto a = limit.acquire("10.0.0.1", &refused);
  auto b = limit.acquire("10.0.0.1", &refused);
  BOOST_REQUIRE(a && b);
  // Two connections without a request header yet: a third from the address waits its turn.
  BOOST_TEST(!limit.acquire("10.0.0.1", &refused));
  BOOST_TEST(refused == "10.0.0.1 holds 2 connections that have not sent a request header, its limit");
  BOOST_TEST(static_cast<bool>(limit.acquire("10.0.0.2", &refused)));
  a->header_received();
  a->header_received();  // once only
  auto c = limit.acquire("10.0.0.1", &refused);
  BOOST_REQUIRE(c);
  c->header_received();
  b->header_received();
  BOOST_TEST(!limit.acquire("10.0.0.1", &refused));
  BOOST_TEST(refused == "10.0.0.1 holds 3 connections, its limit");
  auto other = limit.acquire("10.0.0.2", &refused);
  BOOST_TEST(static_cast<bool>(other));
  c.reset();
  BOOST_TEST(static_cast<bool>(limit.acquire("10.0.0.1", &refused)));
  BOOST_TEST(limit.open() == 3U);  // a, b and other
}

BOOST_AUTO_TEST_CASE(ipv6_clients_count_by_their_64_network) {
  using evidence::server::address_key;
  BOOST_TEST(address_key("127.0.0.1") == "127.0.0.1");
  BOOST_TEST(address_key("::ffff:192.0.2.7") == "192.0.2.7");
  BOOST_TEST(address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  BOOST_TEST(address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64");
  BOOST_TEST(address_key("::1") == "::/64");
  evidence::server::ConnectionLimit limit({100, 1, 1});
  std::string refused;
  auto a = limit.acquire("2001:db8:1:2::1", &refused);
  BOOST_TEST(static_cast<bool>(a));
  BOOST_TEST(!limit.acquire("2001:db8:1:2::2", &refused));
  BOOST_TEST(static_cast<bool>(limit.acquire("2001:db8:1:3::1", &refused)));
}

BOOST_AUTO_TEST_SUITE_END()
