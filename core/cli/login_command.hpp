// `relance login` (asks the password without echo, stores the server and the session token
// in $XDG_CONFIG_HOME/relance/credentials.toml, mode 0600) and `relance logout` (revokes the
// token and forgets it).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace relance::cli {

// One line of standard input, `prompt` shown first on a terminal; CliError(usage) at its end.
std::string read_line(const std::string& prompt);
// From the terminal without echo; from standard input, one line, when it is not a terminal.
std::string read_password(const std::string& prompt);

void add_login_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
