#include "application.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

#include <spdlog/spdlog.h>
#include <xapian.h>

#include "audit_log.hpp"
#include "cache_policy.hpp"
#include "document_writer.hpp"
#include "error_responses.hpp"
#include "metrics.hpp"
#include "shard_set.hpp"
#include "sharded_database.hpp"
#include "text.hpp"
#include "token_store.hpp"
#include "upload.hpp"
#include "web/pages.hpp"
#include "write_routes.hpp"

namespace evidence::server {

struct Application::State {
  explicit State(const ServerConfig& c, Application& app)
      : config(c),
        thesaurus(c.thesaurus),
        tokens(TokenStoreOptions{c.tokens}),
        writer(WriterConfig{c.corpus,
                            c.index,
                            c.index_jobs,
                            {},
                            {},
                            c.write_lock_timeout,
                            c.write_timeout,
                            c.ocr_max_pages},
               [&app] { app.state_->committed(); }) {
    options.public_url = c.public_url;
    options.request_access = c.request_access;
    options.corpus = c.corpus;
    auto log = AuditLog::open(c.audit_log);
    if (log) {
      audit.emplace(std::move(log).value());
    } else {
      audit_error = log.error().message;
      spdlog::warn("uploads, edits and withdrawals are refused: {}", audit_error);
    }
    writes.emplace(writer, tokens, audit ? &*audit : nullptr, audit_error, c.private_search);
    if (!c.shards) clear_incoming(c.corpus);
  }

  // A write committed a new index revision: every thread answers from it from now on.
  void committed() {
    try {
      Xapian::Database newest(config.index.string());
      revision.saw(newest.get_uuid(), newest.get_revision());
    } catch (const Xapian::Error& e) {
      spdlog::warn("cannot read the new index revision: {}", e.get_description());
    }
  }

  // One reader per thread: Xapian database handles are not thread-safe.
  IndexReader& reader() {
    thread_local std::unique_ptr<IndexReader> mine;
    thread_local std::uint64_t owner = 0;
    if (!mine || owner != id) {
      mine = std::make_unique<IndexReader>(
          config.shards ? *config.shards : single_index(config.index, config.corpus), config.refresh_interval,
          &revision, Ranking{config.bm25_k1, config.bm25_b, config.page_bm25_k1, config.page_bm25_b},
          SearchBudget{config.match_time_limit});
      owner = id;
    }
    return *mine;
  }

  std::string metrics_text() {
    IndexReader& index = reader();
    auto health = index.health();
    return metrics.render() +
           gauges_text(health ? *health : IndexHealth{}, open_connections ? open_connections() : 0) +
           process_text();
  }

  static inline std::atomic<std::uint64_t> instances{0};
  const std::uint64_t id = ++instances;  // whose thread's reader is whose
  ServerConfig config;
  ApiOptions options;
  SharedRevision revision;
  ThesaurusSource thesaurus;
  TokenStore tokens;
  std::optional<AuditLog> audit;
  std::string audit_error;
  DocumentWriter writer;
  std::optional<WriteApi> writes;
  RequestMetrics metrics;
  std::function<std::size_t()> open_connections;
};

Application::Application(const ServerConfig& config) {
  core::prepare_normalisation();  // before the I/O threads, which all normalise query text
  state_ = std::make_unique<State>(config, *this);
}

Application::~Application() = default;

RouteContext Application::context() {
  State& s = *state_;
  return RouteContext{&s.reader(), &s.thesaurus, &s.options, &*s.writes, [&s] { return s.metrics_text(); }};
}

// Who may use the route, and what its caller may read: the one place that decides both.
// An editor route needs an editor's token (and a server that takes writes); on a private
// library every route but the open ones needs a reader's token or the cookie /admin sets,
// and a page asks to sign in. A reader route on a public library is open to anyone, as it
// always was: a token that verifies reads more, one that does not (revoked, mistyped, a
// stale cookie) reads as no token. What the caller may read (admission.scope) is then
// filtered inside every query the route's handler runs.
std::optional<ApiResponse> Application::gate(const RouteMatch& match, const ApiRequest& request,
                                             Admission& admission) {
  State& s = *state_;
  bool private_library = s.config.private_search;
  admission.scope = private_library ? ReadScope::nothing() : ReadScope::anonymous();
  switch (match.access()) {
    case Access::kOpen:
      return std::nullopt;
    case Access::kEditor: {
      // A network's portal searches its members' indexes and takes no writes.
      if (s.config.shards) return no_writes();
      auto who = s.writes->authorize_editor(request);
      if (!who) return error_response(who.error());
      admission.caller = *who;
      admission.scope = ReadScope::member(who->groups);
      return std::nullopt;
    }
    case Access::kReader: {
      auto who = s.writes->reader_of(request);
      if (!who && private_library) {
        return match.page ? web::sign_in_page(who.error()) : error_response(who.error());
      }
      if (who && *who) {
        admission.caller = **who;
        admission.scope = ReadScope::member((*who)->groups);
        return std::nullopt;
      }
      if (!private_library) return std::nullopt;
      auto refused = s.writes->authorize_reader(request);  // no token: says why one is needed
      return match.page ? web::sign_in_page(refused.error()) : error_response(refused.error());
    }
  }
  return std::nullopt;
}

Admission Application::admit(const ApiRequest& request, std::optional<std::uint64_t> announced_length) {
  Admission admission;
  admission.match = match_route(request.method, request.target);
  const RouteMatch& match = admission.match;
  if (match.route != nullptr) {
    admission.body = match.route->body;
    if (match.route->access == Access::kEditor) admission.lane = Lane::kWriter;
  }
  if (admission.body == BodyKind::kUpload) {
    admission.lane = Lane::kUploads;
    admit_upload(admission, request, announced_length);
    return admission;
  }
  if (announced_length && *announced_length > state_->config.max_body_bytes) {
    admission.refusal = error_response(413, "too_large",
                                       "the request body is larger than the limit of " +
                                           std::to_string(state_->config.max_body_bytes) + " bytes");
    return admission;
  }
  admission.refusal = gate(match, request, admission);
  if (!admission.refusal && match.route == nullptr) admission.refusal = unrouted(match);
  return admission;
}

// An upload is refused before its body is read when the token, the type or the announced
// size is wrong; otherwise its body streams into the corpus's .incoming/.
void Application::admit_upload(Admission& admission, const ApiRequest& request,
                               std::optional<std::uint64_t> announced_length) {
  State& s = *state_;
  if (auto refused = gate(admission.match, request, admission)) {
    admission.refusal = std::move(refused);
    return;
  }
  auto boundary = upload_boundary(request);
  if (!boundary) {
    admission.refusal = error_response(boundary.error());
    return;
  }
  if (announced_length && *announced_length > body_limit(admission)) {
    admission.refusal = error_response(upload_too_large(s.config.max_upload_bytes));
    return;
  }
  auto receiver = UploadReceiver::create(s.options.corpus, *boundary, s.config.max_upload_bytes);
  if (!receiver) {
    admission.refusal = error_response(receiver.error());
    return;
  }
  admission.upload = std::shared_ptr<UploadReceiver>(std::move(receiver).value());
  admission.sink = admission.upload;
}

std::uint64_t Application::body_limit(const Admission& admission) const {
  const ServerConfig& config = state_->config;
  // The PDF, the metadata part and the multipart framing around them.
  if (admission.body == BodyKind::kUpload)
    return config.max_upload_bytes + UploadReceiver::kMaxMetadataBytes + 64 * 1024;
  return config.max_body_bytes;
}

ApiResponse Application::body_refused(const Admission& admission) {
  if (admission.upload && admission.upload->error) return error_response(*admission.upload->error);
  return error_response(upload_too_large(state_->config.max_upload_bytes));
}

ApiResponse Application::handle(Admission& admission, const ApiRequest& request, std::string body) {
  if (admission.refusal) return std::move(*admission.refusal);
  auto started = std::chrono::steady_clock::now();
  RouteContext context = this->context();
  auto reading = context.index->read_as(admission.scope);
  RouteCall call{request, *admission.match.target, admission.match.params, context};
  call.body = std::move(body);
  call.caller = admission.caller;
  if (admission.upload) {
    call.upload = admission.upload->finish();
    admission.upload.reset();
    admission.sink.reset();
  }
  ApiResponse response = dispatch(admission.match, call);
  if (auto unrecorded = audit_reads(admission, request, response.status, context.index->non_public_reads())) {
    response = std::move(*unrecorded);
  }
  // Time spent answering, for clients and benchmarks (the Server-Timing header of the web).
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  response.headers.emplace_back("Server-Timing", "app;dur=" + std::to_string(ms));
  if (response.status >= 500)
    spdlog::error("{} {} -> {}: {}", request.method, request.target, response.status, response.body);
  return response;
}

// The audit of reads (docs/operating.md): each document not open to everyone whose text or
// file an answer carries is one line, all of an answer's lines in one write() before it is
// sent. Which of the documents the reader drew on count is the route table's (Route::reads);
// a refusal, an error, a HEAD (no body) and a caller who reads only public documents write
// nothing. An answer that cannot be recorded is not sent.
std::optional<ApiResponse> Application::audit_reads(const Admission& admission, const ApiRequest& request,
                                                    int status, const NonPublicReads& reads) {
  const Route* route = admission.match.route;
  if (route == nullptr || route->reads == Reads::kNothing || status >= 400 || request.method == "HEAD")
    return std::nullopt;
  std::vector<std::string> documents = reads.text;
  if (route->reads == Reads::kAll) {
    for (const auto& id : reads.located) {
      if (std::find(documents.begin(), documents.end(), id) == documents.end()) documents.push_back(id);
    }
  }
  if (documents.empty()) return std::nullopt;
  State& s = *state_;
  core::Status recorded =
      s.audit ? core::Status{} : core::Status{core::ErrorCode::kIndexUnavailable, s.audit_error};
  if (recorded) {
    std::vector<AuditEntry> entries(documents.size());
    auto now = std::chrono::system_clock::now();
    for (std::size_t i = 0; i < documents.size(); ++i) {
      AuditEntry& entry = entries[i];
      entry.time = now;
      entry.token = admission.caller.name;
      entry.action = AuditAction::kRead;
      entry.document = documents[i];
      entry.client = request.client;
      entry.route = route->name;
    }
    recorded = s.audit->append(entries);
  }
  if (recorded) return std::nullopt;
  spdlog::error("audit log: a read of {} by {} not recorded: {}", documents.front(), admission.caller.name,
                recorded.error().message);
  return error_response(
      core::Error{core::ErrorCode::kIndexUnavailable,
                  "documents that are not public are not served while the audit log cannot be "
                  "written (" +
                      recorded.error().message + ")"});
}

void Application::answered(const ApiRequest& request, std::string_view route, ApiResponse& response,
                           double seconds) {
  apply_cache_policy(response, is_personal(request, state_->config.private_search));
  state_->metrics.record(route, response.status, seconds);
}

void Application::count_connections(std::function<std::size_t()> open_connections) {
  state_->open_connections = std::move(open_connections);
}

void Application::set_public_url(std::string url) { state_->options.public_url = std::move(url); }

ApiResponse Application::respond(const ApiRequest& request, std::string body) {
  auto started = std::chrono::steady_clock::now();
  std::optional<std::uint64_t> length;
  if (!body.empty()) length = body.size();
  Admission admission = admit(request, length);
  ApiResponse response;
  if (admission.body == BodyKind::kUpload && !admission.refusal) {
    // A whole body handed over at once, as the HTTP layer hands it a piece at a time.
    response = admission.sink->take(body) ? handle(admission, request, {}) : body_refused(admission);
  } else {
    response = handle(admission, request, std::move(body));
  }
  answered(request, admission.match.name(), response,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return response;
}

}  // namespace evidence::server
