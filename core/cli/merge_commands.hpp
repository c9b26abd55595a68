// Contact merges on the command line: `relance contact duplicates` (the groups to merge),
// `relance contact merge ID DUPLICATE_ID`, `relance contact unmerge MERGE_ID` and `relance
// contact merges` (docs/api.md, "Contact merges" and "Duplicates on demand").
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace relance::cli {

// Adds duplicates, merge, unmerge and merges under `relance contact`.
void add_merge_commands(CLI::App& contact_group, std::function<int()>& run);

}  // namespace relance::cli
