// `relance plugin ...`: what an admin sees of the plugins from a terminal.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

// Adds `plugin list`, `plugin settings`, `plugin test-email` and `plugin instance ...` under
// `app`; `run` is set to the command chosen, returning its exit code.
void add_plugin_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
