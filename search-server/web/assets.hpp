#pragma once
// The page's static files (one stylesheet, one script, the icon), compiled into the executable
// (see cmake/EmbedFiles.cmake) and served under /static/ with a content-versioned URL.

#include <optional>
#include <string>
#include <string_view>

#include "http_types.hpp"

namespace evidence::server::web {

/// The content of an embedded asset by its name below web/assets/, or empty if unknown.
/// Defined by the generated web_assets.cpp.
std::string_view embedded_file(std::string_view name);

/// "/static/site.css?v=…": the asset's URL, versioned by a hash of its content.
std::string asset_url(std::string_view name);

/// GET /static/{name}?v=…: the asset with its type, an ETag, and a year's immutable caching
/// when the version is the current one (no-cache otherwise); nullopt when there is none.
std::optional<ApiResponse> asset_response(const std::string& name, const std::string& version);

}  // namespace evidence::server::web
