// Fuzz target: sidecar JSON → core::MetadataValidator::parse, what the indexer runs on every
// NAME.json. Properties: nothing throws; the only error is kInvalidMetadata, with a
// message; valid metadata written back as JSON (metadata_to_json) validates again, both
// as a value and re-parsed from its text, to the same metadata.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "metadata.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;

void check_sidecar(const core::MetadataValidator& validator, std::string_view text) {
  auto metadata = validator.parse(text);
  if (!metadata) {
    check(metadata.error().code == core::ErrorCode::kInvalidMetadata, "the only error is kInvalidMetadata");
    check(!metadata.error().message.empty(), "an error has a message");
    return;
  }
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
