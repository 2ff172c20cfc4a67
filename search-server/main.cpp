// evidence-server: serves search over the Evidence Library index.
// Prints "listening on http://HOST:PORT/" on stdout once it accepts connections.
// `evidence-server token add|revoke|list` manages API tokens instead (token_command.hpp), and
// `evidence-server audit` lists the audit log (audit_command.hpp).

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include "app/application.hpp"
#include "audit_command.hpp"
#include "extraction.hpp"
#include "http/server.hpp"
#include "server_config.hpp"
#include "token_command.hpp"

#ifdef EVIDENCE_JEMALLOC
// jemalloc's options, read when it starts. A large search (thousands of posting lists) frees
// a hundred MB or more; by default jemalloc gives freed pages back to the system only as
// other allocations come by, so an idle server kept them. Background threads give them back
// a second after they are freed, busy or idle (bench/README.md, "Wildcards that stand for
// the whole vocabulary").
extern "C" {
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
#endif

int main(int argc, char** argv) {
  using namespace evidence::server;
  std::vector<std::string> args(argv, argv + argc);
  // Uploads are extracted by this same binary in worker processes, as evidence-index does.
  if (args.size() == 2 && args[1] == "--extraction-worker") return evidence::indexer::run_worker(STDIN_FILENO, STDOUT_FILENO);
  if (args.size() > 1 && args[1] == "token") return run_token_command(args, std::cout, std::cerr);
  if (args.size() > 1 && args[1] == "audit") return run_audit_command(args, std::cout, std::cerr);
  ParsedServerArgs parsed = parse_server_args(args);
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code == 0 ? 0 : 2;
  }
  const ServerConfig& config = *parsed.config;
  spdlog::set_default_logger(spdlog::stderr_color_mt("evidence-server"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    Application app(config);
    HttpServer server(config, app);
    server.bind();
    std::cout << "listening on http://" << config.host << ":" << server.port() << "/" << std::endl;
    // Every path it works with, absolute, so that a reader of the log knows which files are used.
    if (config.shards) {
      spdlog::info("searching {} shards of {} with {} threads", config.shards->shards.size(),
                   config.shards_file.string(), config.threads);
    } else {
      spdlog::info("serving index {} of corpus {} with {} threads", config.index.string(),
                   config.corpus.string(), config.threads);
    }
    spdlog::info("data directory {}; tokens {}; audit log {}", config.data_dir.string(),
                 config.tokens.string(), config.audit_log.string());
    spdlog::info("thesaurus {}",
                 config.thesaurus.empty() ? "none (--thesaurus '')" : config.thesaurus.string());
    server.run();
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evidence-server: %s\n", e.what());
    return 1;
  }
}
