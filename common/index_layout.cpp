#include "index_layout.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

namespace evidence::core::layout {

std::string document_id_term(std::string_view id) {
  return std::string(prefix::kId).append(id);
}

std::string page_id_term(std::string_view id, int page) {
  return document_id_term(id).append("/").append(std::to_string(page));
}

std::string parent_term(std::string_view id) {
  return std::string(prefix::kParent).append(id);
}

std::string catalogue_id_term(std::string_view id) { return std::string(prefix::kCatalogueId).append(id); }

std::string hash_term(std::string_view sha256_hex) {
  return std::string(prefix::kHash).append(sha256_hex);
}

std::string access_term(std::string_view level) { return std::string(prefix::kAccess).append(level); }

std::string reader_group_term(std::string_view group) {
  return std::string(prefix::kReaderGroup).append(group);
}

std::string primary_language(std::string_view bcp47) {
  std::string primary(bcp47.substr(0, bcp47.find('-')));
  std::transform(primary.begin(), primary.end(), primary.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return primary.empty() ? "en" : primary;
}

std::string language_term(std::string_view bcp47) {
  return std::string(prefix::kLanguage).append(primary_language(bcp47));
}

Xapian::Stem stemmer_for(std::string_view bcp47) {
  try {
    return Xapian::Stem(primary_language(bcp47));
  } catch (const Xapian::InvalidArgumentError&) {
    return Xapian::Stem();
  }
}

const Xapian::Stem& thread_stemmer(std::string_view bcp47) {
  thread_local std::map<std::string, Xapian::Stem, std::less<>> stemmers;
  std::string primary = primary_language(bcp47);
  auto found = stemmers.find(primary);
  if (found == stemmers.end()) found = stemmers.emplace(primary, stemmer_for(primary)).first;
  return found->second;
}

bool is_word_term(std::string_view term) {
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (term.empty()) return false;
  if (term[0] == 'Z') return term.size() > 1 && !is_upper(term[1]);
  return !is_upper(term[0]);
}

bool is_valid_document_id(std::string_view id) {
  if (id.size() < 3 || id.size() > kMaxDocumentIdLength) return false;
  auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok_first(id.front())) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return ok_first(c) || c == '.' || c == '_' || c == '-';
  });
}

bool is_slug(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_valid_shard_name(std::string_view name) { return is_slug(name, 32); }

std::string shard_document_id(std::string_view shard, std::string_view id) {
  if (shard.empty()) return std::string(id);
  return std::string(shard).append(".").append(id);
}

std::string content_document_id(std::string_view sha256_hex) {
  return std::string(sha256_hex.substr(0, 16));
}

}  // namespace evidence::core::layout
