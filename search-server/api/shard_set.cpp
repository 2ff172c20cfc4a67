#include "shard_set.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "index_layout.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

Error invalid(const std::string& where, const std::string& reason) {
  return Error{ErrorCode::kInvalidArgument, "shards file: " + where + ": " + reason};
}

// A string field, or kInvalidArgument; empty when absent and not required.
core::Result<std::string> text_field(const json& object, const std::string& where, const char* name, bool required) {
  auto it = object.find(name);
  if (it == object.end()) {
    if (required) return invalid(where, std::string("'") + name + "' is required");
    return std::string();
  }
  if (!it->is_string() || it->get<std::string>().empty()) {
    return invalid(where, std::string("'") + name + "' must be a non-empty string");
  }
  return it->get<std::string>();
}

core::Result<std::chrono::milliseconds> millis_field(const json& object, const char* name,
                                                     std::chrono::milliseconds fallback) {
  auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 600000) {
    return invalid(name, "must be a whole number of milliseconds from 1 to 600000");
  }
  return std::chrono::milliseconds(it->get<long long>());
}

// "host:port" (or "[v6]:port") → host and port.
core::Status read_remote(const std::string& address, const std::string& where, Shard& shard) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return invalid(where, "'remote' must be host:port");
  }
  std::string host = address.substr(0, colon);
  // A name or IPv4 address, or an IPv6 address in brackets (as the schema says).
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  bool valid = bracketed ? !host.empty() && host.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos
                         : host.find_first_of(":[]") == std::string::npos;
  if (!valid) return invalid(where, "'remote' has no valid host: " + address);
  std::string port = address.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) < 1 ||
      std::stoi(port) > 65535) {
    return invalid(where, "'remote' has no valid port: " + address);
  }
  shard.host = host;
  shard.port = static_cast<unsigned short>(std::stoi(port));
  return {};
}

core::Result<Shard> read_shard(const json& entry, std::size_t index, const std::filesystem::path& base) {
  std::string where = "shards[" + std::to_string(index) + "]";
  if (!entry.is_object()) return invalid(where, "must be an object");
  for (const auto& [key, value] : entry.items()) {
    static const std::set<std::string> kKnown = {"name", "index", "remote", "corpus", "pdf_base_url"};
    if (!kKnown.count(key)) return invalid(where, "unknown field '" + key + "'");
  }
  Shard shard;
  auto name = text_field(entry, where, "name", true);
  if (!name) return name.error();
  if (!core::layout::is_valid_shard_name(*name)) {
    return invalid(where, "'name' must be 1 to 32 of a-z, 0-9 and '-' (the name given to evidence-index --shard)");
  }
  shard.name = *name;
  where = "shard '" + shard.name + "'";
  auto folder = text_field(entry, where, "index", false);
  auto remote = text_field(entry, where, "remote", false);
  auto corpus = text_field(entry, where, "corpus", false);
  auto pdf_base_url = text_field(entry, where, "pdf_base_url", false);
  for (const auto* field : {&folder, &remote, &corpus, &pdf_base_url}) {
    if (!*field) return field->error();
  }
  if (folder->empty() == remote->empty()) return invalid(where, "give either 'index' (a folder) or 'remote' (host:port)");
  if (!folder->empty()) shard.index = base / *folder;
  if (!remote->empty()) {
    if (auto read = read_remote(*remote, where, shard); !read) return read.error();
  }
  if (!corpus->empty()) shard.corpus = base / *corpus;
  shard.pdf_base_url = *pdf_base_url;
  if (!shard.pdf_base_url.empty() && shard.pdf_base_url.rfind("http://", 0) != 0 &&
      shard.pdf_base_url.rfind("https://", 0) != 0) {
    return invalid(where, "'pdf_base_url' must be an http:// or https:// URL");
  }
  if (!shard.pdf_base_url.empty() && shard.pdf_base_url.back() != '/') shard.pdf_base_url += '/';
  return shard;
}

}  // namespace

std::string Shard::address() const {
  if (!remote()) return index.string();
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ShardSet single_index(std::filesystem::path index, std::filesystem::path corpus) {
  ShardSet set;
  Shard shard;
  shard.index = std::move(index);
  shard.corpus = std::move(corpus);
  set.shards.push_back(std::move(shard));
  return set;
}

core::Result<ShardSet> parse_shard_set(const std::string& text, const std::filesystem::path& base) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return invalid("(file)", "not a JSON object");
  for (const auto& [key, value] : root.items()) {
    static const std::set<std::string> kKnown = {"$schema", "shards", "timeout_ms", "connect_timeout_ms", "retry_ms"};
    if (!kKnown.count(key)) return invalid("(file)", "unknown field '" + key + "'");
  }
  ShardSet set;
  auto timeout = millis_field(root, "timeout_ms", set.timeout);
  auto connect_timeout = millis_field(root, "connect_timeout_ms", set.connect_timeout);
  auto retry = millis_field(root, "retry_ms", set.retry_interval);
  for (const auto* field : {&timeout, &connect_timeout, &retry}) {
    if (!*field) return field->error();
  }
  set.timeout = *timeout;
  set.connect_timeout = *connect_timeout;
  set.retry_interval = *retry;
  auto shards = root.find("shards");
  if (shards == root.end() || !shards->is_array() || shards->empty()) {
    return invalid("shards", "a list of at least one shard is required");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < shards->size(); ++i) {
    auto shard = read_shard((*shards)[i], i, base);
    if (!shard) return shard.error();
    if (!names.insert(shard->name).second) return invalid("shard '" + shard->name + "'", "the name is used twice");
    set.shards.push_back(std::move(shard).value());
  }
  return set;
}

core::Result<ShardSet> load_shard_set(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, "cannot read the shards file " + file.string()};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_shard_set(text.str(), file.parent_path());
}

}  // namespace evidence::server
