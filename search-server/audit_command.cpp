#include "audit_command.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <regex>

#include <nlohmann/json.hpp>

#include "auth/audit_log.hpp"
#include "locations.hpp"

namespace evidence::server {

namespace {

using nlohmann::json;

// The log's times are "YYYY-MM-DDTHH:MM:SSZ" (iso8601_utc): a shorter time of the same form
// compares with them as text.
bool is_since_time(const std::string& text) {
  static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z?)?)");
  return std::regex_match(text, kTime);
}

std::string text_of(const json& entry, const char* key) {
  auto found = entry.find(key);
  return found != entry.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The entries as a table, columns as wide as their widest value.
void print_table(const std::vector<json>& entries, std::ostream& out) {
  const std::vector<std::pair<const char*, const char*>> columns = {
      {"TIME", "time"},         {"ACTION", "action"}, {"TOKEN", "token"},
      {"DOCUMENT", "document"}, {"ROUTE", "route"},   {"CLIENT", "client"}};
  std::vector<std::size_t> widths;
  for (const auto& [title, key] : columns) {
    std::size_t width = std::string_view(title).size();
    for (const auto& entry : entries)
      width = std::max(width, std::max<std::size_t>(text_of(entry, key).size(), 1));
    widths.push_back(width);
  }
  auto row = [&](auto cell) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string value = cell(i);
      if (i + 1 < columns.size()) value.resize(widths[i], ' ');
      line += (i == 0 ? "" : "  ") + value;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  row([&](std::size_t i) { return std::string(columns[i].first); });
  for (const auto& entry : entries) {
    row([&](std::size_t i) {
      std::string value = text_of(entry, columns[i].second);
      return value.empty() ? std::string("-") : value;
    });
  }
}

}  // namespace

core::ParsedArgs<AuditQuery> parse_audit_args(const std::vector<std::string>& args) {
  AuditQuery query;
  std::string data_dir{core::kDefaultDataDir};
  std::string log;
  CLI::App app{"evidence-server audit: list the audit log's entries, oldest first"};
  app.name("evidence-server audit");
  app.add_option("--data-dir", data_dir, "Data directory, where the audit log is unless --audit-log names it")
      ->envname("EVIDENCE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--audit-log", log, "Audit log (default: DATA_DIR/audit.jsonl)")
      ->envname("EVIDENCE_AUDIT_LOG");
  app.add_option("--since", query.since,
                 "Entries at or after this UTC time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]")
      ->check([](const std::string& value) {
        return is_since_time(value) ? "" : "must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC)";
      });
  app.add_option("--document", query.document, "Only this document's entries (its id)");
  app.add_option("--token", query.token, "Only this token's entries (its name)");
  app.add_option("--action", query.action, "Only this action's entries")
      ->check(CLI::IsMember({"add", "edit", "withdraw", "read"}));
  app.add_flag("--json", query.json, "The entries as the log holds them, one JSON object a line (for jq)");

  std::vector<std::string> rest(args.begin() + std::min<std::ptrdiff_t>(2, std::ssize(args)), args.end());
  rest.insert(rest.begin(), "evidence-server audit");
  core::ParsedArgs<AuditQuery> parsed;
  if (auto ended = core::parse_command_line(app, rest)) {
    parsed.exit_code = ended->first;
    parsed.message = ended->second;
    return parsed;
  }
  query.log =
      !log.empty() ? core::absolute_path(log) : core::DataDir{core::absolute_path(data_dir)}.audit_log();
  parsed.config = std::move(query);
  return parsed;
}

bool audit_entry_matches(const AuditQuery& query, const json& entry) {
  if (!entry.is_object()) return false;
  if (!query.since.empty() && text_of(entry, "time") < query.since) return false;
  if (!query.document.empty() && text_of(entry, "document") != query.document) return false;
  if (!query.token.empty() && text_of(entry, "token") != query.token) return false;
  if (!query.action.empty() && text_of(entry, "action") != query.action) return false;
  return true;
}

int run_audit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parse_audit_args(args);
  if (!parsed.config) {
    (parsed.exit_code == 0 ? out : err) << parsed.message;
    return parsed.exit_code == 0 ? 0 : 2;
  }
  const AuditQuery& query = *parsed.config;
  std::ifstream in(query.log, std::ios::binary);
  if (!in) {
    err << "evidence-server audit: cannot read " << query.log.string()
        << " (the server writes it at the first upload, edit, withdrawal or read it records)\n";
    return 1;
  }
  std::vector<json> entries;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    json entry = json::parse(line, nullptr, false);
    if (!entry.is_object()) {
      // A line cut short by a crash of the machine (reads are not synced): said, and passed over.
      err << "evidence-server audit: line " << number << " of " << query.log.string()
          << " is not an entry; passed over\n";
      continue;
    }
    if (!audit_entry_matches(query, entry)) continue;
    if (query.json) {
      out << line << "\n";
    } else {
      entries.push_back(std::move(entry));
    }
  }
  if (!query.json && !entries.empty()) print_table(entries, out);
  if (!query.json && entries.empty()) err << "no entries match in " << query.log.string() << "\n";
  return 0;
}

}  // namespace evidence::server
