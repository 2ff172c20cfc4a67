#include "page_filter.hpp"

#include <algorithm>

#include "index_layout.hpp"

namespace evidence::server {

namespace layout = core::layout;

Xapian::Query PageDirectory::pages_of(const Xapian::Database& database, const std::vector<std::string>& ids,
                                      bool one_local_index) {
  if (!one_local_index) {
    // Parent terms stand on page records only, so they need no page kind term beside them
    // (an AND with it steps through the postings of every page in the index).
    std::vector<Xapian::Query> parents;
    for (const auto& id : ids) parents.emplace_back(layout::parent_term(id));
    return Xapian::Query(Xapian::Query::OP_OR, parents.begin(), parents.end());
  }
  if (docids_ >= max_docids_) {  // before any run below is pointed at
    pages_.clear();
    docids_ = 0;
  }
  // A document's pages are mostly one run of docids: put the runs in order, and sort the
  // whole only where they interleave (pages added to a document later).
  std::vector<const std::vector<Xapian::docid>*> runs;
  for (const auto& id : ids) {
    if (const auto& pages = docids_of(database, id); !pages.empty()) runs.push_back(&pages);
  }
  std::sort(runs.begin(), runs.end(), [](const auto* a, const auto* b) { return a->front() < b->front(); });
  runs.erase(std::unique(runs.begin(), runs.end()), runs.end());  // a document asked for twice
  auto docids = std::make_shared<std::vector<Xapian::docid>>();
  for (const auto* run : runs) docids->insert(docids->end(), run->begin(), run->end());
  if (!std::is_sorted(docids->begin(), docids->end())) {
    std::sort(docids->begin(), docids->end());
    docids->erase(std::unique(docids->begin(), docids->end()), docids->end());
  }
  return Xapian::Query((new DocidList(std::move(docids)))->release());
}

const std::vector<Xapian::docid>& PageDirectory::docids_of(const Xapian::Database& database, const std::string& id) {
  auto found = pages_.find(id);
  if (found != pages_.end()) return found->second;
  std::vector<Xapian::docid> pages;
  const std::string term = layout::parent_term(id);
  for (auto it = database.postlist_begin(term); it != database.postlist_end(term); ++it) pages.push_back(*it);
  docids_ += pages.size();
  return pages_.emplace(id, std::move(pages)).first->second;
}

DocidList::DocidList(std::shared_ptr<const std::vector<Xapian::docid>> docids) : docids_(std::move(docids)) {}

void DocidList::init(const Xapian::Database& /*database*/) {
  position_ = 0;
  started_ = false;
}

void DocidList::next(double /*min_weight*/) {
  if (started_) {
    ++position_;
  } else {
    started_ = true;
  }
}

void DocidList::skip_to(Xapian::docid docid, double /*min_weight*/) {
  auto from = docids_->begin() + static_cast<std::ptrdiff_t>(started_ ? position_ : 0);
  started_ = true;
  position_ = static_cast<std::size_t>(std::lower_bound(from, docids_->end(), docid) - docids_->begin());
}

std::string DocidList::get_description() const {
  return "DocidList(" + std::to_string(docids_->size()) + " docids)";
}

}  // namespace evidence::server
