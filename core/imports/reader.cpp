#include "imports/reader.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "domain/problem.hpp"
#include "domain/text.hpp"

namespace relance::imports::detail {
namespace {

constexpr std::size_t chunk_bytes = 64 * 1024;

// Code points of 0x80..0x9F in Windows-1252 (0 where 1252 defines none).
constexpr char16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Problem unreadable(const std::string& path, const std::string& why) {
  return Problem::bad_request("cannot read " + file_name(path) + ": " + why);
}

Problem not_text(const std::string& path, const std::string& why) {
  return Problem(Problem::Kind::invalid, "Unreadable file",
                 file_name(path) + " is not a CSV or vCard file: " + why);
}

// Where a chunk can be cut without splitting a UTF-8 sequence: before the last lead byte
// when its sequence is incomplete.
std::size_t utf8_cut(std::string_view s) {
  const std::size_t n = s.size();
  for (std::size_t back = 1; back <= 4 && back <= n; ++back) {
    const auto b = static_cast<unsigned char>(s[n - back]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte: look further back
    std::size_t len = 1;
    if ((b & 0xE0) == 0xC0) len = 2;
    else if ((b & 0xF0) == 0xE0) len = 3;
    else if ((b & 0xF8) == 0xF0) len = 4;
    return len > back ? n - back : n;
  }
  return n;
}

}  // namespace

std::string encoding_name(Encoding e) {
  switch (e) {
    case Encoding::utf8: return "UTF-8";
    case Encoding::utf8_bom: return "UTF-8 with BOM";
    case Encoding::windows1252: return "Windows-1252";
  }
  return "UTF-8";
}

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) out += c;
    else if (b < 0xA0) append_utf8(out, cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : 0xFFFD);
    else append_utf8(out, b);
  }
  return out;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

Scan scan_file(const std::string& path, std::uint64_t max_bytes, std::uint64_t limit) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw unreadable(path, "no such file");
  if (!std::filesystem::is_regular_file(status)) throw unreadable(path, "not a regular file");
  Scan scan;
  scan.limit = limit;
  scan.size = std::filesystem::file_size(path, ec);
  if (ec) throw unreadable(path, ec.message());
  if (scan.size > max_bytes)
    throw Problem(Problem::Kind::too_large, "File too large",
                  file_name(path) + " is larger than the limit of " + std::to_string(max_bytes) +
                      " bytes (" + std::to_string(scan.size) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw unreadable(path, "it cannot be opened");

  std::vector<char> buf(chunk_bytes);
  std::string carry;  // an incomplete UTF-8 sequence at the end of the previous chunk
  bool utf8 = true, first = true, seen_text = false;
  std::uint64_t offset = 0, controls = 0, sampled = 0;
  std::size_t line_length = 0, line = 1;
  std::string first_line;  // the first line that is not blank, up to 64 bytes
  bool first_line_done = false;
  std::uint64_t left = limit;
  while (in && left > 0) {
    in.read(buf.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(buf.size(), left)));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    left -= got;
    std::string_view chunk(buf.data(), got);
    if (first) {
      first = false;
      if (chunk.substr(0, 3) == "\xEF\xBB\xBF") {
        scan.encoding = Encoding::utf8_bom;
        chunk.remove_prefix(3);
        offset = 3;
      }
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const auto b = static_cast<unsigned char>(chunk[i]);
      if (b == 0)
        throw not_text(path, "it holds binary data (a NUL byte at offset " +
                                 std::to_string(offset + i) + ")");
      if (sampled < chunk_bytes) {
        ++sampled;
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F)
          ++controls;
      }
      if (b == '\n') {
        line_length = 0;
        ++line;
        if (seen_text) first_line_done = true;
        continue;
      }
      if (++line_length > max_line_bytes)
        throw Problem(Problem::Kind::invalid, "Unreadable file",
                      "line " + std::to_string(line) + " of " + file_name(path) +
                          " is longer than " + std::to_string(max_line_bytes) + " bytes");
      if (!first_line_done && b != ' ' && b != '\t' && b != '\r') seen_text = true;
      if (seen_text && !first_line_done && first_line.size() < 64) first_line += chunk[i];
    }
    if (utf8) {
      carry.append(chunk);
      const std::size_t cut = utf8_cut(carry);
      if (!domain::valid_utf8(std::string_view(carry).substr(0, cut))) utf8 = false;
      carry.erase(0, cut);
    }
    offset += chunk.size();
  }
  if (in.bad()) throw unreadable(path, "a read failed");
  const bool cut = limit < scan.size;  // only the file's beginning was looked at
  if (utf8 && !carry.empty() && !cut) utf8 = false;  // the file ends inside a UTF-8 sequence
  if (!seen_text && !cut) throw Problem(Problem::Kind::invalid, "Empty file", file_name(path) + ": the file is empty");
  if (controls * 100 > sampled)  // more than 1% control characters: not text
    throw not_text(path, "it holds binary data (control characters)");
  if (!utf8) scan.encoding = Encoding::windows1252;
  const std::string head = domain::fold_ascii_upper(domain::trim(first_line));
  scan.vcard = head.rfind("BEGIN:VCARD", 0) == 0;
  return scan;
}

LineReader::LineReader(const std::string& path, Encoding encoding, std::uint64_t limit)
    : in_(path, std::ios::binary), encoding_(encoding), buf_(chunk_bytes), left_(limit) {
  if (!in_) throw unreadable(path, "it cannot be opened");
  if (encoding_ == Encoding::utf8_bom && fill() && end_ >= 3 &&
      std::string_view(buf_.data(), 3) == "\xEF\xBB\xBF") {
    pos_ = 3;
    consumed_ = 3;
  }
}

bool LineReader::fill() {
  if (pos_ < end_) return true;
  if (!in_) return false;
  if (left_ == 0) {
    cut_ = in_.peek() != std::char_traits<char>::eof();
    return false;
  }
  in_.read(buf_.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(buf_.size(), left_)));
  end_ = static_cast<std::size_t>(in_.gcount());
  left_ -= end_;
  pos_ = 0;
  return end_ > 0;
}

int LineReader::peek() {
  if (!fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

bool LineReader::read_raw(std::string* out) {
  if (out) out->clear();
  if (!fill()) return false;
  std::size_t length = 0;
  bool ended = false;  // by its line end, rather than by the end of the reading
  while (fill()) {
    const char* start = buf_.data() + pos_;
    const std::size_t avail = end_ - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    const std::size_t take =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
    length += take;
    if (length > max_line_bytes + 1)
      throw Problem(Problem::Kind::invalid, "Unreadable file",
                    "line " + std::to_string(line_ + 1) + " is longer than " +
                        std::to_string(max_line_bytes) + " bytes");
    if (out) out->append(start, take);
    pos_ += take;
    consumed_ += take;
    if (nl) {
      ++pos_;
      ++consumed_;
      ended = true;
      break;
    }
  }
  if (!ended && cut_) return false;  // the limit cut this line: its rest is unknown
  ++line_;
  if (out && !out->empty() && out->back() == '\r') out->pop_back();
  return true;
}

bool LineReader::next(std::string& line) {
  if (encoding_ != Encoding::windows1252) return read_raw(&line);
  if (!read_raw(&raw_)) return false;
  line = windows1252_to_utf8(raw_);
  return true;
}

bool LineReader::skip() { return read_raw(nullptr); }

}  // namespace relance::imports::detail
