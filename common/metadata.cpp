#include "metadata.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "embedded_files.hpp"
#include "index_layout.hpp"

namespace evidence::core {

using nlohmann::json;

namespace {

void put_string(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

void put_list(json& out, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) out[key] = values;
}

constexpr std::string_view kWhiteSpace = " \t\r\n\f\v";

// Text as a person means it: without white space around it.
std::string trimmed(const std::string& text) {
  std::size_t first = text.find_first_not_of(kWhiteSpace);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhiteSpace) - first + 1);
}

std::string get_string(const json& in, const char* key) {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? trimmed(it->get<std::string>()) : std::string();
}

std::vector<std::string> get_list(const json& in, const char* key) {
  std::vector<std::string> out;
  auto it = in.find(key);
  if (it == in.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(trimmed(v.get<std::string>()));
  }
  return out;
}

// The path of the first string in value that is nothing but white space ("title",
// "authors[0].family"): the schema's minLength counts the spaces as text.
std::optional<std::string> blank_text(const json& value, const std::string& path) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (!text.empty() && text.find_first_not_of(kWhiteSpace) == std::string::npos) return path;
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto found = blank_text(value[i], path + "[" + std::to_string(i) + "]")) return found;
    }
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (auto found = blank_text(item, path.empty() ? key : path + "." + key)) return found;
    }
  }
  return std::nullopt;
}

// "[countries]" "[1]" → "countries[1]"; valijson wraps every path element in brackets.
std::string field_path(const std::vector<std::string>& context) {
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string name = part;
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
      name = name.substr(1, name.size() - 2);
    }
    bool index = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      path += "[" + name + "]";
    } else {
      if (!path.empty()) path += ".";
      path += name;
    }
  }
  return path.empty() ? "(document)" : path;
}

// The value at a valijson context path, to quote it in the error message.
const json* value_at(const json& root, const std::vector<std::string>& context) {
  const json* node = &root;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string name = part.size() >= 2 ? part.substr(1, part.size() - 2) : part;
    if (node->is_object()) {
      auto it = node->find(name);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
      if (ec != std::errc() || index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

// What the schema cannot say on its own: groups belong to restricted documents, a
// restricted document names at least one, and only a document some may not read has a
// catalogue record to list or hide.
std::optional<Error> access_problem(const DocumentAccess& access, bool catalogue_given) {
  if (catalogue_given && access.level == AccessLevel::kPublic) {
    return Error{ErrorCode::kInvalidMetadata,
                 "catalogue: a public document is read by everyone and has no catalogue record to list or "
                 "hide (remove \"catalogue\", or add \"access\": \"members\" or \"restricted\")",
                 "catalogue"};
  }
  bool restricted = access.level == AccessLevel::kRestricted;
  if (restricted && access.groups.empty()) {
    return Error{ErrorCode::kInvalidMetadata,
                 "groups: a restricted document names the groups that may read it "
                 "(\"groups\": [\"steering-group\"])",
                 "groups"};
  }
  if (!restricted && !access.groups.empty()) {
    return Error{ErrorCode::kInvalidMetadata,
                 "groups: only a restricted document has groups (add \"access\": \"restricted\" or remove "
                 "\"groups\")",
                 "groups"};
  }
  return std::nullopt;
}

}  // namespace

const char* access_level_name(AccessLevel level) {
  switch (level) {
    case AccessLevel::kPublic:
      return "public";
    case AccessLevel::kMembers:
      return "members";
    case AccessLevel::kRestricted:
      return "restricted";
  }
  return "public";
}

const char* catalogue_name(Catalogue catalogue) {
  return catalogue == Catalogue::kListed ? "listed" : "hidden";
}

Catalogue default_catalogue(AccessLevel level) {
  return level == AccessLevel::kMembers ? Catalogue::kListed : Catalogue::kHidden;
}

bool has_catalogue_record(const DocumentAccess& access) {
  return access.level != AccessLevel::kPublic && access.catalogue == Catalogue::kListed;
}

bool is_valid_group_name(std::string_view name) { return core::layout::is_slug(name, 64); }

json metadata_to_json(const DocumentMetadata& m) {
  json out = json::object();
  put_string(out, "id", m.id);
  put_string(out, "title", m.title);
  put_string(out, "subtitle", m.subtitle);
  if (!m.authors.empty()) {
    json authors = json::array();
    for (const auto& person : m.authors) {
      json p = {{"family", person.family}};
      if (!person.given.empty()) p["given"] = person.given;
      authors.push_back(std::move(p));
    }
    out["authors"] = std::move(authors);
  }
  put_list(out, "organisations", m.organisations);
  put_string(out, "publisher", m.publisher);
  put_string(out, "place", m.place);
  put_string(out, "date", m.date);
  put_string(out, "type", m.type);
  put_string(out, "series", m.series);
  put_string(out, "report_number", m.report_number);
  put_list(out, "countries", m.countries);
  put_list(out, "themes", m.themes);
  put_list(out, "exploitation", m.exploitation);
  put_list(out, "keywords", m.keywords);
  put_string(out, "language", m.language);
  put_string(out, "summary", m.summary);
  put_string(out, "source_url", m.source_url);
  put_string(out, "doi", m.doi);
  put_string(out, "isbn", m.isbn);
  put_string(out, "licence", m.licence);
  if (m.page_label_offset) out["page_label_offset"] = *m.page_label_offset;
  // A public document says nothing: the default, as for every empty field.
  if (m.access.level != AccessLevel::kPublic) out["access"] = access_level_name(m.access.level);
  put_list(out, "groups", m.access.groups);
  if (m.access.level != AccessLevel::kPublic && m.access.catalogue != default_catalogue(m.access.level))
    out["catalogue"] = catalogue_name(m.access.catalogue);
  return out;
}

DocumentMetadata metadata_from_json(const json& in) {
  DocumentMetadata m;
  m.id = get_string(in, "id");
  m.title = get_string(in, "title");
  m.subtitle = get_string(in, "subtitle");
  if (auto it = in.find("authors"); it != in.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      m.authors.push_back({get_string(p, "family"), get_string(p, "given")});
    }
  }
  m.organisations = get_list(in, "organisations");
  m.publisher = get_string(in, "publisher");
  m.place = get_string(in, "place");
  m.date = get_string(in, "date");
  m.type = get_string(in, "type");
  m.series = get_string(in, "series");
  m.report_number = get_string(in, "report_number");
  m.countries = get_list(in, "countries");
  m.themes = get_list(in, "themes");
  m.exploitation = get_list(in, "exploitation");
  m.keywords = get_list(in, "keywords");
  m.language = get_string(in, "language");
  m.summary = get_string(in, "summary");
  m.source_url = get_string(in, "source_url");
  m.doi = get_string(in, "doi");
  m.isbn = get_string(in, "isbn");
  m.licence = get_string(in, "licence");
  if (auto it = in.find("page_label_offset"); it != in.end() && it->is_number_integer()) {
    m.page_label_offset = it->get<int>();
  }
  std::string access = get_string(in, "access");
  m.access.level = access == "members"      ? AccessLevel::kMembers
                   : access == "restricted" ? AccessLevel::kRestricted
                                            : AccessLevel::kPublic;
  m.access.groups = get_list(in, "groups");
  std::string catalogue = get_string(in, "catalogue");
  m.access.catalogue = catalogue == "listed"   ? Catalogue::kListed
                       : catalogue == "hidden" ? Catalogue::kHidden
                                               : default_catalogue(m.access.level);
  if (m.access.level == AccessLevel::kPublic) m.access.catalogue = default_catalogue(m.access.level);
  return m;
}

int metadata_year(const DocumentMetadata& metadata) {
  if (metadata.date.size() < 4) return 0;
  int year = 0;
  auto [p, ec] = std::from_chars(metadata.date.data(), metadata.date.data() + 4, year);
  return ec == std::errc() ? year : 0;
}

struct MetadataValidator::Impl {
  std::vector<std::unique_ptr<json>> documents;  // keeps fetched $ref documents alive
  valijson::Schema schema;
  mutable std::mutex mutex;  // valijson's Validator caches regexes and is not thread-safe
  mutable valijson::Validator validator;
};

MetadataValidator::MetadataValidator() : impl_(std::make_unique<Impl>()) {
  auto load = [this](std::string_view name) -> const json* {
    std::string_view text = embedded_file(name);
    if (text.empty()) throw std::runtime_error("embedded schema file missing: " + std::string(name));
    impl_->documents.push_back(std::make_unique<json>(json::parse(text)));
    return impl_->documents.back().get();
  };
  const json* root = load("document.schema.json");
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(*root);
  auto fetch = [&load](const std::string& uri) -> const json* {
    // $refs are relative to schemas/: "vocabularies/themes.json".
    return load(uri);
  };
  parser.populateSchema(adapter, impl_->schema, fetch, [](const json*) {});
}

MetadataValidator::~MetadataValidator() = default;

Result<DocumentMetadata> MetadataValidator::parse(std::string_view text) const {
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the error; say where it is in lines as well.
    std::size_t line = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') ++line;
    }
    std::string reason = e.what();
    if (auto pos = reason.find("syntax error"); pos != std::string::npos) reason = reason.substr(pos);
    return Error{ErrorCode::kInvalidMetadata,
                 "not valid JSON (line " + std::to_string(line) + "): " + reason};
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("1e400") is out_of_range, not parse_error (found by
    // fuzz_metadata: it escaped to the indexer).
    std::string reason = e.what();
    if (auto pos = reason.find("] "); pos != std::string::npos) reason = reason.substr(pos + 2);
    return Error{ErrorCode::kInvalidMetadata, "not valid JSON: " + reason};
  }
  return validate(parsed);
}

Result<DocumentMetadata> MetadataValidator::validate(const json& document) const {
  if (!document.is_object()) {
    return Error{ErrorCode::kInvalidMetadata, "(document): must be a JSON object", "(document)"};
  }
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  bool valid = false;
  {
    std::lock_guard lock(impl_->mutex);
    valid = impl_->validator.validate(impl_->schema, target, &results);
  }
  if (valid) {
    if (auto field = blank_text(document, "")) {
      return Error{ErrorCode::kInvalidMetadata, *field + ": must not be only white space", *field};
    }
    DocumentMetadata metadata = metadata_from_json(document);
    if (auto wrong = access_problem(metadata.access, document.contains("catalogue"))) return *wrong;
    return metadata;
  }

  // valijson reports the failing leaf and then each enclosing constraint; the deepest
  // error is the one a person can act on.
  const valijson::ValidationResults::Error* best = nullptr;
  for (const auto& error : results) {
    if (best == nullptr || error.context.size() > best->context.size()) best = &error;
  }
  std::string field = field_path(best->context);
  std::string message = field + ": " + best->description;
  if (const json* value = value_at(document, best->context); value && value->is_primitive()) {
    message += " (value: " + value->dump(-1, ' ', false, json::error_handler_t::replace) + ")";
  }
  return Error{ErrorCode::kInvalidMetadata, message, field};
}

}  // namespace evidence::core
