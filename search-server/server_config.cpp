#include "server_config.hpp"

#include <filesystem>
#include <thread>

#include "command_line.hpp"
#include "request_access.hpp"

namespace evidence::server {
namespace {

namespace fs = std::filesystem;

// A path option, and whether the command line or the environment named it.
struct NamedPath {
  std::string value;
  CLI::Option* option = nullptr;
  bool named() const { return option != nullptr && option->count() > 0; }
};

struct PathOptions {
  NamedPath data_dir{std::string(core::kDefaultDataDir)};
  NamedPath index;
  NamedPath corpus;
  NamedPath thesaurus;
  NamedPath tokens;
  NamedPath audit_log;
  std::string shards_file;
};

void add_path_options(CLI::App& app, PathOptions& paths) {
  paths.data_dir.option =
      app.add_option(
             "--data-dir", paths.data_dir.value,
             "Data directory: where the index, corpus, token file and audit log are unless named below")
          ->envname("EVIDENCE_DATA_DIR")
          ->capture_default_str();
  paths.index.option = app.add_option("--index", paths.index.value,
                                      "Index folder built by evidence-index (default: DATA_DIR/index)")
                           ->envname("EVIDENCE_INDEX");
  paths.corpus.option = app.add_option("--corpus", paths.corpus.value,
                                       "Corpus folder the index was built from (default: DATA_DIR/corpus)")
                            ->envname("EVIDENCE_CORPUS");
  app.add_option("--shards", paths.shards_file,
                 "Shards file (schemas/shards.schema.json): search these local and remote indexes as one "
                 "instead of --index; documents are then added on each member's own server")
      ->envname("EVIDENCE_SHARDS");
  paths.thesaurus.option =
      app.add_option("--thesaurus", paths.thesaurus.value,
                     "Thesaurus file (synonyms, acronyms); '' for none (default: the one installed with "
                     "evidence-server, PREFIX/share/evidence-library/thesaurus.json)")
          ->envname("EVIDENCE_THESAURUS");
  paths.tokens.option =
      app.add_option("--tokens", paths.tokens.value,
                     "Token file (evidence-server token add|revoke|list); re-read when it changes (default: "
                     "DATA_DIR/tokens.json)")
          ->envname("EVIDENCE_TOKENS");
  paths.audit_log.option =
      app.add_option("--audit-log", paths.audit_log.value,
                     "Audit log of writes and of reads of documents that are not public, JSON lines "
                     "(evidence-server audit lists it; default: DATA_DIR/audit.jsonl)")
          ->envname("EVIDENCE_AUDIT_LOG");
}

// Every path made absolute: those named as named, the others from the data directory and
// the files installed beside the executable. Returns a line for each named path that is
// missing (a typo must not start a server on an empty library), or empty.
std::string resolve_paths(const PathOptions& paths, const fs::path& executable, ServerConfig& config) {
  using core::PathMust;
  core::DataDir data{core::absolute_path(paths.data_dir.value)};
  auto pick = [](const NamedPath& path, fs::path otherwise) {
    return path.named() ? core::absolute_path(path.value) : otherwise;
  };
  config.data_dir = data.root;
  config.index = pick(paths.index, data.index());
  config.corpus = pick(paths.corpus, data.corpus());
  config.tokens = pick(paths.tokens, data.tokens());
  config.audit_log = pick(paths.audit_log, data.audit_log());
  fs::path shipped = core::shipped_files_dir(executable);
  if (shipped.empty()) shipped = core::installed_files_dir(executable);  // missing: said below
  config.thesaurus = pick(paths.thesaurus, shipped / "thesaurus.json");
  if (!paths.shards_file.empty()) config.shards_file = core::absolute_path(paths.shards_file);

  std::string problems;
  auto check = [&](const NamedPath& path, std::string_view flag, const fs::path& resolved, PathMust must) {
    if (!path.named()) return;
    if (std::string problem = core::path_problem(flag, resolved, must); !problem.empty()) {
      problems += "evidence-server: " + problem + "\n";
    }
  };
  check(paths.data_dir, "--data-dir", config.data_dir, PathMust::kBeFolder);
  if (config.shards_file.empty()) {  // with --shards, the shards file names them
    check(paths.index, "--index", config.index, PathMust::kBeInFolder);  // it may be built after the start
    check(paths.corpus, "--corpus", config.corpus, PathMust::kBeFolder);
  }
  check(paths.tokens, "--tokens", config.tokens, PathMust::kBeInFolder);
  check(paths.audit_log, "--audit-log", config.audit_log, PathMust::kBeInFolder);
  if (!config.thesaurus.empty()) check(paths.thesaurus, "--thesaurus", config.thesaurus, PathMust::kBeFile);
  if (!paths.thesaurus.named() && !fs::is_regular_file(config.thesaurus)) {
    problems += "evidence-server: the thesaurus it ships with is not installed beside it (no " +
                config.thesaurus.string() +
                "); name one with --thesaurus FILE, or none with --thesaurus ''\n";
  }
  return problems;
}

}  // namespace

// Long because it is the list of every flag, one statement each, followed by what turns the
// parsed text into the config (as parse_indexer_args); split, the flags would be read in
// several places.
ParsedServerArgs parse_server_args(const std::vector<std::string>& args,
                                   const std::filesystem::path& executable) {
  ServerConfig config;
  CLI::App app{"evidence-server: full-text search over the Evidence Library index"};
  app.set_version_flag("--version", "evidence-server 0.1.0");
  app.footer(
      "API tokens: evidence-server token add|revoke|list (evidence-server token --help)\n"
      "Audit log: evidence-server audit [--since DATE] [--document ID] [--token NAME] [--action A] [--json]");
  long long header_timeout = config.header_timeout.count();
  long long request_timeout = config.request_timeout.count();
  long long write_timeout = config.write_timeout.count();
  long long idle_timeout = config.idle_timeout.count();
  PathOptions paths;
  add_path_options(app, paths);
  app.add_option("--host", config.host, "Address to listen on")->envname("EVIDENCE_HOST")->capture_default_str();
  app.add_option("--port", config.port, "Port to listen on (0: any free port)")->envname("EVIDENCE_PORT")->capture_default_str();
  app.add_option("--public-url", config.public_url,
                 "Public address of the server, the base of links in citations (default: http://localhost:PORT)")
      ->envname("EVIDENCE_PUBLIC_URL")
      ->check([](const std::string& url) -> std::string {
        bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
        bool clean = url.find_first_of(" \t\r\n\"<>{}\\") == std::string::npos;
        std::size_t host = url.find("://") + 3;
        bool has_host = url.size() > host && url[host] != '/';
        return http && clean && has_host ? "" : "must be an http:// or https:// URL";
      });
  app.add_option("--threads", config.threads, "Worker threads (default: one per core)")
      ->envname("EVIDENCE_THREADS")
      ->check(CLI::Range(0, 256));
  app.add_option("--max-header-bytes", config.max_header_bytes, "Largest request header accepted")
      ->check(CLI::Range(1024, 1024 * 1024))
      ->capture_default_str();
  app.add_option("--max-body-bytes", config.max_body_bytes, "Largest request body accepted")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 40))
      ->capture_default_str();
  std::uint64_t max_upload_mib = config.max_upload_bytes >> 20;
  app.add_option("--max-upload-mib", max_upload_mib, "Largest PDF accepted by POST /api/documents, in MiB")
      ->envname("EVIDENCE_MAX_UPLOAD_MIB")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20))
      ->capture_default_str();
  app.add_option("--index-jobs", config.index_jobs, "Extraction workers for uploads (default: one per core)")
      ->check(CLI::Range(0, 256));
  long long lock_timeout = config.write_lock_timeout.count() / 1000;
  app.add_option("--write-lock-timeout", lock_timeout,
                 "Seconds a write waits for another index writer (an evidence-index run) before it gives up")
      ->check(CLI::Range(0, 3600))
      ->capture_default_str();
  app.add_option("--header-timeout", header_timeout,
                 "Seconds a new connection has to send its first request header")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--request-timeout", request_timeout,
                 "Seconds to read a request body (each piece of an upload) or write a response")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout, "Seconds a keep-alive connection may stay idle")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--max-connections", config.max_connections, "Connections held open at most; more are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  app.add_option(
         "--max-connections-per-address", config.max_connections_per_address,
         "Connections one client address (an IPv6 /64) may hold open; more from it are closed at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  app.add_option("--max-unfinished-per-address", config.max_unfinished_per_address,
                 "Connections one client address may hold before their first request header has arrived")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  app.add_option("--write-timeout", write_timeout,
                 "Seconds an upload's extraction and commit may take in all; longer ones are refused (422)")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--ocr-max-pages", config.ocr_max_pages,
                 "Scanned pages OCR reads in one uploaded PDF at most; the upload's report names the pages "
                 "left unread (0: no bound)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  long long match_time_limit = config.match_time_limit.count();
  app.add_option("--match-time-limit", match_time_limit,
                 "Milliseconds after which a search's document match stops counting every match: the total "
                 "and facet counts may then be estimates, and the answer says so (0: no limit)")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  app.add_option("--bm25-k1", config.bm25_k1, "BM25 k1 for ranking documents")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  app.add_option("--bm25-b", config.bm25_b, "BM25 b (length normalisation) for ranking documents")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--page-bm25-k1", config.page_bm25_k1, "BM25 k1 for ranking the pages of a document")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  app.add_option("--page-bm25-b", config.page_bm25_b, "BM25 b for ranking the pages of a document")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_flag("--private", config.private_search,
               "Searching and reading need a token too (a reader or editor token, or the cookie /admin sets)")
      ->envname("EVIDENCE_PRIVATE");
  app.add_option("--request-access", config.request_access,
                 "Where those who may not read a listed document ask for it: a mailto: or https:// URL in "
                 "which {title}, {id} and {link} (the document's stable link) are filled in "
                 "(default: none; the page says to ask the library)")
      ->envname("EVIDENCE_REQUEST_ACCESS")
      ->check(
          [](const std::string& url_template) { return request_access_problem(url_template).value_or(""); });
  app.add_option("--log-level", config.log_level, "Log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  if (auto ended = core::parse_command_line(app, args)) return {std::nullopt, ended->first, ended->second};
  if (std::string problems = resolve_paths(paths, executable, config); !problems.empty()) {
    return {std::nullopt, 2, problems};
  }
  if (!config.shards_file.empty()) {
    auto shards = load_shard_set(config.shards_file);
    if (!shards) return {std::nullopt, 2, "evidence-server: " + shards.error().message + "\n"};
    config.shards = std::move(shards).value();
  }
  config.header_timeout = std::chrono::seconds(header_timeout);
  config.request_timeout = std::chrono::seconds(request_timeout);
  config.write_timeout = std::chrono::seconds(write_timeout);
  config.idle_timeout = std::chrono::seconds(idle_timeout);
  config.max_upload_bytes = max_upload_mib << 20;
  config.write_lock_timeout = std::chrono::seconds(lock_timeout);
  config.match_time_limit = std::chrono::milliseconds(match_time_limit);
  while (!config.public_url.empty() && config.public_url.back() == '/') config.public_url.pop_back();
  if (config.public_url.empty() && config.port != 0) config.public_url = default_public_url(config.host, config.port);
  if (config.threads == 0) config.threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  if (config.index_jobs == 0) config.index_jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return {config, 0, {}};
}

std::string default_public_url(const std::string& host, unsigned short port) {
  bool local = host == "127.0.0.1" || host == "0.0.0.0" || host == "::" || host == "::1" || host == "localhost";
  std::string name = local ? "localhost" : host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + name + ":" + std::to_string(port);
}

}  // namespace evidence::server
