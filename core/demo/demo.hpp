// `relance demo`: a fresh data directory filled with a fictional June mission of the region
// Auvergne-Rhône-Alpes in Silicon Valley, written through the services exactly as the API
// writes (field rules, audit entries, outbox events), every record at the instant it
// happened (all relative to now).
//
// Passwords: the instance admin, one region staff member and two founders get one each;
// random on every run, or derived from the seed when one is given (reproducible, for the
// benchmarks: never for an instance others reach). The other users have none (invited, as
// after `relance user invite`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "relance/storage/store.hpp"
#include "services/account_service.hpp"
#include "services/org_directory.hpp"

namespace relance::demo {

struct Options {
  std::int64_t contacts = 2000;  // spread over the 30 start-ups; leads a fifth, outcomes a fiftieth
  std::uint64_t seed = 2026;
  bool seeded = false;  // the passwords come from the seed
  std::function<void(const std::string& line)> progress;
  // The daemon's follow-up scheduler's pass at an instant (FollowupScheduler::tick): run
  // some thirty times from the mission to now (a day apart at least), the clock at each,
  // so that the follow-ups that fell due meanwhile are announced (followup.due) much as on
  // an instance that ran through them, and the first `relance serve` has nothing to catch
  // up on. None: not run.
  std::function<void(std::chrono::system_clock::time_point)> scheduler_tick;
};

struct Login {
  std::string who;  // "instance admin", "region staff", "founder of Photonéa"
  std::string email;
  std::string password;
};

struct Summary {
  std::vector<Login> logins;
  std::int64_t startups = 0, users = 0, events = 0, exchange_rates = 0, companies = 0, contacts = 0, leads = 0,
               stage_changes = 0, activities = 0, followups = 0, outcomes = 0;
};

// The instance admin's email and password, before the instance exists (relance init's
// bootstrap creates the admin with them).
Login admin_login(const Options& options);

// Fills the store of an instance that bootstrap() has just made with `admin`: the region's
// staff, events and exchange rates, the start-ups and their users, their pipelines.
Summary fill(storage::Store& store, services::OrgDirectory& orgs, services::AccountService& accounts,
             const Login& admin, const Options& options);

}  // namespace relance::demo
