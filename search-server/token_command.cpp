#include "token_command.hpp"

#include <algorithm>
#include <cstddef>
#include <iomanip>
#include <iterator>

#include "auth/token_store.hpp"
#include "command_line.hpp"
#include "locations.hpp"

namespace evidence::server {
namespace {

struct TokenCommand {
  std::string action;  // add, revoke, list
  std::string name;
  std::string role;
  std::vector<std::string> groups;
  std::string data_dir{core::kDefaultDataDir};
  std::string tokens;
};

// The token file: --tokens, or the one in the data directory, as the server finds it.
void add_tokens_options(CLI::App* command, TokenCommand& parsed) {
  command
      ->add_option("--data-dir", parsed.data_dir,
                   "Data directory, where the token file is unless --tokens names it")
      ->envname("EVIDENCE_DATA_DIR")
      ->capture_default_str();
  command->add_option("--tokens", parsed.tokens, "Token file (default: DATA_DIR/tokens.json)")
      ->envname("EVIDENCE_TOKENS");
}

// The token file's absolute path, or what is wrong with the paths named.
core::Result<std::filesystem::path> token_file(const CLI::App& command, const TokenCommand& parsed) {
  core::DataDir data{core::absolute_path(parsed.data_dir)};
  bool named = command.count("--tokens") > 0;
  std::filesystem::path file = named ? core::absolute_path(parsed.tokens) : data.tokens();
  std::string problem = command.count("--data-dir") > 0
                            ? core::path_problem("--data-dir", data.root, core::PathMust::kBeFolder)
                            : "";
  if (problem.empty() && named) problem = core::path_problem("--tokens", file, core::PathMust::kBeInFolder);
  if (!problem.empty()) return core::Error{core::ErrorCode::kInvalidArgument, problem};
  return file;
}

int list_tokens(const TokenStore& store, std::ostream& out, std::ostream& err) {
  auto tokens = store.list();
  if (!tokens) {
    err << "evidence-server token list: " << tokens.error().message << "\n";
    return 1;
  }
  if (tokens->empty()) {
    err << "no tokens in " << store.path().string() << "\n";
    return 0;
  }
  std::size_t width = 4;
  bool grouped = false;  // the GROUPS column only where a token has groups
  for (const auto& token : *tokens) {
    width = std::max(width, token.name.size());
    grouped = grouped || !token.groups.empty();
  }
  out << std::left << std::setw(static_cast<int>(width)) << "NAME"
      << "  ROLE    CREATED" << (grouped ? "               GROUPS" : "") << "\n";
  for (const auto& token : *tokens) {
    out << std::setw(static_cast<int>(width)) << token.name << "  " << std::setw(6) << role_name(token.role)
        << "  " << token.created;
    if (grouped) {
      std::string groups;
      for (const auto& group : token.groups) groups += (groups.empty() ? "" : ",") + group;
      out << "  " << groups;
    }
    out << "\n";
  }
  return 0;
}

}  // namespace

int run_token_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  TokenCommand parsed;
  CLI::App app{"evidence-server token: create, revoke and list API tokens"};
  app.name("evidence-server token");
  app.require_subcommand(1);
  CLI::App* add = app.add_subcommand("add", "Create a token; it is printed once and cannot be shown again");
  add->add_option("NAME", parsed.name, "Who the token is for (letters, digits, . _ - @)")->required();
  add->add_option("--role", parsed.role, "What the token may do")->required()->check(CLI::IsMember({"editor", "reader"}));
  add->add_option("--group", parsed.groups,
                  "A group whose restricted documents the token may read (repeat for more; a-z, 0-9, -)")
      ->allow_extra_args(false);  // one name per --group: NAME after it stays the token's name
  add_tokens_options(add, parsed);
  CLI::App* revoke = app.add_subcommand("revoke", "Revoke a token: it stops working at once");
  revoke->add_option("NAME", parsed.name, "The token's name")->required();
  add_tokens_options(revoke, parsed);
  CLI::App* list =
      app.add_subcommand("list", "List tokens: names, roles, when created, groups (never the tokens)");
  add_tokens_options(list, parsed);

  // Without the "token" word: CLI11 sees `add NAME ...` and the program name.
  std::vector<std::string> rest(args.begin() + std::min<std::ptrdiff_t>(2, std::ssize(args)), args.end());
  rest.insert(rest.begin(), "evidence-server token");
  if (auto ended = core::parse_command_line(app, rest)) {
    (ended->first == 0 ? out : err) << ended->second;
    return ended->first == 0 ? 0 : 2;
  }

  const CLI::App* chosen = add->parsed() ? add : revoke->parsed() ? revoke : list;
  auto file = token_file(*chosen, parsed);
  if (!file) {
    err << "evidence-server token: " << file.error().message << "\n";
    return 2;
  }
  TokenStore store(TokenStoreOptions{*file});
  if (add->parsed()) {
    auto token = store.add(parsed.name, *role_from_name(parsed.role), parsed.groups);
    if (!token) {
      err << "evidence-server token add: " << token.error().message << "\n";
      return 1;
    }
    out << *token << "\n";
    err << "Added " << parsed.role << " token \"" << parsed.name << "\"";
    if (!parsed.groups.empty()) {
      err << " (groups:";
      for (const auto& group : parsed.groups) err << " " << group;
      err << ")";
    }
    err << " to " << file->string() << ".\n"
        << "Copy it now: it is stored hashed and cannot be shown again.\n";
    return 0;
  }
  if (revoke->parsed()) {
    if (auto revoked = store.revoke(parsed.name); !revoked) {
      err << "evidence-server token revoke: " << revoked.error().message << "\n";
      return 1;
    }
    err << "Revoked token \"" << parsed.name << "\"; a running server stops accepting it within a second.\n";
    return 0;
  }
  return list_tokens(store, out, err);
}

}  // namespace evidence::server
