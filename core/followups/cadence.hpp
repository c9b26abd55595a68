// Cadence rules: follow-ups the daemon creates so that no lead is forgotten (the
// cadence_rules entity, configured per organisation through the API):
// - stale-stage: a lead in stage S with no activity of any kind for N days (counted from
//   its last logged activity; a lead without any, from its creation) gets a follow-up
//   assigned to its owner, once per quiet spell, unless one is already open;
// - after-meeting: a meeting logged after the rule exists gets a follow-up N days after it
//   took place, for whoever logged it;
// - mission-deadline: every lead from event E gets a first follow-up due N days after the
//   event's last day (09:00 in its owner's zone), unless it has one already.
// Each creation is marked with the rule, the lead and the occasion in the same transaction,
// so a rule acts once per occasion, also across restarts. The follow-ups are ordinary ones
// (followup.created event, audit entry by the system user 0).
#pragma once

#include <string>

#include "domain/time.hpp"
#include "relance/storage/store.hpp"

namespace relance::followups {

// Applies every enabled rule at `now`; returns the follow-ups created.
std::size_t apply_cadence_rules(storage::Store& store, domain::Clock::time_point now,
                                const std::string& default_time_zone);

}  // namespace relance::followups
