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
//   TEL         each number (E.164, with its extension: "+16505550123;ext=12"): 4.0 as a
//               tel: URI (RFC 3966: tel:+16505550123;ext=12), 3.0 as text; the first preferred
//   ORG         the company's name (the daemon's company_name column)
//   TITLE, NOTE text; ADR with the city and the country code (;;;city;;;country)
//   URL         the LinkedIn profile; CATEGORIES the tags; REV the last update (UTC)
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

#include "named_columns.hpp"
#include "text_lines.hpp"
#include "values.hpp"

namespace {

using namespace plugins_shared;

// The strings of a LIST value (a JSON array of strings); a malformed one fails the export.
std::vector<std::string> json_list(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::string scratch;
  if (!for_each_item(text, scratch, [&](std::string_view item) { out.emplace_back(item); })) {
    throw relance::Error(RELANCE_INVALID, "vcard: malformed JSON in the request");
  }
  return out;
}

// ---- vCard text (escaping and folding: text_lines.hpp).

// Appends a value that is not TEXT (a URI): no escapes, but no control character either.
void append_raw(std::string& out, std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') continue;
    out += c;
  }
}

// Y-M-D h:m:s (UTC) of milliseconds since the epoch, floored to the second.
struct Civil {
  int64_t year;
  int month, day, hour, minute, second;
};
Civil civil(int64_t ms) {
  const int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  const int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const int64_t sod = secs - days * 86400;
  const CivilDate date = civil_from_days(days);
  return Civil{date.year, date.month, date.day, static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
               static_cast<int>(sod % 60)};
}

// The columns the cards are made of, found by name in begin_dataset.
enum Field { id, first_name, last_name, emails, phones, company_name, title, city, country, linkedin_url, tags,
             notes, updated_at, field_count };
constexpr std::string_view column_names[field_count] = {"id", "first_name", "last_name", "emails", "phones",
                                                        "company_name", "title", "city", "country",
                                                        "linkedin_url", "tags", "notes", "updated_at"};

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
    if (const relance_status status = Exporter::open(request); status != RELANCE_OK) return status;
    const std::string version = option_or(relance::view(request.options), "version", "4.0", "vcard");
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
    columns_.find(dataset, column_names);
    started_ = true;
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    if (!started_) throw relance::Error(RELANCE_INVALID, "vcard: a row came before its dataset");
    const std::vector<std::string> mails = list_of(row, emails);
    const std::vector<std::string> tels = list_of(row, phones);
    ContentLines c;
    c.out += "BEGIN:VCARD\r\n";
    c.out += v4_ ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n";
    c.out += "PRODID:-//Relance//Contacts//EN\r\n";
    write_names(c, row, mails, tels);
    write_emails(c, mails);
    write_phones(c, tels);
    c.text_property("ORG:", text_of(row, company_name));
    c.text_property("TITLE:", text_of(row, title));
    write_address(c, row);
    if (const std::string url = text_of(row, linkedin_url); !url.empty()) {
      c.line = "URL:";
      append_raw(c.line, url);
      c.end_line();
    }
    c.text_property("NOTE:", text_of(row, notes));
    write_categories(c, list_of(row, tags));
    write_revision(c, row);
    c.out += "END:VCARD\r\n";
    write(c.out);
    return RELANCE_OK;
  }

  relance_status finish(bool /*complete*/) override {
    started_ = false;
    return RELANCE_OK;
  }

 private:
  const relance_value* value_of(const relance_row& row, Field f) const { return columns_.value(row, f); }
  std::string text_of(const relance_row& row, Field f) const { return columns_.text(row, f); }
  std::vector<std::string> list_of(const relance_row& row, Field f) const {
    const relance_value* v = value_of(row, f);
    if (!v) return {};
    if (v->kind != RELANCE_VALUE_LIST) return {std::string(relance::view(v->text))};
    return json_list(relance::view(v->text));
  }
  // UID, FN and N. FN falls back on the first email, phone or "Contact <id>".
  void write_names(ContentLines& c, const relance_row& row, const std::vector<std::string>& mails,
                   const std::vector<std::string>& tels) const {
    const std::string id_text = text_of(row, id);
    const std::string first = text_of(row, first_name);
    const std::string last = text_of(row, last_name);
    if (!id_text.empty()) {
      c.line = "UID:urn:relance:contact:";
      append_raw(c.line, id_text);
      c.end_line();
    }
    std::string full = first;
    if (!first.empty() && !last.empty()) full += ' ';
    full += last;
    if (full.empty()) full = !mails.empty() ? mails.front() : !tels.empty() ? tels.front() : "Contact " + id_text;
    c.line = "FN:";
    append_escaped_text(c.line, full);
    c.end_line();
    c.line = "N:";
    append_escaped_text(c.line, last);
    c.line += ';';
    append_escaped_text(c.line, first);
    c.line += ";;;";
    c.end_line();
  }

  // Each address; the first is the preferred one.
  void write_emails(ContentLines& c, const std::vector<std::string>& mails) const {
    bool first_one = true;
    for (const std::string& mail : mails) {
      if (mail.empty()) continue;
      c.line = v4_ ? (first_one ? "EMAIL;TYPE=work;PREF=1:" : "EMAIL;TYPE=work:")
                   : (first_one ? "EMAIL;TYPE=INTERNET,WORK,PREF:" : "EMAIL;TYPE=INTERNET,WORK:");
      append_escaped_text(c.line, mail);
      c.end_line();
      first_one = false;
    }
  }

  // Each number, 4.0 as a tel: URI (text when not E.164), 3.0 as text; the first preferred.
  void write_phones(ContentLines& c, const std::vector<std::string>& tels) const {
    bool first_one = true;
    for (const std::string& tel : tels) {
      if (tel.empty()) continue;
      if (!v4_) {
        c.line = first_one ? "TEL;TYPE=WORK,VOICE,PREF:" : "TEL;TYPE=WORK,VOICE:";
        append_escaped_text(c.line, tel);
      } else if (is_global_number(tel)) {
        c.line = first_one ? "TEL;VALUE=uri;TYPE=work,voice;PREF=1:tel:" : "TEL;VALUE=uri;TYPE=work,voice:tel:";
        c.line += tel;
      } else {  // not E.164: kept as text rather than made into an invalid tel: URI
        c.line = first_one ? "TEL;VALUE=text;TYPE=work,voice;PREF=1:" : "TEL;VALUE=text;TYPE=work,voice:";
        append_escaped_text(c.line, tel);
      }
      c.end_line();
      first_one = false;
    }
  }

  // ADR with the city and the country code only (;;;city;;;country).
  void write_address(ContentLines& c, const relance_row& row) const {
    const std::string town = text_of(row, city);
    const std::string land = text_of(row, country);
    if (town.empty() && land.empty()) return;
    c.line = v4_ ? "ADR;TYPE=work:;;;" : "ADR;TYPE=WORK:;;;";
    append_escaped_text(c.line, town);
    c.line += ";;;";
    append_escaped_text(c.line, land);
    c.end_line();
  }

  static void write_categories(ContentLines& c, const std::vector<std::string>& tags) {
    std::string joined;
    for (const std::string& tag : tags) {
      if (tag.empty()) continue;
      if (!joined.empty()) joined += ',';
      append_escaped_text(joined, tag);
    }
    if (joined.empty()) return;
    c.line = "CATEGORIES:" + joined;
    c.end_line();
  }

  // REV: the last update, in UTC.
  void write_revision(ContentLines& c, const relance_row& row) const {
    const relance_value* rev = value_of(row, updated_at);
    if (!rev || rev->kind != RELANCE_VALUE_INSTANT) return;
    const Civil t = civil(rev->integer);
    char stamp[48];
    std::snprintf(stamp, sizeof stamp, v4_ ? "REV:%04lld%02d%02dT%02d%02d%02dZ" : "REV:%04lld-%02d-%02dT%02d:%02d:%02dZ",
                  static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
    c.line = stamp;
    c.end_line();
  }
  // "+" and digits, with an extension or not ("+16505550123;ext=12"): a number a tel: URI
  // carries as is (RFC 3966 global number and its ext parameter).
  static bool is_global_number(std::string_view tel) {
    auto digits = [](std::string_view s) {
      return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    if (const std::size_t ext = tel.find(";ext="); ext != std::string_view::npos) {
      if (!digits(tel.substr(ext + 5))) return false;
      tel = tel.substr(0, ext);
    }
    return tel.size() >= 2 && tel[0] == '+' && digits(tel.substr(1));
  }

  bool v4_ = true;
  bool started_ = false;
  NamedColumns<field_count> columns_;
};

}  // namespace

RELANCE_PLUGIN(VCard, "org.relance.export.vcard", "vCard export (contacts)", "Relance", "1.0.0")
