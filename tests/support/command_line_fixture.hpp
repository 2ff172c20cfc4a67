#pragma once
// What the tests of the command-line parsers (server_config, indexer_config) share: an
// environment without the variables the parsers read, CLI11's exit codes, the machine's
// cores. Test code only.

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace evidence::testing {

// CLI11's exit codes (CLI/Error.hpp).
inline constexpr int kConversionError = 104;
inline constexpr int kValidationError = 105;
inline constexpr int kRequiredError = 106;
inline constexpr int kExtrasError = 109;

/// Clears the variables the parsers read, and restores them afterwards, so that the tests
/// do not depend on the environment they run in.
struct CleanEnvironment {
  static constexpr const char* kVariables[] = {
      "EVIDENCE_DATA_DIR",   "EVIDENCE_INDEX",  "EVIDENCE_CORPUS",   "EVIDENCE_THESAURUS",
      "EVIDENCE_HOST",       "EVIDENCE_PORT",   "EVIDENCE_THREADS",  "EVIDENCE_JOBS",
      "EVIDENCE_PUBLIC_URL", "EVIDENCE_TOKENS", "EVIDENCE_AUDIT_LOG"};

  CleanEnvironment() {
    for (const char* name : kVariables) {
      const char* value = std::getenv(name);
      saved.emplace_back(value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
  }
  ~CleanEnvironment() {
    for (std::size_t i = 0; i < saved.size(); ++i) {
      if (saved[i]) {
        ::setenv(kVariables[i], saved[i]->c_str(), 1);
      } else {
        ::unsetenv(kVariables[i]);
      }
    }
  }
  CleanEnvironment(const CleanEnvironment&) = delete;
  CleanEnvironment& operator=(const CleanEnvironment&) = delete;

  std::vector<std::optional<std::string>> saved;
};

/// What a thread count of 0 stands for: one per core.
inline int cores() { return static_cast<int>(std::max(1U, std::thread::hardware_concurrency())); }

}  // namespace evidence::testing
