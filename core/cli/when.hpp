// When: the instants a founder types on the command line ("tomorrow 09:00", "demain 9h",
// "lun 14h30", "2026-12-05", "in 2h", "3d", RFC 3339: domain/typed_instant.hpp) turned into
// the RFC 3339 instants the API takes, and the API's UTC instants shown back in the user's
// zone. Wall-clock forms are read in the zone a command's --time-zone gives, else the user's
// (cli/user_profile.hpp), never the machine's.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace relance::cli {

using Clock = std::chrono::system_clock;

// "90s", "90m", "3h", "1d", "2w": a positive duration; nullopt for anything else.
std::optional<Clock::duration> parse_duration(std::string_view text);

// Any typed form (domain::read_typed_instant), wall-clock forms read in `zone` when it is not
// empty, else in the user's zone; nullopt for anything else.
std::optional<Clock::time_point> parse_when(std::string_view text, Clock::time_point now,
                                            const std::string& zone = {});

// The RFC 3339 UTC instant `text` stands for (as parse_when reads it, now); throws
// CliError(usage) naming `option` and listing the accepted forms when it is none of them.
std::string instant_text(std::string_view text, std::string_view option, const std::string& zone = {});

// A list range's bound (--occurred-from, --due-to...) as the API takes it, from any form
// instant_text reads; a day alone ("2026-06-08", "today", "lundi") stands for its first
// moment in the user's zone, so "--occurred-from 2026-06-08 --occurred-to 2026-06-13" is the
// mission's week as the founder lived it. Over a date field, the bound's local date. Throws
// CliError(usage) naming `option` and listing the accepted forms when it is none of them.
std::string range_bound_text(std::string_view text, std::string_view option, bool date_field);

// Throws CliError(usage) when `zone` is not empty and not an IANA time zone.
void check_time_zone(const std::string& zone);

// An API instant as "YYYY-MM-DD HH:MM ABBR" in the user's zone ("2026-12-05 09:00 PST");
// `text` as it is when it is not an instant.
std::string local_time(std::string_view text);

}  // namespace relance::cli
