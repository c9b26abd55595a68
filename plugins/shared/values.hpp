// Value helpers the bundled plugins share: the request's options, the locale, numbers,
// amounts, instants and list items. Header-only and built on the SDK alone, so a bundled
// plugin still depends on nothing of the daemon, as a third party's would.
//
// Everything appends to a caller's std::string, so that a row is built in one reused buffer
// with no allocation per cell.
#pragma once

#include <relance/plugin.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace plugins_shared {

// Skips JSON white space from `at`.
inline std::size_t skip_space(std::string_view s, std::size_t at) {
  while (at < s.size() && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r')) ++at;
  return at;
}

// Appends code point `cp` as UTF-8.
inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Four hex digits at `at`, or nullopt.
inline std::optional<uint32_t> hex4(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return std::nullopt;
  uint32_t v = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
    else return std::nullopt;
  }
  return v;
}

// Reads the JSON string whose opening quote is at `at`. Sets `value` to its decoded text: a
// view into `s` when it has no escape, else into `scratch`. Returns the index after the
// closing quote, or npos when malformed.
inline std::size_t read_string(std::string_view s, std::size_t at, std::string& scratch, std::string_view& value) {
  if (at >= s.size() || s[at] != '"') return std::string_view::npos;
  const std::size_t start = at + 1;
  std::size_t i = start;
  while (i < s.size() && s[i] != '"' && s[i] != '\\') ++i;
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') {  // the common case: nothing to decode
    value = s.substr(start, i - start);
    return i + 1;
  }
  scratch.assign(s.data() + start, i - start);
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      value = scratch;
      return i + 1;
    }
    if (c != '\\') {
      scratch += c;
      ++i;
      continue;
    }
    if (++i >= s.size()) return std::string_view::npos;
    switch (s[i]) {
      case '"': scratch += '"'; break;
      case '\\': scratch += '\\'; break;
      case '/': scratch += '/'; break;
      case 'b': scratch += '\b'; break;
      case 'f': scratch += '\f'; break;
      case 'n': scratch += '\n'; break;
      case 'r': scratch += '\r'; break;
      case 't': scratch += '\t'; break;
      case 'u': {
        auto cp = hex4(s, i + 1);
        if (!cp) return std::string_view::npos;
        i += 4;
        if (*cp >= 0xD800 && *cp <= 0xDBFF && i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') {
          const auto low = hex4(s, i + 3);
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        if (*cp >= 0xD800 && *cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
        append_utf8(scratch, *cp);
        break;
      }
      default: return std::string_view::npos;
    }
    ++i;
  }
  return std::string_view::npos;
}

// Calls on_item(std::string_view) for each string of the JSON array `list` (a LIST value's
// text: ["a@x.fr","b@y.com"]). Returns false when `list` is not an array of strings; items
// before the fault have then been passed already.
template <class F>
bool for_each_item(std::string_view list, std::string& scratch, F&& on_item) {
  std::size_t at = skip_space(list, 0);
  if (at >= list.size() || list[at] != '[') return false;
  at = skip_space(list, at + 1);
  if (at < list.size() && list[at] == ']') return skip_space(list, at + 1) == list.size();
  for (;;) {
    std::string_view item;
    at = read_string(list, at, scratch, item);
    if (at == std::string_view::npos) return false;
    on_item(item);
    at = skip_space(list, at);
    if (at >= list.size()) return false;
    if (list[at] == ']') return skip_space(list, at + 1) == list.size();
    if (list[at] != ',') return false;
    at = skip_space(list, at + 1);
  }
}

// Reads the request's options, a flat JSON object of strings ({"delimiter": ";"}), and sets
// `value` to option `name`'s value (the last one, should a name repeat), leaving it as it is
// when the option is absent. An empty text is an object without options. Returns false when
// `json` is not such an object (a value that is not a string included); what was read before
// the fault has then been set already.
inline bool find_option(std::string_view json, std::string_view name, std::optional<std::string>& value) {
  if (json.empty()) return true;
  std::string key_scratch, value_scratch;
  std::size_t at = skip_space(json, 0);
  if (at >= json.size() || json[at] != '{') return false;
  at = skip_space(json, at + 1);
  if (at < json.size() && json[at] == '}') return true;
  for (;;) {
    std::string_view key, text;
    at = read_string(json, at, key_scratch, key);
    if (at == std::string_view::npos) return false;
    at = skip_space(json, at);
    if (at >= json.size() || json[at] != ':') return false;
    at = read_string(json, skip_space(json, at + 1), value_scratch, text);
    if (at == std::string_view::npos) return false;
    if (key == name) value.emplace(text);
    at = skip_space(json, at);
    if (at >= json.size()) return false;
    if (json[at] == '}') return true;
    if (json[at] != ',') return false;
    at = skip_space(json, at + 1);
  }
}

// The string value of option `name`, or nullopt when absent. Lenient: the daemon has
// already checked the options, so a malformed object gives what was read before the fault.
inline std::optional<std::string> option(std::string_view json, std::string_view name) {
  std::optional<std::string> value;
  find_option(json, name, value);
  return value;
}

// The string value of option `name`, or `fallback` when absent. Strict, for the exporters
// that refuse a request they cannot read: a malformed object is an INVALID error that names
// the format ("vcard: malformed JSON in the request").
inline std::string option_or(std::string_view json, std::string_view name, std::string fallback,
                             std::string_view format) {
  std::optional<std::string> value;
  if (!find_option(json, name, value)) {
    throw relance::Error(RELANCE_INVALID, std::string(format) + ": malformed JSON in the request");
  }
  return value ? std::move(*value) : std::move(fallback);
}

// "fr", "fr-FR", "fr_CA": French, whose spreadsheets expect ';' and decimal commas.
inline bool is_french(std::string_view locale) {
  return locale.size() >= 2 && (locale[0] == 'f' || locale[0] == 'F') && (locale[1] == 'r' || locale[1] == 'R') &&
         (locale.size() == 2 || locale[2] == '-' || locale[2] == '_');
}

// A phone number as people type it: "+" then digits, spaces, dots and dashes, with an RFC
// 3966 extension or not ("+33 6 12 34 56 78", "+16505550123;ext=12").
inline bool is_phone_number(std::string_view text) {
  if (text.size() < 2 || text.front() != '+') return false;
  std::string_view number = text.substr(1);
  if (const std::size_t ext = number.find(";ext="); ext != std::string_view::npos) {
    const std::string_view digits = number.substr(ext + 5);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return false;
    number = number.substr(0, ext);
  }
  return number.find_first_of("0123456789") != std::string_view::npos &&
         number.find_first_not_of("0123456789 .-") == std::string_view::npos;
}

// Whether a spreadsheet would evaluate the text cell `text` as a formula (OWASP, "CSV
// Injection"): it starts with = @ tab or CR, with -, or with + unless the cell is phone
// numbers (one, or a list of them joined by ", ": "+33612345678, +14155550100"), which
// people type and read as such; "-1+1" or "+cmd" is a formula. The one rule of the bundled
// exporters.
inline bool looks_like_formula(std::string_view text) {
  if (text.empty()) return false;
  const char first = text.front();
  if (first == '=' || first == '@' || first == '-' || first == '\t' || first == '\r') return true;
  if (first != '+') return false;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t end = std::min(text.find(", ", at), text.size());
    if (!is_phone_number(text.substr(at, end - at))) return true;
    at = end + 2;
  }
  return false;
}

inline void append_integer(std::string& out, int64_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// The shortest text that reads back as `x`, with `decimal` as the decimal separator.
// Returns false, appending nothing, for NaN and infinities (no spreadsheet or JSON form).
inline bool append_real(std::string& out, double x, char decimal) {
  if (!std::isfinite(x)) return false;
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  const std::size_t from = out.size();
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
  if (decimal != '.')
    for (std::size_t i = from; i < out.size(); ++i)
      if (out[i] == '.') out[i] = decimal;
  return true;
}

// An amount of `minor` units with `scale` decimals as a plain decimal: 123456789 and 2 are
// "1234567.89", -1250 and 2 "-12.50", 1000 and 0 "1000". Exact: integers only.
inline void append_money(std::string& out, int64_t minor, int32_t scale, char decimal) {
  const bool negative = minor < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, magnitude);
  const std::size_t n = static_cast<std::size_t>(r.ptr - digits);
  const std::size_t s = static_cast<std::size_t>(scale > 0 ? (scale < 30 ? scale : 30) : 0);
  if (negative) out += '-';
  if (s == 0) {
    out.append(digits, n);
    return;
  }
  if (n > s) {
    out.append(digits, n - s);
    out += decimal;
    out.append(digits + (n - s), s);
  } else {
    out += '0';
    out += decimal;
    out.append(s - n, '0');
    out.append(digits, n);
  }
}

// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's civil_from_days).
struct CivilDate {
  int64_t year;
  int month, day;
};
inline CivilDate civil_from_days(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{yoe + era * 400 + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

// An INSTANT as its RFC 3339 UTC text ("2026-03-09T17:30:00.000Z"), from `text` as the
// daemon gives it, or made from `integer` milliseconds when the text is missing.
inline void append_instant(std::string& out, const relance_value& v) {
  if (v.text.size > 0) {
    out.append(v.text.data, v.text.size);
    return;
  }
  const int64_t ms = v.integer;
  int64_t days = ms / 86400000, rest = ms % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const int64_t y = date.year, m = date.month, d = date.day;
  auto two = [&](int64_t x, int width) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
      buf[i] = static_cast<char>('0' + x % 10);
      x /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
  };
  if (y < 0 || y > 9999) {
    append_integer(out, y);
  } else {
    two(y, 4);
  }
  out += '-';
  two(m, 2);
  out += '-';
  two(d, 2);
  out += 'T';
  two(rest / 3600000, 2);
  out += ':';
  two(rest / 60000 % 60, 2);
  out += ':';
  two(rest / 1000 % 60, 2);
  out += '.';
  two(rest % 1000, 3);
  out += 'Z';
}

}  // namespace plugins_shared
