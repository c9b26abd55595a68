// relance_export_ics: the "ics" format, one iCalendar file (RFC 5545) of the follow-ups.
//
// One VCALENDAR, one component per follow-up: a VTODO (default) or, with component=VEVENT,
// a VEVENT of duration_minutes. Only the followups dataset can be exported: any other fails
// begin_dataset with RELANCE_INVALID.
//
//   UID          followup-<id>@relance (stable across exports)
//   DTSTAMP      updated_at (else created_at, else now), UTC; CREATED, LAST-MODIFIED
//   SUMMARY      title; DESCRIPTION: notes, then the due time in the contact's own zone
//                ("Contact's local time: 00:00 America/Los_Angeles") when contact_time_zone
//                is present
//   DUE (VTODO) or DTSTART/DTEND (VEVENT): local time with TZID=<time_zone> (the assignee's
//                IANA zone), or UTC ("...Z") when time_zone is null, UTC or unknown, and for
//                a local time that occurs twice (the hour repeated when clocks go back)
//   STATUS       VTODO: open, snoozed -> NEEDS-ACTION; done -> COMPLETED (COMPLETED:done_at,
//                PERCENT-COMPLETE:100); cancelled -> CANCELLED. VEVENT: CONFIRMED, CANCELLED
//   VALARM       alarm_minutes before the due time (ACTION:DISPLAY), none when "0" and none on
//                done or cancelled follow-ups. A VTODO has no DTSTART, so its trigger is
//                RELATED=END (relative to DUE, RFC 5545 3.8.6.3)
//
// Every TZID used gets a VTIMEZONE, computed from the system tz database by
// plugins/shared/vtimezone.hpp over the years the follow-ups' times fall in. The VTIMEZONEs must come
// before the components that use them for some readers, and which zones are used is only
// known at the end: components are therefore spooled to an anonymous temporary file while
// rows arrive (memory stays flat) and copied out after the VTIMEZONEs at finish.
//
// TEXT values are escaped (RFC 5545 3.3.11), control characters other than tab dropped,
// lines folded at 75 octets without splitting a UTF-8 sequence, CRLF line ends.
#include <relance/plugin.hpp>

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "named_columns.hpp"
#include "text_lines.hpp"
#include "values.hpp"
#include "vtimezone.hpp"

namespace {

using namespace plugins_shared;

// Options: option_or (values.hpp). TEXT escaping and line folding: text_lines.hpp.

// Times and VTIMEZONEs: vtimezone.hpp.

// ---- The exporter.

enum Field { id, title, due_at, time_zone, status, notes, done_at, created_at, updated_at, contact_time_zone,
             field_count };
constexpr std::string_view column_names[field_count] = {"id", "title", "due_at", "time_zone", "status", "notes",
                                                        "done_at", "created_at", "updated_at", "contact_time_zone"};

// A whole number of minutes from `min` to `max`, or an INVALID error naming the option.
long parse_minutes(const std::string& option, const std::string& text, long min, long max, const char* meaning) {
  std::string_view t = text;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  long value = 0;
  bool ok = !t.empty() && t.size() <= 6;
  for (char c : t) {
    if (c < '0' || c > '9') ok = false;
    else value = value * 10 + (c - '0');
  }
  if (!ok || value < min || value > max) {
    throw relance::Error(RELANCE_INVALID, "ics: " + option + " must be a whole number of minutes from " +
                                              std::to_string(min) + " to " + std::to_string(max) + meaning +
                                              ", not \"" + text + "\"");
  }
  return value;
}

class Ics : public relance::Instance, public relance::Exporter {
 public:
  using Instance::Instance;
  ~Ics() override { close_spool(); }

  static constexpr const char* format_id = "ics";
  static constexpr const char* file_extension = "ics";
  static constexpr const char* mime_type = "text/calendar";
  static constexpr relance_option options[] = {
      {"component", "One to-do (VTODO) or one event (VEVENT) per follow-up", "VTODO", "VTODO|VEVENT"},
      {"alarm_minutes", "Minutes before the due time of a reminder alarm; 0 for none", "30", nullptr},
      {"duration_minutes", "Length of each event in minutes (VEVENT only)", "30", nullptr},
  };

  relance_status open(const relance_export_request& request) override {
    if (const relance_status status = Exporter::open(request); status != RELANCE_OK) return status;
    const std::string_view options_json = relance::view(request.options);
    const std::string component = option_or(options_json, "component", "VTODO", "ics");
    if (component != "VTODO" && component != "VEVENT") {
      throw relance::Error(RELANCE_INVALID, "ics: component must be VTODO or VEVENT, not \"" + component + "\"");
    }
    event_ = component == "VEVENT";
    alarm_ = parse_minutes("alarm_minutes", option_or(options_json, "alarm_minutes", "30", "ics"), 0, 40320,
                           " (four weeks; 0 for no alarm)");
    duration_ = parse_minutes("duration_minutes", option_or(options_json, "duration_minutes", "30", "ics"), 1, 1440,
                              " (a day)");
    french_ = relance::view(request.locale).substr(0, 2) == "fr";
    zones_.clear();
    started_ = false;
    close_spool();
    spool_ = std::tmpfile();
    if (!spool_) throw relance::Error(RELANCE_RETRY, std::string("ics: no temporary file: ") + std::strerror(errno));
    return RELANCE_OK;
  }

  relance_status begin_dataset(const relance_dataset& dataset) override {
    const std::string_view name = relance::view(dataset.name);
    if (name != "followups") {
      throw relance::Error(RELANCE_INVALID, "ics exports the followups dataset only, not \"" + std::string(name) + "\"");
    }
    columns_.find(dataset, column_names);
    started_ = true;
    return RELANCE_OK;
  }

  relance_status write_row(const relance_row& row) override {
    if (!started_ || !spool_) throw relance::Error(RELANCE_INVALID, "ics: a row came before its dataset");
    const auto due = instant_of(row, due_at);
    if (event_ && !due) return RELANCE_OK;  // an event needs a start; due_at is required, so never here
    const char* kind = event_ ? "VEVENT" : "VTODO";
    const std::string summary = text_of(row, title);
    const std::string state = text_of(row, status);
    // The follow-up's zone: TZID and local times, or UTC.
    const std::string tzid = text_of(row, time_zone);
    const date::time_zone* zone = tzid == "UTC" || tzid == "Etc/UTC" ? nullptr : find_zone(tzid);

    ContentLines c;
    c.out += std::string("BEGIN:") + kind + "\r\n";
    write_identity(c, row, summary);
    c.text_property("DESCRIPTION:", description_of(row, due, zone));
    if (due) {
      if (event_) {
        write_time(c, "DTSTART", *due, tzid, zone);
        write_time(c, "DTEND", *due + std::chrono::minutes{duration_}, tzid, zone);
      } else {
        write_time(c, "DUE", *due, tzid, zone);
      }
    }
    write_status(c, row, state);
    if (alarm_ > 0 && due && state != "done" && state != "cancelled") write_alarm(c, summary);
    c.out += std::string("END:") + kind + "\r\n";
    if (std::fwrite(c.out.data(), 1, c.out.size(), spool_) != c.out.size()) {
      throw relance::Error(RELANCE_RETRY, std::string("ics: cannot write the temporary file: ") + std::strerror(errno));
    }
    return RELANCE_OK;
  }

  relance_status finish(bool complete) override {
    started_ = false;
    if (!complete || !spool_) {
      close_spool();
      return RELANCE_OK;
    }
    std::string head =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Relance//Follow-ups//EN\r\nCALSCALE:GREGORIAN\r\n";
    for (const auto& [tzid, use] : zones_) head += vtimezone(tzid, use.zone, use.first, use.last);
    write(head);
    if (std::fflush(spool_) != 0 || std::fseek(spool_, 0, SEEK_SET) != 0) {
      throw relance::Error(RELANCE_RETRY, std::string("ics: cannot read the temporary file: ") + std::strerror(errno));
    }
    std::vector<char> buffer(1 << 16);
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), spool_)) {
      write(std::string_view(buffer.data(), n));
    }
    if (std::ferror(spool_)) throw relance::Error(RELANCE_RETRY, "ics: cannot read the temporary file");
    close_spool();
    write("END:VCALENDAR\r\n");
    return RELANCE_OK;
  }

 private:
  struct Use {
    const date::time_zone* zone;
    SysSeconds first, last;  // the earliest and latest instant written in the zone
  };

  // UID, DTSTAMP, CREATED, LAST-MODIFIED and SUMMARY.
  void write_identity(ContentLines& c, const relance_row& row, const std::string& summary) const {
    const auto updated = instant_of(row, updated_at);
    const auto created = instant_of(row, created_at);
    c.line = "UID:followup-" + text_of(row, id) + "@relance";
    c.end_line();
    const SysSeconds stamp = updated   ? *updated
                             : created ? *created
                                       : date::floor<Seconds>(std::chrono::system_clock::now());
    c.out += "DTSTAMP:" + utc_text(stamp) + "\r\n";
    if (created) c.out += "CREATED:" + utc_text(*created) + "\r\n";
    if (updated) c.out += "LAST-MODIFIED:" + utc_text(*updated) + "\r\n";
    c.text_property("SUMMARY:", summary);
  }

  // The notes, then the due time in the contact's own zone when the row names one.
  std::string description_of(const relance_row& row, const std::optional<SysSeconds>& due,
                             const date::time_zone* zone) const {
    std::string description = text_of(row, notes);
    const std::string contact_zone_name = text_of(row, contact_time_zone);
    if (!due || contact_zone_name.empty()) return description;
    const date::time_zone* contact_zone = find_zone(contact_zone_name);
    if (!contact_zone) return description;
    const LocalSeconds there = contact_zone->to_local(*due);
    const LocalSeconds here = zone ? zone->to_local(*due) : LocalSeconds{due->time_since_epoch()};
    const auto there_day = date::floor<date::days>(there);
    const date::hh_mm_ss<Seconds> hms(there - there_day);
    char clock[32];
    std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    std::string text = french_ ? "Heure locale du contact : " : "Contact's local time: ";
    if (there_day != date::floor<date::days>(here)) text += date::format("%F ", there_day);
    text += clock;
    text += ' ';
    text += contact_zone_name;
    if (!description.empty()) description += "\n\n";
    description += text;
    return description;
  }

  // A time property in the follow-up's zone (TZID and local time, the zone's use recorded
  // for its VTIMEZONE), or in UTC.
  void write_time(ContentLines& c, const char* property, SysSeconds t, const std::string& tzid,
                  const date::time_zone* zone) {
    const LocalSeconds local = zone ? zone->to_local(t) : LocalSeconds{};
    // A local time that occurs twice (clocks going back) means its first occurrence in
    // RFC 5545 3.3.5 but the second one in python-icalendar (pytz's default): such an
    // instant is written in UTC, which every reader takes the same way.
    if (!zone || zone->get_info(local).result != date::local_info::unique) {
      c.out += std::string(property) + ":" + utc_text(t) + "\r\n";
      return;
    }
    c.line = std::string(property) + ";TZID=" + tzid + ":" + local_text(local);
    c.end_line();
    auto [at, inserted] = zones_.try_emplace(tzid, Use{zone, t, t});
    if (!inserted) {
      at->second.first = std::min(at->second.first, t);
      at->second.last = std::max(at->second.last, t);
    }
  }

  void write_status(ContentLines& c, const relance_row& row, const std::string& state) const {
    if (event_) {
      c.out += state == "cancelled" ? "STATUS:CANCELLED\r\n" : "STATUS:CONFIRMED\r\n";
    } else if (state == "done") {
      c.out += "STATUS:COMPLETED\r\n";
      if (const auto done = instant_of(row, done_at)) c.out += "COMPLETED:" + utc_text(*done) + "\r\n";
      c.out += "PERCENT-COMPLETE:100\r\n";
    } else if (state == "cancelled") {
      c.out += "STATUS:CANCELLED\r\n";
    } else if (state == "open" || state == "snoozed") {
      c.out += "STATUS:NEEDS-ACTION\r\n";
    }
  }

  void write_alarm(ContentLines& c, const std::string& summary) const {
    c.out += "BEGIN:VALARM\r\nACTION:DISPLAY\r\n";
    c.line = "DESCRIPTION:";
    append_escaped_text(c.line, summary.empty() ? (french_ ? "Relance" : "Follow-up") : summary);
    c.end_line();
    c.out += std::string(event_ ? "TRIGGER:-PT" : "TRIGGER;RELATED=END:-PT") + std::to_string(alarm_) + "M\r\n";
    c.out += "END:VALARM\r\n";
  }

  void close_spool() {
    if (spool_) std::fclose(spool_);
    spool_ = nullptr;
  }
  const relance_value* value_of(const relance_row& row, Field f) const { return columns_.value(row, f); }
  std::string text_of(const relance_row& row, Field f) const { return columns_.text(row, f); }
  std::optional<SysSeconds> instant_of(const relance_row& row, Field f) const {
    const relance_value* v = value_of(row, f);
    if (!v || v->kind != RELANCE_VALUE_INSTANT) return std::nullopt;
    return date::floor<Seconds>(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{v->integer}});
  }

  bool event_ = false;
  long alarm_ = 30;
  long duration_ = 30;
  bool french_ = false;
  bool started_ = false;
  std::FILE* spool_ = nullptr;
  std::map<std::string, Use> zones_;
  NamedColumns<field_count> columns_;
};

}  // namespace

RELANCE_PLUGIN(Ics, "org.relance.export.ics", "iCalendar export (follow-ups)", "Relance", "1.0.0")
