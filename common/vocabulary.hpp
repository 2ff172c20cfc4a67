#pragma once
// The controlled vocabularies of schemas/vocabularies/ (embedded): codes and their labels.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace evidence::core {

class Vocabulary {
 public:
  /// Loads an embedded vocabulary: "countries", "themes", "exploitation", "document-types".
  /// Throws std::runtime_error for an unknown name (a programmer error).
  explicit Vocabulary(std::string_view name);

  /// The label of a code ("GB" → "United Kingdom"), or the code itself when unknown.
  std::string label(const std::string& code) const;

  /// The code for a code or a label, ignoring case ("gb", "United Kingdom" → "GB").
  std::optional<std::string> find(std::string_view code_or_label) const;

  const std::map<std::string, std::string>& labels() const { return labels_; }

 private:
  std::map<std::string, std::string> labels_;  // code → label
  std::map<std::string, std::string> lookup_;  // lower-case code or label → code
};

/// The vocabularies, loaded once for the process.
const Vocabulary& countries();
const Vocabulary& themes();
const Vocabulary& exploitation_forms();
const Vocabulary& document_types();

}  // namespace evidence::core
