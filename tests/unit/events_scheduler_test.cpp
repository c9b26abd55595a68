// The follow-up scheduler's events go through events::publish like every other producer's:
// the same document, stamped by the events' clock, once per due instant.
#include <catch2/catch.hpp>

#include <chrono>

#include "events/clock.hpp"
#include "followups/action_links.hpp"
#include "followups/scheduler.hpp"
#include "relance/model/instant.hpp"
#include "storage_test_support.hpp"

using namespace relance::storage_test;
namespace events = relance::events;
namespace followups = relance::followups;
using relance::test::TempDir;

TEST_CASE("a due follow-up becomes one followup.due document, stamped by the events' clock",
          "[events][followups]") {
  TempDir dir;
  auto store = st::open_sqlite_store(options_for(dir.file("relance.db")));
  const std::int64_t org = make_org(*store, "Acme");
  // Any instant will do: the test sets the clock to it, and the follow-up fell due an hour before.
  events::FixedClock clock(events::Clock::time_point{std::chrono::milliseconds(1773077400000)});
  events::ClockOverride use(clock);
  st::Row f;
  f.org_id = org;
  f.set(ent::followups, "title", str("Call back"));
  f.set(ent::followups, "status", str("open"));
  f.set(ent::followups, "due_at", st::Value{st::format_instant(clock.now() - std::chrono::hours(1))});
  const std::int64_t id = insert(*store, ent::followups, f);

  followups::ActionLinks links(dir.file("link-signing.key"), "http://127.0.0.1:1", std::chrono::hours(24));
  followups::SchedulerOptions options;
  options.digest_minutes = -1;
  followups::FollowupScheduler scheduler(*store, links, options);
  CHECK(scheduler.tick(events::clock().now()) == 1);
  clock.set(clock.now() + std::chrono::minutes(1));
  CHECK(scheduler.tick(events::clock().now()) == 0);  // announced once per due instant

  const auto e = store->outbox_event(store->last_outbox_id());
  REQUIRE(e.has_value());
  CHECK(e->type == "followup.due");
  CHECK(e->entity == "followups");
  CHECK(e->entity_id == id);
  CHECK(e->org_id == org);
  CHECK(e->at == "2026-03-09T17:30:00.000Z");
  const std::string head = R"({"schema":"relance.event/1","type":"followup.due","org_id":)" + std::to_string(org) +
                           R"(,"entity":"followups","entity_id":)" + std::to_string(id) +
                           R"(,"actor_id":0,"occurred_at":"2026-03-09T17:30:00.000Z","data":{"id":)";
  CHECK(e->payload.starts_with(head));
  CHECK(e->payload.find(R"(},"due":{"at":"2026-03-09T16:30:00.000Z","time_zone":"Europe/Paris",)") !=
        std::string::npos);
  CHECK(e->payload.ends_with(R"(,"assignee":null,"contact":null,"lead":null,"links":null})"));
}
