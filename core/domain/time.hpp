// Instants, dates and time zones as the API writes them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace relance::domain {

using Clock = std::chrono::system_clock;

// RFC 3339 instant with a Z or ±hh:mm offset, optional fractional seconds ->
// UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (the form storage keeps and compares as text). Years from
// min_instant_year to max_instant_year: the instants Clock can hold.
constexpr int min_instant_year = 1678, max_instant_year = 2261;
std::optional<std::string> normalise_instant(std::string_view text);
std::optional<Clock::time_point> parse_instant(std::string_view text);
std::string format_instant(Clock::time_point t);
std::string now_instant();

// "YYYY-MM-DD", a real calendar date.
bool valid_date(std::string_view text);

// An IANA time zone name known to the system's tz database ("Europe/Paris").
bool valid_time_zone(std::string_view name);

// Wall-clock time in a time zone, "YYYY-MM-DDTHH:MM:SS"; nullopt for an unknown zone.
std::optional<std::string> local_time(Clock::time_point t, std::string_view zone);

// The local day of `t` in `zone`: its date "YYYY-MM-DD", the UTC instants of its first
// moment and of the next day's first moment (days of 23 or 25 hours included), and the
// minutes since local midnight. Unknown zones count as UTC.
struct LocalDay {
  std::string date;
  Clock::time_point begins, ends;
  int minutes = 0;
};
LocalDay local_day(Clock::time_point t, std::string_view zone);

// The instant of a local date ("YYYY-MM-DD") and time of day (minutes) in `zone` (the
// earlier one when clocks go back, the moment they jump when they go forward); nullopt for
// a bad date. Unknown zones count as UTC.
std::optional<Clock::time_point> local_instant(std::string_view date, int minutes, std::string_view zone);

}  // namespace relance::domain
