// The figures of the weekly region digest (docs/events.md, region_digest.due), computed in
// the core for every staff member alike, so that a plugin only renders and sends them:
//
//   outcomes          what start-ups recorded in the last 7 days: kind, amount, currency,
//                     jobs, date, start-up; never an outcome's notes
//   stale_by_startup  per start-up, how many open leads had no activity for `stale_days`,
//                     and the oldest silence; counts only, no lead, no contact
//   quiet_startups    start-ups with no activity logged for `quiet_days`, with the last one
//
// Nothing personal goes in: the digest goes to staff whatever the leads' sharing.
#pragma once

#include <string>

#include "domain/time.hpp"
#include "relance/storage/store.hpp"

namespace relance::followups {

struct RegionFigures {
  std::string outcomes = "[]", stale_by_startup = "[]", quiet_startups = "[]";  // JSON arrays
};

RegionFigures region_figures(storage::Store& store, domain::Clock::time_point now, int stale_days, int quiet_days);

// 0 (Sunday) to 6 of a local date "YYYY-MM-DD"; -1 when it is not one.
int weekday_of(const std::string& date);

}  // namespace relance::followups
