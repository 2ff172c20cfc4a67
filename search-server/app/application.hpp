#pragma once
// The application: evidence-server's composition root. It holds what the routes work with
// (each thread's index reader, the thesaurus, the tokens, the audit log, the writer, the
// counters of /metrics) and decides, for every request, what the HTTP layer needs to know:
// which route it is, whether its caller may use it, what body it takes and where that body
// goes, on which lane its work runs, and what every answer says to caches. Who may see what
// is decided here, once (admit). The HTTP layer (http/) only moves bytes.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "routes.hpp"
#include "server_config.hpp"

namespace evidence::server {

class UploadReceiver;

/// Where a route's work runs: writes leave the I/O threads, one at a time per lane.
enum class Lane {
  kNow,      // on the I/O thread that read the request
  kWriter,   // the writer's thread: edits and withdrawals, one at a time
  kUploads,  // the uploads' thread: an upload's PDF is read there before it takes its turn
             // with the writer, so that an edit never waits behind a long read
};

/// What the application makes of a request once its header is read.
struct Admission {
  RouteMatch match;                    // the route, matched once
  std::optional<ApiResponse> refusal;  // answer this instead (after a small body is read)
  BodyKind body = BodyKind::kNone;     // how to read the body
  Lane lane = Lane::kNow;
  std::shared_ptr<BodySink> sink;          // kUpload: where its bytes go
  TokenIdentity caller;                    // who, when the request carries a token that verifies
  ReadScope scope = ReadScope::nothing();  // what the caller may read (set by the gate)
  std::shared_ptr<UploadReceiver> upload;  // kUpload: the sink, as the upload it is
};

class Application {
 public:
  /// Opens the thesaurus, tokens and audit log, and clears uploads a crash interrupted.
  explicit Application(const ServerConfig& config);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// The route of a request whose header has arrived, and whether and how it is taken.
  /// announced_length: the body's Content-Length, when the request gave one.
  Admission admit(const ApiRequest& request, std::optional<std::uint64_t> announced_length);

  /// The answer to an admitted request once its body is in (`body`: a small body's bytes).
  /// Runs on the admission's lane.
  ApiResponse handle(Admission& admission, const ApiRequest& request, std::string body);

  /// The answer to a streamed body refused while it arrived (not a PDF, too large, malformed).
  ApiResponse body_refused(const Admission& admission);

  /// Every answer passes here before it is sent: what it says to caches, and the counters.
  /// route: the admission's route name, or "other" for a request refused before one.
  void answered(const ApiRequest& request, std::string_view route, ApiResponse& response, double seconds);

  /// The largest body a request for this route may carry.
  std::uint64_t body_limit(const Admission& admission) const;

  /// The number of open connections, for /metrics (set by the HTTP layer).
  void count_connections(std::function<std::size_t()> open_connections);

  /// Where links in citations point (set once the port is bound, when it was 0).
  void set_public_url(std::string url);

  /// Answers a request whole, as the HTTP layer would with its body read: admit, handle,
  /// answered. For tests of every route without a socket.
  ApiResponse respond(const ApiRequest& request, std::string body = {});

 private:
  struct State;
  RouteContext context();
  std::optional<ApiResponse> gate(const RouteMatch& match, const ApiRequest& request, Admission& admission);
  void admit_upload(Admission& admission, const ApiRequest& request,
                    std::optional<std::uint64_t> announced_length);
  std::optional<ApiResponse> audit_reads(const Admission& admission, const ApiRequest& request, int status,
                                         const NonPublicReads& reads);

  std::unique_ptr<State> state_;
};

}  // namespace evidence::server
