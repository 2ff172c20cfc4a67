// Tests of search-server/api/shard_set.hpp: shards files read into a ShardSet, with errors
// that name the shard and the field; the file format agrees with schemas/shards.schema.json.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "schema_check.hpp"
#include "server_config.hpp"
#include "shard_set.hpp"

namespace {

using evidence::server::parse_shard_set;
using evidence::testing::schema_errors;

const char* const kExample = R"({"timeout_ms": 2000, "connect_timeout_ms": 1000, "retry_ms": 5000,
  "shards": [
    {"name": "harbour", "index": "var/shard-harbour", "corpus": "corpus/harbour"},
    {"name": "lumen", "remote": "10.0.0.5:7001", "pdf_base_url": "https://lumen.example.org/evidence/"},
    {"name": "northbridge", "remote": "[::1]:7001"}]})";

std::string error_of(const std::string& text) {
  auto set = parse_shard_set(text, "/srv/portal");
  return set ? std::string("(accepted)") : set.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shard_set)

BOOST_AUTO_TEST_CASE(reads_local_and_remote_shards) {
  auto set = parse_shard_set(kExample, "/srv/portal");
  BOOST_TEST_REQUIRE(set.ok());
  BOOST_TEST(set->timeout.count() == 2000);
  BOOST_TEST(set->shards.size() == 3U);
  BOOST_TEST(set->networked());
  const auto& harbour = set->shards[0];
  BOOST_TEST(!harbour.remote());
  BOOST_TEST(harbour.index == "/srv/portal/var/shard-harbour");
  BOOST_TEST(harbour.corpus == "/srv/portal/corpus/harbour");
  const auto& lumen = set->shards[1];
  BOOST_TEST(lumen.remote());
  BOOST_TEST(lumen.host == "10.0.0.5");
  BOOST_TEST(lumen.port == 7001);
  BOOST_TEST(lumen.address() == "10.0.0.5:7001");
  BOOST_TEST(lumen.pdf_base_url == "https://lumen.example.org/evidence/");
  BOOST_TEST(set->shards[2].host == "::1");
  BOOST_TEST(set->shards[2].address() == "[::1]:7001");
}

BOOST_AUTO_TEST_CASE(defaults_and_a_base_url_without_slash) {
  auto set = parse_shard_set(R"({"shards": [{"name": "a", "remote": "h:1", "pdf_base_url": "http://h/pdfs"}]})", "");
  BOOST_TEST_REQUIRE(set.ok());
  BOOST_TEST(set->timeout.count() == 2000);
  BOOST_TEST(set->connect_timeout.count() == 1000);
  BOOST_TEST(set->retry_interval.count() == 5000);
  BOOST_TEST(set->shards[0].pdf_base_url == "http://h/pdfs/");
}

BOOST_AUTO_TEST_CASE(errors_name_the_shard_and_the_field) {
  BOOST_TEST(error_of("[]") == "shards file: (file): not a JSON object");
  BOOST_TEST(error_of(R"({"shards": []})") == "shards file: shards: a list of at least one shard is required");
  BOOST_TEST(error_of(R"({"shard": []})") == "shards file: (file): unknown field 'shard'");
  BOOST_TEST(error_of(R"({"timeout_ms": 0, "shards": [{"name": "a", "index": "x"}]})") ==
             "shards file: timeout_ms: must be a whole number of milliseconds from 1 to 600000");
  BOOST_TEST(error_of(R"({"shards": [{"index": "x"}]})") == "shards file: shards[0]: 'name' is required");
  BOOST_TEST(error_of(R"({"shards": [{"name": "A.b", "index": "x"}]})") ==
             "shards file: shards[0]: 'name' must be 1 to 32 of a-z, 0-9 and '-' (the name given to evidence-index --shard)");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "index": "x", "remote": "h:1"}]})") ==
             "shards file: shard 'a': give either 'index' (a folder) or 'remote' (host:port)");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a"}]})") ==
             "shards file: shard 'a': give either 'index' (a folder) or 'remote' (host:port)");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "remote": "host"}]})") == "shards file: shard 'a': 'remote' must be host:port");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "remote": "host:99999"}]})") ==
             "shards file: shard 'a': 'remote' has no valid port: host:99999");
  for (const char* address : {"[]:1", "a:b:1", "[x]:1", "[::1:1"}) {
    BOOST_TEST(error_of(R"({"shards": [{"name": "a", "remote": ")" + std::string(address) + R"("}]})") ==
                   "shards file: shard 'a': 'remote' has no valid host: " + std::string(address),
               address);
  }
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "index": "x", "pdf_base_url": "ftp://h/"}]})") ==
             "shards file: shard 'a': 'pdf_base_url' must be an http:// or https:// URL");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "index": "x", "colour": "red"}]})") ==
             "shards file: shards[0]: unknown field 'colour'");
  BOOST_TEST(error_of(R"({"shards": [{"name": "a", "index": "x"}, {"name": "a", "index": "y"}]})") ==
             "shards file: shard 'a': the name is used twice");
}

BOOST_AUTO_TEST_CASE(the_schema_describes_the_same_files) {
  BOOST_TEST(schema_errors(nlohmann::json::parse(kExample), "../shards.schema.json") == "");
  for (const char* bad : {R"({"shards": [{"name": "a", "index": "x", "remote": "h:1"}]})",
                          R"({"shards": [{"name": "A", "index": "x"}]})", R"({"shards": []})",
                          R"({"shards": [{"name": "a", "remote": "host"}]})",
                          R"({"shards": [{"name": "a", "remote": "[]:1"}]})",
                          R"({"shards": [{"name": "a", "remote": "a:b:1"}]})"}) {
    BOOST_TEST(!schema_errors(nlohmann::json::parse(bad), "../shards.schema.json").empty(), bad);
    BOOST_TEST(error_of(bad) != "(accepted)", bad);
  }
}

BOOST_AUTO_TEST_CASE(the_server_refuses_to_start_on_a_bad_shards_file) {
  auto parsed = evidence::server::parse_server_args({"evidence-server", "--shards", "/nonexistent/shards.json"});
  BOOST_TEST(!parsed.config.has_value());
  BOOST_TEST(parsed.exit_code == 2);
  BOOST_TEST(parsed.message == "evidence-server: cannot read the shards file /nonexistent/shards.json\n");
}

BOOST_AUTO_TEST_SUITE_END()
