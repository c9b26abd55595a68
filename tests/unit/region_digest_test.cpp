// The weekly region digest (followups/region_digest.hpp): one region_digest.due per staff
// member and week, on the configured local weekday once the configured time has passed,
// with the start-ups' figures and none of their personal data.
#include <catch2/catch.hpp>

#include <chrono>

#include "domain/time.hpp"
#include "events/clock.hpp"
#include "followups/action_links.hpp"
#include "followups/region_digest.hpp"
#include "followups/scheduler.hpp"
#include "storage_test_support.hpp"

using namespace relance::storage_test;
namespace events = relance::events;
namespace followups = relance::followups;
using relance::test::TempDir;

namespace {

// The scheduler looks at digests once every 60 ticks: one such look.
std::size_t digest_pass(followups::FollowupScheduler& scheduler) {
  std::size_t written = 0;
  for (int i = 0; i < 60; ++i) written += scheduler.tick(events::clock().now());
  return written;
}

}  // namespace

TEST_CASE("weekday_of reads the weekday of a local date and refuses what is not one", "[followups][region]") {
  CHECK(followups::weekday_of("2026-06-15") == 1);  // a Monday
  CHECK(followups::weekday_of("2026-06-14") == 0);
  CHECK(followups::weekday_of("2026-02-30") == -1);
  CHECK(followups::weekday_of("15/06/2026") == -1);
}

TEST_CASE("the region digest goes to each staff member once a week on the configured day with figures and no personal data",
          "[followups][region]") {
  TempDir dir;
  auto store = st::open_sqlite_store(options_for(dir.file("relance.db")));
  st::Row region;
  region.set(ent::organisations, "name", str("Région Sud"));
  region.set(ent::organisations, "kind", str("region"));
  const std::int64_t region_id = insert(*store, ent::organisations, region);
  const std::int64_t alpha = make_org(*store, "Alpha Robotics");
  auto user = [&](std::int64_t org, const char* email, const char* role) {
    st::Row u;
    u.org_id = org;
    u.set(ent::users, "email", str(email));
    u.set(ent::users, "display_name", str(email));
    u.set(ent::users, "role", str(role));
    u.set(ent::users, "locale", str("fr"));
    u.set(ent::users, "time_zone", str("Europe/Paris"));
    u.set(ent::users, "disabled", num(0));
    return insert(*store, ent::users, u);
  };
  const std::int64_t camille = user(region_id, "camille@region.test", "staff");
  user(alpha, "lea@alpha.test", "member");
  const std::int64_t contact = make_contact(*store, alpha, "Quetzalcoatl", "Zyxwvutsky");
  const std::int64_t lead = make_lead(*store, alpha, "Série A", contact, false);
  st::Row outcome;
  outcome.org_id = alpha;
  outcome.set(ent::outcomes, "lead_id", num(lead));
  outcome.set(ent::outcomes, "kind", str("investment"));
  outcome.set(ent::outcomes, "amount", num(25000000));
  outcome.set(ent::outcomes, "currency", str("EUR"));
  outcome.set(ent::outcomes, "notes", str("outcome-secret-note"));
  insert(*store, ent::outcomes, outcome);

  // Noon in Paris today: an hour later is the same day whenever the test runs.
  const auto today = relance::domain::local_day(std::chrono::system_clock::now(), "Europe/Paris");
  events::FixedClock clock(today.begins + std::chrono::hours(12));
  events::ClockOverride use(clock);
  followups::ActionLinks links(dir.file("link-signing.key"), "http://127.0.0.1:1", std::chrono::hours(24));
  followups::SchedulerOptions options;
  options.digest_minutes = -1;
  options.region_digest_weekday = followups::weekday_of(today.date);
  options.region_digest_minutes = 0;
  followups::FollowupScheduler scheduler(*store, links, options);

  REQUIRE(digest_pass(scheduler) == 1);
  const auto e = store->outbox_event(store->last_outbox_id());
  REQUIRE(e.has_value());
  CHECK(e->type == "region_digest.due");
  CHECK(e->org_id == region_id);
  CHECK(e->entity_id == camille);
  INFO(e->payload);
  CHECK(e->payload.find(R"("org_name":"Alpha Robotics","kind":"investment","amount":"250000.00","currency":"EUR")") !=
        std::string::npos);
  CHECK(e->payload.find(R"("quiet_startups":[{"org_id":)" + std::to_string(alpha) +
                        R"(,"org_name":"Alpha Robotics","last_activity_at":null,"days":null}])") != std::string::npos);
  CHECK(e->payload.find(R"("stale_by_startup":[])") != std::string::npos);
  for (const char* personal : {"Quetzalcoatl", "Zyxwvutsky", "outcome-secret-note", "Région Sud"})
    CHECK(e->payload.find(personal) == std::string::npos);

  clock.set(clock.now() + std::chrono::hours(1));
  CHECK(digest_pass(scheduler) == 0);  // once a week
  clock.set(clock.now() + std::chrono::hours(24));
  CHECK(digest_pass(scheduler) == 0);  // another weekday
  clock.set(clock.now() + std::chrono::hours(24 * 6));
  CHECK(digest_pass(scheduler) == 1);  // the same weekday, a week later
}
