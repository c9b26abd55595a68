// relance_export_vcard: the "vcard" format, one .vcf file with one card per contact.
//
// vCard 4.0 (RFC 6350) by default; option version=3.0 writes vCard 3.0 (RFC 2426) for older
// address books (older iOS and Outlook). Only the contacts dataset can be exported: any
// other fails begin_dataset with RELANCE_INVALID.
//
// Each card carries, when the contact has them:
//   UID         urn:relance:contact:<id> (stable across exports, both versions)
//   FN, N       first and last name (FN falls back on the first email, phone or "Contact <id>")
//   EMAIL       each address; the first is the preferred one (PREF=1 / TYPE=PREF)
//   TEL         each number (E.164): 4.0 as a tel: URI, 3.0 as text; the first preferred
//   TITLE, NOTE text; ADR with the city and the country code (;;;city;;;country)
//   URL         the LinkedIn profile; CATEGORIES the tags; REV the last update (UTC)
// ORG is not written: the dataset carries the company's id, not its name.
//
// Text values are escaped (backslash, comma, semicolon, newline: RFC 6350 3.4, RFC 2426
// 4), control characters other than tab are dropped, lines are folded at 75 octets
// without splitting a UTF-8 sequence, and end with CRLF. One card is written per row: memory
// stays flat whatever the number of contacts.
#include <relance/plugin.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---- JSON: the request's options (a flat object of strings) and LIST values (arrays of
// strings). Only these two shapes are read; anything else is an error.

void append_utf8(std::string& out, std::uint32_t cp) {
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

class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail();
  }
  bool at_end() {
    space();
    return i_ == s_.size();
  }

  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail();
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail();
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            const std::uint32_t low = hex4();
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              append_utf8(out, 0xFFFD);
              cp = low;
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // a lone surrogate
          append_utf8(out, cp);
          break;
        }
        default: fail();
      }
    }
  }

  [[noreturn]] static void fail() { throw relance::Error(RELANCE_INVALID, "vcard: malformed JSON in the request"); }

 private:
  std::uint32_t hex4() {
    if (i_ + 4 > s_.size()) fail();
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else fail();
    }
    return v;
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

// The strings of a LIST value (a JSON array of strings).
std::vector<std::string> json_list(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  JsonReader r(text);
  r.expect('[');
  if (!r.eat(']')) {
    do out.push_back(r.string());
    while (r.eat(','));
    r.expect(']');
  }
  if (!r.at_end()) JsonReader::fail();
  return out;
}

// The value of option `name` in a flat JSON object of strings, or `fallback` when absent.
std::string json_option(std::string_view object, std::string_view name, std::string fallback) {
  if (object.empty()) return fallback;
  JsonReader r(object);
  r.expect('{');
  if (r.eat('}')) return fallback;
  do {
    const std::string key = r.string();
    r.expect(':');
    std::string value = r.string();
    if (key == name) fallback = std::move(value);
  } while (r.eat(','));
  r.expect('}');
  return fallback;
}

// ---- vCard text.

// Appends `text` escaped as a vCard TEXT value (or one component of a compound value):
// backslash, comma, semicolon and line breaks escaped, other control characters dropped.
void append_text(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ',': out += "\\,"; break;
      case ';': out += "\\;"; break;
      case '\n': out += "\\n"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF: one line break
        out += "\\n";
        break;
      case '\t': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') break;  // not allowed in a value
        out += c;
    }
  }
}

// Appends a value that is not TEXT (a URI): no escapes, but no control character either.
void append_raw(std::string& out, std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') continue;
    out += c;
  }
}

// Appends `line` folded at 75 octets (RFC 6350 3.2), never inside a UTF-8 sequence, and CRLF.
void append_folded(std::string& out, std::string_view line) {
  std::size_t limit = 75;  // octets on this physical line, the leading space included
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = 74;
  }
  out.append(line);
  out += "\r\n";
}

// Y-M-D h:m:s (UTC) of milliseconds since the epoch (H. Hinnant's civil_from_days).
struct Civil {
  int64_t year;
  int month, day, hour, minute, second;
};
Civil civil(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const int64_t sod = secs - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{yoe + era * 400 + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d),
               static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60)};
}

// The columns the cards are made of, found by name in begin_dataset.
enum Field { id, first_name, last_name, emails, phones, title, city, country, linkedin_url, tags, notes,
             updated_at, field_count };
constexpr std::string_view column_names[field_count] = {"id", "first_name", "last_name", "emails", "phones",
                                                        "title", "city", "country", "linkedin_url", "tags",
                                                        "notes", "updated_at"};

class VCard : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;

  static constexpr const char* format_id = "vcard";
  static constexpr const char* file_extension = "vcf";
  static constexpr const char* mime_type = "text/vcard";
  static constexpr relance_option options[] = {
      {"version", "vCard version: 4.0 (RFC 6350), or 3.0 (RFC 2426) for older address books", "4.0", "4.0|3.0"},
  };

  relance_status open(const relance_export_request& request) override {
    const std::string version = json_option(relance::view(request.options), "version", "4.0");
    if (version != "4.0" && version != "3.0") {
      throw relance::Error(RELANCE_INVALID, "vcard: version must be 4.0 or 3.0, not \"" + version + "\"");
    }
    v4_ = version == "4.0";
    started_ = false;
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    const std::string_view name = relance::view(dataset.name);
    if (name != "contacts") {
      throw relance::Error(RELANCE_INVALID, "vcard exports the contacts dataset only, not \"" + std::string(name) + "\"");
    }
    for (auto& c : columns_) c = npos;
    for (std::size_t i = 0; i < dataset.column_count; ++i) {
      const std::string_view column = relance::view(relance_column_at(&dataset, i)->name);
      for (std::size_t f = 0; f < field_count; ++f) {
        if (column == column_names[f]) columns_[f] = i;
      }
    }
    started_ = true;
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    if (!started_) throw relance::Error(RELANCE_INVALID, "vcard: a row came before its dataset");
    std::string card;
    std::string line;
    auto emit = [&] {
      append_folded(card, line);
      line.clear();
    };

    const std::string id_text = text_of(row, id);
    const std::string first = text_of(row, first_name);
    const std::string last = text_of(row, last_name);
    const std::vector<std::string> mails = list_of(row, emails);
    const std::vector<std::string> tels = list_of(row, phones);

    card += "BEGIN:VCARD\r\n";
    card += v4_ ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n";
    card += "PRODID:-//Relance//Contacts//EN\r\n";
    if (!id_text.empty()) {
      line = "UID:urn:relance:contact:";
      append_raw(line, id_text);
      emit();
    }

    std::string full = first;
    if (!first.empty() && !last.empty()) full += ' ';
    full += last;
    if (full.empty()) full = !mails.empty() ? mails.front() : !tels.empty() ? tels.front() : "Contact " + id_text;
    line = "FN:";
    append_text(line, full);
    emit();
    line = "N:";
    append_text(line, last);
    line += ';';
    append_text(line, first);
    line += ";;;";
    emit();

    bool first_one = true;
    for (const std::string& mail : mails) {
      if (mail.empty()) continue;
      line = v4_ ? (first_one ? "EMAIL;TYPE=work;PREF=1:" : "EMAIL;TYPE=work:")
                 : (first_one ? "EMAIL;TYPE=INTERNET,WORK,PREF:" : "EMAIL;TYPE=INTERNET,WORK:");
      append_text(line, mail);
      emit();
      first_one = false;
    }
    first_one = true;
    for (const std::string& tel : tels) {
      if (tel.empty()) continue;
      if (!v4_) {
        line = first_one ? "TEL;TYPE=WORK,VOICE,PREF:" : "TEL;TYPE=WORK,VOICE:";
        append_text(line, tel);
      } else if (is_global_number(tel)) {
        line = first_one ? "TEL;VALUE=uri;TYPE=work,voice;PREF=1:tel:" : "TEL;VALUE=uri;TYPE=work,voice:tel:";
        line += tel;
      } else {  // not E.164: kept as text rather than made into an invalid tel: URI
        line = first_one ? "TEL;VALUE=text;TYPE=work,voice;PREF=1:" : "TEL;VALUE=text;TYPE=work,voice:";
        append_text(line, tel);
      }
      emit();
      first_one = false;
    }

    text_property(card, line, "TITLE:", text_of(row, title));
    const std::string town = text_of(row, city);
    const std::string land = text_of(row, country);
    if (!town.empty() || !land.empty()) {
      line = v4_ ? "ADR;TYPE=work:;;;" : "ADR;TYPE=WORK:;;;";
      append_text(line, town);
      line += ";;;";
      append_text(line, land);
      emit();
    }
    const std::string url = text_of(row, linkedin_url);
    if (!url.empty()) {
      line = "URL:";
      append_raw(line, url);
      emit();
    }
    text_property(card, line, "NOTE:", text_of(row, notes));
    std::vector<std::string> categories = list_of(row, tags);
    std::string joined;
    for (const std::string& tag : categories) {
      if (tag.empty()) continue;
      if (!joined.empty()) joined += ',';
      append_text(joined, tag);
    }
    if (!joined.empty()) {
      line = "CATEGORIES:" + joined;
      emit();
    }
    if (const relance_value* rev = value_of(row, updated_at); rev && rev->kind == RELANCE_VALUE_INSTANT) {
      const Civil c = civil(rev->integer);
      char stamp[48];
      std::snprintf(stamp, sizeof stamp, v4_ ? "REV:%04lld%02d%02dT%02d%02d%02dZ" : "REV:%04lld-%02d-%02dT%02d:%02d:%02dZ",
                    static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
      line = stamp;
      emit();
    }
    card += "END:VCARD\r\n";
    write(card);
    return RELANCE_OK;
  }

  relance_status finish(bool /*complete*/) override {
    started_ = false;
    return RELANCE_OK;
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  const relance_value* value_of(const relance_row& row, Field f) const {
    const std::size_t i = columns_[f];
    if (i == npos || i >= row.count || row.values[i].kind == RELANCE_VALUE_NULL) return nullptr;
    return &row.values[i];
  }
  std::string text_of(const relance_row& row, Field f) const {
    const relance_value* v = value_of(row, f);
    if (!v) return {};
    if (v->kind == RELANCE_VALUE_INTEGER) return std::to_string(v->integer);
    return std::string(relance::view(v->text));
  }
  std::vector<std::string> list_of(const relance_row& row, Field f) const {
    const relance_value* v = value_of(row, f);
    if (!v) return {};
    if (v->kind != RELANCE_VALUE_LIST) return {std::string(relance::view(v->text))};
    return json_list(relance::view(v->text));
  }
  static void text_property(std::string& card, std::string& line, const char* name, const std::string& value) {
    if (value.empty()) return;
    line = name;
    append_text(line, value);
    append_folded(card, line);
    line.clear();
  }
  // "+" and digits only: a number a tel: URI carries as is (RFC 3966 global number).
  static bool is_global_number(std::string_view tel) {
    if (tel.size() < 2 || tel[0] != '+') return false;
    for (std::size_t i = 1; i < tel.size(); ++i) {
      if (tel[i] < '0' || tel[i] > '9') return false;
    }
    return true;
  }

  bool v4_ = true;
  bool started_ = false;
  std::size_t columns_[field_count] = {};
};

}  // namespace

RELANCE_PLUGIN(VCard, "org.relance.export.vcard", "vCard export (contacts)", "Relance", "1.0.0")
