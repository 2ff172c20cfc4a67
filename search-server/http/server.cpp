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

#include "../api/error_responses.hpp"
#include "../app/application.hpp"
#include "connection_limit.hpp"
#include "file_range_body.hpp"
#include "streamed_body.hpp"

namespace evidence::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

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

// What every connection shares: configuration, the application, the lanes writes run on.
struct Shared {
  const ServerConfig& config;
  Application& app;
  const std::atomic<bool>& stopping;
  asio::thread_pool& writer_thread;  // Lane::kWriter
  asio::thread_pool& upload_thread;  // Lane::kUploads
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
  std::optional<ApiResponse> refused_header() {
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
    return std::nullopt;
  }

  void on_header(beast::error_code ec, std::size_t) {
    request_started_ = std::chrono::steady_clock::now();
    if (finished_badly(ec)) return;
    first_request_ = false;
    slot_->header_received();
    unsigned version = header_parser_->get().version();
    if (auto refused = refused_header()) {
      drain_on_close_ = true;
      return send(std::move(*refused), version, false, false);
    }
    api_ = to_api(header_parser_->get().base(), client_);
    auto length = header_parser_->content_length();
    admission_ = shared_.app.admit(api_, length ? std::optional<std::uint64_t>(*length) : std::nullopt);
    route_ = admission_.match.name();
    bool streamed = admission_.body == BodyKind::kUpload;
    bool too_large = admission_.refusal && admission_.refusal->status == 413;
    if (admission_.refusal && (streamed || too_large)) {
      // Refused before a body that may be large is read: answer now, drain what comes, close.
      drain_on_close_ = true;
      return send(std::move(*admission_.refusal), version, false, false);
    }
    if (streamed) return begin_stream();
    string_parser_.emplace(std::move(*header_parser_));
    string_parser_->body_limit(shared_.app.body_limit(admission_));
    http::async_read(stream_, buffer_, *string_parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (finished_badly(ec)) return;
    auto request = string_parser_->release();
    bool keep_alive = request.keep_alive() && !shared_.stopping.load();
    bool head = request.method() == http::verb::head;
    run(std::move(request.body()), request.version(), keep_alive, head);
  }

  // The application answers, on the lane its admission names; the answer is sent from here.
  void run(std::string body, unsigned version, bool keep_alive, bool head) {
    if (admission_.lane == Lane::kNow || admission_.refusal) {
      return send(shared_.app.handle(admission_, api_, std::move(body)), version, keep_alive, head);
    }
    asio::thread_pool& lane =
        admission_.lane == Lane::kUploads ? shared_.upload_thread : shared_.writer_thread;
    asio::post(
        lane, [self = shared_from_this(), body = std::move(body), version, keep_alive, head]() mutable {
          ApiResponse response = self->shared_.app.handle(self->admission_, self->api_, std::move(body));
          asio::post(self->stream_.get_executor(),
                     [self, response = std::move(response), version, keep_alive, head]() mutable {
                       self->send(std::move(response), version, keep_alive, head);
                     });
        });
  }

  // A streamed body (an upload): its bytes go to the admission's sink as they arrive.
  void begin_stream() {
    unsigned version = header_parser_->get().version();
    stream_parser_.emplace(std::move(*header_parser_));
    stream_parser_->body_limit(shared_.app.body_limit(admission_));
    stream_parser_->get().body() = admission_.sink;
    bool expects_continue = beast::iequals(stream_parser_->get()[http::field::expect], "100-continue");
    if (!expects_continue) return read_stream();
    // curl and others wait for this before they send a large body.
    auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, version);
    stream_.expires_after(config().request_timeout);
    http::async_write(stream_, *go_on, [self = shared_from_this(), go_on](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->read_stream();
    });
  }

  // The body may be 200 MB on a slow link: each piece has its own time limit.
  void read_stream() {
    stream_.expires_after(config().request_timeout);
    http::async_read_some(
        stream_, buffer_, *stream_parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_stream_read(ec); });
  }

  void on_stream_read(beast::error_code ec) {
    unsigned version = stream_parser_->get().version();
    if (ec == beast::errc::make_error_code(beast::errc::invalid_argument) || ec == http::error::body_limit) {
      // The body was refused while it arrived (not a PDF, too large, malformed): answer
      // now and close, without storing the rest. What was already written goes with the
      // sink now, not when the connection ends.
      drain_on_close_ = true;
      ApiResponse refused = shared_.app.body_refused(admission_);
      admission_ = {};
      stream_parser_.reset();
      return send(std::move(refused), version, false, false);
    }
    if (finished_badly(ec)) {
      admission_ = {};
      stream_parser_.reset();
      return;
    }
    if (!stream_parser_->is_done()) return read_stream();
    bool keep_alive = stream_parser_->get().keep_alive() && !shared_.stopping.load();
    stream_parser_->get().body().reset();
    run({}, version, keep_alive, false);
  }

  void send(ApiResponse&& api, unsigned version, bool keep_alive, bool head) {
    shared_.app.answered(
        api_, route_, api,
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
  std::optional<http::request_parser<StreamedBody>> stream_parser_;
  ApiRequest api_;
  Admission admission_;
  bool first_request_ = true;
  std::chrono::steady_clock::time_point request_started_ = std::chrono::steady_clock::now();
  std::string_view route_ = "other";  // the admission's route name, for the counters
  bool drain_on_close_ = false;  // close() reads and drops what the client still sends
  std::uint64_t drained_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerConfig& c, Application& application)
      : config(c),
        app(application),
        ioc(c.threads),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
        writer_thread(1),
        upload_thread(1),
        connections(ConnectionCaps{connection_cap(c.max_connections, raise_open_file_limit()),
                                   c.max_connections_per_address, c.max_unfinished_per_address}),
        accept_pause(acceptor.get_executor()) {
    app.count_connections([this] { return connections.open(); });
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
  Application& app;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  asio::thread_pool writer_thread;
  asio::thread_pool upload_thread;
  ConnectionLimit connections;
  Shared shared{config, app, stopping, writer_thread, upload_thread, connections};
  asio::steady_timer accept_pause;
  std::chrono::steady_clock::time_point last_warning{};
};

HttpServer::HttpServer(const ServerConfig& config, Application& app)
    : impl_(std::make_unique<Impl>(config, app)) {}
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
  if (impl_->config.public_url.empty())
    impl_->app.set_public_url(default_public_url(impl_->config.host, port()));
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
