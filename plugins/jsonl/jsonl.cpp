// relance_export_jsonl: the "jsonl" format (JSON Lines), one JSON object per row.
//
// The file:
// - UTF-8, one object per line, each line ended by "\n" (never "\r\n"), no blank lines.
// - Keys: the dataset's column names, in column order, every row the same keys (a null is
//   null, never a missing key).
// - Values: INTEGER a number; REAL a number, the shortest that reads back the same double
//   (null for NaN and infinities, which JSON cannot write); BOOLEAN true/false; TEXT a
//   string; DATE "YYYY-MM-DD"; INSTANT the RFC 3339 UTC string the daemon gives
//   ("2026-03-09T17:30:00.000Z"); MONEY a decimal string, exact ("1234567.89", "-12.50",
//   "1000" at scale 0: a JSON number would be read as a float and lose cents), the currency
//   being its own column; LIST a JSON array of strings; NULL null; kinds newer than this
//   plugin a string of their text.
// - Strings escaped as RFC 8259 requires (quote, backslash, control characters), plus
//   U+2028 and U+2029 (\u2028, \u2029) so that a line is also a valid JavaScript literal;
//   other characters stay as UTF-8; an invalid UTF-8 byte becomes U+FFFD.
// - "_dataset": the dataset's name ("contacts"), as the first key of every object of an
//   export of several datasets, so that a reader can tell them apart. Option dataset_key:
//   auto (the default) adds it only when the export has more than one dataset (the
//   request's dataset_count), always adds it, never leaves it out. Every line streams as
//   soon as it is written.
//
// Speed: rows are appended to one buffer written by 64 KiB; no allocation per cell.
#include <relance/plugin.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "values.hpp"

namespace {

using namespace plugins_shared;

constexpr std::size_t flush_size = 64 * 1024;

// Length of the valid UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0 when invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    const unsigned char c1 = b(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // a surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    const unsigned char c1 = b(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends `s` as a JSON string.
void append_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
        out.append(s.data() + run, i - run);
        out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
        i += 3;
        run = i;
      } else if (n == 0) {
        out.append(s.data() + run, i - run);
        out += "\\ufffd";
        ++i;
        run = i;
      } else {
        i += n;
      }
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
    ++i;
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

class Jsonl : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;

  static constexpr const char* format_id = "jsonl";
  static constexpr const char* file_extension = "jsonl";
  static constexpr const char* mime_type = "application/jsonl";
  static constexpr relance_option options[] = {
      {"dataset_key",
       "Add \"_dataset\": <name> as the first key of each object: auto when the export has several datasets, "
       "always, or never",
       "auto", "auto|always|never"},
  };

  relance_status open(const relance_export_request& request) override {
    if (const relance_status status = Exporter::open(request); status != RELANCE_OK) return status;
    const std::string mode = option(relance::view(request.options), "dataset_key").value_or("auto");
    mode_ = mode == "always" ? Mode::always : mode == "never" ? Mode::never : Mode::automatic;
    several_ = RELANCE_HAS_FIELD(&request, relance_export_request, dataset_count) && request.dataset_count > 1;
    buffer_.clear();
    buffer_.reserve(flush_size * 2);
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    const bool tag = mode_ == Mode::always || (mode_ == Mode::automatic && several_);
    // "{" then, per column, the key with its ':' (and the comma before it): a row appends
    // these and its values.
    keys_.resize(dataset.column_count);
    for (std::size_t i = 0; i < dataset.column_count; ++i) {
      std::string& key = keys_[i];
      key.clear();
      if (i == 0) {
        key += '{';
        if (tag) {
          key += "\"_dataset\":";
          append_string(key, relance::view(dataset.name));
          key += ',';
        }
      } else {
        key += ',';
      }
      append_string(key, relance::view(relance_column_at(&dataset, i)->name));
      key += ':';
    }
    empty_object_.assign("{");
    if (tag) {
      empty_object_ += "\"_dataset\":";
      append_string(empty_object_, relance::view(dataset.name));
    }
    empty_object_ += "}\n";
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    const std::size_t n = row.count < keys_.size() ? row.count : keys_.size();
    if (n == 0) {
      buffer_ += empty_object_;
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        buffer_ += keys_[i];
        append_value(row.values[i]);
      }
      // A row shorter than the dataset's columns still has every key.
      for (std::size_t i = n; i < keys_.size(); ++i) {
        buffer_ += keys_[i];
        buffer_ += "null";
      }
      buffer_ += "}\n";
    }
    if (buffer_.size() >= flush_size) flush();
    return RELANCE_OK;
  }

  relance_status finish(bool complete) override {
    if (!complete) {
      buffer_.clear();
      return RELANCE_OK;
    }
    write(buffer_);
    buffer_.clear();
    return RELANCE_OK;
  }

 private:
  enum class Mode { automatic, always, never };

  void append_value(const relance_value& v) {
    switch (v.kind) {
      case RELANCE_VALUE_NULL: buffer_ += "null"; return;
      case RELANCE_VALUE_INTEGER: append_integer(buffer_, v.integer); return;
      case RELANCE_VALUE_BOOLEAN: buffer_ += v.integer != 0 ? "true" : "false"; return;
      case RELANCE_VALUE_REAL:
        if (!append_real(buffer_, v.real, '.')) buffer_ += "null";
        return;
      case RELANCE_VALUE_MONEY:
        buffer_ += '"';
        append_money(buffer_, v.integer, v.scale, '.');
        buffer_ += '"';
        return;
      case RELANCE_VALUE_INSTANT:
        if (v.text.size == 0) {
          buffer_ += '"';
          append_instant(buffer_, v);
          buffer_ += '"';
          return;
        }
        append_string(buffer_, relance::view(v.text));
        return;
      case RELANCE_VALUE_LIST: {
        const std::string_view text = relance::view(v.text);
        const std::size_t from = buffer_.size();
        buffer_ += '[';
        bool first = true;
        const bool ok = for_each_item(text, scratch_, [&](std::string_view item) {
          if (!first) buffer_ += ',';
          first = false;
          append_string(buffer_, item);
        });
        if (!ok) {  // not an array of strings: its text as a string, so the line stays valid
          buffer_.resize(from);
          append_string(buffer_, text);
          return;
        }
        buffer_ += ']';
        return;
      }
      default: append_string(buffer_, relance::view(v.text)); return;  // TEXT, DATE, newer kinds
    }
  }

  void flush() {
    write(buffer_);
    buffer_.clear();
  }

  Mode mode_ = Mode::automatic;
  bool several_ = false;           // the export holds more than one dataset
  std::vector<std::string> keys_;  // per column: ,"name": (with the object's opening)
  std::string empty_object_;       // the line of a dataset without columns
  std::string buffer_;             // lines not yet written
  std::string scratch_;            // a list item being unescaped
};

}  // namespace

RELANCE_PLUGIN(Jsonl, "org.relance.export.jsonl", "JSON Lines export", "Relance", "1.0.0")
