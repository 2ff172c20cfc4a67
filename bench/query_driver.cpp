// evidence-bench-query INDEX QUERIES.txt: bare Xapian match time for each query (one per
// line), with the project's own query parsing, as the reference for the server's time.
// Prints p50, p99 and mean in milliseconds.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "index_layout.hpp"
#include "query.hpp"

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
  std::vector<double> times;
  for (int round = 0; round < 2; ++round) {  // the first round warms the caches
    times.clear();
    for (const auto& text : queries) {
      auto start = std::chrono::steady_clock::now();
      evidence::core::QueryBuilder builder(db);
      auto parsed = builder.parse(text);
      if (!parsed) continue;
      Xapian::Enquire enquire(db);
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parsed->query,
                                      Xapian::Query(evidence::core::layout::kDocumentKindTerm)));
      Xapian::MSet mset = enquire.get_mset(0, 10);
      for (auto it = mset.begin(); it != mset.end(); ++it) (void)it.get_document().get_data();
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
  }
  if (times.empty()) return 1;
  std::sort(times.begin(), times.end());
  double sum = 0;
  for (double t : times) sum += t;
  auto at = [&](double q) { return times[std::min(times.size() - 1, static_cast<std::size_t>(q * static_cast<double>(times.size())))]; };
  std::printf("%zu %.3f %.3f %.3f\n", times.size(), at(0.5), at(0.99), sum / static_cast<double>(times.size()));
  return 0;
}
