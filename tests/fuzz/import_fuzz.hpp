// The CSV and vCard targets: a file of any content goes through the import's reading side
// (open_file, then every row) as an uploaded file does. The file is refused with a Problem,
// or read into rows (built and checked by the contact field rules as they are read) whose
// text is valid UTF-8; reading ends within one row per line.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "fuzz_check.hpp"
#include "imports/import.hpp"

namespace relance::fuzz {

inline void check_row(const imports::ImportRow& row) {
  // The row is as it will be stored: its document is valid UTF-8, whatever the file held.
  if (!row.contact.values.empty())
    expect_utf8("contact", domain::row_json(storage::entities::contacts, row.contact, false));
  expect_utf8("company", row.company);
  expect_utf8("row error", row.error);
  for (const std::string& w : row.warnings) expect_utf8("row warning", w);
}

inline void read_import(const std::uint8_t* data, std::size_t size, const char* format) {
  static const std::string path = scratch().file("upload");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  imports::ImportOptions options;
  options.format = format;
  try {
    auto source = imports::open_file(path, options);
    expect_utf8("description", source->description());
    std::size_t rows = 0;
    while (auto row = source->next()) {
      if (++rows > size + 1) fail("rows", "more rows than lines: the reader does not advance");
      check_row(*row);
    }
  } catch (const Problem& p) {
    // The file is refused: the upload's answer names why (422 and the like).
    expect_utf8("refusal", p.detail());
  }
}

}  // namespace relance::fuzz
