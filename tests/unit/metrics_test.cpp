// Tests of search-server/api/metrics.hpp: the text format of the
// counters and histograms, and the gauges read from the index's health.

#include <boost/test/unit_test.hpp>

#include "metrics.hpp"

using evidence::server::gauges_text;
using evidence::server::IndexHealth;
using evidence::server::IndexStatus;
using evidence::server::RequestMetrics;
using evidence::server::ShardHealth;

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(counters_and_cumulative_buckets) {
  RequestMetrics metrics;
  metrics.record("search", 200, 0.0004);
  metrics.record("search", 200, 0.003);
  metrics.record("search", 400, 7.0);
  std::string text = metrics.render();
  for (const char* line : {"evidence_http_requests_total{route=\"search\",code=\"200\"} 2\n",
                           "evidence_http_requests_total{route=\"search\",code=\"400\"} 1\n",
                           "evidence_http_request_duration_seconds_bucket{route=\"search\",le=\"0.001\"} 1\n",
                           "evidence_http_request_duration_seconds_bucket{route=\"search\",le=\"0.0025\"} 1\n",
                           "evidence_http_request_duration_seconds_bucket{route=\"search\",le=\"0.005\"} 2\n",
                           "evidence_http_request_duration_seconds_bucket{route=\"search\",le=\"2.5\"} 2\n",
                           "evidence_http_request_duration_seconds_bucket{route=\"search\",le=\"+Inf\"} 3\n",
                           "evidence_http_request_duration_seconds_sum{route=\"search\"} 7.0034\n",
                           "evidence_http_request_duration_seconds_count{route=\"search\"} 3\n",
                           "# TYPE evidence_http_request_duration_seconds histogram\n"}) {
    BOOST_TEST(text.find(line) != std::string::npos, line);
  }
}

BOOST_AUTO_TEST_CASE(gauges_name_each_shard) {
  IndexHealth health;
  health.status = IndexStatus::kDegraded;
  health.documents = 4;
  health.pages = 30;
  ShardHealth harbour;
  harbour.name = "harbour";
  harbour.answers = true;
  harbour.documents = 4;
  ShardHealth lumen;
  lumen.name = "lu\"men";
  lumen.error = "down";
  health.shards = std::vector<ShardHealth>{harbour, lumen};
  std::string text = gauges_text(health, 7);
  for (const char* line : {"evidence_index_up 1\n", "evidence_index_documents 4\n", "evidence_index_pages 30\n",
                           "evidence_shard_up{shard=\"harbour\"} 1\n", "evidence_shard_up{shard=\"lu\\\"men\"} 0\n",
                           "evidence_shard_documents{shard=\"harbour\"} 4\n", "evidence_http_connections_open 7\n"}) {
    BOOST_TEST(text.find(line) != std::string::npos, line);
  }
  BOOST_TEST(text.find("evidence_shard_documents{shard=\"lu") == std::string::npos);
  BOOST_TEST(gauges_text(IndexHealth{}, 0).find("evidence_index_up 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
