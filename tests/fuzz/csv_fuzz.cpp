// Fuzz target: the CSV reader (core/imports/csv.cpp and reader.cpp): header and preset
// detection, delimiters, quoting across lines, UTF-8 (with or without BOM) and Windows-1252
// files, as an uploaded import reads them.
#include "import_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  relance::fuzz::read_import(data, size, "csv");
  return 0;
}
