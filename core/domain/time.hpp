// Instants, dates and time zones as the API writes them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace relance::domain {

using Clock = std::chrono::system_clock;

// RFC 3339 instant with a Z or ±hh:mm offset, optional fractional seconds ->
// UTC "YYYY-MM-DDTHH:MM:SS.mmmZ" (the form storage keeps and compares as text).
std::optional<std::string> normalise_instant(std::string_view text);
std::optional<Clock::time_point> parse_instant(std::string_view text);
std::string format_instant(Clock::time_point t);
std::string now_instant();

// "YYYY-MM-DD", a real calendar date.
bool valid_date(std::string_view text);

// An IANA time zone name known to the system's tz database ("Europe/Paris").
bool valid_time_zone(std::string_view name);

}  // namespace relance::domain
