// Internal to core/imports: the rows an import has checked, kept on disk between its two
// passes. The first pass reads the file, builds and validates every row once (phones
// through libphonenumber, the field rules of the API) and spools the result; the second
// reads the spool back, deduplicates and writes, without parsing or validating again. The
// spool is a private binary file of the job's folder: memory stays flat whatever the file
// size.
//
// Thread safety: a SpoolWriter or SpoolReader is used by one thread at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "relance/storage/store.hpp"

namespace relance::imports::detail {

struct SpooledRow {
  std::size_t line = 0;
  std::string error;  // the row is invalid: why ("" when it is not)
  std::vector<std::string> warnings;
  std::string company;   // the company's name as the file gives it
  storage::Row contact;  // the contact's values, as the API would store them
};

class SpoolWriter {
 public:
  explicit SpoolWriter(const std::string& path);  // throws std::runtime_error
  ~SpoolWriter();
  SpoolWriter(const SpoolWriter&) = delete;
  SpoolWriter& operator=(const SpoolWriter&) = delete;
  void write(const SpooledRow& row);
  void close();  // flushes; throws std::runtime_error when the disk refuses

 private:
  void flush();
  std::FILE* file_ = nullptr;
  std::string buf_;
};

class SpoolReader {
 public:
  explicit SpoolReader(const std::string& path);  // throws std::runtime_error
  ~SpoolReader();
  SpoolReader(const SpoolReader&) = delete;
  SpoolReader& operator=(const SpoolReader&) = delete;
  // The next row; false at the end. Throws std::runtime_error on a damaged spool.
  bool next(SpooledRow& row);

 private:
  bool fill(std::size_t need);  // at least `need` bytes buffered; false at the end
  std::uint64_t number();
  std::string text();

  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
};

}  // namespace relance::imports::detail
