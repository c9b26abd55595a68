// relance_export_csv: the "csv" format (RFC 4180), read by spreadsheets and by code.
//
// The file:
// - CRLF line ends; a field is quoted when it contains the delimiter, a double quote, CR or
//   LF, and a quote inside is doubled. An empty string is written "" and a null as nothing
//   (spreadsheets read both as an empty cell; PostgreSQL's COPY ... CSV tells them apart).
// - One header row per dataset (option header): the columns' labels in the export's language
//   (column_labels.hpp: "Société", "Company"), or their field names with headers=fields,
//   for scripts. An export of several
//   datasets writes them one after the other, each after the first starting with an empty
//   line (CRLF) and then its own header row; a reader splits the file at the empty lines
//   that stand between records (an empty line inside a quoted field is part of that field).
// - Values: INTEGER as is; BOOLEAN true/false; REAL the shortest text that reads back the
//   same double (empty for NaN and infinities); MONEY a plain decimal without the currency
//   ("1234567.89", "-12.50", "1000" at scale 0; the currency is a column of its own in every
//   dataset); TEXT as is; kinds newer than this plugin as their text.
// - DATE and INSTANT (option dates): excel, the default for the fr locale, writes them as a
//   spreadsheet reads them, in the user's time zone (the request's): "04/12/2026 09:00" and
//   "04/12/2026" in French, "2026-12-04 09:00" and "2026-12-04" otherwise; iso, the default
//   for other locales, as the daemon gives them: "YYYY-MM-DD" and RFC 3339 UTC
//   ("2026-03-09T17:30:00.000Z").
// - LIST (emails, phones, tags): the items joined by ", " in one cell on one line, as people
//   type them in a spreadsheet. A tag holding ", " reads ambiguously there: a program that
//   needs the items exactly takes jsonl.
// - Option decimal: MONEY and REAL use ',' for French spreadsheets; such a cell is quoted when
//   the delimiter is ',' too.
// - Option formulas=neutralise (the default): a text cell a spreadsheet would evaluate gets a
//   leading single quote, so it shows as text and never runs (OWASP, "CSV Injection"): one
//   that starts with = @ TAB CR or -, or with + unless a phone number follows ("+33 6 12 34
//   56 78" stays as typed; the rule is values.hpp's looks_like_formula). Numbers (INTEGER,
//   REAL, MONEY, BOOLEAN) are never touched: -12.50 is a number. formulas=keep writes every
//   text as is, for programs that read the file.
//
// Speed: rows are appended to one 64 KiB buffer that is written when full and at finish; a
// row costs no allocation (the buffer and the scratch strings are reused).
#include <relance/plugin.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "column_labels.hpp"
#include "values.hpp"
#include "vtimezone.hpp"

namespace {

using namespace plugins_shared;

constexpr std::size_t flush_size = 64 * 1024;
constexpr std::string_view bom = "\xEF\xBB\xBF";

class Csv : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;

  static constexpr const char* format_id = "csv";
  static constexpr const char* file_extension = "csv";
  static constexpr const char* mime_type = "text/csv";
  // A NULL default means "depends on the locale", said in the description.
  static constexpr relance_option options[] = {
      {"delimiter", "Field separator: ',' ';' or tab. Default ';' for the fr locale (French Excel), ',' otherwise",
       nullptr, ",|;|tab"},
      {"bom", "Start the file with a UTF-8 byte order mark. Default yes for the fr locale (French Excel needs it to "
              "read UTF-8), no otherwise",
       nullptr, "yes|no"},
      {"header", "Start each dataset with a row of column names", "yes", "yes|no"},
      {"decimal", "Decimal separator of amounts and real numbers. Default ',' for the fr locale, '.' otherwise",
       nullptr, ".|,"},
      {"formulas", "neutralise: prefix text cells starting with = - @ tab or CR, or + but for a phone number, with "
                   "a quote so that spreadsheets never run them (CSV injection); keep: write them as they are",
       "neutralise", "neutralise|keep"},
      {"headers", "labels: column headers a person reads, in the export's language; fields: the field names, for "
                  "scripts",
       "labels", "labels|fields"},
      {"dates", "excel: dates and times as a spreadsheet reads them, in the user's time zone (04/12/2026 09:00 in "
                "French); iso: YYYY-MM-DD and RFC 3339 UTC. Default excel for the fr locale, iso otherwise",
       nullptr, "excel|iso"},
  };

  relance_status open(const relance_export_request& request) override {
    if (const relance_status status = Exporter::open(request); status != RELANCE_OK) return status;
    const std::string_view json = relance::view(request.options);
    const bool fr = is_french(relance::view(request.locale));
    const std::string delimiter = option(json, "delimiter").value_or(fr ? ";" : ",");
    delimiter_ = delimiter == "tab" ? '\t' : delimiter == ";" ? ';' : ',';
    decimal_ = option(json, "decimal").value_or(fr ? "," : ".") == "," ? ',' : '.';
    header_ = option(json, "header").value_or("yes") != "no";
    neutralise_ = option(json, "formulas").value_or("neutralise") != "keep";
    french_ = fr;
    labels_ = option(json, "headers").value_or("labels") != "fields";
    excel_dates_ = option(json, "dates").value_or(fr ? "excel" : "iso") == "excel";
    zone_ = find_zone(std::string(relance::view(request.time_zone)));
    special_.fill(false);
    for (unsigned char c : {static_cast<unsigned char>(delimiter_), static_cast<unsigned char>('"'),
                            static_cast<unsigned char>('\r'), static_cast<unsigned char>('\n')})
      special_[c] = true;
    datasets_ = 0;
    buffer_.clear();
    buffer_.reserve(flush_size * 2);
    if (option(json, "bom").value_or(fr ? "yes" : "no") == "yes") buffer_ += bom;
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    if (datasets_++ > 0) buffer_ += "\r\n";
    if (header_) {
      const std::string_view name = relance::view(dataset.name);
      for (std::size_t i = 0; i < dataset.column_count; ++i) {
        if (i > 0) buffer_ += delimiter_;
        const std::string_view column = relance::view(relance_column_at(&dataset, i)->name);
        append_text(labels_ ? column_label(name, column, french_) : column);
      }
      buffer_ += "\r\n";
    }
    flush_if_full();
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    for (std::size_t i = 0; i < row.count; ++i) {
      if (i > 0) buffer_ += delimiter_;
      append_value(row.values[i]);
    }
    buffer_ += "\r\n";
    flush_if_full();
    return RELANCE_OK;
  }

  relance_status finish(bool complete) override {
    if (complete) write(buffer_);
    buffer_.clear();
    return RELANCE_OK;
  }

 private:
  void flush_if_full() {
    if (buffer_.size() < flush_size) return;
    write(buffer_);
    buffer_.clear();
  }

  // A cell of text: neutralised, then quoted when needed.
  void append_text(std::string_view text) {
    if (text.empty()) {
      buffer_ += "\"\"";
      return;
    }
    const bool prefix = neutralise_ && looks_like_formula(text);
    bool quote = false;
    for (char c : text)
      if (special_[static_cast<unsigned char>(c)]) {
        quote = true;
        break;
      }
    if (!quote) {
      if (prefix) buffer_ += '\'';
      buffer_ += text;
      return;
    }
    buffer_ += '"';
    if (prefix) buffer_ += '\'';
    std::size_t from = 0;
    for (std::size_t at = text.find('"'); at != std::string_view::npos; at = text.find('"', from)) {
      buffer_.append(text.data() + from, at + 1 - from);  // up to and with the quote...
      buffer_ += '"';                                     // ...which is doubled
      from = at + 1;
    }
    buffer_.append(text.data() + from, text.size() - from);
    buffer_ += '"';
  }

  // A number already appended from `from`: quoted when the decimal comma is the delimiter.
  void quote_number_from(std::size_t from) {
    if (delimiter_ != ',' || buffer_.find(',', from) == std::string::npos) return;
    buffer_.insert(from, 1, '"');
    buffer_ += '"';
  }

  void append_value(const relance_value& v) {
    switch (v.kind) {
      case RELANCE_VALUE_NULL: return;
      case RELANCE_VALUE_INTEGER: append_integer(buffer_, v.integer); return;
      case RELANCE_VALUE_BOOLEAN: buffer_ += v.integer != 0 ? "true" : "false"; return;
      case RELANCE_VALUE_REAL: {
        const std::size_t from = buffer_.size();
        if (append_real(buffer_, v.real, decimal_)) quote_number_from(from);
        return;
      }
      case RELANCE_VALUE_MONEY: {
        const std::size_t from = buffer_.size();
        append_money(buffer_, v.integer, v.scale, decimal_);
        quote_number_from(from);
        return;
      }
      case RELANCE_VALUE_INSTANT:
        if (excel_dates_) {
          cell_.clear();
          append_local_time(v.integer);
          append_text(cell_);
          return;
        }
        if (v.text.size == 0) {
          cell_.clear();
          append_instant(cell_, v);
          append_text(cell_);
          return;
        }
        append_text(relance::view(v.text));
        return;
      case RELANCE_VALUE_LIST: {
        cell_.clear();
        const std::string_view text = relance::view(v.text);
        bool first = true;
        const bool ok = for_each_item(text, scratch_, [&](std::string_view item) {
          if (!first) cell_ += ", ";
          first = false;
          cell_ += item;
        });
        if (!ok) {  // not an array of strings: the text as the daemon gave it
          append_text(text);
          return;
        }
        if (!cell_.empty()) append_text(cell_);  // an empty list is an empty cell
        return;
      }
      case RELANCE_VALUE_DATE:
        if (excel_dates_ && v.text.size == 10) {
          const std::string_view d = relance::view(v.text);  // YYYY-MM-DD
          cell_.clear();
          if (french_) {
            cell_.append(d.substr(8, 2)).append("/").append(d.substr(5, 2)).append("/").append(d.substr(0, 4));
          } else {
            cell_ = d;
          }
          append_text(cell_);
          return;
        }
        append_text(relance::view(v.text));
        return;
      default: append_text(relance::view(v.text)); return;  // TEXT, newer kinds
    }
  }

  // An instant of `ms` since the epoch as a spreadsheet reads it, to the minute, in the
  // user's zone (UTC when the zone is unknown): "04/12/2026 09:00", "2026-12-04 09:00".
  void append_local_time(int64_t ms) {
    const date::sys_seconds utc{date::floor<Seconds>(std::chrono::milliseconds{ms})};
    const date::local_seconds local =
        zone_ ? zone_->to_local(utc) : date::local_seconds{utc.time_since_epoch()};
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd(day);
    const date::hh_mm_ss<Seconds> hms(local - day);
    char text[40];
    const int y = static_cast<int>(ymd.year()), h = static_cast<int>(hms.hours().count()),
              mi = static_cast<int>(hms.minutes().count());
    const unsigned mo = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
    if (french_) std::snprintf(text, sizeof text, "%02u/%02u/%04d %02d:%02d", d, mo, y, h, mi);
    else std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", y, mo, d, h, mi);
    cell_ += text;
  }

  char delimiter_ = ',';
  char decimal_ = '.';
  bool header_ = true;
  bool neutralise_ = true;
  bool french_ = false;
  bool labels_ = true;
  bool excel_dates_ = false;
  const date::time_zone* zone_ = nullptr;  // the user's; nullptr: UTC
  std::array<bool, 256> special_{};
  std::size_t datasets_ = 0;
  std::string buffer_;   // rows not yet written
  std::string cell_;     // a list cell being joined
  std::string scratch_;  // a list item being unescaped
};

}  // namespace

RELANCE_PLUGIN(Csv, "org.relance.export.csv", "CSV export", "Relance", "1.0.0")
