// relance_export_xlsx: the "xlsx" export format, an Office Open XML workbook written with
// libxlsxwriter (1.1.4 on Debian 12).
//
// Layout: one worksheet per dataset, named after it ("contacts", "leads"...; made a valid,
// unique Excel sheet name). Row 1 holds the column names in bold, is frozen, and carries an
// autofilter over the header and every data row. Column widths follow the longest value
// (capped). The header row holds the columns' labels in the export's language
// (column_labels.hpp: "Société", "Company"), or their field names with headers=fields.
//
// Cells are typed:
//   INTEGER, REAL  numbers (an integer beyond ±2^53, which a double cannot hold exactly,
//                  and a non-finite real are written as text)
//   BOOLEAN        a boolean cell (TRUE/FALSE)
//   TEXT           a string cell, never a formula: "=1+1" stays the text "=1+1"
//   DATE           an Excel date, number format yyyy-mm-dd (before 1900 or after 9999,
//                  which Excel cannot hold: the text YYYY-MM-DD)
//   INSTANT        an Excel date-time IN UTC, number format yyyy-mm-dd hh:mm:ss "UTC" (the
//                  "UTC" shows in every cell; the value keeps the milliseconds). UTC and not
//                  the user's zone, so the sheet compares as is with the API's instants.
//   MONEY          a number (minor units / 10^scale) with the number format
//                  #,##0.00 "EUR" (as many decimals as the scale, none for JPY)
//   LIST           a string, the items joined with ", "
//   NULL           an empty cell (an empty string is an empty cell too: xlsx has no
//                  empty-string cell that Excel keeps apart from an empty one)
// Strings are made valid for XML the way Excel does it: invalid UTF-8 becomes U+FFFD,
// control characters (and CR, which XML would turn into LF) become _xHHHH_ escapes, and a
// literal "_xHHHH_" in the text is protected as "_x005F_xHHHH_"; Excel shows the original
// text. A string longer than Excel's 32,767 characters is cut there (Relance's longest
// field, notes, holds 20,000).
//
// Memory stays flat: libxlsxwriter runs in constant_memory mode (each row goes to a temp
// file when the next one starts) and the workbook is written to a temporary file (mkstemp
// in $TMPDIR or /tmp). finish(complete) closes the workbook, then streams the file's bytes
// to the export's sink in 64 KiB chunks; the file is unlinked as soon as it is open for
// reading (and in every failure path). finish(0) discards everything.
//
// Options: headers (labels or fields).
#include <relance/plugin.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "column_labels.hpp"
#include "values.hpp"

namespace {

using namespace plugins_shared;

constexpr std::size_t excel_string_max = 32767;  // characters (UTF-16 units) in a cell
constexpr std::size_t sheet_name_max = 31;       // characters in a sheet name
constexpr std::size_t chunk_size = 64 * 1024;    // bytes per write to the sink
constexpr unsigned width_min = 6;                // column widths, in characters
constexpr unsigned width_max = 60;

[[noreturn]] void fail(const std::string& what) { throw relance::Error(RELANCE_INVALID, what); }

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) fail(std::string(what) + ": " + lxw_strerror(e));
}

// Decodes one UTF-8 sequence at s[i]; returns its code point and advances i, or returns
// -1 (and advances one byte) when the bytes are not well-formed UTF-8.
long decode_utf8(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t n = 0;
  unsigned long cp = 0;
  unsigned long min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07u, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (i + n >= s.size()) {
    ++i;
    return -1;
  }
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += n + 1;
  return static_cast<long>(cp);
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// `text` as a cell string (see the top of the file): valid UTF-8, no character XML cannot
// carry, at most 32,767 characters. Returns the number of characters kept (for widths).
std::size_t cell_text(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  std::size_t units = 0;  // UTF-16 units, as Excel counts
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    const long decoded = decode_utf8(text, i);
    const unsigned long cp = decoded < 0 ? 0xFFFDul : static_cast<unsigned long>(decoded);
    const std::size_t cost = cp >= 0x10000 ? 2 : 1;
    if (units + cost > excel_string_max) break;
    units += cost;
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) {
      char escape[24];
      std::snprintf(escape, sizeof escape, "_x%04lX_", cp);
      out += escape;
    } else if (cp == '_' && at + 6 < text.size() && text[at + 1] == 'x' && is_hex(text[at + 2]) &&
               is_hex(text[at + 3]) && is_hex(text[at + 4]) && is_hex(text[at + 5]) && text[at + 6] == '_') {
      out += "_x005F_";  // an escaped '_', so that Excel keeps "_xHHHH_" as typed
    } else if (decoded < 0) {
      append_utf8(out, static_cast<uint32_t>(cp));
    } else {
      out.append(text.data() + at, i - at);
    }
  }
  return units;
}

// The items of a JSON array of strings, joined with ", ". False when `json` is not one.
bool join_list(std::string_view json, std::string& out, std::string& scratch) {
  out.clear();
  bool first = true;
  return for_each_item(json, scratch, [&](std::string_view item) {
    if (!first) out += ", ";
    first = false;
    out += item;
  });
}

// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr int64_t excel_epoch_days = -25569;           // 1899-12-30, day 0 of Excel's serials
constexpr int64_t excel_first_day = -25567;            // 1900-01-01, the first date Excel shows
constexpr int64_t excel_last_day = 2932896;            // 9999-12-31
constexpr int64_t ms_per_day = 86400000;

// Excel's serial number of `days` since 1970-01-01 (plus `fraction` of a day), or NaN when
// Excel cannot show that day. Excel counts a 1900-02-29 that never was: before 1900-03-01
// its serials are one less than the days elapsed since 1899-12-30.
double excel_serial(int64_t days, double fraction) {
  if (days < excel_first_day || days > excel_last_day) return std::nan("");
  int64_t serial = days - excel_epoch_days;
  if (serial < 61) serial -= 1;
  return static_cast<double>(serial) + fraction;
}

// "YYYY-MM-DD" as days since 1970-01-01; false when it is not such a date.
bool parse_date(std::string_view s, int64_t& days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  auto num = [&](std::size_t at, std::size_t n, int64_t& v) {
    v = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      v = v * 10 + (s[k] - '0');
    }
    return true;
  };
  int64_t y = 0, m = 0, d = 0;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr std::array<int64_t, 12> month_days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > month_days[static_cast<std::size_t>(m - 1)] || (m == 2 && d == 29 && !leap)) return false;
  days = days_from_civil(y, m, d);
  return true;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

// Decimal digits of |v| (for column widths).
unsigned digits_of(int64_t v) {
  uint64_t m = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  unsigned n = 1;
  while (m >= 10) m /= 10, ++n;
  return n;
}

// A valid, unique Excel sheet name for dataset `name`: none of []:*?/\ (each becomes '_'),
// no leading or trailing apostrophe, at most 31 characters, not "History", unique without
// regard to ASCII case among `taken`.
std::string sheet_name(std::string_view name, std::vector<std::string>& taken) {
  std::string base;
  cell_text(name, base);  // valid UTF-8
  for (char& c : base) {
    if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\') c = '_';
  }
  while (!base.empty() && base.front() == '\'') base.erase(0, 1);
  while (!base.empty() && base.back() == '\'') base.pop_back();
  if (base.empty()) base = "Sheet";
  auto lower = [](std::string s) {
    for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
  };
  if (lower(base) == "history") base += '_';
  // Cuts `s` to at most `limit` characters (UTF-16 units), at a character boundary.
  auto cut = [](const std::string& s, std::size_t limit) {
    std::size_t i = 0, units = 0;
    while (i < s.size()) {
      std::size_t next = i;
      const long cp = decode_utf8(s, next);
      const std::size_t cost = cp >= 0x10000 ? 2 : 1;
      if (units + cost > limit) break;
      units += cost;
      i = next;
    }
    std::string r = s.substr(0, i);
    while (!r.empty() && (r.back() == '\'' || r.back() == ' ')) r.pop_back();
    return r;
  };
  for (int n = 1;; ++n) {
    const std::string suffix = n == 1 ? "" : " (" + std::to_string(n) + ")";
    std::string head = cut(base, sheet_name_max - suffix.size());
    if (head.empty()) head = "Sheet";
    const std::string candidate = head + suffix;
    const std::string key = lower(candidate);
    if (std::none_of(taken.begin(), taken.end(), [&](const std::string& t) { return t == key; })) {
      taken.push_back(key);
      return candidate;
    }
  }
}

class Xlsx : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;
  ~Xlsx() override { discard(); }

  static constexpr const char* format_id = "xlsx";
  static constexpr const char* file_extension = "xlsx";
  static constexpr const char* mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static constexpr relance_option options[] = {
      {"headers", "labels: column headers a person reads, in the export's language; fields: the field names, for "
                  "scripts",
       "labels", "labels|fields"},
  };

  relance_status open(const relance_export_request& request) override {
    if (const relance_status status = Exporter::open(request); status != RELANCE_OK) return status;
    discard();  // an instance may serve several exports, one at a time
    const std::string_view json = relance::view(request.options);
    labels_ = option_or(json, "headers", "labels", "xlsx") != "fields";
    french_ = is_french(relance::view(request.locale));
    const char* env = std::getenv("TMPDIR");
    tmpdir_ = env && *env ? env : "/tmp";
    std::string pattern = tmpdir_ + "/relance-export-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) fail("cannot create a temporary file in " + tmpdir_);
    ::close(fd);
    path_ = pattern;
    lxw_workbook_options book_options{};
    book_options.constant_memory = LXW_TRUE;
    book_options.tmpdir = tmpdir_.data();
    book_options.use_zip64 = LXW_TRUE;  // an export may pass 4 GB of XML
    book_ = workbook_new_opt(path_.c_str(), &book_options);
    if (!book_) fail("cannot start the workbook");
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
    instant_ = workbook_add_format(book_);
    format_set_num_format(instant_, "yyyy-mm-dd hh:mm:ss \"UTC\"");
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    if (!book_) fail("begin_dataset before open");
    end_sheet();
    if (dataset.column_count > LXW_COL_MAX) {
      fail("an xlsx sheet holds at most 16,384 columns, the dataset has " + std::to_string(dataset.column_count));
    }
    const std::string name = sheet_name(relance::view(dataset.name), taken_);
    sheet_ = workbook_add_worksheet(book_, name.c_str());
    if (!sheet_) fail("cannot add the sheet " + name);
    row_ = 0;
    kinds_.clear();
    widths_.clear();
    std::string text;
    for (std::size_t i = 0; i < dataset.column_count; ++i) {
      const relance_column* column = relance_column_at(&dataset, i);
      kinds_.push_back(column->kind);
      const std::string_view field = relance::view(column->name);
      const std::size_t n =
          cell_text(labels_ ? column_label(relance::view(dataset.name), field, french_) : field, text);
      widths_.push_back(static_cast<unsigned>(std::min<std::size_t>(n + 3, width_max)));  // room for the filter button
      check(worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(i), text.c_str(), bold_), "header");
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    if (!sheet_) fail("write_row before begin_dataset");
    if (row_ + 1 >= LXW_ROW_MAX) {
      fail("an xlsx sheet holds at most 1,048,575 rows after its header: filter the export or choose csv");
    }
    const auto r = static_cast<lxw_row_t>(++row_);
    const std::size_t n = std::min(row.count, kinds_.size());
    for (std::size_t i = 0; i < n; ++i) write_cell(r, i, row.values[i]);
    return RELANCE_OK;
  }

  relance_status finish(bool complete) override {
    if (!complete || !book_) {
      discard();
      return RELANCE_OK;
    }
    end_sheet();
    lxw_workbook* book = std::exchange(book_, nullptr);
    sheet_ = nullptr;
    const lxw_error closed = workbook_close(book);  // writes the file and frees the workbook
    if (closed != LXW_NO_ERROR) {
      discard();
      check(closed, "cannot write the workbook");
    }
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    discard();  // unlinks the file: the open descriptor keeps its bytes
    if (fd < 0) fail("cannot read the workbook back");
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    std::vector<char> buffer(chunk_size);
    while (true) {
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      if (got < 0) fail("cannot read the workbook back");
      if (got == 0) break;
      write(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    }
    return RELANCE_OK;
  }

 private:
  // Closes the current sheet: autofilter over the header and every row written (known only
  // now; libxlsxwriter writes it when the workbook closes, so this works in constant_memory
  // mode), and the column widths seen.
  void end_sheet() {
    if (!sheet_) return;
    if (!kinds_.empty()) {
      const auto last_col = static_cast<lxw_col_t>(kinds_.size() - 1);
      check(worksheet_autofilter(sheet_, 0, 0, static_cast<lxw_row_t>(row_), last_col), "autofilter");
      for (std::size_t i = 0; i < widths_.size(); ++i) {
        const auto col = static_cast<lxw_col_t>(i);
        const double width = std::clamp(widths_[i] + 1, width_min, width_max);
        check(worksheet_set_column(sheet_, col, col, width, nullptr), "column width");
      }
    }
    sheet_ = nullptr;
  }

  // Drops the workbook (if still open) and the temporary file.
  void discard() {
    if (book_) lxw_workbook_free(std::exchange(book_, nullptr));
    sheet_ = nullptr;
    if (!path_.empty()) ::unlink(std::exchange(path_, std::string()).c_str());
    taken_.clear();
    money_.clear();
  }

  void widen(std::size_t col, std::size_t chars) {
    if (chars > widths_[col]) widths_[col] = static_cast<unsigned>(std::min<std::size_t>(chars, width_max));
  }

  void put_string(lxw_row_t r, std::size_t col, std::string_view s) {
    widen(col, cell_text(s, text_));
    if (text_.empty()) return;  // an empty cell
    check(worksheet_write_string(sheet_, r, static_cast<lxw_col_t>(col), text_.c_str(), nullptr), "text cell");
  }

  void put_number(lxw_row_t r, std::size_t col, double v, lxw_format* format) {
    check(worksheet_write_number(sheet_, r, static_cast<lxw_col_t>(col), v, format), "number cell");
  }

  // The number format of amounts in `currency` with `scale` decimals: #,##0.00 "EUR".
  lxw_format* money_format(std::string_view currency, int32_t scale) {
    std::string code;
    for (char c : currency) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) code += c;
    }
    std::string key = code + '/' + std::to_string(scale);
    auto found = money_.find(key);
    if (found != money_.end()) return found->second;
    std::string pattern = "#,##0";
    if (scale > 0) pattern += '.' + std::string(static_cast<std::size_t>(scale), '0');
    if (!code.empty()) pattern += " \"" + code + "\"";
    lxw_format* f = workbook_add_format(book_);
    format_set_num_format(f, pattern.c_str());
    money_.emplace(std::move(key), f);
    return f;
  }

  void write_cell(lxw_row_t r, std::size_t col, const relance_value& v) {
    const auto c = static_cast<lxw_col_t>(col);
    switch (v.kind) {
      case RELANCE_VALUE_NULL: return;
      case RELANCE_VALUE_INTEGER: {
        constexpr int64_t exact = int64_t{1} << 53;
        if (v.integer > exact || v.integer < -exact) {
          put_string(r, col, std::to_string(v.integer));
          return;
        }
        widen(col, digits_of(v.integer) + 1);
        put_number(r, col, static_cast<double>(v.integer), nullptr);
        return;
      }
      case RELANCE_VALUE_REAL: {
        if (!std::isfinite(v.real)) {
          put_string(r, col, std::isnan(v.real) ? "NaN" : v.real > 0 ? "Infinity" : "-Infinity");
          return;
        }
        widen(col, 12);
        put_number(r, col, v.real, nullptr);
        return;
      }
      case RELANCE_VALUE_BOOLEAN:
        widen(col, 5);
        check(worksheet_write_boolean(sheet_, r, c, v.integer != 0 ? 1 : 0, nullptr), "boolean cell");
        return;
      case RELANCE_VALUE_DATE: {
        int64_t days = 0;
        const double serial = parse_date(relance::view(v.text), days) ? excel_serial(days, 0) : std::nan("");
        if (std::isnan(serial)) {
          put_string(r, col, relance::view(v.text));
          return;
        }
        widen(col, 10);
        put_number(r, col, serial, date_);
        return;
      }
      case RELANCE_VALUE_INSTANT: {
        const int64_t days = floor_div(v.integer, ms_per_day);
        const int64_t ms = v.integer - days * ms_per_day;
        const double serial = excel_serial(days, static_cast<double>(ms) / static_cast<double>(ms_per_day));
        if (std::isnan(serial)) {
          put_string(r, col, relance::view(v.text));
          return;
        }
        widen(col, 23);
        put_number(r, col, serial, instant_);
        return;
      }
      case RELANCE_VALUE_MONEY: {
        if (v.scale < 0 || v.scale > 15) {  // not an amount Excel can show
          put_string(r, col, relance::view(v.text));
          return;
        }
        const double amount = static_cast<double>(v.integer) / std::pow(10.0, v.scale);
        const unsigned whole = digits_of(v.integer) > static_cast<unsigned>(v.scale)
                                   ? digits_of(v.integer) - static_cast<unsigned>(v.scale)
                                   : 1;
        widen(col, whole + whole / 3 + static_cast<std::size_t>(v.scale) + 2 + v.text.size + 2);
        put_number(r, col, amount, money_format(relance::view(v.text), v.scale));
        return;
      }
      case RELANCE_VALUE_LIST:
        if (join_list(relance::view(v.text), list_, scratch_)) {
          put_string(r, col, list_);
        } else {
          put_string(r, col, relance::view(v.text));
        }
        return;
      default: put_string(r, col, relance::view(v.text)); return;  // TEXT and newer kinds
    }
  }

  std::string tmpdir_;
  bool labels_ = true;  // header row: labels (or field names)
  bool french_ = false;
  std::string path_;  // the workbook's temporary file, empty once unlinked
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* instant_ = nullptr;
  std::map<std::string, lxw_format*> money_;  // by "EUR/2"
  std::vector<std::string> taken_;            // sheet names used, lower-cased
  std::vector<int32_t> kinds_;                // of the current sheet's columns
  std::vector<unsigned> widths_;              // of the current sheet's columns, in characters
  uint32_t row_ = 0;                          // last row written in the current sheet
  std::string text_;                          // scratch
  std::string list_;                          // scratch
  std::string scratch_;                       // a list item being unescaped
};

}  // namespace

RELANCE_PLUGIN(Xlsx, "org.relance.export.xlsx", "XLSX export", "Relance", "1.0.0")
