// Internal to core/imports: the two kinds of RowSource and what open_file tells them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "imports/import.hpp"
#include "imports/presets.hpp"
#include "imports/reader.hpp"

namespace relance::imports::detail {

// RFC 4180 records over physical lines: quoted fields may hold the delimiter, "" and line
// ends (kept as "\n"). Lenient where Excel is: a quote inside an unquoted field is text.
class CsvParser {
 public:
  CsvParser(LineReader& lines, char delimiter) : lines_(lines), delimiter_(delimiter) {}
  // The next record; false at the end (and at the reading's limit, a record it cuts left
  // out). Throws an invalid Problem for a quoted field that is never closed or a record longer
  // than max_line_bytes.
  bool read(std::vector<std::string>& cells, std::size_t& start_line);

 private:
  LineReader& lines_;
  char delimiter_;
  std::string line_, cell_;
};

// One physical line split into cells (a header), quotes honoured within the line.
std::vector<std::string> split_line(const std::string& line, char delimiter);
// The delimiter among ',', ';' and TAB that occurs most often outside quotes (',' if none).
char detect_delimiter(const std::string& line);

// Both read the file's lines up to scan.limit.
std::unique_ptr<RowSource> open_csv(const std::string& path, const Scan& scan,
                                    const ImportOptions& options);
// How open_csv would map the header's columns; a header no preset recognises is no error here.
ColumnGuess guess_csv(const std::string& path, const Scan& scan, const ImportOptions& options);
std::unique_ptr<RowSource> open_vcard(const std::string& path, const Scan& scan,
                                      const ImportOptions& options);

}  // namespace relance::imports::detail
