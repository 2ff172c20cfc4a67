#include "assets.hpp"

#include <map>

#include "sha256.hpp"

namespace evidence::server::web {

namespace {

constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
    {".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"}};

// The first 12 hex digits of the asset's SHA-256; computed once, the assets never change.
const std::string& version_of(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> versions = [] {
    std::map<std::string, std::string, std::less<>> out;
    for (std::string_view asset : {"site.css", "site.js", "admin.js", "icon.svg"}) {
      out.emplace(asset, core::sha256_hex(embedded_file(asset)).substr(0, 12));
    }
    return out;
  }();
  static const std::string none;
  auto it = versions.find(name);
  return it == versions.end() ? none : it->second;
}

}  // namespace

std::string asset_url(std::string_view name) {
  return "/static/" + std::string(name) + "?v=" + version_of(name);
}

std::optional<ApiResponse> asset_response(const std::string& name, const std::string& version) {
  std::string_view content = embedded_file(name);
  const std::string& current = version_of(name);
  if (content.empty() || current.empty()) return std::nullopt;
  std::string type = "application/octet-stream";
  for (const auto& [suffix, content_type] : kTypes) {
    if (name.ends_with(suffix)) type = content_type;
  }
  ApiResponse response;
  response.content_type = type;
  response.body = std::string(content);
  response.headers.emplace_back("ETag", "\"" + current + "\"");
  response.headers.emplace_back("Cache-Control",
                                version == current ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace evidence::server::web
