#pragma once
// The route table: every route of evidence-server once, with its method, path pattern,
// stable name (for /metrics and logs), who may call it, the kind of body it takes and its
// handler. A request's target is parsed and matched once; the Allow header of a 405, the
// names /metrics counts by, the private library's gate, the choice between a JSON error and
// an HTML page, and the route list openapi_test checks all come from here.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "authorize.hpp"
#include "error.hpp"
#include "http_types.hpp"
#include "index_reader.hpp"
#include "params.hpp"
#include "read_routes.hpp"
#include "thesaurus_source.hpp"
#include "upload.hpp"

namespace evidence::server {

class WriteApi;

/// Who may call a route.
enum class Access {
  kOpen,    // anyone, also on a private library (health, sign-in, assets, metrics)
  kReader,  // anyone on a public library; a reader or editor token on a private one
  kEditor,  // an editor token, always
};

/// What a request for the route carries.
enum class BodyKind {
  kNone,    // nothing (a body sent anyway is read and ignored, within --max-body-bytes)
  kJson,    // a small JSON document, within --max-body-bytes
  kUpload,  // a multipart upload streamed into the corpus, within --max-upload-mib
};

/// What of the documents it draws on a route's answer carries, for the audit of reads
/// (docs/operating.md, "The audit of reads"): which of IndexReader's NonPublicReads the
/// application writes to the audit log once the route has answered.
enum class Reads {
  kNothing,  // metadata, counts or no documents: not a read (a listed record, an export of citations)
  kText,     // the text of the documents it drew on (NonPublicReads::text)
  kAll,      // a document's file or reading page: also every document it looked up (::located)
};

/// What a handler may use. Pointers are null where the server has no such thing (a read-only
/// test has no writer; a network's portal takes no writes).
struct RouteContext {
  IndexReader* index = nullptr;  // this thread's reader
  ThesaurusSource* thesaurus = nullptr;
  const ApiOptions* options = nullptr;
  WriteApi* writes = nullptr;
  std::function<std::string()> metrics;  // the text of GET /metrics
};

/// One request for a route: the request, its parsed target and the values of the
/// pattern's {placeholders} in order, its body, and who sent it.
struct RouteCall {
  const ApiRequest& request;
  const Target& target;
  const std::vector<std::string>& params;
  RouteContext& context;
  std::string body{};                            // kJson
  std::optional<core::Result<Upload>> upload{};  // kUpload, once received
  TokenIdentity caller{};                        // kEditor: the editor
};

using Handler = ApiResponse (*)(RouteCall& call);

struct Route {
  std::string_view method;   // "GET" also answers HEAD
  std::string_view pattern;  // "/api/documents/{id}/pages/{n}"; "{id}.pdf": a segment with that ending
  std::string_view name;     // stable, for /metrics and logs
  Access access;
  BodyKind body;
  bool page;  // an HTML page: its errors are pages, and a private library asks to sign in
  Reads reads;
  Handler handler;
};

/// Every route, in the order Allow headers list their methods.
std::span<const Route> routes();

/// A request's target matched against the table.
struct RouteMatch {
  const Route* route = nullptr;  // null: no route takes this method at this path
  core::Result<Target> target = core::Error{core::ErrorCode::kInvalidArgument, ""};
  std::vector<std::string> params;  // the {placeholders}' values
  std::string allow;                // the methods the path takes ("GET, HEAD, POST"); empty: no such path
  bool page = false;                // the path is the pages' (outside /api/, /healthz, /metrics, /documents/)

  /// The name /metrics counts the request by: the route's, or "other".
  std::string_view name() const { return route != nullptr ? route->name : std::string_view("other"); }
  /// Who may send it: the route's access; a request no route takes is judged as a reader's.
  Access access() const { return route != nullptr ? route->access : Access::kReader; }
};

RouteMatch match_route(std::string_view method, std::string_view raw_target);

/// The answer to a request no route takes: 400 for a bad target, 405 (with Allow) for a path
/// that takes other methods, else 404; an HTML page for the pages' paths.
ApiResponse unrouted(const RouteMatch& match);

/// The answer of a server that takes no writes (a network's portal, or a read-only test) to
/// a write: 405, GET and HEAD allowed.
ApiResponse no_writes();

/// Answers a matched request by its route's handler. Never throws: anything unexpected
/// becomes a 500 JSON error.
ApiResponse dispatch(const RouteMatch& match, RouteCall& call);

/// Answers a request to the reading routes from one index, as the server would to a caller
/// with no token on a public library: the table, matched and dispatched, without a writer.
/// For tests and tools.
ApiResponse handle_request(const ApiRequest& request, IndexReader& index,
                           ThesaurusSource* thesaurus = nullptr, const ApiOptions& options = {});

}  // namespace evidence::server
