// `relance completion bash`: a bash completion script for every subcommand and option,
// generated from the command tree itself (installed as
// share/bash-completion/completions/relance).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace relance::cli {

// The script completing `app`'s subcommands and options.
std::string bash_completion(const CLI::App& app);
void add_completion_command(CLI::App& app, std::function<int()>& run);

}  // namespace relance::cli
