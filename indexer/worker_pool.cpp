#include "worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <iterator>
#include <map>
#include <optional>

#include <xapian.h>

#include "records.hpp"
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
};

struct WorkerPool::Worker {
  pid_t pid = -1;
  int to_worker = -1;
  int from_worker = -1;
  std::optional<Task> task;  // the task in progress
  int pages = 0;             // of its PDF, once opened
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

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif
// ThreadSanitizer reserves its shadow memory too: no address-space limit under it either.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif

// The environment of this process, with ASAN_OPTIONS extended so that under ASan (where
// an address-space limit cannot work: the shadow memory reserves terabytes) a worker is
// still stopped when its resident memory passes the limit.
std::vector<std::string> worker_environment(std::uint64_t memory_limit_mib) {
  std::vector<std::string> out;
  std::string asan_options;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string variable(*entry);
    if (variable.rfind("ASAN_OPTIONS=", 0) == 0) {
      asan_options = variable.substr(13);
    } else {
      out.push_back(std::move(variable));
    }
  }
  if (kAddressSanitizer && memory_limit_mib > 0) {
    // ASan's own resident memory (shadow pages, allocator metadata, a quarantine of freed
    // blocks, kept small here) comes on top of what the PDF needs: a plain PDF's worker
    // reaches about 290 MiB under ASan. The limit grows by that much, so that it still
    // stops the same runaway files and no ordinary one.
    constexpr std::uint64_t kAsanOverheadMib = 384;
    if (!asan_options.empty()) asan_options += ':';
    asan_options += "hard_rss_limit_mb=" + std::to_string(memory_limit_mib + kAsanOverheadMib) +
                    ":quarantine_size_mb=32:abort_on_error=1";
  }
  if (!asan_options.empty()) out.push_back("ASAN_OPTIONS=" + asan_options);
  return out;
}

// The parts of a long PDF as one extraction: the pages in order, and the later parts' text
// appended to the first part's record, each beyond the positions before it.
ExtractedDocument put_together(std::vector<std::optional<ExtractedDocument>>& parts) {
  ExtractedDocument whole = std::move(*parts.front());
  ExtractionResult& result = whole.result;
  Xapian::Document record = Xapian::Document::unserialise(result.document_record);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    ExtractedDocument& part = *parts[i];
    core::append_text_part(record, Xapian::Document::unserialise(part.result.document_record), result.termpos);
    result.termpos += part.result.termpos;
    std::move(part.pages.begin(), part.pages.end(), std::back_inserter(whole.pages));
    result.ocr_pages.insert(result.ocr_pages.end(), part.result.ocr_pages.begin(), part.result.ocr_pages.end());
    result.pages_without_text.insert(result.pages_without_text.end(), part.result.pages_without_text.begin(),
                                     part.result.pages_without_text.end());
    if (result.ocr_problem.empty()) result.ocr_problem = std::move(part.result.ocr_problem);
    result.ocr_pages_skipped += part.result.ocr_pages_skipped;
  }
  result.document_record = record.serialise();
  whole.parts = static_cast<int>(parts.size());
  return whole;
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
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return false;
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return false;
  }
  std::vector<char*> envp;
  for (auto& variable : environment_) envp.push_back(variable.data());
  envp.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the indexer
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
    struct rlimit no_core {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    if (limits_.memory_limit_mib > 0 && !kAddressSanitizer && !kThreadSanitizer) {
      rlim_t bytes = static_cast<rlim_t>(limits_.memory_limit_mib) * 1024 * 1024;
      struct rlimit memory {bytes, bytes};
      ::setrlimit(RLIMIT_AS, &memory);
    }
    const char* argv[] = {executable_.c_str(), "--extraction-worker", nullptr};
    ::execve(executable_.c_str(), const_cast<char* const*>(argv), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  worker.pid = pid;
  worker.to_worker = in_pipe[1];
  worker.from_worker = out_pipe[0];
  worker.reader = FrameReader();
  return true;
}

void WorkerPool::stop(Worker& worker) {
  if (worker.pid > 0) {
    ::kill(worker.pid, SIGKILL);
    ::waitpid(worker.pid, nullptr, 0);
  }
  if (worker.to_worker >= 0) ::close(worker.to_worker);
  if (worker.from_worker >= 0) ::close(worker.from_worker);
  worker.pid = -1;
  worker.to_worker = worker.from_worker = -1;
  worker.task.reset();
}

std::string WorkerPool::death_reason(int status) const {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::string name = sigabbrev_np(sig) ? std::string("SIG") + sigabbrev_np(sig) : std::to_string(sig);
    if (sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS) {
      std::string reason = "the PDF reader crashed on this file (" + name + ")";
      if (limits_.memory_limit_mib > 0) {
        reason += ", or it needed more than the memory limit of " + std::to_string(limits_.memory_limit_mib) + " MiB";
      }
      return reason;
    }
    return "the extraction worker was killed (" + name + ")";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return "cannot start the extraction worker " + executable_;
  }
  return "the extraction worker stopped unexpectedly (exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
}

void WorkerPool::run(const std::vector<ExtractionJob>& jobs, const WorkerCallbacks& callbacks) {
  std::size_t next_job = 0;
  std::deque<Task> parts_waiting;  // later parts of split jobs: handed out before new jobs
  std::map<std::size_t, Split> splits;

  auto task_failed = [&](const Task& task, Error error) {
    auto found = splits.find(task.job);
    if (found == splits.end()) {
      callbacks.failed(task.job, std::move(error));
      return;
    }
    Split& split = found->second;
    if (!split.failed) {
      split.failed = true;
      callbacks.failed(task.job, std::move(error));
      split.pending -= std::erase_if(parts_waiting, [&](const Task& t) { return t.job == task.job; });
    }
    if (--split.pending == 0) splits.erase(found);
  };
  auto task_done = [&](const Task& task, ExtractedDocument&& document) {
    auto found = splits.find(task.job);
    if (found == splits.end()) {
      callbacks.done(task.job, std::move(document));
      return;
    }
    Split& split = found->second;
    split.parts[task.part] = std::move(document);
    if (--split.pending > 0) return;
    if (!split.failed) callbacks.done(task.job, put_together(split.parts));
    splits.erase(found);
  };
  auto fail_current = [&](Worker& worker, Error error) {
    Task task = *worker.task;
    stop(worker);
    task_failed(task, std::move(error));
  };
  // A task has opened its PDF: check its size (a later part: that it is the same PDF).
  auto opened = [&](Worker& worker, int pages) {
    const Task& task = *worker.task;
    worker.pages = pages;
    if (task.part > 0) {
      auto found = splits.find(task.job);
      if (found != splits.end() && pages != found->second.pages) {
        fail_current(worker, Error{ErrorCode::kExtractionFailed, "the PDF changed while its pages were read"});
      }
      return;
    }
    if (limits_.max_pages > 0 && pages > limits_.max_pages) {
      fail_current(worker, Error{ErrorCode::kExtractionFailed,
                                 "the PDF has " + std::to_string(pages) + " pages, more than the limit of " +
                                     std::to_string(limits_.max_pages) + " (--max-pages)"});
      return;
    }
    if (callbacks.opened) callbacks.opened(task.job, pages);
  };
  // The first part knows the language: deal out the rest of a long PDF, to be read in it.
  auto language_known = [&](Worker& worker, std::string language) {
    const Task& task = *worker.task;
    int pages = worker.pages;
    if (task.part > 0 || limits_.split_pages <= 0 || pages <= limits_.split_pages) return;
    Split& split = splits[task.job];
    split.language = std::move(language);
    split.pages = pages;
    auto count = static_cast<std::size_t>((pages + limits_.split_pages - 1) / limits_.split_pages);
    split.parts.resize(count);
    split.pending = count;
    for (std::size_t part = 1; part < count; ++part) {
      int first = static_cast<int>(part) * limits_.split_pages + 1;
      parts_waiting.push_back({task.job, part, first, std::min(pages, first + limits_.split_pages - 1)});
    }
  };
  // What a worker is sent for a task.
  auto job_for = [&](const Task& task) {
    ExtractionJob job = jobs[task.job];
    job.first_page = task.first_page;
    job.last_page = task.last_page;
    if (task.part > 0) job.language = splits.at(task.job).language;
    return job;
  };

  while (true) {
    if (callbacks.cancelled && callbacks.cancelled()) {
      for (auto& worker : workers_) stop(worker);
      return;
    }
    // Hand out tasks to idle workers: the waiting parts of long PDFs first.
    for (auto& worker : workers_) {
      if (worker.task) continue;
      Task task;
      if (!parts_waiting.empty()) {
        task = parts_waiting.front();
        parts_waiting.pop_front();
      } else if (next_job < jobs.size()) {
        task.job = next_job++;
        task.last_page = std::max(limits_.split_pages, 0);  // the rest, if any, is dealt out in parts
      } else {
        continue;
      }
      if (worker.pid < 0 && !spawn(worker)) {
        task_failed(task, Error{ErrorCode::kExtractionFailed, std::string("cannot start a worker: ") + std::strerror(errno)});
        continue;
      }
      worker.task = task;
      worker.pages = 0;
      worker.document = ExtractedDocument{};
      worker.deadline = Clock::now() + limits_.stall_timeout;
      if (!write_frame(worker.to_worker, FrameType::kJob, encode_job(job_for(task)))) {
        int status = 0;
        ::waitpid(worker.pid, &status, 0);
        worker.pid = -1;
        fail_current(worker, Error{ErrorCode::kExtractionFailed, death_reason(status)});
      }
    }

    std::vector<pollfd> fds;
    std::vector<Worker*> busy;
    Clock::time_point earliest = Clock::time_point::max();
    for (auto& worker : workers_) {
      if (!worker.task) continue;
      fds.push_back({worker.from_worker, POLLIN, 0});
      busy.push_back(&worker);
      earliest = std::min(earliest, worker.deadline);
    }
    if (busy.empty()) {
      if (next_job >= jobs.size() && parts_waiting.empty()) break;
      continue;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(earliest - Clock::now()).count();
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));

    for (std::size_t i = 0; i < busy.size(); ++i) {
      Worker& worker = *busy[i];
      if (fds[i].revents != 0) {
        char buffer[1 << 16];
        ssize_t n = ::read(worker.from_worker, buffer, sizeof buffer);
        if (n > 0) {
          worker.reader.append(buffer, static_cast<std::size_t>(n));
          worker.deadline = Clock::now() + limits_.stall_timeout;
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          int status = 0;
          ::waitpid(worker.pid, &status, 0);
          worker.pid = -1;
          fail_current(worker, Error{ErrorCode::kExtractionFailed, death_reason(status)});
          continue;
        }
        while (worker.task) {
          auto frame = worker.reader.next();
          if (!frame) break;
          Task task = *worker.task;
          switch (frame->type) {
            case FrameType::kOpened:
              opened(worker, decode_opened(frame->payload));
              break;
            case FrameType::kLanguage:
              language_known(worker, decode_language(frame->payload));
              break;
            case FrameType::kPage:
              worker.document.pages.push_back(std::move(frame->payload));
              if (callbacks.page_done) callbacks.page_done(task.job);
              break;
            case FrameType::kDone: {
              auto result = decode_result(frame->payload);
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
              task_failed(task, decode_failure(frame->payload));
              break;
            default:
              fail_current(worker, Error{ErrorCode::kInternal, "unexpected frame from the worker"});
              break;
          }
        }
        if (worker.task && worker.reader.corrupt()) {
          fail_current(worker, Error{ErrorCode::kInternal, "corrupt output from the worker"});
        }
      } else if (Clock::now() >= worker.deadline) {
        fail_current(worker, Error{ErrorCode::kExtractionFailed,
                                   "timed out: no progress for " +
                                       std::to_string(limits_.stall_timeout.count()) + " s"});
      }
    }
  }
}

}  // namespace evidence::indexer
