#include "schema_check.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace evidence::testing {

namespace {

// API schemas live in schemas/api/ and refer to the sidecar schema as ../NAME, which
// refers to its vocabularies as vocabularies/NAME.
nlohmann::json load(const std::string& uri) {
  std::string path = uri.rfind("../", 0) == 0             ? "/schemas/" + uri.substr(3)
                     : uri.rfind("vocabularies/", 0) == 0 ? "/schemas/" + uri
                                                          : "/schemas/api/" + uri;
  std::ifstream in(std::string(EVIDENCE_SOURCE_DIR) + path);
  if (!in) throw std::runtime_error("missing schema " + path);
  return nlohmann::json::parse(in);
}

}  // namespace

std::string schema_errors(const nlohmann::json& value, const std::string& schema_file) {
  std::vector<std::unique_ptr<nlohmann::json>> documents;
  documents.push_back(std::make_unique<nlohmann::json>(load(schema_file)));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(*documents.front());
  parser.populateSchema(
      schema_adapter, schema,
      [&](const std::string& uri) -> const nlohmann::json* {
        documents.push_back(std::make_unique<nlohmann::json>(load(uri)));
        return documents.back().get();
      },
      [](const nlohmann::json*) {});
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(value);
  if (validator.validate(schema, target, &results)) return {};
  std::ostringstream out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    for (const auto& part : error.context) out << part;
    out << ": " << error.description << "\n";
  }
  return out.str();
}

}  // namespace evidence::testing
