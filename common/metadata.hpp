#pragma once
// The document model: the metadata a sidecar NAME.json gives a PDF, and its validation
// against schemas/document.schema.json.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "error.hpp"

namespace evidence::core {

struct Person {
  std::string family;
  std::string given;  // may be empty
  bool operator==(const Person&) const = default;
};

/// Metadata of one document; every field may be empty (the schema makes all optional).
struct DocumentMetadata {
  std::string id;  // explicit stable id from the sidecar, or empty
  std::string title;
  std::string subtitle;
  std::vector<Person> authors;
  std::vector<std::string> organisations;
  std::string publisher;
  std::string place;
  std::string date;  // YYYY, YYYY-MM or YYYY-MM-DD
  std::string type;
  std::string series;
  std::string report_number;
  std::vector<std::string> countries;
  std::vector<std::string> themes;
  std::vector<std::string> exploitation;
  std::vector<std::string> keywords;
  std::string language;  // BCP 47
  std::string summary;
  std::string source_url;
  std::string doi;
  std::string isbn;
  std::string licence;
  std::optional<int> page_label_offset;

  bool operator==(const DocumentMetadata&) const = default;
};

/// The metadata as sidecar JSON (empty fields left out).
nlohmann::json metadata_to_json(const DocumentMetadata& metadata);

/// Reads metadata from JSON that has already passed validation.
DocumentMetadata metadata_from_json(const nlohmann::json& json);

/// The year of a metadata date ("2021-03" → 2021), or 0 when there is no date.
int metadata_year(const DocumentMetadata& metadata);

/// Validates sidecar JSON against the embedded document schema. Thread-safe.
class MetadataValidator {
 public:
  MetadataValidator();  // throws std::runtime_error if the embedded schema is broken
  ~MetadataValidator();
  MetadataValidator(const MetadataValidator&) = delete;
  MetadataValidator& operator=(const MetadataValidator&) = delete;

  /// Parses and validates sidecar text; errors name the field and the reason.
  Result<DocumentMetadata> parse(std::string_view text) const;

  /// Validates an already parsed JSON value.
  Result<DocumentMetadata> validate(const nlohmann::json& json) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace evidence::core
