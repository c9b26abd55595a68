// When the demo's mission happened: every date relative to now. The June mission is in the
// most recent June that is over (this year's from July on, last year's before), the region's
// trade fair in the March before it; the rest of the year's events around them.
#pragma once

#include <chrono>
#include <string>

namespace relance::demo {

using Instant = std::chrono::system_clock::time_point;
using Days = std::chrono::sys_days;

struct Calendar {
  explicit Calendar(Instant now);

  Instant now;
  int year;  // the mission's
  Days mission_first, mission_last;  // in San Francisco and the Valley
  Days fair_first, fair_last;        // the region's trade fair, in Lyon, in March
  Days conference_first, conference_last;  // a health conference in Boston, the autumn before
  Days meetup;                       // the mission's debrief in Lyon, three weeks after it
  Instant accounts_opened;           // when the region set the instance up
};

// "2026-06-09"
std::string date_text(Days d);
// "2026-06-09T17:30:00.000Z"
std::string instant_text(Instant t);
// A minute of a day in San Francisco (Pacific daylight time, UTC-7 in June), `minutes` after 0:00.
Instant pacific(Days d, int minutes);

}  // namespace relance::demo
