// The commit signal: after a commit that appended events, the event log tells its listeners
// which organisations got them (event delivery waits for it instead of polling the outbox).
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "events/publish.hpp"
#include "memory_event_log.hpp"
#include "storage_test_support.hpp"

using namespace relance::storage_test;
namespace events = relance::events;
using relance::test::MemoryEventLog;
using relance::test::TempDir;

namespace {

// What a listener was told, call by call.
struct Heard {
  std::mutex mu;
  std::vector<std::vector<std::int64_t>> calls;

  st::CommitListener listener() {
    return [this](std::span<const std::int64_t> orgs) {
      std::lock_guard lock(mu);
      calls.emplace_back(orgs.begin(), orgs.end());
    };
  }
  std::vector<std::vector<std::int64_t>> taken() {
    std::lock_guard lock(mu);
    return calls;
  }
  std::set<std::int64_t> organisations() {
    std::set<std::int64_t> out;
    for (const auto& c : taken()) out.insert(c.begin(), c.end());
    return out;
  }
};

events::EventDraft created(std::int64_t org, std::int64_t id) {
  return events::EventDraft{"contact.created", "contacts", id, org, 1, "{}", {}};
}

}  // namespace

TEST_CASE("a listener is told after a commit with events, each organisation once and in order",
          "[events][signal]") {
  MemoryEventLog log;
  Heard heard;
  log.add_commit_listener(heard.listener());
  log.write([](st::EventLogWrites& tx) {
    events::publish(tx, created(3, 1));
    events::publish(tx, created(1, 2));
    events::publish(tx, created(3, 3));
  });
  CHECK(heard.taken() == std::vector<std::vector<std::int64_t>>{{1, 3}});
}

TEST_CASE("a job that fails, or commits without events, signals nothing, and a removed listener hears nothing",
          "[events][signal]") {
  MemoryEventLog log;
  Heard heard, removed;
  log.add_commit_listener(heard.listener());
  const std::int64_t gone = log.add_commit_listener(removed.listener());
  log.remove_commit_listener(gone);

  CHECK_THROWS(log.write([](st::EventLogWrites& tx) {
    events::publish(tx, created(3, 1));
    throw std::runtime_error("rolled back");
  }));
  log.write([](st::EventLogWrites& tx) { tx.set_plugin_cursor(1, 0); });
  CHECK(heard.taken().empty());

  log.write([](st::EventLogWrites& tx) { events::publish(tx, created(4, 1)); });
  CHECK(heard.taken() == std::vector<std::vector<std::int64_t>>{{4}});
  CHECK(removed.taken().empty());
}

TEST_CASE("the storage writer signals a commit with events before acknowledging its jobs",
          "[events][signal][storage]") {
  TempDir dir;
  auto store = st::open_sqlite_store(options_for(dir.file("relance.db")));
  const std::int64_t acme = make_org(*store, "Acme"), globex = make_org(*store, "Globex");
  Heard heard;
  const std::int64_t listener = store->add_commit_listener(heard.listener());

  std::promise<std::size_t> heard_at_done;
  store->write(
      [&](st::WriteTxn& tx) {
        events::publish(tx, created(globex, 1));
        events::publish(tx, created(acme, 2));
      },
      [&](std::exception_ptr) { heard_at_done.set_value(heard.taken().size()); });
  CHECK(heard_at_done.get_future().get() == 1);
  CHECK(heard.taken().front() == std::vector<std::int64_t>{std::min(acme, globex), std::max(acme, globex)});

  store->remove_commit_listener(listener);
  store->write_sync([&](st::WriteTxn& tx) { events::publish(tx, created(acme, 3)); });
  CHECK(heard.taken().size() == 1);
}

TEST_CASE("the storage writer leaves a job rolled back out of the signal, and a commit without events signals nothing",
          "[events][signal][storage]") {
  TempDir dir;
  auto store = st::open_sqlite_store(options_for(dir.file("relance.db")));
  const std::int64_t kept = make_org(*store, "Acme"), failed = make_org(*store, "Globex");
  Heard heard;
  store->add_commit_listener(heard.listener());

  // Queued together, so that they usually share a transaction: the failing job's savepoint
  // is rolled back while the others commit.
  std::vector<std::future<void>> done;
  auto submit = [&](st::Store::Job job) {
    auto p = std::make_shared<std::promise<void>>();
    done.push_back(p->get_future());
    store->write(std::move(job), [p](std::exception_ptr e) {
      if (e) p->set_exception(e);
      else p->set_value();
    });
  };
  for (int i = 0; i < 20; ++i) {
    submit([&](st::WriteTxn& tx) { events::publish(tx, created(kept, 1)); });
    submit([&](st::WriteTxn& tx) {
      events::publish(tx, created(failed, 2));
      throw std::runtime_error("refused");
    });
    submit([&](st::WriteTxn& tx) { tx.events().set_plugin_cursor(1, 0); });
  }
  int failures = 0;
  for (auto& f : done) {
    try {
      f.get();
    } catch (const std::runtime_error&) {
      ++failures;
    }
  }
  CHECK(failures == 20);
  CHECK(heard.organisations() == std::set<std::int64_t>{kept});
  // Only commits that appended events were signalled.
  for (const auto& call : heard.taken()) CHECK(call == std::vector<std::int64_t>{kept});
}
