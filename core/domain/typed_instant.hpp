// Typed instants: what a person types for "when" ("tomorrow 09:00", "demain 9h", "lun 14h30",
// "2026-12-05 09:00", "in 2h", "3d", an RFC 3339 instant) read into an instant. Wall-clock
// forms are read in a time zone the caller names (the user's, never the machine's); the
// relative forms and RFC 3339 need none.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"

namespace relance::domain {

// The accepted forms, one example each, for the error that refuses a value.
std::string_view typed_instant_forms();

// "90s", "90m", "3h", "1d", "2w": a positive duration; nullopt for anything else.
std::optional<Clock::duration> read_duration(std::string_view text);

// The relative forms alone: "now", "3d", "in 2h", "in 90s", "2d ago".
std::optional<Clock::time_point> read_relative(std::string_view text, Clock::time_point now);

// Any accepted form, case and extra spaces aside:
//   now | 3d | in 2h | in 90s | 2d ago                   relative to `now`
//   today|tomorrow|yesterday|aujourd'hui|demain|hier [TIME]   that local day
//   mon..sun|monday..|lun..dim|lundi.. [TIME]            the next such day: today when
//                                                        TIME is still to come, else next week
//   YYYY-MM-DD [TIME] | YYYY-MM-DDTHH:MM[:SS]            that local day
//   an RFC 3339 instant (Z or an offset)
// TIME is 09:00, 9:00, 9h, 9h30, 14h30, 9am, 2:30pm; a day without one means 09:00.
// Local times are read in the zone `zone()` names, asked only for a wall-clock form (an
// unknown zone counts as UTC, as local_instant does); a time skipped when clocks go forward
// is the moment they jump, one repeated when they go back is the earlier.
std::optional<Clock::time_point> read_typed_instant(std::string_view text, Clock::time_point now,
                                                    const std::function<std::string()>& zone);

// "2026-12-05 09:00 PST": an instant as a wall clock in `zone`, with the zone's abbreviation
// (or its UTC offset, "-03", where the tz database has no letters); "UTC" for an unknown zone.
std::string local_time_text(Clock::time_point t, std::string_view zone);

}  // namespace relance::domain
