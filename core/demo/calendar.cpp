#include "demo/calendar.hpp"

#include <cstdio>

#include "relance/model/instant.hpp"

namespace relance::demo {
namespace chr = std::chrono;

namespace {

Days day_of(int year, unsigned month, unsigned day) {
  return Days{chr::year{year} / chr::month{month} / chr::day{day}};
}

}  // namespace

Calendar::Calendar(Instant at) : now(at) {
  const chr::year_month_day today{chr::floor<chr::days>(at)};
  // The mission's last day is June 12th: from June 20th on, this year's is over.
  const bool this_year = today.month() > chr::June || (today.month() == chr::June && today.day() >= chr::day{20});
  year = static_cast<int>(today.year()) - (this_year ? 0 : 1);
  mission_first = day_of(year, 6, 8);
  mission_last = day_of(year, 6, 12);
  fair_first = day_of(year, 3, 17);
  fair_last = day_of(year, 3, 19);
  conference_first = day_of(year - 1, 10, 14);
  conference_last = day_of(year - 1, 10, 16);
  meetup = mission_last + chr::days{21};
  if (meetup >= chr::floor<chr::days>(at)) meetup = mission_last + chr::days{5};
  accounts_opened = Instant(day_of(year - 1, 9, 1)) + chr::hours(8);
}

std::string date_text(Days d) {
  const chr::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string instant_text(Instant t) { return storage::format_instant(t); }

Instant pacific(Days d, int minutes) { return Instant(d) + chr::hours(7) + chr::minutes(minutes); }

}  // namespace relance::demo
