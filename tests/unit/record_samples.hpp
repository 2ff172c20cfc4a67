#pragma once
// What the tests of records and of queries share: a document's metadata as a sidecar gives
// it, and the message of a failed result for failure output.

#include <string>

#include "metadata.hpp"
#include "records.hpp"

namespace evidence::testing {

// The error message of a failed result, for test failure output.
template <class T>
std::string error_of(const core::Result<T>& result) {
  return result.ok() ? std::string() : result.error().message;
}

inline core::DocumentMetadata record_metadata() {
  core::DocumentMetadata m;
  m.title = "Forced Labour Review";
  m.countries = {"GB"};
  m.date = "2021-03";
  m.themes = {"supply-chains", "prevention"};
  m.exploitation = {"forced-labour"};
  m.type = "report";
  m.organisations = {"Harbour Light"};
  return m;
}

}  // namespace evidence::testing
