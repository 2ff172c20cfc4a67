#include "index_writer.hpp"

#include <chrono>
#include <utility>
#include <vector>

#include "index_layout.hpp"

namespace evidence::indexer {

namespace layout = core::layout;
using core::Error;
using core::ErrorCode;

namespace {

// How much extracted text may wait for the writer before extraction is held back.
constexpr std::size_t kMaxQueuedPages = 20000;
constexpr auto kMaxBatchAge = std::chrono::seconds(30);

// "Did you mean" reads the spelling table, one per index in Xapian, which gives the single
// best suggestion for a word. So that no word of a text a caller may not read can show
// through it, neither as a suggestion nor as a closer neighbour that displaces a readable
// one, the table holds only the words everyone may find: those of public documents and of
// catalogue records (the brief summaries listed to all). Each word counts once per such
// record: added with the record, removed with it (replaced, withdrawn, made non-public), so
// the table is always that of the records the index holds now. Unprefixed words of 3 to 30
// bytes without digits (prefixed terms start with a capital letter); every such word,
// however rare: a word missing from the table would be "corrected" into another one.
bool has_term(const Xapian::Document& record, const std::string& term) {
  auto it = record.termlist_begin();
  it.skip_to(term);
  return it != record.termlist_end() && *it == term;
}

void change_spellings(Xapian::WritableDatabase& db, const Xapian::Document& record, bool add) {
  if (!has_term(record, layout::kCatalogueKindTerm) && !has_term(record, layout::access_term("public")))
    return;
  for (auto it = record.termlist_begin(); it != record.termlist_end(); ++it) {
    const std::string& term = *it;
    if (term.size() < 3 || term.size() > 30 || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    if (term.find_first_of("0123456789") != std::string::npos) continue;
    if (add) {
      db.add_spelling(term, 1);
    } else {
      db.remove_spelling(term, 1);
    }
  }
}

void delete_document_and_pages(Xapian::WritableDatabase& db, const std::string& id) {
  // Each unique term is looked up once: the record found is read for its words and deleted
  // by its number.
  for (const std::string& unique : {layout::document_id_term(id), layout::catalogue_id_term(id)}) {
    if (auto posting = db.postlist_begin(unique); posting != db.postlist_end(unique)) {
      Xapian::docid record = *posting;
      change_spellings(db, db.get_document(record), false);
      db.delete_document(record);
    }
  }
  db.delete_document(layout::parent_term(id));
}

}  // namespace

IndexWriter::IndexWriter(Xapian::WritableDatabase database, std::size_t batch_pages)
    : database_(std::move(database)), batch_pages_(batch_pages), thread_([this] { loop(); }) {}

IndexWriter::~IndexWriter() {
  if (thread_.joinable()) (void)finish();
}

bool IndexWriter::add_document(core::DocumentInfo info, std::string record, std::vector<std::string> pages,
                               std::set<std::string> replaces) {
  std::size_t count = pages.size();
  return submit(AddDocument{std::move(info), std::move(record), std::move(pages), std::move(replaces)},
                count);
}

bool IndexWriter::update_record(core::DocumentInfo info) { return submit(UpdateRecord{std::move(info)}, 0); }

bool IndexWriter::remove_document(std::string id) { return submit(RemoveDocument{std::move(id)}, 0); }

bool IndexWriter::remember_failure(std::string path, std::string record, std::set<std::string> replaces) {
  return submit(RememberFailure{std::move(path), std::move(record), std::move(replaces)}, 0);
}

bool IndexWriter::forget_failure(std::string path) { return submit(ForgetFailure{std::move(path)}, 0); }

bool IndexWriter::set_schema(std::string version, bool clear) {
  return submit(SetSchema{std::move(version), clear}, 0);
}

bool IndexWriter::set_shard(std::string name) { return submit(SetShard{std::move(name)}, 0); }

bool IndexWriter::submit(Change change, std::size_t pages) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return error_ || queued_pages_ < kMaxQueuedPages || queue_.empty(); });
  if (error_) return false;
  queued_pages_ += pages;
  queue_.push_back({std::move(change), pages});
  changed_.notify_all();
  return true;
}

core::Status IndexWriter::finish() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (error_) return *error_;
  return {};
}

// The next change to apply; none once finish() was called and the queue is drained.
std::optional<IndexWriter::Queued> IndexWriter::next_change() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
  if (queue_.empty()) return std::nullopt;
  Queued item = std::move(queue_.front());
  queue_.pop_front();
  queued_pages_ -= item.pages;
  changed_.notify_all();
  return item;
}

void IndexWriter::loop() {
  std::size_t batch = 0;  // the open batch's pages, plus one per change
  bool in_transaction = false;
  auto batch_started = std::chrono::steady_clock::now();
  try {
    while (auto item = next_change()) {
      if (!in_transaction) {
        database_.begin_transaction();
        in_transaction = true;
        batch = 0;
        batch_started = std::chrono::steady_clock::now();
      }
      std::visit([this](auto& change) { apply(change); }, item->change);
      batch += item->pages + 1;
      if (batch >= batch_pages_ || std::chrono::steady_clock::now() - batch_started > kMaxBatchAge) {
        database_.commit_transaction();
        in_transaction = false;
      }
    }
    if (in_transaction) database_.commit_transaction();
  } catch (const Xapian::Error& e) {
    // kIndexUnavailable, not kIo: evidence-index exits 5 (index), not 3 (corpus), on a full disk.
    stop_with(Error{ErrorCode::kIndexUnavailable, "cannot write the index: " + e.get_description()});
  } catch (const std::exception& e) {
    stop_with(Error{ErrorCode::kIndexUnavailable, std::string("cannot write the index: ") + e.what()});
  }
}

// After a failed write: the open transaction is never committed, what is queued is dropped,
// and every caller (a blocked one too) learns of it at once.
void IndexWriter::stop_with(Error error) {
  std::lock_guard lock(mutex_);
  error_ = std::move(error);
  failed_.store(true);
  queue_.clear();
  queued_pages_ = 0;
  changed_.notify_all();
}

void IndexWriter::apply(AddDocument& add) {
  for (const auto& id : add.replaces) delete_document_and_pages(database_, id);
  // A run killed after committing this document left it behind: replace, never duplicate.
  delete_document_and_pages(database_, add.info.id);
  Xapian::Document document = Xapian::Document::unserialise(add.record);
  document.add_boolean_term(layout::hash_term(add.info.sha256));
  document.set_data(core::encode_document_info(add.info));
  database_.add_document(document);
  change_spellings(database_, document, true);
  for (const auto& page : add.pages) database_.add_document(Xapian::Document::unserialise(page));
  // Written with the document in one transaction: a change of its level or listing is seen
  // with the document's own change, never before or after it.
  if (core::has_catalogue_record(add.info.metadata.access)) {
    Xapian::Document catalogue = core::make_catalogue_record(add.info);
    database_.add_document(catalogue);
    change_spellings(database_, catalogue, true);
  }
  for (const auto& file : add.info.files)
    database_.set_metadata(layout::kFailedFileKeyPrefix + file.path, "");
}

void IndexWriter::apply(UpdateRecord& update) {
  const std::string id_term = layout::document_id_term(update.info.id);
  auto posting = database_.postlist_begin(id_term);
  if (posting == database_.postlist_end(id_term)) return;
  Xapian::Document record = database_.get_document(*posting);
  record.set_data(core::encode_document_info(update.info));
  database_.replace_document(*posting, record);
}

void IndexWriter::apply(RemoveDocument& remove) { delete_document_and_pages(database_, remove.id); }

void IndexWriter::apply(RememberFailure& failure) {
  // The file's content changed: what the index held for it is no longer true.
  for (const auto& id : failure.replaces) delete_document_and_pages(database_, id);
  database_.set_metadata(layout::kFailedFileKeyPrefix + failure.path, failure.record);
}

void IndexWriter::apply(ForgetFailure& forget) {
  database_.set_metadata(layout::kFailedFileKeyPrefix + forget.path, "");
}

void IndexWriter::apply(SetSchema& schema) {
  if (schema.clear) {
    std::vector<Xapian::docid> all;
    for (auto it = database_.postlist_begin(""); it != database_.postlist_end(""); ++it) all.push_back(*it);
    for (auto docid : all) database_.delete_document(docid);
    std::vector<std::pair<std::string, Xapian::termcount>> words;
    for (auto it = database_.spellings_begin(); it != database_.spellings_end(); ++it)
      words.emplace_back(*it, it.get_termfreq());
    for (const auto& [word, count] : words) database_.remove_spelling(word, count);
  }
  database_.set_metadata(layout::kSchemaVersionKey, schema.version);
}

void IndexWriter::apply(SetShard& shard) { database_.set_metadata(layout::kShardKey, shard.name); }

}  // namespace evidence::indexer
