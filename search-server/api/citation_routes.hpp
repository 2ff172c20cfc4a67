#pragma once
// The citation routes: one document or passage in a chosen format, and an export of
// several documents as one file for a reference manager.

#include <string>

#include "http_types.hpp"
#include "index_reader.hpp"
#include "params.hpp"
#include "read_routes.hpp"

namespace evidence::server {

/// GET /api/documents/{id}/cite?format=F[&page=N][&quote=TEXT]
ApiResponse cite_document(const Target& target, const std::string& id, IndexReader& index,
                          const ApiOptions& options);

/// GET /api/export?format=F&id=A&id=B...: bibtex, ris or csl-json, as an attachment.
ApiResponse export_citations(const Target& target, IndexReader& index, const ApiOptions& options);

}  // namespace evidence::server
