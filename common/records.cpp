#include "records.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "index_layout.hpp"
#include "text.hpp"

namespace evidence::core {

using nlohmann::json;
namespace prefix = layout::prefix;
namespace slot = layout::slot;

namespace {

// Title and summary words count for more than body text.
constexpr Xapian::termcount kTitleWeight = 5;
constexpr Xapian::termcount kSummaryWeight = 2;
constexpr Xapian::termcount kHeadingWeight = 3;  // a heading's words count three times
// A gap in term positions between metadata fields, and between a page's text and its
// headings, so that no phrase matches across them (pages are further apart still: each has
// its own range, layout::kPagePositions).
constexpr Xapian::termpos kFieldGap = 100;

json stamp_to_json(const FileStamp& stamp) {
  return {{"path", stamp.path}, {"size", stamp.size}, {"mtime_ns", stamp.mtime_ns}};
}

FileStamp stamp_from_json(const json& j) {
  return {j.at("path").get<std::string>(), j.at("size").get<std::uint64_t>(),
          j.at("mtime_ns").get<std::int64_t>()};
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c < 0x80 ? std::tolower(c) : c);
  });
  return s;
}

std::string join_values(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += layout::kValueSeparator;
    out += v;
  }
  return out;
}

// "2021-03" → "20210300"
std::string date_value(const std::string& date) {
  std::string digits;
  for (char c : date) {
    if (c != '-') digits += c;
  }
  digits.resize(8, '0');
  return digits;
}

void configure_generator(Xapian::TermGenerator& generator, std::string_view language) {
  generator.set_stemmer(layout::stemmer_for(language));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
}

}  // namespace

std::string encode_document_info(const DocumentInfo& info) {
  json files = json::array();
  for (const auto& f : info.files) files.push_back(stamp_to_json(f));
  json j = {{"id", info.id},
            {"sha256", info.sha256},
            {"size", info.size},
            {"pages", info.page_count},
            {"language", info.language},
            {"language_detected", info.language_detected},
            {"metadata_source", info.metadata_source},
            {"metadata", metadata_to_json(info.metadata)},
            {"files", std::move(files)},
            {"indexed_at", info.indexed_at}};
  if (info.sidecar) j["sidecar"] = stamp_to_json(*info.sidecar);
  if (!info.ocr_pages.empty()) j["ocr_pages"] = info.ocr_pages;
  if (!info.pages_without_text.empty()) j["pages_without_text"] = info.pages_without_text;
  if (info.ocr_pages_skipped > 0) j["ocr_pages_skipped"] = info.ocr_pages_skipped;
  if (!info.pages_not_read.empty()) {
    j["pages_not_read"] = info.pages_not_read;
    j["pages_not_read_reason"] = info.pages_not_read_reason;
  }
  if (info.catalogue) j["catalogue"] = true;
  std::vector<std::uint8_t> cbor = json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

Result<DocumentInfo> decode_document_info(std::string_view data) {
  try {
    json j = json::from_cbor(data.begin(), data.end());
    DocumentInfo info;
    info.id = j.at("id").get<std::string>();
    info.sha256 = j.at("sha256").get<std::string>();
    info.size = j.at("size").get<std::uint64_t>();
    info.page_count = j.at("pages").get<int>();
    info.language = j.at("language").get<std::string>();
    info.language_detected = j.value("language_detected", false);
    info.metadata_source = j.at("metadata_source").get<std::string>();
    info.metadata = metadata_from_json(j.at("metadata"));
    for (const auto& f : j.at("files")) info.files.push_back(stamp_from_json(f));
    if (auto it = j.find("sidecar"); it != j.end()) info.sidecar = stamp_from_json(*it);
    info.indexed_at = j.at("indexed_at").get<std::int64_t>();
    if (auto it = j.find("ocr_pages"); it != j.end()) info.ocr_pages = it->get<std::vector<int>>();
    if (auto it = j.find("pages_without_text"); it != j.end()) {
      info.pages_without_text = it->get<std::vector<int>>();
    }
    info.ocr_pages_skipped = j.value("ocr_pages_skipped", 0);
    if (auto it = j.find("pages_not_read"); it != j.end()) info.pages_not_read = it->get<std::vector<int>>();
    info.pages_not_read_reason = j.value("pages_not_read_reason", "");
    info.catalogue = j.value("catalogue", false);
    return info;
  } catch (const json::exception& e) {
    return Error{ErrorCode::kIndexUnavailable, std::string("unreadable document record: ") + e.what()};
  }
}

std::string encode_page_info(const PageInfo& info) {
  json j = {{"n", info.number}, {"label", info.label}, {"text", info.text}};
  if (!info.headings.empty()) j["h"] = info.headings;
  if (info.ocr) j["ocr"] = true;
  std::vector<std::uint8_t> cbor = json::to_cbor(j);
  return std::string(cbor.begin(), cbor.end());
}

namespace {

// A reader of the CBOR that encode_page_info() writes (a map of "n", "label", "text",
// "h" and "ocr"), without building a JSON value first: strings are copied out of the record once.
// Reading pages is on every search's path, and nlohmann's CBOR reader spent more on a
// page than cutting its passage did.
class PageRecordReader {
 public:
  explicit PageRecordReader(std::string_view data) : data_(data) {}

  // The page, or an empty optional with why() set.
  std::optional<PageInfo> read() {
    std::uint64_t fields = 0;
    if (!head(5, fields)) return std::nullopt;
    PageInfo page;
    bool number = false;
    bool label = false;
    bool text = false;
    for (std::uint64_t i = 0; i < fields; ++i) {
      std::string_view key;
      if (!string(key)) return std::nullopt;
      if (key == "n") {
        if (!integer(page.number)) return std::nullopt;
        number = true;
      } else if (key == "label") {
        if (!string(page.label)) return std::nullopt;
        label = true;
      } else if (key == "text") {
        if (!string(page.text)) return std::nullopt;
        text = true;
      } else if (key == "h") {
        std::uint64_t count = 0;
        if (!head(4, count)) return std::nullopt;
        if (count > data_.size() - at_) return refuse("more headings than bytes");
        page.headings.resize(count);
        for (auto& heading : page.headings) {
          if (!string(heading)) return std::nullopt;
        }
      } else if (key == "ocr") {
        if (!boolean(page.ocr)) return std::nullopt;
      } else {
        return refuse("unknown field '" + std::string(key) + "'");
      }
    }
    if (!number || !label || !text) return refuse("a field is missing");
    if (at_ != data_.size()) return refuse("bytes after the record");
    return page;
  }

  const std::string& why() const { return why_; }

 private:
  bool fail(std::string why) {
    why_ = std::move(why);
    return false;
  }

  std::optional<PageInfo> refuse(std::string why) {
    fail(std::move(why));
    return std::nullopt;
  }

  // A data item's head of the given major type; its argument (length, count or value).
  bool head(int major, std::uint64_t& argument) {
    if (at_ >= data_.size()) return fail("the record ends early");
    auto byte = static_cast<unsigned char>(data_[at_++]);
    if (byte >> 5 != major) return fail("unexpected item type " + std::to_string(byte >> 5));
    unsigned info = byte & 0x1f;
    if (info < 24) {
      argument = info;
      return true;
    }
    if (info > 27) return fail("unsupported item length");
    std::size_t size = std::size_t{1} << (info - 24);
    if (data_.size() - at_ < size) return fail("the record ends early");
    argument = 0;
    for (std::size_t i = 0; i < size; ++i) argument = argument << 8 | static_cast<unsigned char>(data_[at_++]);
    return true;
  }

  bool string(std::string_view& out) {
    std::uint64_t length = 0;
    if (!head(3, length)) return false;
    if (length > data_.size() - at_) return fail("the record ends early");
    out = data_.substr(at_, length);
    at_ += length;
    return true;
  }

  bool string(std::string& out) {
    std::string_view view;
    if (!string(view)) return false;
    out.assign(view);
    return true;
  }

  bool boolean(bool& out) {
    if (at_ >= data_.size()) return fail("the record ends early");
    auto byte = static_cast<unsigned char>(data_[at_++]);
    if (byte != 0xf4 && byte != 0xf5) return fail("expected true or false");
    out = byte == 0xf5;
    return true;
  }

  bool integer(int& out) {
    if (at_ >= data_.size()) return fail("the record ends early");
    bool negative = static_cast<unsigned char>(data_[at_]) >> 5 == 1;
    std::uint64_t value = 0;
    if (!head(negative ? 1 : 0, value)) return false;
    if (value > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      return fail("page number out of range");
    }
    out = negative ? -1 - static_cast<int>(value) : static_cast<int>(value);
    return true;
  }

  std::string_view data_;
  std::size_t at_ = 0;
  std::string why_;
};

}  // namespace

Result<PageInfo> decode_page_info(std::string_view data) {
  PageRecordReader reader(data);
  std::optional<PageInfo> page = reader.read();
  if (!page) return Error{ErrorCode::kIndexUnavailable, "unreadable page record: " + reader.why()};
  return std::move(*page);
}

json document_info_to_json(const DocumentInfo& info) {
  json out = metadata_to_json(info.metadata);
  out["id"] = info.id;
  out["access"] = access_level_name(info.metadata.access.level);
  out["readable"] = !info.catalogue;
  if (info.catalogue) {
    out.erase("catalogue");  // how the document is listed is its readers' business
    if (!info.language.empty()) out["language"] = info.language;
    if (int year = metadata_year(info.metadata); year > 0) out["year"] = year;
    return out;
  }
  json files = json::array();
  for (const auto& f : info.files) files.push_back(f.path);
  out["page_count"] = info.page_count;
  out["language"] = info.language;
  out["language_detected"] = info.language_detected;
  out["metadata_source"] = info.metadata_source;
  out["files"] = std::move(files);
  out["sha256"] = info.sha256;
  out["size"] = info.size;
  out["ocr_pages"] = info.ocr_pages;
  out["pages_without_text"] = info.pages_without_text;
  if (!info.pages_not_read.empty()) {
    out["pages_not_read"] = info.pages_not_read;
    out["pages_not_read_reason"] = info.pages_not_read_reason;
  }
  if (int year = metadata_year(info.metadata); year > 0) out["year"] = year;
  return out;
}

Xapian::Document page_words(std::string_view language, const PageInfo& page) {
  Xapian::Document words;
  Xapian::TermGenerator generator;
  configure_generator(generator, language);
  generator.set_document(words);
  generator.index_text(page.text);
  for (const auto& heading : page.headings) {  // once more, so that its words count for more
    generator.increase_termpos(kFieldGap);
    generator.index_text(heading, kHeadingWeight - 1);
  }
  return words;
}

DocumentInfo catalogue_info(const DocumentInfo& info) {
  const DocumentMetadata& m = info.metadata;
  DocumentInfo brief;
  brief.id = info.id;
  brief.catalogue = true;
  // The sidecar's language only: a language guessed from the text is derived from it.
  brief.language = m.language;
  brief.metadata_source = info.metadata_source;
  brief.indexed_at = info.indexed_at;
  brief.metadata.title = m.title;
  brief.metadata.organisations = m.organisations;
  brief.metadata.date = m.date;
  brief.metadata.type = m.type;
  brief.metadata.summary = m.summary;
  brief.metadata.countries = m.countries;
  brief.metadata.themes = m.themes;
  brief.metadata.access.level = m.access.level;
  brief.metadata.access.catalogue = m.access.catalogue;
  return brief;
}

Xapian::Document make_catalogue_record(const DocumentInfo& info) {
  DocumentInfo brief = catalogue_info(info);
  DocumentMetadata terms = brief.metadata;
  terms.access = info.metadata.access;  // the groups' terms, for the reader's filter
  DocumentRecordBuilder builder(info.id, brief.language);
  Xapian::Document record = builder.finish(terms, true);
  record.set_data(encode_document_info(brief));
  return record;
}

void add_access_terms(Xapian::Document& record, const DocumentAccess& access) {
  record.add_boolean_term(layout::access_term(access_level_name(access.level)));
  for (const auto& group : access.groups) record.add_boolean_term(layout::reader_group_term(group));
}

Xapian::Document make_page_record(std::string_view document_id, std::string_view language,
                                  const PageInfo& page, const Xapian::Document& words,
                                  const DocumentAccess& access) {
  Xapian::Document record;
  for (auto term = words.termlist_begin(); term != words.termlist_end(); ++term) {
    record.add_term(*term, term.get_wdf());
  }
  record.add_boolean_term(layout::kPageKindTerm);
  record.add_boolean_term(layout::page_id_term(document_id, page.number));
  record.add_boolean_term(layout::parent_term(document_id));
  record.add_boolean_term(layout::language_term(language));
  add_access_terms(record, access);
  record.add_value(slot::kPageNumber, Xapian::sortable_serialise(page.number));
  record.add_value(slot::kParent, std::string(document_id));
  record.set_data(encode_page_info(page));
  return record;
}

Xapian::Document make_page_record(std::string_view document_id, std::string_view language,
                                  const PageInfo& page, const DocumentAccess& access) {
  return make_page_record(document_id, language, page, page_words(language, page), access);
}

void append_text_part(Xapian::Document& record, const Xapian::Document& part) {
  for (auto term = part.termlist_begin(); term != part.termlist_end(); ++term) {
    if (!layout::is_word_term(*term)) continue;
    for (auto position = term.positionlist_begin(); position != term.positionlist_end(); ++position) {
      record.add_posting(*term, *position, 0);
    }
    record.add_term(*term, term.get_wdf());
  }
}

DocumentRecordBuilder::DocumentRecordBuilder(std::string id, std::string language)
    : id_(std::move(id)), language_(std::move(language)) {
  configure_generator(generator_, language_);
  generator_.set_document(document_);
}

void DocumentRecordBuilder::add_page(int number, const Xapian::Document& words) {
  bool positioned = number >= 1 && number <= layout::kMaxPositionedPage;
  Xapian::termpos start = positioned ? static_cast<Xapian::termpos>(number) * layout::kPagePositions : 0;
  for (auto term = words.termlist_begin(); term != words.termlist_end(); ++term) {
    for (auto position = term.positionlist_begin(); positioned && position != term.positionlist_end();
         ++position) {
      if (*position >= layout::kPagePositions) break;  // beyond its page's range
      document_.add_posting(*term, start + *position, 0);
    }
    document_.add_term(*term, term.get_wdf());
  }
}

Xapian::Document DocumentRecordBuilder::finish(const DocumentMetadata& m, bool catalogue) {
  // The metadata fields' positions stay in the range of "page 0": a field that might not
  // fit (each byte at most one word) is indexed without positions.
  auto index = [this](const std::string& text, Xapian::termcount weight, const char* field_prefix = "") {
    if (generator_.get_termpos() + text.size() + kFieldGap < layout::kPagePositions) {
      generator_.index_text(text, weight, field_prefix);
      generator_.increase_termpos(kFieldGap);
    } else {
      generator_.index_text_without_positions(text, weight, field_prefix);
    }
  };
  auto field = [&](const std::string& text, Xapian::termcount weight, const char* field_prefix) {
    if (text.empty()) return;
    index(text, 1, field_prefix);
    index(text, weight);
  };
  field(m.title, kTitleWeight, prefix::kTitle);
  field(m.subtitle, kTitleWeight, prefix::kTitle);
  for (const auto& person : m.authors) field(person.given + " " + person.family, 1, prefix::kAuthor);
  for (const auto& organisation : m.organisations) field(organisation, 1, prefix::kOrganisationText);
  if (!m.summary.empty()) index(m.summary, kSummaryWeight);
  for (const auto& keyword : m.keywords) index(keyword, kSummaryWeight);

  document_.add_boolean_term(catalogue ? layout::kCatalogueKindTerm : layout::kDocumentKindTerm);
  document_.add_boolean_term(catalogue ? layout::catalogue_id_term(id_) : layout::document_id_term(id_));
  document_.add_boolean_term(layout::language_term(language_));
  add_access_terms(document_, m.access);
  auto terms = [this](const char* term_prefix, const std::vector<std::string>& values) {
    for (const auto& v : values) document_.add_boolean_term(term_prefix + lower_ascii(v));
  };
  terms(prefix::kCountry, m.countries);
  terms(prefix::kTheme, m.themes);
  terms(prefix::kExploitation, m.exploitation);
  terms(prefix::kOrganisation, m.organisations);
  if (!m.type.empty()) document_.add_boolean_term(prefix::kType + m.type);
  if (int year = metadata_year(m); year > 0) {
    document_.add_boolean_term(prefix::kYear + std::to_string(year));
    document_.add_value(slot::kYear, Xapian::sortable_serialise(year));
    document_.add_value(slot::kDate, date_value(m.date));
  }
  document_.add_value(slot::kCountries, join_values(m.countries));
  document_.add_value(slot::kThemes, join_values(m.themes));
  document_.add_value(slot::kExploitation, join_values(m.exploitation));
  document_.add_value(slot::kType, m.type);
  document_.add_value(slot::kOrganisations, join_values(m.organisations));
  document_.add_value(slot::kLanguage, layout::primary_language(language_));
  document_.add_value(slot::kTitleSort, lower_ascii(m.title));
  document_.add_value(slot::kParent, id_);
  return document_;
}

}  // namespace evidence::core
