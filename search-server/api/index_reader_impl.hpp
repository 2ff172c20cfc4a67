#pragma once
// What index_reader.cpp and index_search.cpp share: finding a record by its unique term,
// the retrying read of the database, and a page hit as the API shows it. Not for other
// files: IndexReader's users see index_reader.hpp.

#include <optional>
#include <string>

#include <xapian.h>

#include "index_layout.hpp"
#include "index_reader.hpp"
#include "passage.hpp"
#include "query.hpp"

namespace evidence::server::detail {

inline std::optional<Xapian::docid> find_unique(const Xapian::Database& db, const std::string& term) {
  auto it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return std::nullopt;
  return *it;
}

// One matching page as the API shows it: number, label, passage, how often the words occur.
inline PageHit page_hit(core::PassageMaker& passages, const core::PageInfo& page, const std::string& language) {
  core::Passage passage = passages.make(page.text, language, page.headings);
  return PageHit{page.number, page.label, std::move(passage.html), passage.matches};
}

}  // namespace evidence::server::detail

namespace evidence::server {

template <class F>
std::invoke_result_t<F, Xapian::Database&> IndexReader::with_database(F&& action) {
  // A revision written while we read may invalidate what we read: reopen and retry. A shard
  // that stops answering is set aside and the request runs again on the others.
  int modified = 0;
  int network_failures = 0;
  int unreadable = 0;
  while (true) {
    auto database = shards_.get();
    if (!database) return database.error();
    try {
      return action(**database);
    } catch (const Xapian::WildcardError& e) {
      // The query parser counts what wildcards stand for; Xapian's own limit is met only where
      // the index grew after the query was parsed.
      return core::Error{core::ErrorCode::kInvalidArgument, core::wildcard_error_message(e)};
    } catch (const Xapian::DatabaseModifiedError&) {
      if (++modified == 2) return core::Error{core::ErrorCode::kIndexUnavailable, "the index kept changing while it was read; try again"};
      shards_.refresh_next();
    } catch (const Xapian::NetworkError& e) {
      // Each recovery sets aside at least the shard that failed, or reconnects it once.
      if (++network_failures > 8) return core::Error{core::ErrorCode::kIndexUnavailable, "the shards keep failing: " + e.get_description()};
      shards_.recover(e);
    } catch (const Xapian::DatabaseError& e) {
      shards_.reset();
      if (++unreadable == 2) return core::Error{core::ErrorCode::kIndexUnavailable, "the index cannot be read: " + e.get_description()};
    }
  }
}

}  // namespace evidence::server
