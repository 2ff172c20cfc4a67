#pragma once
// Validating API responses against the JSON Schemas in schemas/api/.

#include <string>

#include <nlohmann/json.hpp>

namespace evidence::testing {

/// Empty when value satisfies schemas/api/<schema_file>; otherwise the first error.
std::string schema_errors(const nlohmann::json& value, const std::string& schema_file);

}  // namespace evidence::testing
