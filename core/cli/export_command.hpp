// `relance export`: a file of records in one of the daemon's export formats.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_export_command(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
