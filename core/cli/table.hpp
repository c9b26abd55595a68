// Human tables for the command line: aligned columns, widths counted in characters.
#pragma once

#include <string>
#include <vector>

namespace relance::cli {

using TableRow = std::vector<std::string>;

// The header (printed as given) and the rows, each cell padded to its column's width; a cell
// longer than `max_cell` characters is cut with "…".
std::string render_table(const TableRow& header, const std::vector<TableRow>& rows, std::size_t max_cell = 60);

}  // namespace relance::cli
