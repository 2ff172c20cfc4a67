// Fuzz target: sidecar JSON → core::MetadataValidator::parse, what the indexer runs on every
// NAME.json. Properties: nothing throws; the only error is kInvalidMetadata, with a
// message; valid metadata written back as JSON (metadata_to_json) validates again, both
// as a value and re-parsed from its text, to the same metadata; and each text field and
// list of valid metadata is what the sidecar gave, with white space around it trimmed by
// a naive trim written here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "metadata.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;

// The reference: ASCII white space cut from both ends, one byte at a time.
std::string naive_trim(std::string text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!text.empty() && space(text.back())) text.pop_back();
  while (!text.empty() && space(text.front())) text.erase(0, 1);
  return text;
}

// Each text field and list of valid metadata against the sidecar's own JSON.
void check_fields(const core::DocumentMetadata& metadata, std::string_view text) {
  const auto sidecar = nlohmann::json::parse(text);
  const std::pair<const char*, const std::string*> fields[] = {{"id", &metadata.id},
                                                               {"title", &metadata.title},
                                                               {"subtitle", &metadata.subtitle},
                                                               {"publisher", &metadata.publisher},
                                                               {"place", &metadata.place},
                                                               {"date", &metadata.date},
                                                               {"series", &metadata.series},
                                                               {"report_number", &metadata.report_number},
                                                               {"language", &metadata.language},
                                                               {"summary", &metadata.summary},
                                                               {"doi", &metadata.doi},
                                                               {"isbn", &metadata.isbn},
                                                               {"licence", &metadata.licence},
                                                               {"source_url", &metadata.source_url}};
  for (const auto& [key, value] : fields) {
    std::string given = sidecar.contains(key) ? sidecar.at(key).get<std::string>() : std::string();
    check(*value == naive_trim(given), "a text field is the sidecar's, trimmed");
  }
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"organisations", &metadata.organisations}, {"keywords", &metadata.keywords}};
  for (const auto& [key, values] : lists) {
    std::vector<std::string> given;
    if (sidecar.contains(key)) {
      for (const auto& item : sidecar.at(key)) given.push_back(naive_trim(item.get<std::string>()));
    }
    check(*values == given, "a list is the sidecar's, each item trimmed");
  }
}

void check_sidecar(const core::MetadataValidator& validator, std::string_view text) {
  auto metadata = validator.parse(text);
  if (!metadata) {
    check(metadata.error().code == core::ErrorCode::kInvalidMetadata, "the only error is kInvalidMetadata");
    check(!metadata.error().message.empty(), "an error has a message");
    return;
  }
  check_fields(*metadata, text);
  const nlohmann::json written = core::metadata_to_json(*metadata);
  auto revalidated = validator.validate(written);
  check(revalidated.ok(), "written metadata validates again");
  check(*revalidated == *metadata, "written metadata reads back the same (value)");
  auto reparsed = validator.parse(written.dump());
  check(reparsed.ok() && *reparsed == *metadata, "written metadata reads back the same (text)");
  check(core::metadata_to_json(*reparsed) == written, "writing is deterministic");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const core::MetadataValidator validator;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([&] { check_sidecar(validator, text); });
  return 0;
}
