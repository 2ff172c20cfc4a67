#pragma once
// /admin: the staff page for adding, correcting and withdrawing documents. The metadata form
// is generated from schemas/document.schema.json (controlled vocabularies as choices); the
// page's script (admin.js) sends the token with each request to the write API.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "http_types.hpp"

namespace evidence::server::web {

/// The metadata fields of the form, one per property of the document schema (in its order;
/// `prefix` keeps the ids of two forms on one page apart). Each field says how admin.js
/// turns it into JSON: data-kind text, lines, authors, choice, choices or integer.
std::string metadata_fields_html(const std::string& prefix, bool with_id);

/// The whole /admin page.
ApiResponse admin_page();

}  // namespace evidence::server::web
