#include "worker_pool.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <iterator>
#include <map>
#include <optional>

#include <xapian.h>

#include "records.hpp"
#include "worker_process.hpp"
#include "worker_protocol.hpp"

namespace evidence::indexer {

using Clock = std::chrono::steady_clock;
using core::Error;
using core::ErrorCode;

// What a worker is given: a job, or a later part of a job that is read in parts.
struct WorkerPool::Task {
  std::size_t job = 0;
  std::size_t part = 0;  // 0: the job itself (its first pages, when it is long enough to split)
  int first_page = 1;
  int last_page = 0;     // 0: to the last page
  bool quick_guess = false;  // a retry: guess the language from the first page alone
};

struct WorkerPool::Worker {
  WorkerProcess process;     // started for its first task, kept for the next ones
  std::optional<Task> task;  // the task in progress
  int pages = 0;             // of its PDF, once opened
  bool started = false;      // the first part's result header came: its pages may follow
  ExtractedDocument document;
  FrameReader reader;
  Clock::time_point deadline;
};

// A job read in parts, until every part has come back.
struct WorkerPool::Split {
  std::string language;  // the first part's, which every part reads its pages in
  int pages = 0;
  std::size_t pending = 0;  // parts not finished, the first included
  bool failed = false;      // a part failed: the job is reported failed, the rest dropped
  std::vector<std::optional<ExtractedDocument>> parts;  // in page order
};

namespace {

// The parts of a long PDF as one extraction: the pages in order, and the later parts' words
// added to the first part's record (each page's positions are in its own range already).
ExtractedDocument put_together(std::vector<std::optional<ExtractedDocument>>& parts) {
  ExtractedDocument whole = std::move(*parts.front());
  ExtractionResult& result = whole.result;
  Xapian::Document record = Xapian::Document::unserialise(result.document_record);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    ExtractedDocument& part = *parts[i];
    core::append_text_part(record, Xapian::Document::unserialise(part.result.document_record));
    std::move(part.pages.begin(), part.pages.end(), std::back_inserter(whole.pages));
    result.ocr_pages.insert(result.ocr_pages.end(), part.result.ocr_pages.begin(), part.result.ocr_pages.end());
    result.pages_without_text.insert(result.pages_without_text.end(), part.result.pages_without_text.begin(),
                                     part.result.pages_without_text.end());
    if (result.ocr_problem.empty()) result.ocr_problem = std::move(part.result.ocr_problem);
    result.ocr_pages_skipped += part.result.ocr_pages_skipped;
    result.pages_not_read.insert(result.pages_not_read.end(), part.result.pages_not_read.begin(),
                                 part.result.pages_not_read.end());
    if (result.pages_not_read_reason.empty())
      result.pages_not_read_reason = std::move(part.result.pages_not_read_reason);
  }
  result.document_record = record.serialise();
  whole.parts = static_cast<int>(parts.size());
  return whole;
}

// What a task stopped after `document.pages` yields: those pages, and a record rebuilt from
// their text as the worker would have built it (for a first part, with the metadata of its
// result header; for a later part, its pages' words only). Pages first_unread..last_page
// are named as not read, for `reason`. Only time-outs come here, so the cost of reading the
// page records back is not paid in a normal run.
core::Result<ExtractedDocument> partial_document(const std::string& document_id, bool first_part,
                                                 ExtractedDocument document, int first_unread, int last_page,
                                                 const std::string& reason) {
  ExtractionResult& result = document.result;
  core::DocumentRecordBuilder builder(document_id, result.language);
  for (const std::string& serialised : document.pages) {
    auto page = core::decode_page_info(Xapian::Document::unserialise(serialised).get_data());
    if (!page) return Error{ErrorCode::kInternal, "corrupt page from the worker: " + page.error().message};
    builder.add_page(page->number, core::page_words(result.language, *page));
    if (page->ocr) result.ocr_pages.push_back(page->number);
    if (page->text.empty()) result.pages_without_text.push_back(page->number);
  }
  result.document_record = (first_part ? builder.finish(result.metadata) : builder.text_part()).serialise();
  for (int n = first_unread; n <= last_page; ++n) result.pages_not_read.push_back(n);
  result.pages_not_read_reason = reason;
  return document;
}

}  // namespace

WorkerPool::WorkerPool(std::string executable, int workers, WorkerLimits limits)
    : executable_(std::move(executable)), limits_(limits), workers_(static_cast<std::size_t>(std::max(1, workers))) {
  ::signal(SIGPIPE, SIG_IGN);  // a dead worker must not kill us through its pipe
  environment_ = worker_environment(limits_.memory_limit_mib);
}

WorkerPool::~WorkerPool() {
  for (auto& worker : workers_) stop(worker);
}

bool WorkerPool::spawn(Worker& worker) {
  if (!worker.process.start(executable_, environment_, limits_.memory_limit_mib)) return false;
  worker.reader = FrameReader();
  return true;
}

void WorkerPool::stop(Worker& worker) {
  worker.process.stop();
  worker.task.reset();
}

// One run(): the jobs, the parts of long PDFs waiting for a worker, and the steps of the
// loop that hands out tasks, waits for the workers' frames and reports each job's end.
class WorkerPool::Dispatch {
 public:
  Dispatch(WorkerPool& pool, const std::vector<ExtractionJob>& jobs, const WorkerCallbacks& callbacks)
      : pool_(pool), jobs_(jobs), callbacks_(callbacks) {}

  void run();

 private:
  bool all_handed_out() const { return next_job_ >= jobs_.size() && parts_waiting_.empty(); }
  std::optional<Task> next_task();
  void hand_out_tasks();
  void start(Worker& worker, const Task& task);
  ExtractionJob job_for(const Task& task) const;
  void wait_for_output(const std::vector<Worker*>& busy);
  void read_output(Worker& worker);
  void take_frame(Worker& worker, Frame& frame);
  void opened(Worker& worker, int pages);
  void language_known(Worker& worker, std::string language);
  void task_done(const Task& task, ExtractedDocument&& document);
  void task_failed(const Task& task, Error error);
  void report_done(std::size_t job, ExtractedDocument&& document);
  void timed_out(Worker& worker);
  void fail_current(Worker& worker, Error error);
  void worker_died(Worker& worker);

  WorkerPool& pool_;
  const std::vector<ExtractionJob>& jobs_;
  const WorkerCallbacks& callbacks_;
  std::size_t next_job_ = 0;
  std::deque<Task> parts_waiting_;  // later parts of split jobs, and retries: before new jobs
  std::map<std::size_t, Split> splits_;
};

void WorkerPool::run(const std::vector<ExtractionJob>& jobs, const WorkerCallbacks& callbacks) {
  Dispatch(*this, jobs, callbacks).run();
}

void WorkerPool::Dispatch::run() {
  while (true) {
    if (callbacks_.cancelled && callbacks_.cancelled()) {
      for (auto& worker : pool_.workers_) pool_.stop(worker);
      return;
    }
    hand_out_tasks();
    std::vector<Worker*> busy;
    for (auto& worker : pool_.workers_) {
      if (worker.task) busy.push_back(&worker);
    }
    if (busy.empty()) {
      if (all_handed_out()) return;
      continue;
    }
    wait_for_output(busy);
  }
}

// The waiting parts of long PDFs first, then the next job (its first part, when it is long).
std::optional<WorkerPool::Task> WorkerPool::Dispatch::next_task() {
  if (!parts_waiting_.empty()) {
    Task task = parts_waiting_.front();
    parts_waiting_.pop_front();
    return task;
  }
  if (next_job_ >= jobs_.size()) return std::nullopt;
  Task task;
  task.job = next_job_++;
  task.last_page = std::max(pool_.limits_.split_pages, 0);  // the rest, if any, is dealt out in parts
  return task;
}

void WorkerPool::Dispatch::hand_out_tasks() {
  for (auto& worker : pool_.workers_) {
    if (worker.task) continue;
    auto task = next_task();
    if (!task) return;
    start(worker, *task);
  }
}

// Sends a task to an idle worker, starting its process first if it has none.
void WorkerPool::Dispatch::start(Worker& worker, const Task& task) {
  if (!worker.process.running() && !pool_.spawn(worker)) {
    task_failed(task, Error{ErrorCode::kExtractionFailed,
                            std::string("cannot start a worker: ") + std::strerror(errno)});
    return;
  }
  worker.task = task;
  worker.pages = 0;
  worker.started = task.part > 0;  // a later part reads its pages in the first part's language
  worker.document = ExtractedDocument{};
  if (task.part > 0) worker.document.result.language = splits_.at(task.job).language;
  worker.deadline = Clock::now() + pool_.limits_.stall_timeout;
  if (!write_frame(worker.process.input(), FrameType::kJob, encode_job(job_for(task)))) worker_died(worker);
}

// What a worker is sent for a task.
ExtractionJob WorkerPool::Dispatch::job_for(const Task& task) const {
  ExtractionJob job = jobs_[task.job];
  job.first_page = task.first_page;
  job.last_page = task.last_page;
  if (task.part > 0) job.language = splits_.at(task.job).language;
  if (task.quick_guess) job.language_sample_pages = 1;
  return job;
}

// Waits (a second at most, less when a worker's deadline comes first) for output from the
// busy workers, and takes it; a worker silent past its deadline fails its task.
void WorkerPool::Dispatch::wait_for_output(const std::vector<Worker*>& busy) {
  std::vector<pollfd> fds;
  Clock::time_point earliest = Clock::time_point::max();
  for (const Worker* worker : busy) {
    fds.push_back({worker->process.output(), POLLIN, 0});
    earliest = std::min(earliest, worker->deadline);
  }
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - Clock::now()).count();
  int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
  if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
  for (std::size_t i = 0; i < busy.size(); ++i) {
    Worker& worker = *busy[i];
    if (fds[i].revents != 0) {
      read_output(worker);
    } else if (Clock::now() >= worker.deadline) {
      timed_out(worker);
    }
  }
}

// Reads what a worker sent and takes each complete frame; its end of output is its death.
void WorkerPool::Dispatch::read_output(Worker& worker) {
  char buffer[1 << 16];
  ssize_t n = ::read(worker.process.output(), buffer, sizeof buffer);
  if (n > 0) {
    worker.reader.append(buffer, static_cast<std::size_t>(n));
    worker.deadline = Clock::now() + pool_.limits_.stall_timeout;
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    worker_died(worker);
    return;
  }
  while (worker.task) {
    auto frame = worker.reader.next();
    if (!frame) break;
    take_frame(worker, *frame);
  }
  if (worker.task && worker.reader.corrupt()) {
    fail_current(worker, Error{ErrorCode::kInternal, "corrupt output from the worker"});
  }
}

void WorkerPool::Dispatch::take_frame(Worker& worker, Frame& frame) {
  Task task = *worker.task;
  switch (frame.type) {
    case FrameType::kOpened:
      opened(worker, decode_opened(frame.payload));
      break;
    case FrameType::kLanguage:
      if (auto header = decode_result(frame.payload); header && task.part == 0) {
        worker.document.result = std::move(header).value();
        worker.started = true;
      }
      language_known(worker, decode_language(frame.payload));
      break;
    case FrameType::kPage:
      worker.document.pages.push_back(std::move(frame.payload));
      if (callbacks_.page_done) callbacks_.page_done(task.job);
      break;
    case FrameType::kDone: {
      auto result = decode_result(frame.payload);
      worker.task.reset();
      if (!result) {
        task_failed(task, Error(result.error()));
      } else {
        worker.document.result = std::move(result).value();
        task_done(task, std::move(worker.document));
      }
      break;
    }
    case FrameType::kFailed:
      worker.task.reset();
      task_failed(task, decode_failure(frame.payload));
      break;
    default:
      fail_current(worker, Error{ErrorCode::kInternal, "unexpected frame from the worker"});
      break;
  }
}

// A task has opened its PDF: check its size (a later part: that it is the same PDF).
void WorkerPool::Dispatch::opened(Worker& worker, int pages) {
  const Task& task = *worker.task;
  worker.pages = pages;
  if (task.part > 0) {
    auto found = splits_.find(task.job);
    if (found != splits_.end() && pages != found->second.pages) {
      fail_current(worker, Error{ErrorCode::kExtractionFailed, "the PDF changed while its pages were read"});
    }
    return;
  }
  int max_pages = pool_.limits_.max_pages;
  if (max_pages > 0 && pages > max_pages) {
    fail_current(worker, Error{ErrorCode::kExtractionFailed,
                               "the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                                   std::to_string(max_pages) + " (--max-pages)"});
    return;
  }
  if (callbacks_.opened) callbacks_.opened(task.job, pages);
}

// The first part knows the language: deal out the rest of a long PDF, to be read in it.
void WorkerPool::Dispatch::language_known(Worker& worker, std::string language) {
  const Task& task = *worker.task;
  int pages = worker.pages;
  int split_pages = pool_.limits_.split_pages;
  if (task.part > 0 || split_pages <= 0 || pages <= split_pages) return;
  Split& split = splits_[task.job];
  split.language = std::move(language);
  split.pages = pages;
  auto count = static_cast<std::size_t>((pages + split_pages - 1) / split_pages);
  split.parts.resize(count);
  split.pending = count;
  for (std::size_t part = 1; part < count; ++part) {
    int first = static_cast<int>(part) * split_pages + 1;
    parts_waiting_.push_back({task.job, part, first, std::min(pages, first + split_pages - 1)});
  }
}

// A task's document: the job's, or one part of it, reported once every part is back.
void WorkerPool::Dispatch::task_done(const Task& task, ExtractedDocument&& document) {
  auto found = splits_.find(task.job);
  if (found == splits_.end()) {
    report_done(task.job, std::move(document));
    return;
  }
  Split& split = found->second;
  split.parts[task.part] = std::move(document);
  if (--split.pending > 0) return;
  if (!split.failed) report_done(task.job, put_together(split.parts));
  splits_.erase(found);
}

// A job's document, whole or with pages not read; with no page read at all, it fails.
void WorkerPool::Dispatch::report_done(std::size_t job, ExtractedDocument&& document) {
  if (document.pages.empty() && !document.result.pages_not_read.empty()) {
    callbacks_.failed(job, Error{ErrorCode::kExtractionFailed, document.result.pages_not_read_reason});
    return;
  }
  callbacks_.done(job, std::move(document));
}

// A worker silent past its deadline is stopped. Its task keeps the pages it sent, and the
// rest of its pages are not read. Before its first part knew the document's language and
// metadata (a first part's result header), nothing of it can be kept: a PDF that opened
// stalled while its first pages were read for the language guess, and is read once more
// with the language guessed from page 1 alone, so that the pages before the one that
// stalls are sent and kept; otherwise it fails.
void WorkerPool::Dispatch::timed_out(Worker& worker) {
  Error error{ErrorCode::kExtractionFailed,
              "timed out: no progress for " + std::to_string(pool_.limits_.stall_timeout.count()) + " s"};
  const Task task = *worker.task;
  if (!worker.started) {
    if (task.part == 0 && !task.quick_guess && worker.pages > 1) {
      pool_.stop(worker);
      Task retry = task;
      retry.quick_guess = true;
      parts_waiting_.push_front(retry);
      return;
    }
    fail_current(worker, std::move(error));
    return;
  }
  int pages = task.part > 0 ? splits_.at(task.job).pages : worker.pages;  // a later part may not have opened
  int last_page = task.last_page > 0 ? std::min(task.last_page, pages) : pages;
  int first_unread = task.first_page + static_cast<int>(worker.document.pages.size());
  ExtractedDocument sent = std::move(worker.document);
  pool_.stop(worker);
  auto partial = partial_document(jobs_[task.job].document_id, task.part == 0, std::move(sent), first_unread,
                                  last_page, error.message);
  if (!partial) {
    task_failed(task, partial.error());
    return;
  }
  task_done(task, std::move(partial).value());
}

// A failed task fails its job, once: the parts of it still waiting are dropped.
void WorkerPool::Dispatch::task_failed(const Task& task, Error error) {
  auto found = splits_.find(task.job);
  if (found == splits_.end()) {
    callbacks_.failed(task.job, std::move(error));
    return;
  }
  Split& split = found->second;
  if (!split.failed) {
    split.failed = true;
    callbacks_.failed(task.job, std::move(error));
    split.pending -= std::erase_if(parts_waiting_, [&](const Task& t) { return t.job == task.job; });
  }
  if (--split.pending == 0) splits_.erase(found);
}

// Stops the worker (it is started again for its next task) and fails its task.
void WorkerPool::Dispatch::fail_current(Worker& worker, Error error) {
  Task task = *worker.task;
  pool_.stop(worker);
  task_failed(task, std::move(error));
}

// The worker's process ended (its pipe closed): its task fails with the reason.
void WorkerPool::Dispatch::worker_died(Worker& worker) {
  int status = worker.process.reap();
  fail_current(worker, Error{ErrorCode::kExtractionFailed,
                             worker_death_reason(status, pool_.executable_, pool_.limits_.memory_limit_mib)});
}

}  // namespace evidence::indexer
