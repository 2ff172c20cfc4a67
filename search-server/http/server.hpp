#pragma once
// The HTTP server: Boost.Beast, asynchronous, N threads, keep-alive, per-request limits
// and timeouts, connection caps. Transport only: it reads a request's header, asks the
// Application what the request is and how to read its body, hands it over on the lane the
// application names, and writes the answer. Stops on SIGINT/SIGTERM.

#include <functional>
#include <memory>
#include <string>

#include "server_config.hpp"

namespace evidence::server {

class Application;

class HttpServer {
 public:
  HttpServer(const ServerConfig& config, Application& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds the listening socket; throws std::runtime_error when it cannot.
  void bind();
  /// The port actually bound (useful with port 0).
  unsigned short port() const;
  /// Serves until SIGINT or SIGTERM, then finishes in-flight requests and returns.
  void run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace evidence::server
