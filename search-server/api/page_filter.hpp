#pragma once
// Which page records belong to which documents, remembered for one database, so that a
// search can match the pages of its candidate documents without opening one parent
// term's posting list per candidate for every query.

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace evidence::server {

/// The page records of one database by document id. Read from each document's parent
/// term the first time it is asked for; valid while the database does not change (its
/// owner drops it when it does). Starts again when it holds `max_docids` docids.
class PageDirectory {
 public:
  static constexpr std::size_t kMaxDocids = 2'000'000;  // 8 MB of docids

  PageDirectory() = default;
  explicit PageDirectory(std::size_t max_docids) : max_docids_(max_docids) {}

  /// A query matching exactly the page records of these documents. On a database of one
  /// local index (`one_local_index`): the remembered docids, walked in memory. Otherwise
  /// (several shards, or a remote one, where our own posting source cannot travel and
  /// docids are interleaved): the documents' parent terms.
  Xapian::Query pages_of(const Xapian::Database& database, const std::vector<std::string>& ids,
                         bool one_local_index);

 private:
  const std::vector<Xapian::docid>& docids_of(const Xapian::Database& database, const std::string& id);

  std::unordered_map<std::string, std::vector<Xapian::docid>> pages_;
  std::size_t max_docids_ = kMaxDocids;
  std::size_t docids_ = 0;  // in pages_
};

/// A fixed, sorted list of docids as a Xapian posting source (boolean: weight 0). Only for
/// a database of one local index: it is not serialisable, and its docids are the
/// database's own.
class DocidList : public Xapian::PostingSource {
 public:
  explicit DocidList(std::shared_ptr<const std::vector<Xapian::docid>> docids);

  Xapian::doccount get_termfreq_min() const override { return size(); }
  Xapian::doccount get_termfreq_est() const override { return size(); }
  Xapian::doccount get_termfreq_max() const override { return size(); }
  Xapian::docid get_docid() const override { return (*docids_)[position_]; }
  void next(double min_weight) override;
  void skip_to(Xapian::docid docid, double min_weight) override;
  bool at_end() const override { return started_ && position_ >= docids_->size(); }
  void init(const Xapian::Database& database) override;
  Xapian::PostingSource* clone() const override { return new DocidList(docids_); }
  std::string get_description() const override;

 private:
  Xapian::doccount size() const { return static_cast<Xapian::doccount>(docids_->size()); }

  std::shared_ptr<const std::vector<Xapian::docid>> docids_;
  std::size_t position_ = 0;
  bool started_ = false;
};

}  // namespace evidence::server
