#include "server.hpp"

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "../api/cache_policy.hpp"
#include "../api/errors.hpp"
#include "../api/metrics.hpp"
#include "../api/router.hpp"
#include "../web/pages.hpp"
#include "../write/write_routes.hpp"
#include "connection_limit.hpp"
#include "file_range_body.hpp"
#include "text.hpp"
#include "upload_body.hpp"

namespace evidence::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// One IndexReader per server thread: Xapian database handles are not thread-safe.
IndexReader& thread_index(const ServerConfig& config, SharedRevision& shared) {
  thread_local std::unique_ptr<IndexReader> reader;
  if (!reader) {
    reader = std::make_unique<IndexReader>(
        config.shards ? *config.shards : single_index(config.index, config.corpus), config.refresh_interval,
        &shared, Ranking{config.bm25_k1, config.bm25_b, config.page_bm25_k1, config.page_bm25_b},
        SearchBudget{config.match_time_limit});
  }
  return *reader;
}

// The answer to a request the session refuses before any handler sees it (a malformed,
// oversized or ambiguous request): the connection closes after it.
ApiResponse refusal(int status, const std::string& message) {
  return error_response(status, status == 413 ? "too_large" : "bad_request", message);
}

template <class Body>
void set_headers(http::response<Body>& response, const ApiResponse& api, bool keep_alive) {
  response.set(http::field::server, "evidence-server");
  if (api.status != 304) {
    response.set(http::field::content_type,
                 api.content_type == "application/json" ? "application/json; charset=utf-8" : api.content_type);
  }
  for (const auto& [name, value] : api.headers) response.set(name, value);
  response.keep_alive(keep_alive);
}

http::response<http::string_body> to_beast(ApiResponse&& api, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> response{static_cast<http::status>(api.status), version};
  set_headers(response, api, keep_alive);
  if (api.status == 304) return response;  // no body and no Content-Length (RFC 9110 15.4.5)
  std::size_t length = api.file ? static_cast<std::size_t>(api.file->length) : api.body.size();
  if (!head) response.body() = std::move(api.body);
  response.content_length(length);
  return response;
}

// A file response and the serializer that sends it a piece at a time.
struct FileReply {
  explicit FileReply(http::response<FileRangeBody>&& response) : message(std::move(response)), serializer(message) {}
  http::response<FileRangeBody> message;
  http::response_serializer<FileRangeBody> serializer;
};

// What every connection shares: configuration, the thesaurus, and the writer.
struct Shared {
  const ServerConfig& config;
  const ApiOptions& options;
  const std::atomic<bool>& stopping;
  SharedRevision& revision;
  ThesaurusSource& thesaurus;
  WriteApi* writes;                     // null: the server takes no writes
  asio::thread_pool& writer_thread;     // one thread: edits and withdrawals, one at a time
  asio::thread_pool& upload_thread;     // one thread: uploads, read before they take their turn
                                        // with the writer, so edits never wait behind a long read
  RequestMetrics& metrics;              // every answer is counted (GET /metrics)
  const ConnectionLimit& connections;
};

ApiRequest to_api(const http::request_header<>& header, const std::string& client) {
  ApiRequest api{std::string(header.method_string()), std::string(header.target()), {}, client};
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    api.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return api;
}

// The headers of a request are read first; then its body, as a string (at most
// max_body_bytes), or, for an upload, straight into the corpus's .incoming/ folder.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // slot: this connection's place under the connection limits, given back when it ends.
  Session(tcp::socket&& socket, const Shared& shared, std::unique_ptr<ConnectionSlot> slot,
          std::string client)
      : stream_(std::move(socket)), slot_(std::move(slot)), client_(std::move(client)), shared_(shared) {}

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  const ServerConfig& config() const { return shared_.config; }

  void read() {
    api_ = {};
    route_ = "other";  // an answer before the next header is read (a malformed request)
    header_parser_.emplace();  // a fresh parser per request, with its own limits
    header_parser_->header_limit(static_cast<std::uint32_t>(config().max_header_bytes));
    // The body's limit depends on the route (an upload may be 200 MiB): chosen in on_header,
    // for the parser that reads the body. Here the announced length must not be judged.
    // (Not boost::none: Beast 1.74 compares the length with the optional, and every length
    // is greater than an empty one.)
    header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // A new connection must say what it wants soon; a kept-alive one may rest longer.
    stream_.expires_after(first_request_ ? config().header_timeout : config().idle_timeout);
    http::async_read_header(stream_, buffer_, *header_parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // A connection that ended, timed out or sent what is not HTTP.
  bool finished_badly(beast::error_code ec) {
    if (!ec) return false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof || ec == http::error::partial_message) {
      close();
      return true;
    }
    // The request could not be parsed: say why, then close the connection.
    int status = ec == http::error::header_limit ? 431 : ec == http::error::body_limit ? 413 : 400;
    send(refusal(status, "malformed or oversized HTTP request: " + ec.message()), 11, false, false);
    return true;
  }

  // What the session itself refuses once a header is read: a request whose length is
  // ambiguous (RFC 9112 6.3: a Transfer-Encoding that does not end in chunked), HTTP/1.1
  // without Host, or a body announced larger than its route takes. The answer closes the
  // connection, after the bytes still coming are drained.
  std::optional<ApiResponse> refused_header(bool upload) {
    auto& parser = *header_parser_;
    const auto& header = parser.get();
    if (header.count(http::field::transfer_encoding) != 0 && !parser.chunked()) {
      return refusal(400, "unsupported Transfer-Encoding '" +
                              std::string(header[http::field::transfer_encoding]) +
                              "': a request body is sent as is with a Content-Length, or chunked");
    }
    if (header.version() >= 11 && header.count(http::field::host) == 0) {
      return refusal(400, "an HTTP/1.1 request needs a Host header");
    }
    if (auto length = parser.content_length(); !upload && length && *length > config().max_body_bytes) {
      return refusal(413, "the request body is larger than the limit of " +
                              std::to_string(config().max_body_bytes) + " bytes");
    }
    return std::nullopt;
  }

  void on_header(beast::error_code ec, std::size_t) {
    request_started_ = std::chrono::steady_clock::now();
    if (finished_badly(ec)) return;
    first_request_ = false;
    slot_->header_received();
    api_ = to_api(header_parser_->get().base(), client_);
    route_ = route_of(api_.target);  // once per request: for /metrics and for counting its answer
    write_ = shared_.writes != nullptr ? match_write_route(api_.method, api_.target) : std::nullopt;
    if (write_ && config().shards) {
      // A network's portal: each member adds documents on its own server.
      drain_on_close_ = true;
      ApiResponse refused = error_response(405, "method_not_allowed",
                                           "this server searches the shards of a network and takes no writes; "
                                           "add, edit and withdraw documents on the member's own server");
      refused.headers.emplace_back("Allow", "GET, HEAD");
      return send(std::move(refused), header_parser_->get().version(), false, false);
    }
    bool upload = write_ && write_->kind == WriteKind::kAdd;
    if (auto refused = refused_header(upload)) {
      drain_on_close_ = true;
      return send(std::move(*refused), header_parser_->get().version(), false, false);
    }
    if (upload) return begin_upload();
    string_parser_.emplace(std::move(*header_parser_));
    string_parser_->body_limit(config().max_body_bytes);
    http::async_read(stream_, buffer_, *string_parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (finished_badly(ec)) return;
    auto request = string_parser_->release();
    bool keep_alive = request.keep_alive() && !shared_.stopping.load();
    if (write_) return begin_write(std::move(request.body()), request.version(), keep_alive);
    bool head = request.method() == http::verb::head;
    if (shared_.writes != nullptr && is_whoami(api_.method, api_.target)) {
      return send(shared_.writes->whoami(api_), request.version(), keep_alive, head);
    }
    if (route_ == "metrics" && (head || api_.method == "GET")) return send(metrics(), request.version(), keep_alive, head);
    if (config().private_search && shared_.writes != nullptr && !is_public_path(api_.target)) {
      if (auto who = shared_.writes->authorize_reader(api_); !who) {
        return send(web::owns(api_.target) ? web::sign_in_page(who.error()) : error_response(who.error()),
                    request.version(), keep_alive, head);
      }
    }
    auto started = std::chrono::steady_clock::now();
    ApiResponse response =
        handle_request(api_, thread_index(config(), shared_.revision), &shared_.thesaurus, shared_.options);
    // Time spent answering, for clients and benchmarks (the Server-Timing header of the web).
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    response.headers.emplace_back("Server-Timing", "app;dur=" + std::to_string(ms));
    if (response.status >= 500) {
      spdlog::error("{} {} -> {}: {}", api_.method, api_.target, response.status, response.body);
    }
    send(std::move(response), request.version(), keep_alive, request.method() == http::verb::head);
  }

  // PATCH and DELETE: checked here, applied on the writer thread, answered from here.
  void begin_write(std::string body, unsigned version, bool keep_alive) {
    auto who = shared_.writes->authorize_editor(api_);
    if (!who) return send(error_response(who.error()), version, keep_alive, false);
    run_on(
        shared_.writer_thread,
        [self = shared_from_this(), route = *write_, request = api_, body = std::move(body), who = *who]() {
          return route.kind == WriteKind::kEdit
                     ? self->shared_.writes->edit(route.id, request, body, who)
                     : self->shared_.writes->withdraw(route.id, who, request.client);
        },
        version, keep_alive);
  }

  // POST /api/documents: refused before its body is read when the token, the type or the
  // announced size is wrong; otherwise the body streams into the corpus's .incoming/.
  void begin_upload() {
    auto& header = header_parser_->get();
    unsigned version = header.version();
    auto refuse = [&](ApiResponse response) {
      drain_on_close_ = true;
      send(std::move(response), version, false, false);
    };
    auto who = shared_.writes->authorize_editor(api_);
    if (!who) return refuse(error_response(who.error()));
    auto boundary = upload_boundary(api_);
    if (!boundary) return refuse(error_response(boundary.error()));
    if (auto length = header_parser_->content_length(); length && *length > upload_body_limit()) {
      return refuse(error_response(upload_too_large(config().max_upload_bytes)));
    }
    auto receiver = UploadReceiver::create(shared_.options.corpus, *boundary, config().max_upload_bytes);
    if (!receiver) return refuse(error_response(receiver.error()));
    uploader_ = *who;
    upload_parser_.emplace(std::move(*header_parser_));
    upload_parser_->body_limit(upload_body_limit());
    upload_parser_->get().body() = std::shared_ptr<UploadReceiver>(std::move(receiver).value());
    bool expects_continue = beast::iequals(upload_parser_->get()[http::field::expect], "100-continue");
    if (!expects_continue) return read_upload();
    // curl and others wait for this before they send a large body.
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version);
    stream_.expires_after(config().request_timeout);
    http::async_write(stream_, *go_on, [self = shared_from_this(), go_on](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->read_upload();
    });
  }

  // The PDF part may be 200 MB on a slow link: each piece has its own time limit.
  void read_upload() {
    stream_.expires_after(config().request_timeout);
    http::async_read_some(stream_, buffer_, *upload_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_upload_read(ec);
    });
  }

  void on_upload_read(beast::error_code ec) {
    auto& receiver = upload_parser_->get().body();
    unsigned version = upload_parser_->get().version();
    if (ec && (receiver->error || ec == http::error::body_limit)) {
      // The body was refused while it arrived (not a PDF, too large, malformed): answer
      // now and close, without storing the rest. The part already written to .incoming/
      // goes with the receiver now, not when the connection ends.
      drain_on_close_ = true;
      core::Error error = receiver->error ? *receiver->error : upload_too_large(config().max_upload_bytes);
      upload_parser_.reset();
      return send(error_response(error), version, false, false);
    }
    if (finished_badly(ec)) {
      upload_parser_.reset();
      return;
    }
    if (!upload_parser_->is_done()) return read_upload();
    bool keep_alive = upload_parser_->get().keep_alive() && !shared_.stopping.load();
    auto upload = std::make_shared<core::Result<Upload>>(receiver->finish());
    receiver.reset();
    run_on(
        shared_.upload_thread,
        [self = shared_from_this(), upload, who = uploader_]() {
          return self->shared_.writes->add(std::move(*upload), who, self->client_);
        },
        version, keep_alive);
  }

  std::uint64_t upload_body_limit() const {
    // The PDF, the metadata part and the multipart framing around them.
    return config().max_upload_bytes + UploadReceiver::kMaxMetadataBytes + 64 * 1024;
  }

  template <class Work>
  void run_on(asio::thread_pool& thread, Work work, unsigned version, bool keep_alive) {
    asio::post(thread, [self = shared_from_this(), work = std::move(work), version, keep_alive]() mutable {
      auto started = std::chrono::steady_clock::now();
      ApiResponse response = work();
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      response.headers.emplace_back("Server-Timing", "app;dur=" + std::to_string(ms));
      if (response.status >= 500)
        spdlog::error("{} {} -> {}: {}", self->api_.method, self->api_.target, response.status,
                      response.body);
      asio::post(self->stream_.get_executor(), [self, response = std::move(response), version, keep_alive]() mutable {
        self->send(std::move(response), version, keep_alive, false);
      });
    });
  }

  // GET /metrics: the counters, and gauges read now. Open like /healthz, even on a
  // private server: it names no document.
  ApiResponse metrics() {
    IndexReader& index = thread_index(config(), shared_.revision);
    auto health = index.health();
    nlohmann::json body = health ? *health : nlohmann::json::object();
    bool available = health && body.value("status", "") != "unavailable";
    std::string text = shared_.metrics.render() + gauges_text(body, available, shared_.connections.open()) + process_text();
    return ApiResponse{200, "text/plain; version=0.0.4; charset=utf-8", std::move(text), {}};
  }

  void send(ApiResponse&& api, unsigned version, bool keep_alive, bool head) {
    apply_cache_policy(api, is_personal(api_, config().private_search));
    shared_.metrics.record(route_, api.status,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - request_started_).count());
    if (api.file && !head && api.status != 304) {
      http::response<FileRangeBody> message{static_cast<http::status>(api.status), version};
      set_headers(message, api, keep_alive);
      message.content_length(api.file->length);
      message.body() = std::move(*api.file);
      return write_file(std::make_shared<FileReply>(std::move(message)));
    }
    auto response = std::make_shared<http::response<http::string_body>>(to_beast(std::move(api), version, keep_alive, head));
    stream_.expires_after(config().request_timeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || !response->keep_alive()) return self->close();
                        self->read();
                      });
  }

  // A file goes out a piece at a time, each piece with its own time limit, so that a
  // large PDF on a slow link is not cut off while one that stalls is.
  void write_file(std::shared_ptr<FileReply> reply) {
    stream_.expires_after(config().request_timeout);
    http::async_write_some(stream_, reply->serializer, [self = shared_from_this(), reply](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!reply->serializer.is_done()) return self->write_file(reply);
      if (!reply->message.keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (drain_on_close_) drain(std::make_shared<std::array<char, 64 * 1024>>());
  }

  // An upload refused before its body was read: the client is still sending it. Closing
  // now would make the kernel answer its bytes with a reset, which can destroy our answer
  // before the client reads it; so read and drop what it sends for a while first (what
  // web servers call a lingering close), at most kDrainTime and kDrainBytes.
  void drain(std::shared_ptr<std::array<char, 64 * 1024>> scratch) {
    constexpr auto kDrainTime = std::chrono::seconds(5);
    constexpr std::uint64_t kDrainBytes = 64ull << 20;
    if (drained_ == 0) stream_.expires_after(kDrainTime);  // one deadline for the whole drain
    stream_.async_read_some(asio::buffer(*scratch), [self = shared_from_this(), scratch](beast::error_code ec, std::size_t n) {
      self->drained_ += n + 1;
      if (!ec && self->drained_ < kDrainBytes) self->drain(scratch);
    });
  }

  beast::tcp_stream stream_;
  std::unique_ptr<ConnectionSlot> slot_;  // this connection's place under the connection limits
  std::string client_;                    // the client's address
  beast::flat_buffer buffer_;
  const Shared& shared_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> string_parser_;
  std::optional<http::request_parser<UploadBody>> upload_parser_;
  ApiRequest api_;
  std::optional<WriteRoute> write_;
  TokenIdentity uploader_;
  bool first_request_ = true;
  std::chrono::steady_clock::time_point request_started_ = std::chrono::steady_clock::now();
  std::string_view route_ = "other";  // route_of(api_.target): one of its fixed names
  bool drain_on_close_ = false;  // close() reads and drops what the client still sends
  std::uint64_t drained_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(const ServerConfig& c)
      : config(c),
        ioc(c.threads),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
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
               [this] { committed(); }),
        writer_thread(1),
        upload_thread(1),
        connections(ConnectionCaps{connection_cap(c.max_connections, raise_open_file_limit()),
                                   c.max_connections_per_address, c.max_unfinished_per_address}),
        accept_pause(acceptor.get_executor()) {
    options.public_url = c.public_url;
    options.corpus = c.corpus;
    core::prepare_normalisation();  // before the I/O threads, which all normalise query text
    auto log = AuditLog::open(c.audit_log);
    if (log) {
      audit.emplace(std::move(log).value());
    } else {
      audit_error = log.error().message;
      spdlog::warn("uploads, edits and withdrawals are refused: {}", audit_error);
    }
    writes.emplace(writer, tokens, audit ? &*audit : nullptr, audit_error, c.private_search);
    shared.writes = &*writes;
    if (!c.shards) clear_incoming(c.corpus);
  }

  // A write committed a new index revision: every thread answers from it from now on.
  void committed() {
    try {
      Xapian::rev newest = Xapian::Database(config.index.string()).get_revision();
      Xapian::rev seen = revision.newest.load();
      while (newest > seen && !revision.newest.compare_exchange_weak(seen, newest)) {
      }
    } catch (const Xapian::Error& e) {
      spdlog::warn("cannot read the new index revision: {}", e.get_description());
    }
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of descriptors (EMFILE) and the like: pause rather than spin on the error.
        warn_now_and_then("accept failed: " + ec.message());
        accept_pause.expires_after(std::chrono::milliseconds(100));
        accept_pause.async_wait([this](beast::error_code) { accept(); });
        return;
      }
      beast::error_code no_peer;
      std::string client = socket.remote_endpoint(no_peer).address().to_string();
      std::string refused;
      if (no_peer) {
        // Gone before it was accepted: nothing to serve.
      } else if (auto slot = connections.acquire(client, &refused)) {
        std::make_shared<Session>(std::move(socket), shared, std::move(slot), std::move(client))->start();
      } else {
        warn_now_and_then(refused + ": closing new connections from there");
      }
      accept();
    });
  }

  // A warning at most once a second: a flood must not become a flood of log lines.
  void warn_now_and_then(const std::string& message) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_warning < std::chrono::seconds(1)) return;
    last_warning = now;
    spdlog::warn("{}", message);
  }

  ServerConfig config;
  ApiOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  SharedRevision revision;
  ThesaurusSource thesaurus;
  TokenStore tokens;
  std::optional<AuditLog> audit;
  std::string audit_error;
  DocumentWriter writer;
  std::optional<WriteApi> writes;
  asio::thread_pool writer_thread;
  asio::thread_pool upload_thread;
  RequestMetrics metrics;
  ConnectionLimit connections;
  Shared shared{config,  options,       stopping,      revision, thesaurus,
                nullptr, writer_thread, upload_thread, metrics,  connections};
  asio::steady_timer accept_pause;
  std::chrono::steady_clock::time_point last_warning{};
};

HttpServer::HttpServer(const ServerConfig& config) : impl_(std::make_unique<Impl>(config)) {}
HttpServer::~HttpServer() = default;

void HttpServer::bind() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->config.host, ec);
  if (ec) throw std::runtime_error("not an IP address: " + impl_->config.host);
  tcp::endpoint endpoint{address, impl_->config.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl_->config.host + ":" + std::to_string(impl_->config.port) +
                             ": " + ec.message());
  }
  if (impl_->options.public_url.empty()) impl_->options.public_url = default_public_url(impl_->config.host, port());
}

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code, int signal) {
    spdlog::info("signal {} received; finishing requests in flight", signal);
    impl.stopping = true;
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    // Give requests in flight a moment, then stop whatever is still open (idle keep-alives).
    auto timer = std::make_shared<asio::steady_timer>(impl.ioc, std::chrono::seconds(2));
    timer->async_wait([&impl, timer](beast::error_code) { impl.ioc.stop(); });
  });
  impl.accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.config.threads; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& thread : threads) thread.join();
  impl.upload_thread.join();  // a write in progress finishes; its answer is not sent
  impl.writer_thread.join();
}

}  // namespace evidence::server
