#include "domain/time.hpp"

// GCC 12 at -O2 reports a false "may be used uninitialized" inside date::parse's inlined
// code (date.h's seconds field, reached through <chrono>); the warning cannot be silenced
// at the header, only in the translation unit that instantiates it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <date/date.h>
#include <date/tz.h>

#include "relance/model/instant.hpp"

#include <cstdio>
#include <sstream>

namespace relance::domain {

std::optional<Clock::time_point> parse_instant(std::string_view text) {
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  // date::parse accepts fields a strict RFC 3339 reader would refuse (one-digit months...),
  // so check the fixed part's shape first.
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = text[i];
    if (shape[i] == 'd' ? (c < '0' || c > '9') : (shape[i] == 'T' ? (c != 'T' && c != 't') : c != shape[i]))
      return std::nullopt;
  }
  // Clock counts nanoseconds in 64 bits, from 1677-09-21 to 2262-04-11; date::parse
  // overflows beyond (undefined behaviour: in practice another instant, silently). Years
  // 1678 to 2261 stay inside whatever the offset.
  const int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  if (year < min_instant_year || year > max_instant_year) return std::nullopt;
  // The rest is checked as strictly: date::parse reads more than RFC 3339 allows and
  // overflows on some of it (undefined behaviour), such as seconds with more digits
  // ("00:0096650418510644Z") or an offset like "--7:00". So: an optional fraction of 1 to 9
  // digits, then Z or an offset from -23:59 to +23:59 (date::parse would take +24:00).
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = shape.size();
  if (text[i] == '.') {
    const std::size_t first = ++i;
    while (i < text.size() && digit(text[i])) ++i;
    if (i == first || i - first > 9) return std::nullopt;
  }
  const std::string_view zone = text.substr(i);
  std::string s(text);
  if (zone == "Z" || zone == "z") {
    s.back() = 'Z';
  } else if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
             !digit(zone[1]) || !digit(zone[2]) || !digit(zone[4]) || !digit(zone[5]) ||
             zone[1] > '2' || (zone[1] == '2' && zone[2] > '3') || zone[4] > '5') {
    return std::nullopt;
  }
  std::istringstream in(s);
  date::sys_time<std::chrono::nanoseconds> tp;
  if (s.back() == 'Z') {
    in >> date::parse("%FT%TZ", tp);
  } else {
    // With %Ez, date::parse applies the offset itself: tp comes out in UTC.
    in >> date::parse("%FT%T%Ez", tp);
  }
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return std::chrono::time_point_cast<Clock::duration>(tp);
}

std::string format_instant(Clock::time_point t) { return storage::format_instant(t); }

std::optional<std::string> normalise_instant(std::string_view text) {
  auto t = parse_instant(text);
  if (!t) return std::nullopt;
  return format_instant(*t);
}

std::string now_instant() { return storage::now_instant(); }

bool valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int y = 0, m = 0, d = 0;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (text[i] < '0' || text[i] > '9') return false;
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  return date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(m)},
                              date::day{static_cast<unsigned>(d)}}
      .ok();
}

namespace {

const date::time_zone* zone_or_null(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::optional<std::string> local_time(Clock::time_point t, std::string_view zone) {
  const date::time_zone* z = zone_or_null(zone);
  if (!z) return std::nullopt;
  const auto local = z->to_local(std::chrono::time_point_cast<std::chrono::seconds>(t));
  return date::format("%FT%T", local);
}

LocalDay local_day(Clock::time_point t, std::string_view zone) {
  const date::time_zone* z = zone_or_null(zone);
  if (!z) z = date::locate_zone("UTC");
  const auto local = z->to_local(std::chrono::time_point_cast<std::chrono::seconds>(t));
  const auto midnight = date::floor<date::days>(local);
  LocalDay d;
  d.date = date::format("%F", midnight);
  d.minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - midnight).count());
  // Midnight may not exist (a zone that changes its clocks at midnight): take the earliest
  // instant of the day either way.
  d.begins = z->to_sys(midnight, date::choose::earliest);
  d.ends = z->to_sys(midnight + date::days{1}, date::choose::earliest);
  return d;
}

std::optional<Clock::time_point> local_instant(std::string_view date, int minutes, std::string_view zone) {
  if (!valid_date(date)) return std::nullopt;
  const date::time_zone* z = zone_or_null(zone);
  if (!z) z = date::locate_zone("UTC");
  int y = 0, m = 0, d = 0;
  std::sscanf(std::string(date).c_str(), "%4d-%2d-%2d", &y, &m, &d);
  const date::local_days day{date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)}};
  return std::chrono::time_point_cast<Clock::duration>(
      z->to_sys(day + std::chrono::minutes(minutes), date::choose::earliest));
}

bool valid_time_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace relance::domain
