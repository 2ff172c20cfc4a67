#pragma once
// `evidence-server token add|revoke|list`: managing API tokens from the shell.

#include <ostream>
#include <string>
#include <vector>

namespace evidence::server {

/// Runs `evidence-server token ...`; args[0] is the program name and args[1] is "token".
/// Writes what a person should see to out and err; returns the exit code: 0 done, 1 failed
/// (a name that exists, an unknown name, an unreadable file), 2 usage.
int run_token_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace evidence::server
