#include "write_routes.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "error_responses.hpp"
#include "session.hpp"

namespace evidence::server {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

ApiResponse json_answer(int status, const json& body) {
  return ApiResponse{status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

core::Result<std::string> upload_boundary(const ApiRequest& request) {
  std::string type = header(request, "content-type").value_or("");
  if (auto boundary = multipart_boundary(type)) return *boundary;
  return Error{ErrorCode::kNotPdf,
               "an upload is multipart/form-data with a 'file' part (the PDF) and a 'metadata' part (JSON); got " +
                   (type.empty() ? std::string("no Content-Type") : "Content-Type " + type)};
}

WriteApi::WriteApi(DocumentWriter& writer, TokenStore& tokens, AuditLog* audit, std::string audit_error,
                   bool private_library)
    : writer_(writer),
      tokens_(tokens),
      audit_(audit),
      audit_error_(std::move(audit_error)),
      private_library_(private_library) {}

core::Result<TokenIdentity> WriteApi::authorize_editor(const ApiRequest& request) {
  auto who = authorize(request.headers, tokens_, Role::kEditor);
  if (!who) {
    // Someone tried to change the library without the right: worth a line for whoever
    // keeps the server (never the token itself).
    spdlog::warn("refused {} {} from {}: {}", request.method, request.target,
                 request.client.empty() ? "an unknown address" : request.client, who.error().message);
    return who.error();
  }
  if (audit_ == nullptr) {
    // Every change must be accountable: without an audit log there are no changes.
    return Error{ErrorCode::kIndexUnavailable, "writes are disabled: the audit log cannot be written (" + audit_error_ + ")"};
  }
  return who;
}

core::Result<std::optional<TokenIdentity>> WriteApi::reader_of(const ApiRequest& request) {
  auto verified = [](core::Result<TokenIdentity> who) -> core::Result<std::optional<TokenIdentity>> {
    if (!who) return who.error();
    return std::optional<TokenIdentity>(std::move(who).value());
  };
  if (header(request, "authorization")) return verified(authorize(request.headers, tokens_, Role::kReader));
  // Pages opened in a browser carry the token of the session /admin started (auth/session.hpp).
  // Only reads take it from there: a cookie travels with requests other sites make, a header
  // does not.
  if (auto token = session_token(header(request, "cookie").value_or(""))) {
    return verified(authorize({{"authorization", "Bearer " + *token}}, tokens_, Role::kReader));
  }
  return std::optional<TokenIdentity>();
}

core::Result<TokenIdentity> WriteApi::authorize_reader(const ApiRequest& request) {
  auto who = reader_of(request);
  if (!who) return who.error();
  if (!*who) {
    return Error{ErrorCode::kUnauthorized,
                 "this library is private: send a token (Authorization: Bearer TOKEN), or sign in at /admin"};
  }
  return **who;
}

json WriteApi::identity(const TokenIdentity& who) const {
  json answer{{"name", who.name}, {"role", role_name(who.role)}, {"private_library", private_library_}};
  if (!who.groups.empty()) answer["groups"] = who.groups;
  return answer;
}

ApiResponse WriteApi::whoami(const ApiRequest& request) {
  auto who = authorize(request.headers, tokens_, Role::kReader);
  if (!who) return error_response(who.error());
  return json_answer(200, identity(*who));
}

ApiResponse WriteApi::sign_in(const ApiRequest& request, bool secure) {
  // The header only: a session is started by a script that holds the token, never renewed by
  // the cookie itself (another site could make a browser send that).
  auto who = authorize(request.headers, tokens_, Role::kReader);
  if (!who) return error_response(who.error());
  std::string authorization = header(request, "authorization").value_or("");
  ApiResponse response = json_answer(200, identity(*who));
  response.headers.emplace_back("Set-Cookie", session_cookie(*bearer_token(authorization), secure));
  spdlog::info("browser session started for token {}", who->name);
  return response;
}

ApiResponse WriteApi::sign_out(bool secure) {
  ApiResponse response = json_answer(200, json{{"signed_in", false}});
  response.headers.emplace_back("Set-Cookie", ended_session_cookie(secure));
  return response;
}

ApiResponse WriteApi::recorded(core::Result<WriteOutcome> outcome, AuditAction action,
                               const TokenIdentity& who, const std::string& client, int status) {
  if (!outcome) {
    ApiResponse response = error_response(outcome.error());
    if (outcome.error().code == ErrorCode::kConflict && !writer_.conflicting_id().empty()) {
      auto body = json::parse(response.body);
      body["error"]["existing_id"] = writer_.conflicting_id();
      response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return response;
  }
  AuditEntry entry;
  entry.token = who.name;
  entry.action = action;
  entry.document = outcome->document_id;
  entry.sha256 = outcome->sha256;
  entry.client = client;
  if (action == AuditAction::kEdit) entry.changes = outcome->changes;
  if (core::Status logged = audit_->record(entry); !logged) {
    // The change is made and cannot be taken back here; say so loudly rather than hide it.
    spdlog::error("audit log: {} of {} by {} not recorded: {}", audit_action_name(action), entry.document, who.name,
                  logged.error().message);
  }
  spdlog::info("{} {} by token {}", audit_action_name(action), entry.document, who.name);
  ApiResponse response = json_answer(status, outcome->body);
  if (action == AuditAction::kAdd) response.headers.emplace_back("Location", "/api/documents/" + outcome->document_id);
  return response;
}

ApiResponse WriteApi::add(core::Result<Upload> upload, const TokenIdentity& who, const std::string& client) {
  if (!upload) return error_response(upload.error());
  return recorded(writer_.add(std::move(upload).value()), AuditAction::kAdd, who, client, 201);
}

ApiResponse WriteApi::edit(const std::string& id, const ApiRequest& request, const std::string& body,
                           const TokenIdentity& who) {
  std::string type = lower(header(request, "content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type != "application/json" && type != "application/merge-patch+json") {
    return error_response(415, "unsupported_media_type",
                          "send the changes as JSON (application/merge-patch+json or application/json)");
  }
  json patch;
  try {
    patch = json::parse(body);
  } catch (const json::exception& e) {
    return error_response(Error{ErrorCode::kInvalidMetadata, std::string("not valid JSON: ") + e.what(), "(document)"});
  }
  return recorded(writer_.edit(id, patch), AuditAction::kEdit, who, request.client, 200);
}

ApiResponse WriteApi::withdraw(const std::string& id, const TokenIdentity& who, const std::string& client) {
  return recorded(writer_.withdraw(id), AuditAction::kWithdraw, who, client, 200);
}

}  // namespace evidence::server
