// FollowupScheduler: turns time into events (DESIGN.md "How data flows", 3). On an Asio
// timer it looks for follow-ups whose due instant has come and writes one followup.due
// event each through the outbox, and, once a user's local clock passes 08:30, their daily
// digest as a digest.due event; region staff, once a week, the region's digest as a
// region_digest.due event. A notice recorded in the same transaction as the event
// makes each happen exactly once: after downtime the first tick catches up on what was
// missed, once; a snooze moves the due instant and arms the follow-up again.
//
// The documents carry what a reminder needs without reading more: the follow-up, the due
// instant in the assignee's and the contact's local time, the assignee (email, locale,
// zone), the contact, the lead, and signed done/snooze links (docs/events.md). Its ticks
// read the events' clock (events/clock.hpp), and its events go out through events::publish.
//
// Thread safety: start() and stop() from one thread; the work runs on the scheduler's own.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "domain/time.hpp"
#include "followups/action_links.hpp"
#include "relance/storage/store.hpp"

namespace relance::followups {

struct SchedulerOptions {
  std::chrono::milliseconds tick{1000};  // how often due follow-ups are looked for
  int digest_minutes = 8 * 60 + 30;      // local time of the daily digest: 08:30 (-1: none)
  int stale_days = 14;                   // a lead without activity this long is stale
  // Staff's weekly region digest (region_digest.hpp): on this local weekday (0 Sunday to 6)
  // once their clock passes this time of day (-1: none).
  int region_digest_weekday = 1;
  int region_digest_minutes = 8 * 60;
  int quiet_days = 7;                    // a start-up without activity this long is quiet
  std::size_t batch = 500;               // events written per transaction
  std::string default_time_zone = "Europe/Paris";  // users who set none
  std::string default_locale = "fr";               // users from before every user had a language
};

class FollowupScheduler {
 public:
  FollowupScheduler(storage::Store& store, const ActionLinks& links, SchedulerOptions options);
  ~FollowupScheduler();

  void start();
  void stop();

  // One pass at `now` (the timer passes events::clock()'s): due follow-ups, then digests.
  // Returns the events written.
  std::size_t tick(domain::Clock::time_point now);

 private:
  std::size_t due_followups(domain::Clock::time_point now);
  std::size_t digests(domain::Clock::time_point now);
  std::size_t region_digests(domain::Clock::time_point now);

  storage::Store& store_;
  const ActionLinks& links_;
  const SchedulerOptions options_;
  struct Loop;
  std::unique_ptr<Loop> loop_;
  std::uint64_t ticks_since_digests_ = 0;
};

}  // namespace relance::followups
