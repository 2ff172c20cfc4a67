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

/// Who may read a document's text (docs/corpus.md: "access" and "groups").
enum class AccessLevel {
  kPublic,      // anyone (on a --private library: any valid token)
  kMembers,     // any valid token
  kRestricted,  // a token of one of the document's groups
};

/// "public", "members" or "restricted".
const char* access_level_name(AccessLevel level);

/// Whether those who may not read a document find its catalogue record, its brief summary
/// (docs/corpus.md: "catalogue").
enum class Catalogue {
  kHidden,  // the document does not exist for them
  kListed,  // they find its title, organisations, date, type, summary, countries and themes
};

/// "hidden" or "listed".
const char* catalogue_name(Catalogue catalogue);

/// A document's access level and, when restricted, the groups that may read it.
struct DocumentAccess {
  AccessLevel level = AccessLevel::kPublic;
  std::vector<std::string> groups;  // non-empty exactly when restricted
  // Without a "catalogue" in the sidecar, default_catalogue(level); a public document has no
  // catalogue record (everyone reads the document itself) and keeps the default.
  Catalogue catalogue = Catalogue::kHidden;
  bool operator==(const DocumentAccess&) const = default;
};

/// Listed for members' documents (a public summary, members-only text), hidden for
/// restricted ones (and for public ones, which need no catalogue record).
Catalogue default_catalogue(AccessLevel level);

/// True when the index holds a catalogue record for a document of this access: one not
/// public, and listed.
bool has_catalogue_record(const DocumentAccess& access);

/// True when a group name is well formed: 1 to 64 of a-z, 0-9 and '-', starting with a
/// letter or digit ("steering-group"). Sidecars and tokens use the same names.
bool is_valid_group_name(std::string_view name);

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
  DocumentAccess access;

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
