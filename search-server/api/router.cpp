#include "router.hpp"

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "params.hpp"
#include "query.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

constexpr long long kMaxLimit = 100;
constexpr long long kMaxOffset = 100000;

ApiResponse json_response(const json& body, int status = 200) {
  return ApiResponse{status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

ApiResponse from_result(const core::Result<json>& result) {
  return result ? json_response(*result) : error_response(result.error());
}

ApiResponse search(const Target& target, IndexReader& index) {
  auto query = param(target, "q");
  if (!query || query->empty()) {
    return error_response(Error{ErrorCode::kInvalidArgument, "parameter 'q' (the query) is required"});
  }
  if (query->size() > core::kMaxQueryLength) {
    return error_response(Error{ErrorCode::kInvalidArgument,
                                "parameter 'q' is too long (" + std::to_string(query->size()) + " bytes; at most " +
                                    std::to_string(core::kMaxQueryLength) + ")"});
  }
  auto offset = int_param(target, "offset", 0, 0, kMaxOffset);
  if (!offset) return error_response(offset.error());
  auto limit = int_param(target, "limit", 10, 1, kMaxLimit);
  if (!limit) return error_response(limit.error());
  auto pages = int_param(target, "pages", 3, 0, 20);
  if (!pages) return error_response(pages.error());
  SearchRequest request{*query, static_cast<int>(*offset), static_cast<int>(*limit), static_cast<int>(*pages)};
  return from_result(index.search(request));
}

ApiResponse route(const ApiRequest& request, IndexReader& index) {
  auto target = parse_target(request.target);
  if (!target) return error_response(target.error());
  const auto& s = target->segments;
  bool is_api = !s.empty() && s[0] == "api";
  bool known = (s.size() == 1 && s[0] == "healthz") || (is_api && s.size() == 2 && s[1] == "search") ||
               (is_api && s.size() == 3 && s[1] == "documents") ||
               (is_api && s.size() == 5 && s[1] == "documents" && s[3] == "pages");
  if (!known) return error_response(404, "not_found", "no such resource: " + target->path);
  if (request.method != "GET" && request.method != "HEAD") {
    ApiResponse response = error_response(405, "method_not_allowed", "use GET for " + target->path);
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  if (s[0] == "healthz") {
    auto health = index.health();
    if (health) return json_response(*health);
    return json_response({{"status", "unavailable"}, {"message", health.error().message}}, 503);
  }
  if (s[1] == "search") return search(*target, index);
  if (s.size() == 3) return from_result(index.document(s[2]));
  auto number = int_param(Target{{}, {}, {{"page", s[4]}}}, "page", 0, 1, 1'000'000);
  if (!number) return error_response(Error{ErrorCode::kInvalidArgument, "the page number must be a whole number from 1"});
  return from_result(index.page(s[2], static_cast<int>(*number)));
}

}  // namespace

ApiResponse handle_request(const ApiRequest& request, IndexReader& index) {
  try {
    return route(request, index);
  } catch (const std::exception& e) {
    return error_response(Error{ErrorCode::kInternal, std::string("internal error: ") + e.what()});
  } catch (const Xapian::Error& e) {
    return error_response(Error{ErrorCode::kInternal, "internal error: " + e.get_description()});
  }
}

}  // namespace evidence::server
