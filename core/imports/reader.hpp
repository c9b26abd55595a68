// Internal to core/imports: reading a file as physical lines of UTF-8 text, in chunks, so
// that memory stays flat whatever the size of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace relance::imports::detail {

constexpr std::size_t max_line_bytes = 1 << 20;  // a physical or unfolded line, a CSV record

enum class Encoding { utf8, utf8_bom, windows1252 };
std::string encoding_name(Encoding e);

// Windows-1252 bytes -> UTF-8 (the bytes 1252 leaves undefined become U+FFFD).
std::string windows1252_to_utf8(std::string_view bytes);

// Readings of a file stop at its end, or at `limit` bytes (the quick check of an upload
// reads its beginning only).
constexpr std::uint64_t whole_file = UINT64_MAX;

// What one pass over the raw bytes found out: throws Problem for a file that is empty,
// binary or has a line longer than max_line_bytes. With a `limit` below the file's size
// only the first `limit` bytes are looked at, and what only the end can tell (the file
// ends inside a UTF-8 sequence, it holds no text) is left to the scan of the whole file;
// the encoding is then the one of those bytes.
struct Scan {
  std::uint64_t size = 0;  // of the whole file
  std::uint64_t limit = whole_file;  // as given to scan_file: readings stop there too
  Encoding encoding = Encoding::utf8;
  bool vcard = false;  // the first line that is not blank is BEGIN:VCARD
};
Scan scan_file(const std::string& path, std::uint64_t max_bytes, std::uint64_t limit = whole_file);

// Physical lines ("\n", "\r\n" or a lone "\r" at the end of the file end them), decoded to
// UTF-8; numbered from 1. Reads at most `limit` bytes: a line the limit cuts is not
// returned, and cut() then says that the reading stopped before the end of the file.
class LineReader {
 public:
  LineReader(const std::string& path, Encoding encoding, std::uint64_t limit = whole_file);
  // The next line without its end; false at the end of the file.
  bool next(std::string& line);
  // Like next, but drops the line's bytes (long base64 lines that are skipped).
  bool skip();
  // The next line's first byte, without reading it (-1 at the end of the file).
  int peek();
  std::size_t line_number() const { return line_; }  // of the last line read
  std::uint64_t bytes_read() const { return consumed_; }
  // The limit stopped the reading: the file goes on past the last line returned.
  bool cut() const { return cut_; }

 private:
  bool fill();
  bool read_raw(std::string* out);

  std::ifstream in_;
  Encoding encoding_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t left_;  // bytes the limit still lets in
  bool cut_ = false;
  std::size_t line_ = 0;
  std::string raw_;
};

std::string file_name(const std::string& path);

}  // namespace relance::imports::detail
