#include "imports/spool.hpp"

#include <cstring>
#include <stdexcept>

namespace relance::imports::detail {
namespace {

constexpr std::size_t chunk = 1 << 20;

// A value's tag in the spool: the index of its alternative in storage::Value.
enum Tag : unsigned char { null_tag = 0, integer_tag = 1, real_tag = 2, text_tag = 3 };

void put_number(std::string& out, std::uint64_t n) {  // LEB128
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

void put_text(std::string& out, const std::string& s) {
  put_number(out, s.size());
  out += s;
}

[[noreturn]] void damaged() { throw std::runtime_error("the import's spool file is damaged"); }

}  // namespace

SpoolWriter::SpoolWriter(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
  if (!file_) throw std::runtime_error("cannot create the import's spool file " + path);
  buf_.reserve(chunk + 4096);
}

SpoolWriter::~SpoolWriter() {
  if (file_) std::fclose(file_);
}

void SpoolWriter::write(const SpooledRow& row) {
  put_number(buf_, row.line);
  put_text(buf_, row.error);
  put_number(buf_, row.warnings.size());
  for (const auto& w : row.warnings) put_text(buf_, w);
  put_text(buf_, row.company);
  put_number(buf_, row.contact.values.size());
  for (const storage::Value& v : row.contact.values) {
    buf_ += static_cast<char>(v.index());
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      put_number(buf_, static_cast<std::uint64_t>(*n));
    } else if (const auto* d = std::get_if<double>(&v)) {
      char bytes[sizeof(double)];
      std::memcpy(bytes, d, sizeof bytes);
      buf_.append(bytes, sizeof bytes);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      put_text(buf_, *s);
    }
  }
  if (buf_.size() >= chunk) flush();
}

void SpoolWriter::flush() {
  if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    throw std::runtime_error("the import's spool file could not be written (disk full?)");
  buf_.clear();
}

void SpoolWriter::close() {
  flush();
  if (std::fflush(file_) != 0)
    throw std::runtime_error("the import's spool file could not be written (disk full?)");
}

SpoolReader::SpoolReader(const std::string& path)
    : file_(std::fopen(path.c_str(), "rb")), buf_(chunk) {
  if (!file_) throw std::runtime_error("cannot open the import's spool file " + path);
}

SpoolReader::~SpoolReader() {
  if (file_) std::fclose(file_);
}

bool SpoolReader::fill(std::size_t need) {
  if (end_ - pos_ >= need) return true;
  std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
  end_ -= pos_;
  pos_ = 0;
  if (need > buf_.size()) buf_.resize(need);
  while (end_ < need) {
    const std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
    if (got == 0) return false;
    end_ += got;
  }
  return true;
}

std::uint64_t SpoolReader::number() {
  std::uint64_t n = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (!fill(1)) damaged();
    const auto byte = static_cast<unsigned char>(buf_[pos_++]);
    n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return n;
  }
  damaged();
}

std::string SpoolReader::text() {
  const std::uint64_t size = number();
  if (size > (1u << 30) || !fill(size)) damaged();
  std::string s(buf_.data() + pos_, size);
  pos_ += size;
  return s;
}

bool SpoolReader::next(SpooledRow& row) {
  if (!fill(1)) return false;
  row.line = number();
  row.error = text();
  row.warnings.resize(number());
  for (auto& w : row.warnings) w = text();
  row.company = text();
  row.contact.values.resize(number());
  for (storage::Value& v : row.contact.values) {
    if (!fill(1)) damaged();
    switch (static_cast<unsigned char>(buf_[pos_++])) {
      case null_tag: v = storage::Null{}; break;
      case integer_tag: v = static_cast<std::int64_t>(number()); break;
      case real_tag: {
        if (!fill(sizeof(double))) damaged();
        double d;
        std::memcpy(&d, buf_.data() + pos_, sizeof d);
        pos_ += sizeof d;
        v = d;
        break;
      }
      case text_tag: v = text(); break;
      default: damaged();
    }
  }
  return true;
}

}  // namespace relance::imports::detail
