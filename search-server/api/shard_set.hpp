#pragma once
// The indexes one server searches as one: its own local index, or the shards of a network
// of member organisations (local index folders and xapian-tcpsrv servers), read from a
// JSON file described by schemas/shards.schema.json.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "error.hpp"

namespace evidence::server {

/// One shard: a member organisation's index.
struct Shard {
  std::string name;                  // the member organisation; empty for a server's one index
  std::filesystem::path index;       // a local index folder (or a replica), or
  std::string host;                  // the host and port of a xapian-tcpsrv serving it
  unsigned short port = 0;
  std::filesystem::path corpus;      // its PDFs, when this server can read them; else
  std::string pdf_base_url;          // where they are fetched: base URL + corpus-relative path

  bool remote() const { return port != 0; }
  /// "host:port" or the index folder.
  std::string address() const;
};

struct ShardSet {
  std::vector<Shard> shards;
  std::chrono::milliseconds timeout{2000};          // longest wait for a remote shard's answer
  std::chrono::milliseconds connect_timeout{1000};  // longest wait to connect to one
  std::chrono::milliseconds retry_interval{5000};   // a shard that failed is tried again after this

  /// True for a network of named shards: results then say which shard they come from.
  bool networked() const { return shards.size() > 1 || (shards.size() == 1 && !shards.front().name.empty()); }
};

/// The server's own index, unnamed.
ShardSet single_index(std::filesystem::path index, std::filesystem::path corpus);

/// Reads a shards file. Relative index and corpus folders are taken from the file's own
/// folder. Errors name the shard and the field.
core::Result<ShardSet> load_shard_set(const std::filesystem::path& file);

/// Parses the text of a shards file (base: where relative folders start).
core::Result<ShardSet> parse_shard_set(const std::string& text, const std::filesystem::path& base);

}  // namespace evidence::server
