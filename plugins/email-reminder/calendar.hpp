// Times and the iCalendar attachment: instants as the event documents write them, local
// times in IANA zones (the system tz database, through plugins/shared/vtimezone.hpp), and a
// follow-up as a VCALENDAR (METHOD:PUBLISH) holding one VTODO due in the assignee's zone,
// with that zone's VTIMEZONE.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace email_reminder {

using Instant = std::chrono::sys_seconds;

// "2026-03-29T07:00:00Z", with optional fraction, or with a numeric offset; nullopt if not.
std::optional<Instant> parse_instant(std::string_view text);

// A wall-clock time.
struct LocalTime {
  int year = 1970;
  unsigned month = 1, day = 1;  // 1-12, 1-31
  unsigned weekday = 4;         // 0 Sunday .. 6 Saturday
  int hour = 0, minute = 0;
  std::string zone_abbreviation;  // "CET", "PDT", "-03"; empty when read from text
};
// "2026-03-30" or "2026-03-28 09:00" / "2026-03-28T09:00[:00]": nullopt if neither.
std::optional<LocalTime> parse_local(std::string_view text);

// The time at `t` in zone `zone` (an IANA name); nullopt when the zone is unknown. "UTC"
// and "Etc/UTC" are known.
std::optional<LocalTime> local_time(Instant t, const std::string& zone);

struct Todo {
  int64_t id = 0;
  std::string title, description;
  std::string status;  // the follow-up's: open, snoozed, done, cancelled
  Instant due;
  std::string time_zone;  // the assignee's; empty or unknown: DUE in UTC
  Instant stamp;          // DTSTAMP: when the message is made
  std::string url;        // optional: a link to the follow-up
};

// The whole .ics file, CRLF lines folded at 75 octets. UID followup-<id>@relance, as the
// ics exporter writes it, so that calendars see one to-do.
std::string calendar(const Todo& todo);

}  // namespace email_reminder
