// Fuzz target: query text → core::QueryBuilder::parse over a small index (two documents in
// two languages, built once in a temporary directory; 1,000 of its words start with "wz10").
// Properties: nothing throws; the only error is kInvalidArgument; text over
// kMaxExpandedQueryLength is refused; an error about wildcards names the wildcard and the
// limit; a parsed query is not empty, describes itself, parses the same way twice and can be
// searched (its wildcards within Xapian's limit: the match does not throw WildcardError); its
// query for one language finds that language's records as the whole query does, and its
// any_word() holds words only; spelling correction does not throw either. And the input's
// bytes choose an expression of words, fields, phrases and wildcards joined by AND, OR,
// AND NOT and XOR (in parentheses): it finds exactly the records that the same set
// operations give over what each of its parts finds searched alone.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <xapian.h>

#include "fuzz_check.hpp"
#include "index_layout.hpp"
#include "query.hpp"
#include "records.hpp"

namespace {

namespace core = evidence::core;
namespace layout = evidence::core::layout;
using evidence::fuzz::check;

void index_document(Xapian::WritableDatabase& db, const std::string& id, const std::string& language,
                    const std::string& text) {
  core::PageInfo page{1, "1", text, {"Findings"}};
  core::DocumentRecordBuilder builder(id, language);
  builder.add_page(1, core::page_words(language, page));
  core::DocumentMetadata metadata;
  metadata.title = "Review of " + id;
  metadata.date = "2021-03";
  metadata.countries = {"GB"};
  metadata.themes = {"prevention"};
  metadata.language = language;
  db.add_document(builder.finish(metadata));
  db.add_document(core::make_page_record(id, language, page));
  for (const char* word : {"forced", "labour", "trafficking", "kittiwake", "shelter"}) db.add_spelling(word);
}

// A temporary index that lives as long as the process (libFuzzer exits through exit()).
class SmallIndex {
 public:
  SmallIndex() {
    std::error_code ec;
    auto base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    for (unsigned n = 0;; ++n) {
      dir_ = base / ("evidence-fuzz-query-" + std::to_string(::getpid()) + "-" + std::to_string(n));
      if (std::filesystem::create_directory(dir_, ec)) break;
    }
    {
      Xapian::WritableDatabase db((dir_ / "index").string(), Xapian::DB_CREATE_OR_OPEN);
      std::string words = "Forced labour and human trafficking in the fishing fleet.";
      for (int i = 0; i < 1000; ++i) words += " wz" + std::to_string(10000 + i);
      index_document(db, "doc-en", "en", words);
      index_document(db, "doc-fr", "fr", "Le travail forcé et la traite des êtres humains.");
      db.commit();
    }
    database_ = Xapian::Database((dir_ / "index").string());
  }
  ~SmallIndex() {
    database_.close();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SmallIndex(const SmallIndex&) = delete;
  SmallIndex& operator=(const SmallIndex&) = delete;

  const Xapian::Database& database() const { return database_; }

 private:
  std::filesystem::path dir_;
  Xapian::Database database_;
};

void check_query(const Xapian::Database& db, std::string_view text) {
  core::QueryBuilder builder(db);
  auto parsed = builder.parse(text);
  if (text.size() > core::kMaxExpandedQueryLength) check(!parsed.ok(), "over-long text is refused");
  if (!parsed) {
    check(parsed.error().code == core::ErrorCode::kInvalidArgument, "the only error is kInvalidArgument");
    const std::string& message = parsed.error().message;
    check(!message.empty(), "an error has a message");
    const std::string one = "the wildcard '";
    const std::string one_end =
        "*' stands for more than 1000 words of the library (the most one wildcard may search): type more "
        "letters before the *";
    if (message.starts_with(one)) {
      check(message.size() > one.size() + one_end.size() && message.ends_with(one_end),
            "a wildcard's error names it and the limit");
    }
    if (message.starts_with("the query's wildcards")) {
      check(message ==
                "the query's wildcards stand for more than 2000 words of the library together (the most "
                "one query may search): use fewer wildcards, or type more letters before each *",
            "the error of a query's wildcards names the limit");
    }
    return;
  }
  check(!parsed->query.empty(), "a parsed query is not empty");
  const std::string description = parsed->query.get_description();
  check(!description.empty(), "a parsed query describes itself");
  auto again = builder.parse(text);
  check(again.ok() && again->query.get_description() == description, "parsing is deterministic");
  Xapian::Enquire enquire(db);
  // The query for one language finds that language's records as the whole query does;
  // any_word() holds words only.
  auto docids = [&](const Xapian::Query& query, const std::string& language) {
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(layout::language_term(language))));
    std::vector<Xapian::docid> found;
    Xapian::MSet matched = enquire.get_mset(0, db.get_doccount());
    for (auto it = matched.begin(); it != matched.end(); ++it) found.push_back(*it);
    std::sort(found.begin(), found.end());
    return found;
  };
  for (const std::string language : {"en", "fr"}) {
    check(docids(parsed->for_languages({language}), language) == docids(parsed->query, language),
          "the query for one language finds what the whole query finds in it");
    Xapian::Query words = parsed->any_word({language});
    for (auto it = words.get_unique_terms_begin(); it != words.get_unique_terms_end(); ++it) {
      check(layout::is_word_term(*it), "any_word() holds words only");
    }
  }
  (void)builder.correct_spelling(text);
}

using Records = std::set<Xapian::docid>;

Records records_found(const Xapian::Database& db, const core::QueryBuilder& builder,
                      const std::string& text) {
  auto parsed = builder.parse(text);
  check(parsed.ok(), "an expression of known parts parses");
  check(parsed->notice.empty(), "an expression of known parts is searched as written");
  Xapian::Enquire enquire(db);
  enquire.set_query(parsed->query);
  Records found;
  Xapian::MSet matched = enquire.get_mset(0, db.get_doccount());
  for (auto it = matched.begin(); it != matched.end(); ++it) found.insert(*it);
  return found;
}

// Words of both documents, of one, of none; a field, a phrase and a wildcard.
constexpr std::array kParts = {"forced",
                               "labour",
                               "trafficking",
                               "fishing",
                               "travail",
                               "humains",
                               "kittiwake",
                               "findings",
                               "title:review",
                               "title:fr",
                               "traf*",
                               "\"forced labour\"",
                               "\"human trafficking\"",
                               "Forcé"};
constexpr std::array kOperators = {"AND", "OR", "AND NOT", "XOR"};
constexpr std::size_t kMaxParts = 6;

// The input's bytes, two at a time, choose an operator and a part: ((a OP b) OP c)...
void check_expression(const Xapian::Database& db, std::string_view bytes) {
  if (bytes.empty()) return;
  core::QueryBuilder builder(db);
  auto pick = [&](std::size_t at, const auto& choices) {
    return std::string(choices[static_cast<unsigned char>(bytes[at]) % choices.size()]);
  };
  std::string text = pick(0, kParts);
  Records expected = records_found(db, builder, text);
  for (std::size_t at = 1; at + 1 < bytes.size() && at < 2 * kMaxParts; at += 2) {
    std::string op = pick(at, kOperators);
    std::string part = pick(at + 1, kParts);
    Records right = records_found(db, builder, part);
    Records combined;
    auto into = std::inserter(combined, combined.end());
    if (op == "AND")
      std::set_intersection(expected.begin(), expected.end(), right.begin(), right.end(), into);
    if (op == "OR") std::set_union(expected.begin(), expected.end(), right.begin(), right.end(), into);
    if (op == "AND NOT")
      std::set_difference(expected.begin(), expected.end(), right.begin(), right.end(), into);
    if (op == "XOR") {
      std::set_symmetric_difference(expected.begin(), expected.end(), right.begin(), right.end(), into);
    }
    expected = std::move(combined);
    text = "(" + text + ") " + op + " " + part;
  }
  check(records_found(db, builder, text) == expected,
        "an expression finds what set operations over its parts' records give");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SmallIndex index;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  evidence::fuzz::without_exceptions([&] {
    check_query(index.database(), text);
    check_expression(index.database(), text);
  });
  return 0;
}
