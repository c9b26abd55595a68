// `relance plugin instance add|edit|rm|show` (an organisation's instances of a plugin: its
// settings, its events, its datasets), `relance plugin settings PLUGIN` (the settings the
// plugin documents) and `relance plugin test-email INSTANCE --to EMAIL`, over the
// /api/v1/plugin-instances and /api/v1/plugins routes.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

// Adds the commands under `plugin` (the `relance plugin` group).
void add_plugin_instance_commands(CLI::App& plugin, std::function<int()>& run);

}  // namespace relance::cli
