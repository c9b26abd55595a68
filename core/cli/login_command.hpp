// `relance login` (asks the password without echo, stores the server and the session token
// in $XDG_CONFIG_HOME/relance/credentials.toml, mode 0600) and `relance logout` (revokes the
// token and forgets it).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_login_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
