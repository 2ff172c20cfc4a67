#include "cache_policy.hpp"

#include <algorithm>
#include <cctype>

namespace evidence::server {

namespace {

bool same_name(const std::string& a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string* find_header(ApiResponse& response, std::string_view name) {
  for (auto& [key, value] : response.headers) {
    if (same_name(key, name)) return &value;
  }
  return nullptr;
}

}  // namespace

bool is_personal(const ApiRequest& request, bool private_library) {
  if (private_library || header(request, "authorization")) return true;
  return header(request, "cookie").value_or("").find("evidence_token=") != std::string::npos;
}

void apply_cache_policy(ApiResponse& response, bool personal) {
  // Set here for every route, so that none can forget it.
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // The same URL may answer otherwise with other credentials: a cache must tell them apart.
  if (std::string* vary = find_header(response, "Vary")) {
    *vary += ", Authorization, Cookie";
  } else {
    response.headers.emplace_back("Vary", "Authorization, Cookie");
  }
  if (!personal) return;
  std::string* cache = find_header(response, "Cache-Control");
  if (cache == nullptr) {
    response.headers.emplace_back("Cache-Control", "private, no-cache");
  } else if (cache->rfind("public", 0) == 0) {
    *cache = "private" + cache->substr(6);
  } else if (cache->find("private") == std::string::npos && cache->find("no-store") == std::string::npos) {
    *cache = "private, " + *cache;
  }
}

}  // namespace evidence::server
