// Times and the iCalendar attachment: see calendar.hpp.
#include "calendar.hpp"

#include "text_lines.hpp"
#include "vtimezone.hpp"

namespace email_reminder {

namespace {

// Reads `n` digits at `at` of `s` into `out`.
bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<date::year_month_day> civil(int y, int m, int d) {
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

LocalTime from_local(date::local_seconds t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  LocalTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<unsigned>(ymd.month());
  out.day = static_cast<unsigned>(ymd.day());
  out.weekday = date::weekday(day).c_encoding();
  out.hour = static_cast<int>(hms.hours().count());
  out.minute = static_cast<int>(hms.minutes().count());
  return out;
}

bool is_utc(const std::string& zone) { return zone == "UTC" || zone == "Etc/UTC" || zone == "Z"; }

}  // namespace

std::optional<Instant> parse_instant(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
    return std::nullopt;
  const auto ymd = civil(y, mo, d);
  if (!ymd || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
  }
  int offset_minutes = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh = 0, om = 0;
    if (!digits(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' || !digits(s, at + 4, 2, om))
      return std::nullopt;
    offset_minutes = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  return Instant{date::sys_days{*ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi - offset_minutes} +
         std::chrono::seconds{sec > 59 ? 59 : sec};
}

std::optional<LocalTime> parse_local(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  const auto ymd = civil(y, mo, d);
  if (!ymd) return std::nullopt;
  if (s.size() > 10) {
    if ((s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' ||
        !digits(s, 14, 2, mi) || h > 23 || mi > 59)
      return std::nullopt;
  }
  return from_local(date::local_days{*ymd} + std::chrono::hours{h} + std::chrono::minutes{mi});
}

std::optional<LocalTime> local_time(Instant t, const std::string& zone) {
  if (is_utc(zone)) {
    LocalTime out = from_local(date::local_seconds{t.time_since_epoch()});
    out.zone_abbreviation = "UTC";
    return out;
  }
  const date::time_zone* z = plugins_shared::find_zone(zone);
  if (!z) return std::nullopt;
  LocalTime out = from_local(z->to_local(t));
  out.zone_abbreviation = z->get_info(t).abbrev;
  return out;
}

std::string calendar(const Todo& todo) {
  using plugins_shared::append_escaped_text;
  using plugins_shared::append_folded_line;
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Relance//email-reminder//EN\r\n"
                    "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
  std::string line;

  // DUE in the assignee's zone, with its VTIMEZONE; in UTC when the zone is unknown or the
  // local time occurs twice (the hour repeated when clocks go back), as the ics exporter.
  const date::time_zone* zone = is_utc(todo.time_zone) ? nullptr : plugins_shared::find_zone(todo.time_zone);
  std::string due = "DUE:" + plugins_shared::utc_text(todo.due);
  if (zone) {
    const date::local_seconds local = zone->to_local(todo.due);
    if (zone->get_info(local).result == date::local_info::unique) {
      out += plugins_shared::vtimezone(todo.time_zone, zone, todo.due, todo.due);
      due = "DUE;TZID=" + todo.time_zone + ":" + plugins_shared::local_text(local);
    }
  }

  out += "BEGIN:VTODO\r\n";
  append_folded_line(out, "UID:followup-" + std::to_string(todo.id) + "@relance");
  out += "DTSTAMP:" + plugins_shared::utc_text(todo.stamp) + "\r\n";
  line = "SUMMARY:";
  append_escaped_text(line, todo.title);
  append_folded_line(out, line);
  if (!todo.description.empty()) {
    line = "DESCRIPTION:";
    append_escaped_text(line, todo.description);
    append_folded_line(out, line);
  }
  append_folded_line(out, due);
  const char* status = todo.status == "done"        ? "COMPLETED"
                       : todo.status == "cancelled" ? "CANCELLED"
                                                    : "NEEDS-ACTION";
  out += std::string("STATUS:") + status + "\r\n";
  if (!todo.url.empty()) append_folded_line(out, "URL:" + todo.url);
  out += "END:VTODO\r\nEND:VCALENDAR\r\n";
  return out;
}

}  // namespace email_reminder
