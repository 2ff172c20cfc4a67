#include "vocabulary.hpp"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "embedded_files.hpp"

namespace evidence::core {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c < 0x80 ? std::tolower(c) : c); });
  return out;
}

}  // namespace

Vocabulary::Vocabulary(std::string_view name) {
  std::string file = "vocabularies/" + std::string(name) + ".json";
  std::string_view text = embedded_file(file);
  if (text.empty()) throw std::runtime_error("no embedded vocabulary " + file);
  auto json = nlohmann::json::parse(text);
  for (const auto& code : json.at("enum")) {
    std::string c = code.get<std::string>();
    std::string label = json.at("x-labels").value(c, c);
    labels_[c] = label;
    lookup_[lower(c)] = c;
    lookup_[lower(label)] = c;
  }
}

std::string Vocabulary::label(const std::string& code) const {
  auto it = labels_.find(code);
  return it == labels_.end() ? code : it->second;
}

std::optional<std::string> Vocabulary::find(std::string_view code_or_label) const {
  auto it = lookup_.find(lower(code_or_label));
  if (it == lookup_.end()) return std::nullopt;
  return it->second;
}

const Vocabulary& countries() {
  static const Vocabulary vocabulary("countries");
  return vocabulary;
}
const Vocabulary& themes() {
  static const Vocabulary vocabulary("themes");
  return vocabulary;
}
const Vocabulary& exploitation_forms() {
  static const Vocabulary vocabulary("exploitation");
  return vocabulary;
}
const Vocabulary& document_types() {
  static const Vocabulary vocabulary("document-types");
  return vocabulary;
}

}  // namespace evidence::core
