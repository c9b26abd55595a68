// CSV files: the header is found (after a preamble some exports write), a preset maps its
// columns, and records become rows.
#include <algorithm>

#include "domain/problem.hpp"
#include "imports/contact_builder.hpp"
#include "imports/sources.hpp"

namespace relance::imports::detail {
namespace {

Problem unreadable(const std::string& what) {
  return Problem(Problem::Kind::invalid, "Unreadable file", what);
}

std::string delimiter_name(char d) { return d == '\t' ? "TAB" : std::string("'") + d + "'"; }

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool blank(const std::string& cell) { return cell.find_first_not_of(" \t") == std::string::npos; }

// A cell such as "09 Mar 2026", "2026-03-09", "9/3/26" or "9 mars 2026": two or three
// numbers and at most one word (a month), nothing else.
bool looks_like_date(const std::string& cell) {
  int numbers = 0, words = 0;
  std::string token;
  auto end_token = [&] {
    if (token.empty()) return true;
    const bool digits = std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool letters = std::all_of(token.begin(), token.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
    });
    token.clear();
    if (digits) return ++numbers, true;
    return letters && ++words;
  };
  for (char c : cell) {
    if (c == ' ' || c == '-' || c == '/' || c == '.' || c == ',' || c == '\t') {
      if (!end_token()) return false;
    } else {
      token += c;
    }
  }
  return end_token() && numbers >= 2 && numbers <= 3 && words <= 1;
}

ImportRow skipped_row(std::size_t line, std::string why) {
  ImportRow row;
  row.line = line;
  row.not_a_contact = std::move(why);
  return row;
}

struct Header {
  std::size_t index = 0;  // 0-based physical line
  char delimiter = ',';
  std::vector<std::string> columns;
  const Preset* preset = nullptr;
};

class CsvSource final : public RowSource {
 public:
  CsvSource(const std::string& path, const Scan& scan, const ImportOptions& options,
            Preset preset, Header header)
      : lines_(path, scan.encoding, scan.limit),
        parser_(lines_, header.delimiter),
        preset_(std::move(preset)),
        builder_(options.default_region) {
    for (std::size_t i = 0; i <= header.index; ++i) lines_.skip();
    info_.format = "csv";
    info_.encoding = encoding_name(scan.encoding);
    info_.delimiter = header.delimiter;
    info_.preset = preset_.name;
    info_.columns = header.columns;
    info_.header_line = header.index + 1;
    info_.size = scan.size;
    for (const std::string& c : header.columns) {
      const ColumnRule* r = preset_.rule_for(fold_header(c));
      if (r && r->field == "ignore") r = nullptr;
      rules_.push_back(r);
      sources_.push_back("column " + c);
      if (!r) info_.ignored.push_back(c);
    }
    description_ = file_name(path) + " (" + encoding_name(scan.encoding) + ", " +
                   delimiter_name(header.delimiter) + ", preset " + preset_.name + ")";
  }

  std::optional<ImportRow> next() override {
    std::size_t line = 0;
    while (parser_.read(cells_, line)) {
      // Blank lines, rows of empty cells (";;;;" as Excel writes them) and rows of dates only
      // (LinkedIn ends some exports with them) hold no contact: skipped, and reported.
      if (std::all_of(cells_.begin(), cells_.end(), blank))
        return skipped_row(line, "blank row: skipped");
      if (std::all_of(cells_.begin(), cells_.end(), [](const std::string& c) { return blank(c) || looks_like_date(c); }))
        return skipped_row(line, "only a date, no contact: skipped");
      builder_.start(line);
      if (cells_.size() > rules_.size() &&
          std::any_of(cells_.begin() + static_cast<std::ptrdiff_t>(rules_.size()), cells_.end(),
                      [](const std::string& c) { return !c.empty(); })) {
        ImportRow row;
        row.line = line;
        row.error = "line " + std::to_string(line) + " has " + std::to_string(cells_.size()) +
                    " cells but the header has " + std::to_string(rules_.size()) + " columns";
        return row;
      }
      for (std::size_t i = 0; i < cells_.size() && i < rules_.size(); ++i)
        if (rules_[i]) builder_.add(*rules_[i], sources_[i], cells_[i]);
      return builder_.finish();
    }
    return std::nullopt;
  }
  void skim() override {
    std::size_t line = 0;
    while (parser_.read(cells_, line)) {
    }
  }
  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
  std::string description() const override { return description_; }
  const SourceInfo& info() const override { return info_; }

 private:
  LineReader lines_;
  CsvParser parser_;
  Preset preset_;
  ContactBuilder builder_;
  std::vector<const ColumnRule*> rules_;
  std::vector<std::string> sources_;
  std::vector<std::string> cells_;
  SourceInfo info_;
  std::string description_;
};

}  // namespace

bool CsvParser::read(std::vector<std::string>& cells, std::size_t& start_line) {
  cells.clear();
  if (!lines_.next(line_)) return false;
  start_line = lines_.line_number();
  cell_.clear();
  bool quoted = false, at_start = true;
  std::size_t quote_line = 0, total = 0;
  while (true) {
    for (std::size_t i = 0; i < line_.size(); ++i) {
      const char c = line_[i];
      if (quoted) {
        if (c != '"') cell_ += c;
        else if (i + 1 < line_.size() && line_[i + 1] == '"') cell_ += line_[++i];
        else quoted = false;
      } else if (c == delimiter_) {
        cells.push_back(std::move(cell_));
        cell_.clear();
        at_start = true;
        continue;
      } else if (c == '"' && at_start) {
        quoted = true;
        quote_line = lines_.line_number();
      } else {
        cell_ += c;
      }
      at_start = false;
    }
    if (!quoted) break;
    total += line_.size() + 1;
    if (total > max_line_bytes)
      throw unreadable("the record that starts at line " + std::to_string(start_line) +
                       " is longer than " + std::to_string(max_line_bytes) + " bytes");
    cell_ += '\n';
    if (!lines_.next(line_)) {
      if (lines_.cut()) return false;  // the field may close past the part read
      throw unreadable("unbalanced quotes: the quoted field that opens at line " +
                       std::to_string(quote_line) + " is never closed");
    }
  }
  cells.push_back(std::move(cell_));
  cell_.clear();
  return true;
}

std::vector<std::string> split_line(const std::string& line, char delimiter) {
  std::vector<std::string> cells(1);
  bool quoted = false, at_start = true;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') cells.back() += c;
      else if (i + 1 < line.size() && line[i + 1] == '"') cells.back() += line[++i];
      else quoted = false;
    } else if (c == delimiter) {
      cells.emplace_back();
      at_start = true;
      continue;
    } else if (c == '"' && at_start) {
      quoted = true;
    } else {
      cells.back() += c;
    }
    at_start = false;
  }
  return cells;
}

char detect_delimiter(const std::string& line) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c == ',') ++comma;
    else if (c == ';') ++semicolon;
    else if (c == '\t') ++tab;
  }
  if (tab > comma && tab > semicolon) return '\t';
  if (semicolon > comma) return ';';
  return ',';
}

std::unique_ptr<RowSource> open_csv(const std::string& path, const Scan& scan,
                                    const ImportOptions& options) {
  std::vector<Preset> presets;
  if (options.preset == "custom") {
    presets.push_back(custom_preset(options.mapping));
  } else {
    const std::string dir = options.presets_dir.empty() ? default_presets_dir() : options.presets_dir;
    presets = load_presets(dir);
    if (options.preset != "auto") {
      std::erase_if(presets, [&](const Preset& p) { return p.name != options.preset; });
      if (presets.empty())
        throw Problem::bad_request("there is no import preset named \"" + options.preset +
                                       "\"; there are: " + list(preset_names(dir)) + ", custom",
                                   "preset");
    }
  }
  std::size_t preamble = 0;
  for (const Preset& p : presets) preamble = std::max(preamble, p.max_preamble_lines);

  // The first lines, as candidate headers.
  std::vector<std::string> first;
  {
    LineReader lines(path, scan.encoding, scan.limit);
    std::string line;
    while (first.size() <= preamble && lines.next(line)) first.push_back(line);
  }
  std::vector<std::vector<std::string>> cells, folded;
  std::vector<char> delimiters;
  for (const std::string& line : first) {
    delimiters.push_back(detect_delimiter(line));
    cells.push_back(split_line(line, delimiters.back()));
    std::vector<std::string> f;
    for (const std::string& c : cells.back()) f.push_back(fold_header(c));
    folded.push_back(std::move(f));
  }
  Header header;
  for (const Preset& p : presets) {
    for (std::size_t i = 0; i < first.size() && i <= p.max_preamble_lines && !header.preset; ++i)
      if (p.recognises(folded[i])) header = Header{i, delimiters[i], cells[i], &p};
    if (header.preset) break;
  }
  if (!header.preset) {
    const std::string columns = first.empty() ? "" : list(cells[0]);
    if (options.preset == "auto")
      throw unreadable("no column of the header (line 1: " + columns +
                       ") is one the import knows; choose a preset or map the columns");
    const Preset& p = presets.front();
    throw unreadable("the file does not look like " + p.label + ": the header (line 1: " +
                     columns + ") lacks " + list(p.missing(folded.empty() ? std::vector<std::string>{} : folded[0])));
  }
  Preset chosen = *header.preset;

  return std::make_unique<CsvSource>(path, scan, options, std::move(chosen), std::move(header));
}

}  // namespace relance::imports::detail
