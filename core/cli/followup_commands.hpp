// `relance followup add|list|show|edit|rm|done|snooze`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_followup_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
