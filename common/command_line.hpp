#pragma once
// Reading a command line with CLI11 into a configuration struct, shared by both executables.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace evidence::core {

/// The outcome of reading a command line: a config, or an exit code and text to print
/// (help, version, usage errors).
template <class Config>
struct ParsedArgs {
  std::optional<Config> config;
  int exit_code = 0;
  std::string message;
};

/// Parses args (args[0] is the program name) with app. Returns the exit code and text
/// CLI11 wants printed when parsing ends the program (help, version, errors).
inline std::optional<std::pair<int, std::string>> parse_command_line(CLI::App& app,
                                                                     const std::vector<std::string>& args) {
  // CLI11 takes the arguments in reverse order, without the program name.
  std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
  try {
    app.parse(reversed);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    int code = app.exit(e, out, err);
    return std::make_pair(code, out.str() + err.str());
  }
}

}  // namespace evidence::core
