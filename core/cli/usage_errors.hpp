// What the command line says when its arguments do not parse: a command group given an
// unknown word (or none) says so and lists its real commands, for every group alike;
// other mistakes get CLI11's message and hint. Help and --version exit 0.
#pragma once

#include <CLI/CLI.hpp>

namespace relance::cli {

// Prints the message for `e` and returns the exit code (0 for help, else Exit::usage).
int parse_error_exit(CLI::App& app, const CLI::ParseError& e);

}  // namespace relance::cli
