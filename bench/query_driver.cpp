// evidence-bench-query INDEX QUERIES.txt: bare Xapian match time for each query (one per
// line), with the project's own query parsing and the server's document weighting
// (BM25 1.2 / 0.75), as the reference for the server's time. Three references, each timed
// over the same queries:
//   top10       the 10 best document records; Xapian may stop early (its default)
//   top10-exact the same, with every matching document looked at (check_at_least = the
//               database size): the exact total that the server's facets and its
//               "total_exact" need, without the facets themselves
//   server-xapian  the Xapian calls a server search makes, and nothing else: the exact
//               document match of the blend depth (50) with the facet spies, the page match
//               over those candidates' pages (best 3 pages each, with the queries of their
//               languages, as the server filters them), and the stored records of 10
//               documents and of up to 3 pages each. For shown documents whose words stand
//               on no one page, the match of their pages with any of the words, as the
//               server does. No passages, JSON or HTTP: a floor under the server's time.
// Prints one line per reference: name, queries, p50, p99 and mean in milliseconds.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "facets.hpp"
#include "index_layout.hpp"
#include "index_reader.hpp"
#include "page_filter.hpp"
#include "query.hpp"

namespace {

struct Times {
  double p50 = 0;
  double p99 = 0;
  double mean = 0;
  std::size_t n = 0;
};

namespace layout = evidence::core::layout;

enum class Reference { kTop10, kTop10Exact, kServerXapian };

// What a server search asks of Xapian, without what it makes of the answers.
class ServerXapian {
 public:
  explicit ServerXapian(Xapian::Database& db) : db_(db) {}

  void search(const evidence::core::ParsedQuery& parsed) {
    const evidence::server::Ranking ranking;
    Xapian::Enquire enquire(db_);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, parsed.query, Xapian::Query(layout::kDocumentKindTerm)));
    enquire.set_weighting_scheme(Xapian::BM25Weight(ranking.k1, 0, 1, ranking.b, 0.5));
    evidence::core::FacetCounter facets;
    facets.attach(enquire, db_);
    Xapian::MSet documents = enquire.get_mset(0, ranking.blend_depth, db_.get_doccount());
    std::vector<std::string> candidates;
    std::vector<std::string> languages;
    std::unordered_map<std::string, std::string> language_of;
    for (auto it = documents.begin(); it != documents.end(); ++it) {
      const auto& [id, language] = candidate(it);
      candidates.push_back(id);
      language_of[id] = language;
      if (std::find(languages.begin(), languages.end(), language) == languages.end())
        languages.push_back(language);
    }
    if (candidates.empty()) return;
    Xapian::Enquire pages(db_);
    pages.set_weighting_scheme(Xapian::BM25Weight(ranking.page_k1, 0, 1, ranking.page_b, 0.5));
    pages.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parsed.for_languages(languages),
                                  directory_.pages_of(db_, candidates, true)));
    pages.set_collapse_key(layout::slot::kParent, 3);
    Xapian::MSet best = pages.get_mset(0, static_cast<Xapian::doccount>(candidates.size() * 3));
    // Ten documents' records, and the best pages of those ten.
    std::vector<std::string> shown(candidates.begin(),
                                   candidates.begin() + std::min<std::ptrdiff_t>(10, std::ssize(candidates)));
    auto it = documents.begin();
    for (std::size_t i = 0; i < shown.size(); ++i, ++it) (void)it.get_document().get_data();
    std::vector<std::string> missing = shown;
    read_pages(best, missing);
    if (missing.empty()) return;
    // Documents whose words stand on no one page: their pages with any of the words.
    std::vector<std::string> missing_languages;
    for (const auto& id : missing) missing_languages.push_back(language_of[id]);
    Xapian::Query any_word = parsed.any_word(missing_languages);
    if (any_word.empty()) return;
    pages.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, any_word, directory_.pages_of(db_, missing, true)));
    read_pages(pages.get_mset(0, static_cast<Xapian::doccount>(missing.size() * 3)), missing);
  }

 private:
  // The stored records of the pages of `documents`; takes the documents with a page out.
  static void read_pages(const Xapian::MSet& pages, std::vector<std::string>& documents) {
    std::vector<std::string> found;
    for (auto page = pages.begin(); page != pages.end(); ++page) {
      if (std::find(documents.begin(), documents.end(), page.get_collapse_key()) == documents.end()) continue;
      (void)page.get_document().get_data();
      found.push_back(page.get_collapse_key());
    }
    std::erase_if(documents, [&](const std::string& id) {
      return std::find(found.begin(), found.end(), id) != found.end();
    });
  }

  // Document ids and languages are remembered per docid, as the server remembers them.
  const std::pair<std::string, std::string>& candidate(const Xapian::MSetIterator& it) {
    auto found = candidates_.find(*it);
    if (found == candidates_.end()) {
      Xapian::Document document = it.get_document();
      found = candidates_
                  .emplace(*it, std::pair{document.get_value(layout::slot::kParent),
                                          document.get_value(layout::slot::kLanguage)})
                  .first;
    }
    return found->second;
  }

  Xapian::Database& db_;
  std::unordered_map<Xapian::docid, std::pair<std::string, std::string>> candidates_;
  evidence::server::PageDirectory directory_;
};

Times time_queries(Xapian::Database& db, const std::vector<std::string>& queries, Reference reference) {
  // The index's languages, read once as the server does.
  const auto languages = evidence::core::QueryBuilder::index_languages(db);
  ServerXapian server(db);
  std::vector<double> times;
  for (int round = 0; round < 2; ++round) {  // the first round warms the caches
    times.clear();
    for (const auto& text : queries) {
      auto start = std::chrono::steady_clock::now();
      evidence::core::QueryBuilder builder(db, languages);
      auto parsed = builder.parse(text);
      if (!parsed) continue;
      if (reference == Reference::kServerXapian) {
        server.search(*parsed);
      } else {
        Xapian::Enquire enquire(db);
        enquire.set_query(
            Xapian::Query(Xapian::Query::OP_FILTER, parsed->query, Xapian::Query(layout::kDocumentKindTerm)));
        const evidence::server::Ranking ranking;  // the server's document weighting
        enquire.set_weighting_scheme(Xapian::BM25Weight(ranking.k1, 0, 1, ranking.b, 0.5));
        bool exact = reference == Reference::kTop10Exact;
        Xapian::MSet mset = enquire.get_mset(0, 10, exact ? db.get_doccount() : 0);
        for (auto it = mset.begin(); it != mset.end(); ++it) (void)it.get_document().get_data();
      }
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
  }
  Times out;
  if (times.empty()) return out;
  std::sort(times.begin(), times.end());
  double sum = 0;
  for (double t : times) sum += t;
  auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<std::size_t>(q * static_cast<double>(times.size())))]; };
  return {at(0.5), at(0.99), sum / static_cast<double>(times.size()), times.size()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: evidence-bench-query INDEX QUERIES.txt\n");
    return 2;
  }
  Xapian::Database db(argv[1]);
  std::ifstream in(argv[2]);
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(line);
  }
  for (auto [reference, name] :
       {std::pair{Reference::kTop10, "top10"}, std::pair{Reference::kTop10Exact, "top10-exact"},
        std::pair{Reference::kServerXapian, "server-xapian"}}) {
    Times t = time_queries(db, queries, reference);
    if (t.n == 0) return 1;
    std::printf("%s %zu %.3f %.3f %.3f\n", name, t.n, t.p50, t.p99, t.mean);
  }
  return 0;
}
