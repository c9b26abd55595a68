#include "cli/table.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace relance::cli {

std::string cell_text(const boost::json::value* v, std::string_view absent) {
  if (!v || v->is_null()) return std::string(absent);
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& item : v->as_array()) out += (out.empty() ? "" : ", ") + cell_text(&item, absent);
    return out;
  }
  return boost::json::serialize(*v);
}

// Continuation bytes do not count.
std::size_t text_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

namespace {

std::string cut(const std::string& s, std::size_t max) {
  if (text_width(s) <= max) return s;
  std::size_t chars = 0, at = 0;
  for (; at < s.size(); ++at) {
    if ((static_cast<unsigned char>(s[at]) & 0xC0) != 0x80 && chars++ == max - 1) break;
  }
  return s.substr(0, at) + "…";
}

}  // namespace

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows, std::size_t max_cell) {
  std::vector<TableRow> all{header};
  for (const auto& r : rows) {
    TableRow cells;
    for (const auto& c : r) cells.push_back(cut(c, max_cell));
    all.push_back(std::move(cells));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& r : all)
    for (std::size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], text_width(r[i]));
  std::string out;
  for (const auto& r : all) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : std::string();
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - text_width(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace relance::cli
