#pragma once
// What a fuzz target does when a property fails: say which one and abort, so that
// libFuzzer saves the input and the replay test fails.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace evidence::fuzz {

/// Aborts with the property's description unless it holds.
inline void check(bool holds, std::string_view property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property failed: %.*s\n", static_cast<int>(property.size()), property.data());
  std::abort();
}

/// Runs the body; any exception that escapes it is a failed property.
template <class Body>
void without_exceptions(Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz property failed: an exception escaped: %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz property failed: a non-standard exception escaped\n");
    std::abort();
  }
}

}  // namespace evidence::fuzz
