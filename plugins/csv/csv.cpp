// relance_export_csv: the "csv" format (RFC 4180), read by spreadsheets and by code.
//
// The file:
// - CRLF line ends; a field is quoted when it contains the delimiter, a double quote, CR or
//   LF, and a quote inside is doubled. An empty string is written "" and a null as nothing
//   (spreadsheets read both as an empty cell; PostgreSQL's COPY ... CSV tells them apart).
// - One header row of column names per dataset (option header). An export of several
//   datasets writes them one after the other, each after the first starting with an empty
//   line (CRLF) and then its own header row; a reader splits the file at the empty lines
//   that stand between records (an empty line inside a quoted field is part of that field).
// - Values: INTEGER as is; BOOLEAN true/false; REAL the shortest text that reads back the
//   same double (empty for NaN and infinities); MONEY a plain decimal without the currency
//   ("1234567.89", "-12.50", "1000" at scale 0; the currency is a column of its own in every
//   dataset); DATE "YYYY-MM-DD" and INSTANT RFC 3339 UTC ("2026-03-09T17:30:00.000Z") as the
//   daemon gives them; TEXT as is; kinds newer than this plugin as their text.
// - LIST (emails, phones, tags): the items joined with a line feed, inside one quoted cell,
//   as Excel writes a cell with line breaks (Alt+Enter) and shows it as one item a line. A
//   reader splits the cell on "\n". Chosen over ", ", "; " or " | " because those appear in
//   free tags and collide with the delimiters, while no email or E.164 phone can hold a line
//   break and tags are single-line labels.
// - Option decimal: MONEY and REAL use ',' for French spreadsheets; such a cell is quoted when
//   the delimiter is ',' too.
// - Option formulas=neutralise (the default): a text cell that starts with = + - @ TAB or CR
//   gets a leading single quote, so a spreadsheet shows it as text and never evaluates it
//   (OWASP, "CSV Injection"). Numbers (INTEGER, REAL, MONEY, BOOLEAN) are never touched: -12.50
//   is a number. formulas=keep writes every text as is, for programs that read the file.
//
// Speed: rows are appended to one 64 KiB buffer that is written when full and at finish; a
// row costs no allocation (the buffer and the scratch strings are reused).
#include <relance/plugin.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "values.hpp"

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
      {"formulas", "neutralise: prefix text cells starting with = + - @ tab or CR with a quote so that spreadsheets "
                   "never run them (CSV injection); keep: write them as they are",
       "neutralise", "neutralise|keep"},
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
      for (std::size_t i = 0; i < dataset.column_count; ++i) {
        if (i > 0) buffer_ += delimiter_;
        append_text(relance::view(relance_column_at(&dataset, i)->name));
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
    const char first = text.front();
    const bool prefix = neutralise_ && (first == '=' || first == '+' || first == '-' || first == '@' ||
                                        first == '\t' || first == '\r');
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
          if (!first) cell_ += '\n';
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
      default: append_text(relance::view(v.text)); return;  // TEXT, DATE, newer kinds
    }
  }

  char delimiter_ = ',';
  char decimal_ = '.';
  bool header_ = true;
  bool neutralise_ = true;
  std::array<bool, 256> special_{};
  std::size_t datasets_ = 0;
  std::string buffer_;   // rows not yet written
  std::string cell_;     // a list cell being joined
  std::string scratch_;  // a list item being unescaped
};

}  // namespace

RELANCE_PLUGIN(Csv, "org.relance.export.csv", "CSV export", "Relance", "1.0.0")
