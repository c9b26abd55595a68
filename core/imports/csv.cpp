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

namespace {

// The presets a request may use: its custom mapping, the one it names, or all (auto).
std::vector<Preset> presets_for(const ImportOptions& options) {
  if (options.preset == "custom") return {custom_preset(options.mapping)};
  const std::string dir = options.presets_dir.empty() ? default_presets_dir() : options.presets_dir;
  std::vector<Preset> presets = load_presets(dir);
  if (options.preset != "auto") {
    std::erase_if(presets, [&](const Preset& p) { return p.name != options.preset; });
    if (presets.empty())
      throw Problem::bad_request("there is no import preset named \"" + options.preset +
                                     "\"; there are: " + list(preset_names(dir)) + ", custom",
                                 "preset");
  }
  return presets;
}

// The file's first lines as candidate headers, each split with its own delimiter.
struct FirstLines {
  std::vector<std::vector<std::string>> cells, folded;
  std::vector<char> delimiters;
};

FirstLines first_lines(const std::string& path, const Scan& scan, const std::vector<Preset>& presets) {
  std::size_t preamble = 0;
  for (const Preset& p : presets) preamble = std::max(preamble, p.max_preamble_lines);
  FirstLines first;
  LineReader lines(path, scan.encoding, scan.limit);
  std::string line;
  while (first.cells.size() <= preamble && lines.next(line)) {
    first.delimiters.push_back(detect_delimiter(line));
    first.cells.push_back(split_line(line, first.delimiters.back()));
    std::vector<std::string> f;
    for (const std::string& c : first.cells.back()) f.push_back(fold_header(c));
    first.folded.push_back(std::move(f));
  }
  return first;
}

// The header the first preset recognising one of the first lines finds (highest priority
// first); its preset is nullptr when none does.
Header find_header(const FirstLines& first, const std::vector<Preset>& presets) {
  Header header;
  for (const Preset& p : presets) {
    for (std::size_t i = 0; i < first.cells.size() && i <= p.max_preamble_lines && !header.preset; ++i)
      if (p.recognises(first.folded[i])) header = Header{i, first.delimiters[i], first.cells[i], &p};
    if (header.preset) break;
  }
  return header;
}

}  // namespace

std::unique_ptr<RowSource> open_csv(const std::string& path, const Scan& scan,
                                    const ImportOptions& options) {
  const std::vector<Preset> presets = presets_for(options);
  const FirstLines first = first_lines(path, scan, presets);
  Header header = find_header(first, presets);
  if (!header.preset) {
    const std::string columns = first.cells.empty() ? "" : list(first.cells[0]);
    if (options.preset == "auto")
      throw unreadable("no column of the header (line 1: " + columns +
                       ") is one the import knows; choose a preset or map the columns");
    const Preset& p = presets.front();
    throw unreadable("the file does not look like " + p.label + ": the header (line 1: " +
                     columns + ") lacks " +
                     list(p.missing(first.folded.empty() ? std::vector<std::string>{} : first.folded[0])));
  }
  Preset chosen = *header.preset;

  return std::make_unique<CsvSource>(path, scan, options, std::move(chosen), std::move(header));
}

ColumnGuess guess_csv(const std::string& path, const Scan& scan, const ImportOptions& options) {
  const std::vector<Preset> presets = presets_for(options);
  const FirstLines first = first_lines(path, scan, presets);
  if (first.cells.empty()) throw unreadable(file_name(path) + " has no header line");
  Header header = find_header(first, presets);
  ColumnGuess guess;
  guess.encoding = encoding_name(scan.encoding);
  if (header.preset) {
    guess.preset = header.preset->name;
    guess.label = header.preset->label;
  } else {
    header = Header{0, first.delimiters[0], first.cells[0], nullptr};
  }
  guess.delimiter = header.delimiter;
  guess.header_line = header.index + 1;
  guess.columns = header.columns;
  for (const std::string& c : header.columns) {
    const ColumnRule* r = header.preset ? header.preset->rule_for(fold_header(c)) : nullptr;
    guess.fields.push_back(r ? r->field : "ignore");
  }
  return guess;
}

}  // namespace relance::imports::detail
