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
// Every TZID used gets a VTIMEZONE, computed from the system tz database (date/tz.h) over the
// years the follow-ups' times fall in, with a year of margin either side: a yearly rule that
// holds over consecutive years becomes one STANDARD or DAYLIGHT observance with an RRULE (as
// Outlook expects), any other change an observance of its own. The VTIMEZONEs must come
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
#include <bit>
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

namespace {

using namespace relance_export;

// Options: option_or (values.hpp). TEXT escaping and line folding: text_lines.hpp.

// ---- Times.

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_seconds;
using LocalSeconds = date::local_seconds;

template <class Clock>
std::string basic_format(std::chrono::time_point<Clock, Seconds> t, const char* suffix) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<Seconds> hms(t - day);
  char text[40];
  std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02d%s", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), suffix);
  return text;
}
std::string utc_text(SysSeconds t) { return basic_format(t, "Z"); }         // 20260329T070000Z
std::string local_text(LocalSeconds t) { return basic_format(t, ""); }      // 20260329T090000

// "+0100", "-0700", "+053728" (seconds only when there are some).
std::string offset_text(Seconds offset) {
  const char sign = offset < Seconds{0} ? '-' : '+';
  const long long s = offset < Seconds{0} ? -offset.count() : offset.count();
  char text[64];
  if (s % 60 != 0) std::snprintf(text, sizeof text, "%c%02lld%02lld%02lld", sign, s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%c%02lld%02lld", sign, s / 3600, s / 60 % 60);
  return text;
}

int year_of(SysSeconds t) { return static_cast<int>(date::year_month_day(date::floor<date::days>(t)).year()); }

// The zone named `name` in the system tz database, or nullptr when unknown.
const date::time_zone* find_zone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// ---- VTIMEZONE.

struct Transition {
  SysSeconds at;       // UTC instant of the change
  Seconds from, to;    // UTC offsets before and after
  bool daylight;       // the period it starts is daylight saving time
  std::string abbrev;  // of the period it starts
  LocalSeconds local() const { return LocalSeconds{at.time_since_epoch() + from}; }
};

// Daylight saving time for the period `cur` that follows `prev`. tzdata's negative DST
// (Europe/Dublin: GMT in winter with save != 0) counts as standard time, and the summer time
// after it as daylight time, as readers expect.
bool is_daylight(const date::sys_info& prev, const date::sys_info& cur) {
  if (cur.save != std::chrono::minutes{0}) return cur.offset >= prev.offset;
  return prev.save != std::chrono::minutes{0} && cur.offset > prev.offset;
}

// The BYDAY week codes a day of the month fits: bit n-1 for the n-th weekday of the month
// (1..5), bit 5 for the last one.
unsigned week_codes(const date::year_month_day& ymd) {
  const unsigned d = static_cast<unsigned>(ymd.day());
  unsigned codes = 1u << ((d - 1) / 7);
  const unsigned last = static_cast<unsigned>((ymd.year() / ymd.month() / date::last).day());
  if (d + 7 > last) codes |= 1u << 5;
  return codes;
}

// The VTIMEZONE of `zone`, named `tzid`, right for every instant of [first, last].
std::string vtimezone(const std::string& tzid, const date::time_zone* zone, SysSeconds first, SysSeconds last) {
  const SysSeconds start{date::sys_days{date::year{year_of(first) - 1} / 1 / 1}};
  const SysSeconds end{date::sys_days{date::year{year_of(last) + 2} / 1 / 1}};
  const int last_year = year_of(last) + 1;  // the last whole year of [start, end)

  std::string out;
  std::string line;
  line = "TZID:" + tzid;
  out += "BEGIN:VTIMEZONE\r\n";
  append_folded_line(out, line);
  line = "X-LIC-LOCATION:" + tzid;
  append_folded_line(out, line);

  auto observance = [&](bool daylight, const std::string& dtstart, const std::string& rrule, Seconds from, Seconds to,
                        const std::string& abbrev) {
    out += daylight ? "BEGIN:DAYLIGHT\r\n" : "BEGIN:STANDARD\r\n";
    out += "DTSTART:" + dtstart + "\r\n";
    if (!rrule.empty()) out += rrule + "\r\n";
    out += "TZOFFSETFROM:" + offset_text(from) + "\r\n";
    out += "TZOFFSETTO:" + offset_text(to) + "\r\n";
    if (!abbrev.empty()) {
      line = "TZNAME:";
      append_escaped_text(line, abbrev);
      append_folded_line(out, line);
    }
    out += daylight ? "END:DAYLIGHT\r\n" : "END:STANDARD\r\n";
  };

  // The changes from the one that started the period in effect at `start` to `end`.
  std::vector<Transition> changes;
  date::sys_info info = zone->get_info(start);
  const SysSeconds floor{date::sys_days{date::year{1601} / 1 / 1}};
  if (info.begin <= floor) {
    // In effect since before any calendar reader cares: an observance from 1601 on.
    observance(info.save != std::chrono::minutes{0}, "16010101T000000", "", info.offset, info.offset, info.abbrev);
  } else {
    const date::sys_info prev = zone->get_info(info.begin - Seconds{1});
    changes.push_back(Transition{info.begin, prev.offset, info.offset, is_daylight(prev, info), info.abbrev});
  }
  while (info.end < end) {
    const date::sys_info next = zone->get_info(info.end);
    changes.push_back(Transition{info.end, info.offset, next.offset, is_daylight(info, next), next.abbrev});
    info = next;
  }

  // Runs of changes that repeat a yearly rule (same month, weekday of the month, local time,
  // offsets and name) over consecutive years: one observance with an RRULE each.
  struct Run {
    std::vector<std::size_t> members;
    unsigned codes;
    int year;  // of the last member
  };
  auto same_rule = [&](const Transition& a, const Transition& b) {
    const auto da = date::floor<date::days>(a.local());
    const auto db = date::floor<date::days>(b.local());
    const date::year_month_day ya(da), yb(db);
    return a.daylight == b.daylight && a.from == b.from && a.to == b.to && a.abbrev == b.abbrev &&
           ya.month() == yb.month() && date::weekday(da) == date::weekday(db) && a.local() - da == b.local() - db;
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const date::year_month_day ymd(date::floor<date::days>(changes[i].local()));
    const int year = static_cast<int>(ymd.year());
    const unsigned codes = week_codes(ymd);
    bool joined = false;
    for (Run& run : runs) {
      if (run.year == year - 1 && (run.codes & codes) != 0 && same_rule(changes[run.members.front()], changes[i])) {
        run.members.push_back(i);
        run.codes &= codes;
        run.year = year;
        joined = true;
        break;
      }
    }
    if (!joined) runs.push_back(Run{{i}, codes, year});
  }

  static constexpr const char* weekdays[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
  for (const Run& run : runs) {
    const Transition& t = changes[run.members.front()];
    std::string rrule;
    if (run.members.size() > 1) {
      const auto day = date::floor<date::days>(t.local());
      const date::year_month_day ymd(day);
      const int week = (run.codes & (1u << 5)) != 0 ? -1 : std::countr_zero(run.codes) + 1;
      rrule = "RRULE:FREQ=YEARLY;BYMONTH=" + std::to_string(static_cast<unsigned>(ymd.month())) +
              ";BYDAY=" + std::to_string(week) + weekdays[date::weekday(day).c_encoding()];
      // Open-ended when the rule still holds at the end of the window, as the zone's
      // current rule does; otherwise bounded by COUNT, which says the same as an UNTIL
      // without mixing a UTC bound with local times (python-icalendar 4 and dateutil refuse
      // an UNTIL in UTC with a local DTSTART).
      if (run.year < last_year) rrule += ";COUNT=" + std::to_string(run.members.size());
    }
    observance(t.daylight, local_text(t.local()), rrule, t.from, t.to, t.abbrev);
  }
  out += "END:VTIMEZONE\r\n";
  return out;
}

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
    std::string out;
    std::string line;
    auto emit = [&] {
      append_folded_line(out, line);
      line.clear();
    };
    const char* kind = event_ ? "VEVENT" : "VTODO";
    const std::string id_text = text_of(row, id);
    const std::string summary = text_of(row, title);
    const std::string state = text_of(row, status);
    const auto due = instant_of(row, due_at);
    const auto updated = instant_of(row, updated_at);
    const auto created = instant_of(row, created_at);
    const auto done = instant_of(row, done_at);
    if (event_ && !due) return RELANCE_OK;  // an event needs a start; due_at is required, so never here

    out += std::string("BEGIN:") + kind + "\r\n";
    line = "UID:followup-" + id_text + "@relance";
    emit();
    const SysSeconds stamp = updated   ? *updated
                             : created ? *created
                                       : date::floor<Seconds>(std::chrono::system_clock::now());
    out += "DTSTAMP:" + utc_text(stamp) + "\r\n";
    if (created) out += "CREATED:" + utc_text(*created) + "\r\n";
    if (updated) out += "LAST-MODIFIED:" + utc_text(*updated) + "\r\n";
    if (!summary.empty()) {
      line = "SUMMARY:";
      append_escaped_text(line, summary);
      emit();
    }

    // The follow-up's zone: TZID and local times, or UTC.
    std::string tzid = text_of(row, time_zone);
    const date::time_zone* zone = tzid == "UTC" || tzid == "Etc/UTC" ? nullptr : find_zone(tzid);
    auto when = [&](const char* property, SysSeconds t) {
      const LocalSeconds local = zone ? zone->to_local(t) : LocalSeconds{};
      // A local time that occurs twice (clocks going back) means its first occurrence in
      // RFC 5545 3.3.5 but the second one in python-icalendar (pytz's default): such an
      // instant is written in UTC, which every reader takes the same way.
      if (!zone || zone->get_info(local).result != date::local_info::unique) {
        out += std::string(property) + ":" + utc_text(t) + "\r\n";
        return;
      }
      line = std::string(property) + ";TZID=" + tzid + ":" + local_text(local);
      emit();
      auto [at, inserted] = zones_.try_emplace(tzid, Use{zone, t, t});
      if (!inserted) {
        at->second.first = std::min(at->second.first, t);
        at->second.last = std::max(at->second.last, t);
      }
    };

    std::string description = text_of(row, notes);
    const std::string contact_zone_name = text_of(row, contact_time_zone);
    if (due && !contact_zone_name.empty()) {
      if (const date::time_zone* contact_zone = find_zone(contact_zone_name)) {
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
      }
    }
    if (!description.empty()) {
      line = "DESCRIPTION:";
      append_escaped_text(line, description);
      emit();
    }

    if (due) {
      if (event_) {
        when("DTSTART", *due);
        when("DTEND", *due + std::chrono::minutes{duration_});
      } else {
        when("DUE", *due);
      }
    }
    if (event_) {
      out += state == "cancelled" ? "STATUS:CANCELLED\r\n" : "STATUS:CONFIRMED\r\n";
    } else if (state == "done") {
      out += "STATUS:COMPLETED\r\n";
      if (done) out += "COMPLETED:" + utc_text(*done) + "\r\n";
      out += "PERCENT-COMPLETE:100\r\n";
    } else if (state == "cancelled") {
      out += "STATUS:CANCELLED\r\n";
    } else if (state == "open" || state == "snoozed") {
      out += "STATUS:NEEDS-ACTION\r\n";
    }

    if (alarm_ > 0 && due && state != "done" && state != "cancelled") {
      out += "BEGIN:VALARM\r\nACTION:DISPLAY\r\n";
      line = "DESCRIPTION:";
      append_escaped_text(line, summary.empty() ? (french_ ? "Relance" : "Follow-up") : summary);
      emit();
      out += std::string(event_ ? "TRIGGER:-PT" : "TRIGGER;RELATED=END:-PT") + std::to_string(alarm_) + "M\r\n";
      out += "END:VALARM\r\n";
    }
    out += std::string("END:") + kind + "\r\n";
    if (std::fwrite(out.data(), 1, out.size(), spool_) != out.size()) {
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
