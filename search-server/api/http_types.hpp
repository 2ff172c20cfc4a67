#pragma once
// The request and response the API works with, independent of any HTTP library.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace evidence::server {

struct ApiRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // raw request target: "/api/search?q=x"
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

}  // namespace evidence::server
