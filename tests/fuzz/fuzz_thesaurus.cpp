// Fuzz target: the thesaurus file (core::Thesaurus::from_json), which staff edit by hand
// while the server runs. Properties: nothing throws; the only error is kInvalidArgument,
// with a message; reading is deterministic; a thesaurus that loads expands queries
// (including the file's own text) without throwing, and keeps UTF-8 input UTF-8.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "text.hpp"
#include "thesaurus.hpp"

namespace {

namespace core = evidence::core;
using evidence::fuzz::check;

void check_expansion(const core::Thesaurus& thesaurus, std::string_view query) {
  auto expansion = thesaurus.expand(query);
  if (core::is_valid_utf8(query)) check(core::is_valid_utf8(expansion.query), "UTF-8 queries expand to UTF-8");
  if (expansion.also_searched.empty()) return;
  check(!expansion.query.empty(), "an expansion that searched more has a query");
}

void check_file(std::string_view text) {
  auto thesaurus = core::Thesaurus::from_json(text);
  auto again = core::Thesaurus::from_json(text);
  check(thesaurus.ok() == again.ok(), "reading is deterministic");
  if (!thesaurus) {
    check(thesaurus.error().code == core::ErrorCode::kInvalidArgument, "the only error is kInvalidArgument");
    check(!thesaurus.error().message.empty(), "an error has a message");
    return;
  }
  check(thesaurus->group_count() == again->group_count(), "reading is deterministic (groups)");
  for (std::string_view query : {"forced labour", "\"modern slavery\" THB", "=THB title:trafficking -x", ""}) {
    check_expansion(*thesaurus, query);
  }
  check_expansion(*thesaurus, text.substr(0, 200));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([&] { check_file(text); });
  return 0;
}
