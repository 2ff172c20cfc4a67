// evidence-server: serves search over the Evidence Library index.
// Prints "listening on http://HOST:PORT/" on stdout once it accepts connections.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "server_config.hpp"
#include "http/server.hpp"

int main(int argc, char** argv) {
  using namespace evidence::server;
  ParsedServerArgs parsed = parse_server_args(std::vector<std::string>(argv, argv + argc));
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code == 0 ? 0 : 2;
  }
  const ServerConfig& config = *parsed.config;
  spdlog::set_default_logger(spdlog::stderr_color_mt("evidence-server"));
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    HttpServer server(config);
    server.bind();
    std::cout << "listening on http://" << config.host << ":" << server.port() << "/" << std::endl;
    spdlog::info("serving index {} with {} threads", config.index.string(), config.threads);
    if (!config.thesaurus.empty() && !std::filesystem::exists(config.thesaurus)) {
      spdlog::warn("thesaurus {} not found: queries are searched without synonyms", config.thesaurus.string());
    }
    server.run();
    spdlog::info("stopped");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "evidence-server: %s\n", e.what());
    return 1;
  }
}
