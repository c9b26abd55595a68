// iCalendar times and time zones (RFC 5545 3.3.5, 3.6.5) from the system tz database
// (date/tz.h, libhowardhinnant-date-dev, which reads /usr/share/zoneinfo): the ics exporter
// and the email-reminder's attachment write DUE and their VTIMEZONEs alike.
//
// vtimezone() gives the VTIMEZONE of a zone over the years the times used fall in, with a
// year of margin either side: a yearly rule that holds over consecutive years becomes one
// STANDARD or DAYLIGHT observance with an RRULE (as Outlook expects), any other change an
// observance of its own. Header-only; a plugin including it links date::date-tz.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <bit>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "text_lines.hpp"

namespace plugins_shared {

// ---- Times.

using Seconds = std::chrono::seconds;
using SysSeconds = date::sys_seconds;
using LocalSeconds = date::local_seconds;

template <class Clock>
inline std::string basic_format(std::chrono::time_point<Clock, Seconds> t, const char* suffix) {
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
inline std::string utc_text(SysSeconds t) { return basic_format(t, "Z"); }         // 20260329T070000Z
inline std::string local_text(LocalSeconds t) { return basic_format(t, ""); }      // 20260329T090000

// "+0100", "-0700", "+053728" (seconds only when there are some).
inline std::string offset_text(Seconds offset) {
  const char sign = offset < Seconds{0} ? '-' : '+';
  const long long s = offset < Seconds{0} ? -offset.count() : offset.count();
  char text[64];
  if (s % 60 != 0) std::snprintf(text, sizeof text, "%c%02lld%02lld%02lld", sign, s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%c%02lld%02lld", sign, s / 3600, s / 60 % 60);
  return text;
}

inline int year_of(SysSeconds t) { return static_cast<int>(date::year_month_day(date::floor<date::days>(t)).year()); }

// The zone named `name` in the system tz database, or nullptr when unknown.
inline const date::time_zone* find_zone(const std::string& name) {
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
inline bool is_daylight(const date::sys_info& prev, const date::sys_info& cur) {
  if (cur.save != std::chrono::minutes{0}) return cur.offset >= prev.offset;
  return prev.save != std::chrono::minutes{0} && cur.offset > prev.offset;
}

// The BYDAY week codes a day of the month fits: bit n-1 for the n-th weekday of the month
// (1..5), bit 5 for the last one.
inline unsigned week_codes(const date::year_month_day& ymd) {
  const unsigned d = static_cast<unsigned>(ymd.day());
  unsigned codes = 1u << ((d - 1) / 7);
  const unsigned last = static_cast<unsigned>((ymd.year() / ymd.month() / date::last).day());
  if (d + 7 > last) codes |= 1u << 5;
  return codes;
}

// The VTIMEZONE of `zone`, named `tzid`, right for every instant of [first, last].
inline std::string vtimezone(const std::string& tzid, const date::time_zone* zone, SysSeconds first, SysSeconds last) {
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

}  // namespace plugins_shared
