#include "server.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "../api/errors.hpp"
#include "../api/router.hpp"
#include "connection_limit.hpp"
#include "file_range_body.hpp"

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
    reader = std::make_unique<IndexReader>(config.index, config.refresh_interval, &shared,
                                           Ranking{config.bm25_k1, config.bm25_b, config.page_bm25_k1, config.page_bm25_b});
  }
  return *reader;
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

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerConfig& config, const ApiOptions& options,
          const std::atomic<bool>& stopping, SharedRevision& revision, ThesaurusSource& thesaurus,
          std::shared_ptr<void> slot)
      : stream_(std::move(socket)),
        slot_(std::move(slot)),
        config_(config),
        options_(options),
        stopping_(stopping),
        revision_(revision),
        thesaurus_(thesaurus) {}

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();  // a fresh parser per request, with its own limits
    parser_->header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
    parser_->body_limit(config_.max_body_bytes);
    stream_.expires_after(first_request_ ? config_.request_timeout : config_.idle_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec) {
      // The request could not be parsed: say why, then close the connection.
      int status = ec == http::error::header_limit ? 431 : ec == http::error::body_limit ? 413 : 400;
      return send(error_response(status, "bad_request", "malformed or oversized HTTP request: " + ec.message()),
                  11, false, false);
    }
    first_request_ = false;
    auto request = parser_->release();
    ApiRequest api{std::string(request.method_string()), std::string(request.target()), {}};
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      api.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    auto started = std::chrono::steady_clock::now();
    ApiResponse response = handle_request(api, thread_index(config_, revision_), &thesaurus_, options_);
    // Time spent answering, for clients and benchmarks (the Server-Timing header of the web).
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    response.headers.emplace_back("Server-Timing", "app;dur=" + std::to_string(ms));
    if (response.status >= 500) {
      spdlog::error("{} {} -> {}: {}", api.method, api.target, response.status, response.body);
    }
    bool keep_alive = request.keep_alive() && !stopping_.load();
    send(std::move(response), request.version(), keep_alive, request.method() == http::verb::head);
  }

  void send(ApiResponse&& api, unsigned version, bool keep_alive, bool head) {
    if (api.file && !head && api.status != 304) {
      http::response<FileRangeBody> message{static_cast<http::status>(api.status), version};
      set_headers(message, api, keep_alive);
      message.content_length(api.file->length);
      message.body() = std::move(*api.file);
      return write_file(std::make_shared<FileReply>(std::move(message)));
    }
    auto response = std::make_shared<http::response<http::string_body>>(to_beast(std::move(api), version, keep_alive, head));
    stream_.expires_after(config_.request_timeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || !response->keep_alive()) return self->close();
                        self->read();
                      });
  }

  // A file goes out a piece at a time, each piece with its own time limit, so that a
  // large PDF on a slow link is not cut off while one that stalls is.
  void write_file(std::shared_ptr<FileReply> reply) {
    stream_.expires_after(config_.request_timeout);
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
  }

  beast::tcp_stream stream_;
  std::shared_ptr<void> slot_;  // this connection's place under the connection limit
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const ServerConfig& config_;
  const ApiOptions& options_;
  const std::atomic<bool>& stopping_;
  SharedRevision& revision_;
  ThesaurusSource& thesaurus_;
  bool first_request_ = true;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(const ServerConfig& c)
      : config(c),
        ioc(c.threads),
        acceptor(asio::make_strand(ioc)),
        signals(ioc, SIGINT, SIGTERM),
        thesaurus(c.thesaurus),
        connections(connection_cap(c.max_connections, raise_open_file_limit())),
        accept_pause(acceptor.get_executor()) {
    options.public_url = c.public_url;
    options.corpus = c.corpus;
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
      if (auto slot = connections.acquire()) {
        std::make_shared<Session>(std::move(socket), config, options, stopping, revision, thesaurus, std::move(slot))
            ->start();
      } else {
        warn_now_and_then("connection limit of " + std::to_string(connections.cap()) + " reached: closing new ones");
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
  ConnectionLimit connections;
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
}

}  // namespace evidence::server
