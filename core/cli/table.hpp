// Human tables for the command line: aligned columns, widths counted in characters.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace relance::cli {

using TableRow = std::vector<std::string>;

// The header (printed as given) and the rows, each cell padded to its column's width; a cell
// longer than `max_cell` characters is cut with "…".
// A JSON value as the text of a cell: a string as it is, a list joined by ", ", a number or a
// boolean as JSON; `absent` for a missing or null value.
std::string cell_text(const boost::json::value* v, std::string_view absent = "-");

// Characters (code points) of UTF-8 text, as a column counts them.
std::size_t text_width(std::string_view s);

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows, std::size_t max_cell = 60);

}  // namespace relance::cli
