// Account commands: `relance org add|list|show|edit`, `relance user add|list|show|edit|
// disable|enable|invite`, `relance password reset|set|change` and `relance whoami`. Like every
// command, a client of the HTTP API (docs/api.md, "Users and roles" and "Set-password links").
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_account_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
