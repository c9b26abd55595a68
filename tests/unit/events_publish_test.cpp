// events::publish: the one envelope every producer's events get (docs/events.md), the clock
// they are stamped with, and the transaction they are written in.
#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include "events/clock.hpp"
#include "events/publish.hpp"
#include "memory_event_log.hpp"
#include "relance/model/instant.hpp"
#include "storage_test_support.hpp"

using namespace relance::storage_test;
namespace events = relance::events;
using relance::test::MemoryEventLog;
using relance::test::TempDir;

namespace {

// 2026-03-09T17:30:00.000Z: any instant will do, the test sets the clock to it.
const events::Clock::time_point set_instant{std::chrono::milliseconds(1773077400000)};

events::EventDraft stage_change() {
  return events::EventDraft{"lead.stage_changed", "leads", 41, 2, 7, R"({"id":41,"stage":"meeting"})",
                            {{"changed", R"({"stage":true})"}}};
}

}  // namespace

TEST_CASE("publish wraps a draft in the relance.event/1 document, stamped by the events' clock",
          "[events][publish]") {
  events::FixedClock clock(set_instant);
  events::ClockOverride use(clock);
  MemoryEventLog log;
  std::int64_t id = 0;
  log.write([&](st::EventLogWrites& tx) { id = events::publish(tx, stage_change()); });

  const auto outbox = log.outbox();
  REQUIRE(outbox.size() == 1);
  const st::OutboxRecord& e = outbox.front();
  CHECK(e.id == id);
  CHECK(e.type == "lead.stage_changed");
  CHECK(e.entity == "leads");
  CHECK(e.entity_id == 41);
  CHECK(e.org_id == 2);
  // The outbox row and the document say the same instant.
  CHECK(e.at == "2026-03-09T17:30:00.000Z");
  CHECK(e.payload ==
        R"({"schema":"relance.event/1","type":"lead.stage_changed","org_id":2,"entity":"leads",)"
        R"("entity_id":41,"actor_id":7,"occurred_at":"2026-03-09T17:30:00.000Z",)"
        R"("data":{"id":41,"stage":"meeting"},"changed":{"stage":true}})");
}

TEST_CASE("a draft's further members follow data in the order given, and none follow when it has none",
          "[events][publish]") {
  events::EventDraft due{"followup.due", "followups", 5, 3, 0, R"({"id":5})",
                         {{"due", R"({"at":"x"})"}, {"assignee", "null"}, {"links", "null"}}};
  CHECK(events::envelope(due, "T") ==
        R"({"schema":"relance.event/1","type":"followup.due","org_id":3,"entity":"followups",)"
        R"("entity_id":5,"actor_id":0,"occurred_at":"T","data":{"id":5},)"
        R"("due":{"at":"x"},"assignee":null,"links":null})");
  due.more.clear();
  CHECK(events::envelope(due, "T").ends_with(R"("data":{"id":5}})"));
}

TEST_CASE("moving the events' clock moves occurred_at, and without an override it is the system's",
          "[events][publish][clock]") {
  MemoryEventLog log;
  {
    events::FixedClock clock(set_instant);
    events::ClockOverride use(clock);
    log.write([&](st::EventLogWrites& tx) { events::publish(tx, stage_change()); });
    clock.set(set_instant + std::chrono::hours(24));
    log.write([&](st::EventLogWrites& tx) { events::publish(tx, stage_change()); });
  }
  const std::string before = st::now_instant();
  log.write([&](st::EventLogWrites& tx) { events::publish(tx, stage_change()); });
  const std::string after = st::now_instant();

  const auto outbox = log.outbox();
  REQUIRE(outbox.size() == 3);
  CHECK(outbox[0].at == "2026-03-09T17:30:00.000Z");
  CHECK(outbox[1].at == "2026-03-10T17:30:00.000Z");
  CHECK(outbox[2].at >= before);
  CHECK(outbox[2].at <= after);
  CHECK(outbox[2].payload.find("\"occurred_at\":\"" + outbox[2].at + "\"") != std::string::npos);
}

TEST_CASE("a job that fails after publishing leaves no event in the log", "[events][publish]") {
  MemoryEventLog log;
  CHECK_THROWS_WITH(log.write([&](st::EventLogWrites& tx) {
    events::publish(tx, stage_change());
    throw std::runtime_error("the change was refused");
  }),
                    "the change was refused");
  CHECK(log.outbox().empty());
  CHECK(log.last_outbox_id() == 0);
}

TEST_CASE("an event published in a write job commits with the job's row, and rolls back with it",
          "[events][publish][storage]") {
  TempDir dir;
  auto store = st::open_sqlite_store(options_for(dir.file("relance.db")));
  const std::int64_t org = make_org(*store, "Acme");
  events::FixedClock clock(set_instant);
  events::ClockOverride use(clock);

  std::int64_t id = 0, event_id = 0;
  store->write_sync([&](st::WriteTxn& tx) {
    st::Row r = contact_row(org, "Ada", "Lovelace");
    id = tx.insert(ent::contacts, r);
    event_id = events::publish(tx, events::EventDraft{"contact.created", "contacts", id, org, 5, "{}", {}});
  });
  const auto e = store->outbox_event(event_id);
  REQUIRE(e.has_value());
  CHECK(e->entity_id == id);
  CHECK(e->at == "2026-03-09T17:30:00.000Z");
  CHECK(e->payload == events::envelope(events::EventDraft{"contact.created", "contacts", id, org, 5, "{}", {}},
                                       "2026-03-09T17:30:00.000Z"));

  CHECK_THROWS(store->write_sync([&](st::WriteTxn& tx) {
    st::Row r = contact_row(org, "Grace", "Hopper");
    const std::int64_t second = tx.insert(ent::contacts, r);
    events::publish(tx, events::EventDraft{"contact.created", "contacts", second, org, 5, "{}", {}});
    throw std::runtime_error("validation failed after the fact");
  }));
  CHECK(store->last_outbox_id() == event_id);
  CHECK(store->count(ent::contacts, st::Scope::org(org)) == 1);
}
