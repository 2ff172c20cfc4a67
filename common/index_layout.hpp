#pragma once
// The index layout: one Xapian document per PDF (the document record: metadata, all its
// words, facets) and one per page (the page record: page text, page number, parent id),
// told apart by a kind term. A document that some may not read and whose catalogue is
// listed has a third record, its catalogue record: its brief summary's terms, values and
// access terms, none of its text, for those who may not read the document to find it by.
// Term prefixes and value slots are named here and nowhere else. Word positions are kept
// once, in the document record: page n's words at n × kPagePositions plus their position on
// the page, the metadata fields in the range of "page 0". A page record has its words and
// weights, no positions: a phrase's pages are read off the document record's positions
// (search-server/api/page_phrases.hpp). The spelling table holds the words of public
// documents and catalogue records only (indexer/index_writer.cpp).

#include <cstddef>
#include <string>
#include <string_view>

#include <xapian.h>

namespace evidence::core::layout {

/// Bumped whenever the layout changes; the indexer rebuilds an index of another version.
inline constexpr int kSchemaVersion = 8;  // 4: page headings weigh more; 5: OCR of
                                          // pages without a text layer (re-read them);
                                          // 6: positions in document records only;
                                          // 7: access terms on every record;
                                          // 8: catalogue records, a spelling table
                                          // of public words only
inline constexpr const char* kSchemaVersionKey = "evidence:schema-version";
/// Metadata key: the shard name of an index written with `evidence-index --shard NAME`.
inline constexpr const char* kShardKey = "evidence:shard";
/// Metadata key prefix for files that failed, so unchanged failures are not retried.
inline constexpr const char* kFailedFileKeyPrefix = "evidence:failed:";

namespace prefix {
inline constexpr const char* kKind = "XK";           // XKdoc / XKpage / XKcat
inline constexpr const char* kId = "Q";              // Q<id> (document), Q<id>/<page> (page)
inline constexpr const char* kCatalogueId = "XQ";    // XQ<id>: a document's catalogue record
inline constexpr const char* kParent = "XP";         // on pages: XP<document id>
inline constexpr const char* kHash = "XH";           // on documents: XH<sha256 hex>
inline constexpr const char* kTitle = "S";           // free text
inline constexpr const char* kAuthor = "A";          // free text
inline constexpr const char* kOrganisationText = "XO";  // free text
inline constexpr const char* kOrganisation = "XG";   // boolean, lower-cased exact name
inline constexpr const char* kCountry = "XC";        // boolean, lower-case ISO code: XCgb
inline constexpr const char* kCountryMentioned = "XM";  // boolean, a country the text names: XMgb
inline constexpr const char* kTheme = "XT";          // boolean, vocabulary code
inline constexpr const char* kExploitation = "XE";   // boolean, vocabulary code
inline constexpr const char* kType = "XY";           // boolean, vocabulary code
inline constexpr const char* kLanguage = "XL";       // boolean, primary language subtag: XLfr
inline constexpr const char* kYear = "Y";            // boolean: Y2021
inline constexpr const char* kAccess = "XA";         // every record: XApublic, XAmembers, XArestricted
inline constexpr const char* kReaderGroup = "XR";    // every record of a restricted document: XR<group>
}  // namespace prefix

inline const std::string kDocumentKindTerm = "XKdoc";
inline const std::string kPageKindTerm = "XKpage";
/// A catalogue record: no Q term and no XP term, so that no look-up of a document or of its
/// pages ever meets it; only the reader's filter (ReadScope::findable) lets it in.
inline const std::string kCatalogueKindTerm = "XKcat";

namespace slot {
inline constexpr Xapian::valueno kDate = 0;          // "YYYYMMDD", unknown parts "00"
inline constexpr Xapian::valueno kYear = 1;          // sortable_serialise(year)
inline constexpr Xapian::valueno kPageNumber = 2;    // pages: sortable_serialise(n)
inline constexpr Xapian::valueno kParent = 3;        // the document id: a page's parent's, a
                                                     // document's own (collapse key)
inline constexpr Xapian::valueno kCountries = 4;     // documents: codes joined by kValueSeparator
inline constexpr Xapian::valueno kThemes = 5;
inline constexpr Xapian::valueno kExploitation = 6;
inline constexpr Xapian::valueno kType = 7;
inline constexpr Xapian::valueno kOrganisations = 8;
inline constexpr Xapian::valueno kLanguage = 9;
inline constexpr Xapian::valueno kTitleSort = 10;    // lower-cased title
inline constexpr Xapian::valueno kCountriesMentioned = 11;  // documents: codes of the countries
                                                            // the text names, joined as kCountries
}  // namespace slot

/// The positions of one page in its document record: page n's words are at n × this plus
/// their position on the page. Words beyond the range of their page, and the pages after
/// kMaxPositionedPage, keep their weights but no positions (phrases do not find them).
inline constexpr Xapian::termpos kPagePositions = 1U << 16;
inline constexpr int kMaxPositionedPage = 65535;

/// The page a position of a document record is on (0: the metadata fields).
inline int page_of_position(Xapian::termpos position) { return static_cast<int>(position / kPagePositions); }

/// Separates the values of a multi-valued facet inside one value slot.
inline constexpr char kValueSeparator = '\x1f';

/// Q<id>: the unique term of a document record.
std::string document_id_term(std::string_view id);
/// Q<id>/<n>: the unique term of a page record.
std::string page_id_term(std::string_view id, int page);
/// XP<id>: on every page record of the document.
std::string parent_term(std::string_view id);
/// XQ<id>: the unique term of a document's catalogue record.
std::string catalogue_id_term(std::string_view id);
/// XH<sha256>: on the document record of a PDF with that content.
std::string hash_term(std::string_view sha256_hex);
/// XL<primary subtag>: the language term, "en" when the language is unknown.
std::string language_term(std::string_view bcp47);

/// XA<level>: on the document record and every page record, so that a search filters by
/// it inside the match (on a remote shard too). level: "public", "members", "restricted".
std::string access_term(std::string_view level);
/// XR<group>: on the records of a document restricted to that group.
std::string reader_group_term(std::string_view group);

/// The primary subtag of a BCP 47 tag, lower-cased ("pt-BR" → "pt"), "en" when empty.
std::string primary_language(std::string_view bcp47);

/// The Snowball stemmer for a language, or the empty (non-stemming) stemmer when
/// Xapian has none for it. Each call makes a new one (and, for a language Xapian has no
/// stemmer for, throws and catches an exception): code that needs them again and again
/// takes them from thread_stemmer().
Xapian::Stem stemmer_for(std::string_view bcp47);

/// The same stemmer, made once per thread and language. The handle is this thread's
/// alone (Xapian's objects are not thread-safe): copy it into a parser or generator that
/// stays on the thread, never hand it to another.
const Xapian::Stem& thread_stemmer(std::string_view bcp47);

/// A query that matches every record. Use this, never a copy of Xapian::Query::MatchAll:
/// that is one static object, and copying it from several threads at once races on its
/// reference count (Xapian's counts are not atomic), which corrupts memory.
inline Xapian::Query match_all() { return Xapian::Query(std::string()); }

/// True when a term holds a word of text: the word itself or its stem ("Z" + word), not
/// an id, filter or field term (those start with an upper-case prefix).
bool is_word_term(std::string_view term);

/// Longest document id: a sidecar's id (64) behind a shard name (32) and a dot.
inline constexpr std::size_t kMaxDocumentIdLength = 97;

/// True when a document id is well formed (what the schema allows, or 16 hex digits,
/// either one behind "SHARD.").
bool is_valid_document_id(std::string_view id);

/// True when `name` is 1 to `max_length` of a-z, 0-9 and '-', not starting with '-': the
/// shape of the names that go into ids and terms as they are (shards, groups).
bool is_slug(std::string_view name, std::size_t max_length);

/// True when a shard name is well formed: a slug of at most 32 characters. It has no dot,
/// so the first dot of a sharded id ends it.
bool is_valid_shard_name(std::string_view name);

/// The id a document has in the index: the corpus id itself, or "SHARD.id" in a shard, so
/// that ids stay unique when the server searches several shards as one.
std::string shard_document_id(std::string_view shard, std::string_view id);

/// The id of a document whose sidecar sets none: derived from its content.
std::string content_document_id(std::string_view sha256_hex);

}  // namespace evidence::core::layout
