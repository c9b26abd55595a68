// `relance report`: the mission's reports (GET /api/v1/reports/...) as tables in the user's
// language, as the daemon's JSON, or as a csv or xlsx file.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_report_command(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
