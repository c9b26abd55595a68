#include "cli/when.hpp"

#include "cli/api_client.hpp"
#include "cli/user_profile.hpp"
#include "domain/time.hpp"
#include "domain/typed_instant.hpp"

namespace relance::cli {

std::optional<Clock::duration> parse_duration(std::string_view text) { return domain::read_duration(text); }

std::optional<Clock::time_point> parse_when(std::string_view text, Clock::time_point now, const std::string& zone) {
  // The user's zone is asked of the daemon only for a wall-clock form.
  return domain::read_typed_instant(text, now, [&zone] { return zone.empty() ? user_time_zone() : zone; });
}

std::string instant_text(std::string_view text, std::string_view option, const std::string& zone) {
  check_time_zone(zone);
  const auto t = parse_when(text, Clock::now(), zone);
  if (!t) throw CliError(usage, say("cli.bad_instant", {option, text, domain::typed_instant_forms()}));
  return domain::format_instant(*t);
}

std::string range_bound_text(std::string_view text, std::string_view option, bool date_field) {
  // A day alone ("2026-06-08", "today", "lundi") bounds a range from its first moment, not
  // from the 09:00 it means for a follow-up's --due.
  const Clock::time_point now = Clock::now();
  std::optional<Clock::time_point> t = parse_when(std::string(text) + " 00:00", now);
  if (!t) t = parse_when(text, now);
  if (!t) throw CliError(usage, say("cli.bad_instant", {option, text, domain::typed_instant_forms()}));
  if (date_field) return domain::local_day(*t, user_time_zone()).date;
  return domain::format_instant(*t);
}

void check_time_zone(const std::string& zone) {
  if (!zone.empty() && !domain::valid_time_zone(zone)) throw CliError(usage, say("cli.bad_zone", {zone}));
}

std::string local_time(std::string_view text) {
  const auto t = domain::parse_instant(text);
  if (!t) return std::string(text);
  return domain::local_time_text(*t, user_time_zone());
}

}  // namespace relance::cli
