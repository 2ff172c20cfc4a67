#pragma once
// The write routes of the API, between the HTTP layer and the DocumentWriter:
//   POST   /api/documents        multipart upload (a 'file' PDF part, a 'metadata' JSON part)
//   PATCH  /api/documents/{id}   JSON merge patch of the metadata
//   DELETE /api/documents/{id}   withdraw
// Each needs an editor token and is written to the audit log before it is answered.

#include <optional>
#include <string>

#include "audit_log.hpp"
#include "authorize.hpp"
#include "document_writer.hpp"
#include "http_types.hpp"
#include "token_store.hpp"
#include "upload.hpp"

namespace evidence::server {

/// The multipart boundary of an upload; kNotPdf (415) when the body is not multipart/form-data.
core::Result<std::string> upload_boundary(const ApiRequest& request);

class WriteApi {
 public:
  /// audit may be null when the log cannot be opened: writes are then refused (503).
  /// private_library: reading needs a token too (--private).
  WriteApi(DocumentWriter& writer, TokenStore& tokens, AuditLog* audit, std::string audit_error = {},
           bool private_library = false);

  /// The editor behind the request's bearer token, or the 401/403/503 answer.
  core::Result<TokenIdentity> authorize_editor(const ApiRequest& request);

  /// The reader behind the request's bearer token or its evidence_token cookie (for pages in
  /// a browser), or the 401 answer: for a server whose search is private (--private).
  core::Result<TokenIdentity> authorize_reader(const ApiRequest& request);

  /// The same where a token is not required: nullopt when the request carries neither a
  /// bearer token nor the cookie; the 401 answer when the one it carries does not verify.
  core::Result<std::optional<TokenIdentity>> reader_of(const ApiRequest& request);

  /// {"name", "role", "private_library"} of the request's token (any role), or 401.
  ApiResponse whoami(const ApiRequest& request);

  /// POST /api/session: the same answer, and the cookie of a browser session with the
  /// request's bearer token (auth/session.hpp); secure: the server is reached over https.
  ApiResponse sign_in(const ApiRequest& request, bool secure);
  /// DELETE /api/session: the cookie, ended.
  ApiResponse sign_out(bool secure);

  /// client: the address the request came from, for the audit log.
  ApiResponse add(core::Result<Upload> upload, const TokenIdentity& who, const std::string& client);
  ApiResponse edit(const std::string& id, const ApiRequest& request, const std::string& body, const TokenIdentity& who);
  ApiResponse withdraw(const std::string& id, const TokenIdentity& who, const std::string& client);

 private:
  nlohmann::json identity(const TokenIdentity& who) const;
  ApiResponse recorded(core::Result<WriteOutcome> outcome, AuditAction action, const TokenIdentity& who,
                       const std::string& client, int status);

  DocumentWriter& writer_;
  TokenStore& tokens_;
  AuditLog* audit_;
  std::string audit_error_;
  bool private_library_;
};

}  // namespace evidence::server
