// evidence-bench-query INDEX QUERIES.txt: bare Xapian match time for each query (one per
// line), with the project's own query parsing and the server's document weighting
// (BM25 1.2 / 0.75), as the reference for the server's time. Two references, each timed
// over the same queries:
//   top10       the 10 best document records; Xapian may stop early (its default)
//   top10-exact the same, with every matching document looked at (check_at_least = the
//               database size): the exact total that the server's facets and its
//               "total_exact" need, without the facets themselves
// Prints one line per reference: name, queries, p50, p99 and mean in milliseconds.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_layout.hpp"
#include "query.hpp"

namespace {

struct Times {
  double p50 = 0;
  double p99 = 0;
  double mean = 0;
  std::size_t n = 0;
};

Times time_queries(Xapian::Database& db, const std::vector<std::string>& queries, bool exact) {
  // The index's languages, read once as the server does.
  const auto languages = evidence::core::QueryBuilder::index_languages(db);
  std::vector<double> times;
  for (int round = 0; round < 2; ++round) {  // the first round warms the caches
    times.clear();
    for (const auto& text : queries) {
      auto start = std::chrono::steady_clock::now();
      evidence::core::QueryBuilder builder(db, languages);
      auto parsed = builder.parse(text);
      if (!parsed) continue;
      Xapian::Enquire enquire(db);
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parsed->query,
                                      Xapian::Query(evidence::core::layout::kDocumentKindTerm)));
      enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
      Xapian::MSet mset = enquire.get_mset(0, 10, exact ? db.get_doccount() : 0);
      for (auto it = mset.begin(); it != mset.end(); ++it) (void)it.get_document().get_data();
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
  for (bool exact : {false, true}) {
    Times t = time_queries(db, queries, exact);
    if (t.n == 0) return 1;
    std::printf("%s %zu %.3f %.3f %.3f\n", exact ? "top10-exact" : "top10", t.n, t.p50, t.p99, t.mean);
  }
  return 0;
}
