// `relance log KIND --lead-id ID ...` (a meeting, call, email or note on a lead) and
// `relance activity list|show|edit|rm`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_activity_commands(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
