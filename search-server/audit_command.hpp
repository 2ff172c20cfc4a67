#pragma once
// `evidence-server audit`: listing the audit log's entries (writes, and reads of documents
// not open to everyone) from the shell, filtered by time, document, token and action.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "command_line.hpp"

namespace evidence::server {

struct AuditQuery {
  std::filesystem::path log;  // the audit log: --audit-log, or DATA_DIR/audit.jsonl
  std::string since;          // entries at or after this UTC time (YYYY-MM-DD[THH:MM[:SS]]); empty: all
  std::string document;       // only this document's; empty: every document's
  std::string token;          // only this token's (by name); empty: every token's
  std::string action;         // add, edit, withdraw or read; empty: every action
  bool json = false;          // the matching lines as they are (JSON lines), not a table
};

/// Reads `evidence-server audit ...` (args[0] is the program name, args[1] "audit").
core::ParsedArgs<AuditQuery> parse_audit_args(const std::vector<std::string>& args);

/// Whether an entry of the log (a line's JSON) is one the query asks for.
bool audit_entry_matches(const AuditQuery& query, const nlohmann::json& entry);

/// Runs `evidence-server audit ...`: the matching entries to out, oldest first; problems to
/// err. Returns the exit code: 0 listed (perhaps none), 1 the log cannot be read, 2 usage.
int run_audit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace evidence::server
