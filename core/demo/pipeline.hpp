// The start-ups' pipelines: the companies they met, their contacts, leads moved through
// every stage over the weeks after the mission, the meetings, calls and notes logged, the
// follow-ups (done on time, done late, overdue now, upcoming) and the outcomes of the won
// leads, each record written at the instant it happened.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "demo/calendar.hpp"
#include "demo/fiction.hpp"
#include "demo/random.hpp"
#include "events/clock.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"

namespace relance::demo {

struct Member {
  auth::Principal principal;
  std::string name;
};

struct Startup {
  const StartupProfile* profile = nullptr;
  std::shared_ptr<const services::OrgSettings> org;
  std::vector<Member> members;  // the founder (org-admin) first
  std::int64_t private_event = 0;  // 0: none
  Days private_event_day{};
  // What the scale gives it.
  std::int64_t contacts = 0, leads = 0, outcomes = 0;
};

struct RegionEvents {
  std::int64_t mission = 0, fair = 0, conference = 0, meetup = 0;
};

struct Counts {
  std::int64_t companies = 0, contacts = 0, leads = 0, stage_changes = 0, activities = 0, followups = 0,
               outcomes = 0;
};

using Progress = std::function<void(const std::string& line)>;

// Writes every start-up's records through the services' steps, in batches, the clock set
// to each record's instant (`clock` is the events' clock in use).
Counts write_pipelines(storage::Store& store, events::FixedClock& clock, const Calendar& calendar,
                       const RegionEvents& region, std::vector<Startup>& startups, const Random& random,
                       const Progress& progress);

}  // namespace relance::demo
