// The real evidence-server under load and abuse on loopback: while one client keeps
// searching over keep-alive, other sockets hold ~2000 idle connections, dribble headers a
// byte at a time (slowloris), and send oversized headers, oversized bodies and malformed
// HTTP. The searching client never fails and stays fast; afterwards the server's open
// descriptors and resident memory are back near where they were.
#define BOOST_TEST_MODULE server_load
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "skip.hpp"
#include "test_support.hpp"

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kIdleConnections = 2000;

// Under a sanitizer the server's resident memory says little: ASan keeps freed memory in
// its quarantine (256 MB by default) and TSan keeps shadow state, so RSS is not compared.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kCompareMemory = false;
#else
constexpr bool kCompareMemory = true;
#endif
constexpr int kRequestTimeout = 3;  // the server's --request-timeout in this test

std::size_t open_fds(pid_t pid) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++n;
  return n;
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Everything the server sends until it closes the connection or timeout passes.
std::string read_until_closed(int fd, std::chrono::milliseconds timeout, bool* closed = nullptr) {
  std::string reply;
  auto deadline = Clock::now() + timeout;
  if (closed) *closed = false;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) break;
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      if (closed) *closed = true;
      break;
    }
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  return reply;
}

// Sends bytes on a new connection and returns the status line of the answer.
std::string status_line_for(unsigned short port, const std::string& bytes) {
  int fd = connect_loopback(port);
  if (fd < 0) return "(connect failed)";
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string reply = read_until_closed(fd, std::chrono::seconds(5));
  ::close(fd);
  return reply.substr(0, reply.find("\r\n"));
}

struct SearchStats {
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::vector<double> latencies_ms;  // written by the searching thread only
  std::string first_failure;
};

void keep_searching(unsigned short port, SearchStats& stats, int& connections) {
  HttpClient client(port);
  const char* queries[] = {"reintegration", "labour+inspection", "%22shelter+grants%22", "kestrel+OR+labour"};
  for (int i = 0; !stats.stop.load(); ++i) {
    auto started = Clock::now();
    try {
      auto result = client.get(std::string("/api/search?q=") + queries[i % 4]);
      if (result.status != 200) {
        if (stats.failures++ == 0) stats.first_failure = "status " + std::to_string(result.status) + ": " + result.body;
      }
    } catch (const std::exception& e) {
      if (stats.failures++ == 0) stats.first_failure = e.what();
    }
    stats.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    ++stats.requests;
  }
  connections = client.connections();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Raises this process's soft open-file limit to its hard limit; returns the soft limit.
rlim_t raise_own_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_load)

BOOST_AUTO_TEST_CASE(abuse_does_not_stop_a_searching_client) {
  rlim_t hard = raise_own_file_limit();
  if (hard < kIdleConnections + 512) {
    evidence::testing::skip_test("the open-file limit here is " + std::to_string(hard) +
                                 "; this test needs " + std::to_string(kIdleConnections + 512));
    return;
  }
  LibraryFixture library;
  for (int d = 0; d < 6; ++d) {
    library.add_pdf("doc-" + std::to_string(d) + ".pdf",
                    {"Reintegration grants and labour inspection, region " + std::to_string(d) + ".",
                     "Shelter grants and kestrel counts, page two of " + std::to_string(d) + "."});
  }
  BOOST_REQUIRE(library.index_corpus()["added"] == 6);

  // The server starts with the soft limit most systems give (1024): it must raise it itself.
  rlimit own{};
  ::getrlimit(RLIMIT_NOFILE, &own);
  rlimit low = own;
  low.rlim_cur = 1024;
  ::setrlimit(RLIMIT_NOFILE, &low);
  library.start_server({"--request-timeout", std::to_string(kRequestTimeout), "--header-timeout",
                        std::to_string(kRequestTimeout), "--idle-timeout", "5"});
  ServerProcess& server = *library.server;
  ::setrlimit(RLIMIT_NOFILE, &own);
  pid_t pid = server.child().pid();

  // Warm up from several clients at once, so that each server thread opens its index handle.
  std::vector<std::thread> warmers;
  std::atomic<int> warm_failures{0};
  for (int t = 0; t < 4; ++t) {
    warmers.emplace_back([&] {
      HttpClient warm(server.port());
      for (int i = 0; i < 30; ++i) {
        if (warm.get("/api/search?q=reintegration").status != 200) ++warm_failures;
      }
    });
  }
  for (auto& warmer : warmers) warmer.join();
  BOOST_REQUIRE(warm_failures == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::size_t fds_before = open_fds(pid);
  long rss_before = rss_kib(pid);

  SearchStats stats;
  int search_connections = 0;
  std::thread searcher(keep_searching, server.port(), std::ref(stats), std::ref(search_connections));
  auto abuse_started = Clock::now();

  // ~2000 idle connections from 40 addresses (50 each, under the per-address caps), all
  // accepted: the server raised its own descriptor limit.
  std::vector<int> idle;
  for (std::size_t i = 0; i < kIdleConnections; ++i) {
    int fd = connect_loopback(server.port(), "127.0.1." + std::to_string(1 + i % 40));
    if (fd >= 0) idle.push_back(fd);
  }
  BOOST_TEST(idle.size() == kIdleConnections);
  std::size_t fds_busy = 0;
  for (int i = 0; i < 50 && fds_busy < fds_before + kIdleConnections; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fds_busy = open_fds(pid);
  }
  BOOST_TEST(fds_busy >= fds_before + kIdleConnections);

  // Slowloris: 50 connections dribble a header a byte at a time; each is closed by the
  // server once its header has taken longer than --header-timeout.
  std::vector<int> slow;
  for (int i = 0; i < 50; ++i) slow.push_back(connect_loopback(server.port(), "127.0.2.1"));
  const std::string dribble = "GET /api/search?q=reintegration HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a');
  std::vector<bool> slow_closed(slow.size(), false);
  auto slow_started = Clock::now();
  for (std::size_t byte = 0; byte < dribble.size() && Clock::now() - slow_started < std::chrono::seconds(kRequestTimeout + 3);
       ++byte) {
    for (std::size_t s = 0; s < slow.size(); ++s) {
      if (!slow_closed[s] && ::send(slow[s], &dribble[byte], 1, MSG_NOSIGNAL) < 0) slow_closed[s] = true;
    }
    // Between bytes: oversized headers, oversized bodies and malformed requests.
    if (byte % 4 == 0) {
      BOOST_TEST(status_line_for(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') +
                                                    "\r\n\r\n") == "HTTP/1.1 431 Request Header Fields Too Large");
      BOOST_TEST(status_line_for(server.port(), "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n") ==
                 "HTTP/1.1 413 Payload Too Large");
      BOOST_TEST(status_line_for(server.port(), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n") ==
                 "HTTP/1.1 400 Bad Request");
      BOOST_TEST(status_line_for(server.port(), std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)) ==
                 "HTTP/1.1 400 Bad Request");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto slow_deadline = slow_started + std::chrono::seconds(kRequestTimeout + 3);
  for (std::size_t s = 0; s < slow.size(); ++s) {
    bool closed = slow_closed[s];
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(slow_deadline - Clock::now());
    if (!closed) read_until_closed(slow[s], std::max(left, std::chrono::milliseconds(1)), &closed);
    BOOST_TEST(closed, "slowloris connection " << s << " still open after " << kRequestTimeout + 3 << " s");
    ::close(slow[s]);
  }
  for (int fd : idle) ::close(fd);
  double abuse_seconds = std::chrono::duration<double>(Clock::now() - abuse_started).count();

  stats.stop = true;
  searcher.join();
  BOOST_TEST_MESSAGE("abuse for " << abuse_seconds << " s; searches " << stats.requests << ", p50 "
                                  << percentile(stats.latencies_ms, 0.5) << " ms, p99 "
                                  << percentile(stats.latencies_ms, 0.99) << " ms, max "
                                  << percentile(stats.latencies_ms, 1.0) << " ms");
  BOOST_TEST(stats.failures == 0, stats.first_failure);
  BOOST_TEST(search_connections == 1);  // the kept-alive connection was never dropped
  BOOST_TEST(stats.requests > 50);
  // How fast it stayed is measured by bench/abuse.sh, not asserted here: under a sanitizer
  // on two loaded cores any bound on time is a guess.

  // Back to where it was: every abusive connection's descriptor closed, memory flat.
  std::size_t fds_after = open_fds(pid);
  // A server thread that had not searched before opens its own index handle (about 5 files).
  constexpr std::size_t kSlack = 8;
  for (int i = 0; i < 100 && fds_after > fds_before + kSlack; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fds_after = open_fds(pid);
  }
  long rss_after = rss_kib(pid);
  BOOST_TEST_MESSAGE("server fds " << fds_before << " -> " << fds_busy << " -> " << fds_after << "; RSS "
                                   << rss_before / 1024 << " MiB -> " << rss_after / 1024 << " MiB");
  BOOST_TEST(fds_after <= fds_before + kSlack);
  if (kCompareMemory) {
    BOOST_TEST(rss_after < rss_before + 32 * 1024);
  } else {
    BOOST_TEST_MESSAGE("RSS not compared under a sanitizer (quarantine and shadow memory)");
  }
  HttpClient after(server.port());
  BOOST_TEST(after.get("/api/search?q=reintegration").status == 200);
}

// One address that opens connection after connection and never finishes a header (the
// issue's flood: 10,050 sockets sending "GET /healthz HTTP/1.1\r\n") holds at most its own
// caps: the server keeps accepting and answering everyone else, closes the flood's
// connections when their header deadline passes, and serves that address again after.
BOOST_AUTO_TEST_CASE(one_address_at_its_cap_does_not_stop_another) {
  raise_own_file_limit();
  LibraryFixture library;
  library.add_pdf("doc.pdf", {"Reintegration grants for survivors.", "Labour inspection."});
  BOOST_REQUIRE(library.index_corpus()["added"] == 1);
  constexpr int kUnfinishedCap = 30;
  library.start_server({"--max-connections-per-address", "60", "--max-unfinished-per-address",
                        std::to_string(kUnfinishedCap), "--header-timeout", "10"});
  ServerProcess& server = *library.server;
  const std::string flood_address = "127.0.0.2";
  std::vector<int> flood;
  for (int i = 0; i < 300; ++i) {
    int fd = connect_loopback(server.port(), flood_address);
    BOOST_REQUIRE(fd >= 0);
    ::send(fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
    flood.push_back(fd);
  }
  // The server closes what is over the cap at once, without an answer; what it holds stays
  // open until the header deadline (10 s here).
  auto closed_now = [&] {
    std::size_t closed = 0;
    for (int fd : flood) {
      pollfd p{fd, POLLIN, 0};
      char byte;
      if (::poll(&p, 1, 0) == 1 && ::recv(fd, &byte, 1, MSG_PEEK) == 0) ++closed;
    }
    return closed;
  };
  std::size_t refused = 0;
  for (int i = 0; i < 50 && refused < flood.size() - kUnfinishedCap; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    refused = closed_now();
  }
  BOOST_TEST(refused == flood.size() - kUnfinishedCap);

  // Meanwhile others are served: the usual client, and one from a third address.
  HttpClient local(server.port());
  BOOST_TEST(local.get("/api/search?q=reintegration").status == 200);
  int third = connect_loopback(server.port(), "127.0.0.3");
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ::send(third, health.data(), health.size(), MSG_NOSIGNAL);
  std::string answer = read_until_closed(third, std::chrono::seconds(10));
  BOOST_TEST(answer.rfind("HTTP/1.1 200", 0) == 0U, answer.substr(0, 80));
  ::close(third);

  // The flood's held connections end when their header deadline passes; the
  // address is then served like any other.
  for (int fd : flood) {
    bool closed = false;
    read_until_closed(fd, std::chrono::seconds(30), &closed);
    BOOST_TEST(closed);
    ::close(fd);
  }
  int again = connect_loopback(server.port(), flood_address);
  ::send(again, health.data(), health.size(), MSG_NOSIGNAL);
  answer = read_until_closed(again, std::chrono::seconds(10));
  BOOST_TEST(answer.rfind("HTTP/1.1 200", 0) == 0U, answer.substr(0, 80));
  ::close(again);
}

BOOST_AUTO_TEST_SUITE_END()
