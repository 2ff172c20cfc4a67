#pragma once
// A small blocking HTTP/1.1 client for tests (Boost.Beast), with keep-alive.

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace evidence::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends a request on the kept-alive connection (reconnecting when needed).
  HttpResult request(const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers = {}, const std::string& body = "");
  HttpResult get(const std::string& target) { return request("GET", target); }

  /// How many TCP connections request() has opened so far (1 while keep-alive holds).
  int connections() const;

  /// From now on a request whose connection fails throws instead of reconnecting and
  /// sending it again: for tests of keep-alive, where a retry would hide a dropped answer.
  void forbid_retries();

  /// Sends raw bytes on a new connection and returns whatever the server answers.
  std::string raw(const std::string& bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Percent-encodes a query parameter value.
std::string url_encode(const std::string& text);

/// A connected loopback socket (blocking, close-on-exec) to port, or -1; from: the source
/// address to bind (another of 127.0.0.0/8, to be a second client), empty for any.
int connect_loopback(unsigned short port, const std::string& from = "");

/// A loopback port nobody listens on now (for daemons that need a port number given).
unsigned short free_loopback_port();

}  // namespace evidence::testing
