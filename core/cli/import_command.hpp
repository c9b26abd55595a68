// `relance import`: contacts from a CSV or vCard file, through POST /api/v1/imports.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

void add_import_command(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
