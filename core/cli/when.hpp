// When: the instants a founder types on the command line ("3d", "2h ago", "2025-03-10",
// "2025-03-10T09:00:00+01:00") turned into the RFC 3339 instants the API takes, and the
// API's UTC instants shown back in local time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace relance::cli {

using Clock = std::chrono::system_clock;

// "90m", "3h", "1d", "2w": a positive duration; nullopt for anything else.
std::optional<Clock::duration> parse_duration(std::string_view text);

// "now", "3h" or "in 3h" (from now), "2d ago", "YYYY-MM-DD" (09:00 local time that day) or
// an RFC 3339 instant; nullopt for anything else.
std::optional<Clock::time_point> parse_when(std::string_view text, Clock::time_point now);

// The RFC 3339 UTC instant for `text` when parse_when reads it, else `text` as it is (the API
// then says what is wrong with it).
std::string instant_text(std::string_view text);

// As instant_text, but only for the relative forms ("now", "3h", "2d ago"): a date stays a
// date (for ranges over date fields).
std::string relative_instant_text(std::string_view text);

// An API instant as "YYYY-MM-DD HH:MM" in local time; `text` as it is when it is not one.
std::string local_time(std::string_view text);

}  // namespace relance::cli
