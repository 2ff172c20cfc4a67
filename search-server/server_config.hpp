#pragma once
// evidence-server configuration: defaults that serve the README's sample set-up, and the
// one function that reads flags and environment into it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "locations.hpp"
#include "shard_set.hpp"

namespace evidence::server {

// parse_server_args makes every path absolute, and takes those not named from the data
// directory (core::DataDir) and the files installed beside the executable.
struct ServerConfig {
  std::filesystem::path data_dir = "var";          // what the library keeps: the defaults below
  std::filesystem::path index = "var/index";       // the Xapian index folder
  std::filesystem::path corpus = "var/corpus";     // where the PDFs are
  std::filesystem::path shards_file;               // --shards: search these shards instead of
  std::optional<ShardSet> shards;                  // --index (read from shards_file); no writes
  std::filesystem::path thesaurus;                 // synonyms, re-read when edited; empty: none
                                                   // (parsed: the one installed with the server)
  std::filesystem::path tokens = "var/tokens.json";     // API tokens, hashed (evidence-server token)
  std::filesystem::path audit_log = "var/audit.jsonl";  // one JSON line per write, and per read of
                                                        // a document that is not public
  std::string host = "127.0.0.1";                 // address to listen on
  unsigned short port = 8080;                     // 0: any free port (printed at start)
  std::string public_url;                         // base of links in citations; empty: derived
                                                  // from host and port once bound (default_public_url)
  int threads = 0;                                // 0: one per core
  std::size_t max_header_bytes = 16 * 1024;       // larger request headers get 431
  std::size_t max_body_bytes = 64 * 1024;         // larger bodies get 413 (uploads excepted)
  std::uint64_t max_upload_bytes = 200ull << 20;  // larger PDF uploads get 413
  int index_jobs = 0;                             // extraction workers for uploads; 0: one per core
  std::chrono::milliseconds write_lock_timeout{60000};  // wait this long for another index writer
  std::chrono::seconds header_timeout{10};              // to read a new connection's first request header
  std::chrono::seconds request_timeout{30};             // to read a request body (each piece of an upload)
                                                        // or write a response
  std::chrono::seconds idle_timeout{60};          // keep-alive connection with no request
  std::size_t max_connections = 10000;            // more are closed at once (also capped by the open-file limit)
  std::size_t max_connections_per_address = 512;  // from one client address (IPv6: its /64)
  std::size_t max_unfinished_per_address = 64;    // from one address, before their first request header
  std::chrono::seconds write_timeout{600};        // a whole upload's extraction and commit, at most
  int ocr_max_pages = 500;                        // scanned pages OCR reads in one upload; 0: no bound
  std::chrono::milliseconds refresh_interval{200};  // how often to look for a new index revision
  std::chrono::milliseconds match_time_limit{500};  // a search's document match stops counting
                                                    // every match after this (0: never; SearchBudget)
  double bm25_k1 = 1.2;                           // BM25 term-frequency saturation
  double bm25_b = 0.75;                           // BM25 document-length normalisation
  double page_bm25_k1 = 1.0;                      // the same for ranking the pages of a document
  double page_bm25_b = 1.0;
  bool private_search = false;                    // reading needs a token too (any role)
  std::string request_access;                     // --request-access: the Request access link of a
                                                  // listed document (request_access.hpp); empty: none,
                                                  // the page says to ask the library
  std::string log_level = "info";
};

using ParsedServerArgs = core::ParsedArgs<ServerConfig>;

/// Reads argv and the environment (EVIDENCE_DATA_DIR, EVIDENCE_INDEX, EVIDENCE_SHARDS, EVIDENCE_CORPUS,
/// EVIDENCE_THESAURUS, EVIDENCE_HOST, EVIDENCE_PORT, EVIDENCE_THREADS, EVIDENCE_PUBLIC_URL,
/// EVIDENCE_TOKENS, EVIDENCE_AUDIT_LOG, EVIDENCE_REQUEST_ACCESS). A path it names that is missing, or a
/// thesaurus not installed beside `executable`, ends the program (exit code 2) with what is wrong.
ParsedServerArgs parse_server_args(const std::vector<std::string>& args,
                                   const std::filesystem::path& executable = core::running_executable());

/// The address the server is reached at when --public-url does not say: http://localhost:PORT
/// for a loopback or wildcard host, http://HOST:PORT otherwise ([HOST] for IPv6).
std::string default_public_url(const std::string& host, unsigned short port);

}  // namespace evidence::server
