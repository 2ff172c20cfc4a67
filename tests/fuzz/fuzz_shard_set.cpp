// Fuzz target: the shards file of a portal (server::parse_shard_set), which an operator
// writes by hand. Properties: nothing throws; the only error is kInvalidArgument, with a
// message that names the file's part; reading is deterministic; a file that loads has at
// least one shard, names that are valid and unique, each shard either a local folder or a
// remote host and port (never both, never neither), and timeouts in range; and the set
// written back as a shards file (absolute folders, "host:port" addresses) reads back to
// the same set.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "index_layout.hpp"
#include "shard_set.hpp"

namespace {

namespace core = evidence::core;
namespace server = evidence::server;
using evidence::fuzz::check;

// The set as a shards file: parse -> write -> parse must give the same set.
std::string written(const server::ShardSet& set) {
  nlohmann::json shards = nlohmann::json::array();
  for (const auto& shard : set.shards) {
    nlohmann::json entry = {{"name", shard.name}};
    entry[shard.remote() ? "remote" : "index"] = shard.address();
    if (!shard.corpus.empty()) entry["corpus"] = shard.corpus.string();
    if (!shard.pdf_base_url.empty()) entry["pdf_base_url"] = shard.pdf_base_url;
    shards.push_back(entry);
  }
  return nlohmann::json{{"shards", shards},
                        {"timeout_ms", set.timeout.count()},
                        {"connect_timeout_ms", set.connect_timeout.count()},
                        {"retry_ms", set.retry_interval.count()}}
      .dump();
}

bool same_set(const server::ShardSet& a, const server::ShardSet& b) {
  if (a.shards.size() != b.shards.size() || a.timeout != b.timeout ||
      a.connect_timeout != b.connect_timeout || a.retry_interval != b.retry_interval) {
    return false;
  }
  for (std::size_t i = 0; i < a.shards.size(); ++i) {
    const auto& x = a.shards[i];
    const auto& y = b.shards[i];
    if (x.name != y.name || x.index != y.index || x.host != y.host || x.port != y.port ||
        x.corpus != y.corpus || x.pdf_base_url != y.pdf_base_url) {
      return false;
    }
  }
  return true;
}

void check_file(const std::string& text) {
  auto set = server::parse_shard_set(text, "/srv/portal");
  auto again = server::parse_shard_set(text, "/srv/portal");
  check(set.ok() == again.ok(), "reading is deterministic");
  if (!set) {
    check(set.error().code == core::ErrorCode::kInvalidArgument, "the only error is kInvalidArgument");
    check(set.error().message.rfind("shards file: ", 0) == 0, "an error names the shards file");
    check(set.error().message == again.error().message, "reading is deterministic (message)");
    return;
  }
  check(!set->shards.empty(), "a shards file has a shard");
  check(set->networked(), "a shards file makes a network");
  std::set<std::string> names;
  for (const auto& shard : set->shards) {
    check(core::layout::is_valid_shard_name(shard.name), "shard names are valid");
    check(names.insert(shard.name).second, "shard names are unique");
    check(shard.remote() == shard.index.empty(), "a shard is either local or remote");
    if (shard.remote()) {
      check(!shard.host.empty(), "a remote shard has a host");
      check(!shard.address().empty(), "a remote shard has an address");
    } else {
      check(shard.index.is_absolute(), "a local shard's folder is absolute");
    }
    if (!shard.pdf_base_url.empty()) check(shard.pdf_base_url.back() == '/', "a PDF base URL ends in /");
  }
  for (auto ms : {set->timeout, set->connect_timeout, set->retry_interval}) {
    check(ms.count() >= 1 && ms.count() <= 600000, "timeouts are in range");
  }
  check(same_set(*set, *again), "reading is deterministic (shards)");
  auto reread = server::parse_shard_set(written(*set), "/elsewhere");
  check(reread.ok() && same_set(*set, *reread), "a set written back reads back the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([&] { check_file(text); });
  return 0;
}
