// The write-ahead log's file comes back under its limit after a burst of writes: when
// writes stop, while reads go on, and again and again under steady writes and reads. Each
// waits for the checkpointer (twice a second) a bounded time; none asserts how fast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t wal_limit = 256 * 1024;

struct WalStore {
  TempDir dir;
  std::string path = dir.file("relance.db");
  std::unique_ptr<st::Store> store = open([&] {
    st::SqliteOptions o = options_for(path);
    o.wal_limit_bytes = wal_limit;
    return o;
  }());
  std::int64_t org = make_org(*store, "Burst");

  static std::unique_ptr<st::Store> open(const st::SqliteOptions& o) {
    return st::open_sqlite_store(o);
  }
  std::int64_t wal_bytes() const {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path + "-wal", ec);
    return ec ? 0 : static_cast<std::int64_t>(n);
  }
  // `n` contacts with a kilobyte of notes each, submitted together: the writer groups
  // them in a few large commits, as under a burst of API creates.
  void burst(int n) {
    Countdown done(n);
    std::atomic<int> failed{0};
    for (int i = 0; i < n; ++i) {
      st::Row r = contact_row(org, "Burst" + std::to_string(i), "Writer");
      r.set(ent::contacts, "notes", st::Value{std::string(1024, 'n')});
      store->write([r = std::move(r)](st::WriteTxn& tx) mutable { tx.insert(ent::contacts, r); },
                   [&](std::exception_ptr e) {
                     if (e) failed.fetch_add(1);
                     done.count_down();
                   });
    }
    REQUIRE(done.wait());
    REQUIRE(failed.load() == 0);
  }
  // The largest size the log's file reached while `f` ran, sampled every millisecond (the
  // checkpointer may well have emptied it again by the time `f` returns).
  template <class F>
  std::int64_t largest_wal_during(F&& f) const {
    std::atomic<bool> done{false};
    std::atomic<std::int64_t> largest{0};
    std::thread sampler([&] {
      while (!done.load()) {
        largest.store(std::max(largest.load(), wal_bytes()));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    f();
    done.store(true);
    sampler.join();
    return std::max(largest.load(), wal_bytes());
  }
  // Reads on every reader connection at once, so that each keeps a snapshot begun while
  // the log held frames the checkpointer had not copied yet.
  void read_on_every_reader(std::int64_t id) {
    std::vector<std::thread> readers;
    for (std::size_t t = 0; t < options_for(path).readers; ++t)
      readers.emplace_back([&] {
        for (int i = 0; i < 50; ++i) (void)store->get(ent::contacts, st::Scope::org(org), id);
      });
    for (auto& t : readers) t.join();
  }
  // Waits up to `seconds` for the log's file to be at most the limit.
  bool wal_back_under_limit_within(int seconds) const {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      if (wal_bytes() <= wal_limit) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return wal_bytes() <= wal_limit;
  }
};

}  // namespace

TEST_CASE_METHOD(WalStore,
                 "after a burst of writes the log's file shrinks back under its limit once "
                 "writes stop, though readers keep their snapshots",
                 "[storage][wal]") {
  std::int64_t id = 0;
  REQUIRE(largest_wal_during([&] {
            burst(3000);
            id = make_contact(*store, org, "Last", "Write");
            read_on_every_reader(id);
          }) > 4 * wal_limit);  // the burst did fill the log
  CHECK(wal_back_under_limit_within(15));
  INFO("wal: " << wal_bytes() << " bytes");
  // Writes after the burst start the log over instead of appending to it.
  for (int i = 0; i < 20; ++i) {
    make_contact(*store, org, "After" + std::to_string(i), "Burst");
    read_on_every_reader(id);
  }
  CHECK(wal_back_under_limit_within(15));
  const st::StoreStats s = store->stats();
  CHECK(s.wal_limit_bytes == wal_limit);
  CHECK(s.wal_truncations >= 1);
  CHECK(!s.last_checkpoint.mode.empty());
  CHECK(s.last_checkpoint.at > 0);
}

TEST_CASE_METHOD(WalStore,
                 "after a burst of writes the log's file shrinks back under its limit while "
                 "reads go on without a pause",
                 "[storage][wal]") {
  std::int64_t id = 0;
  REQUIRE(largest_wal_during([&] {
            burst(3000);
            id = make_contact(*store, org, "Last", "Write");
          }) > 4 * wal_limit);
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> reads{0}, misses{0};
  std::vector<std::thread> readers;
  for (std::size_t t = 0; t < options_for(path).readers + 1; ++t)
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (!store->get(ent::contacts, st::Scope::org(org), id)) misses.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  const bool shrank = wal_back_under_limit_within(15);
  stop.store(true);
  for (auto& t : readers) t.join();
  INFO("wal: " << wal_bytes() << " bytes after " << reads.load() << " reads");
  CHECK(shrank);
  CHECK(misses.load() == 0);
}

TEST_CASE_METHOD(WalStore,
                 "under steady writes and reads the log's file keeps coming back under its "
                 "limit instead of growing",
                 "[storage][wal]") {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> load;
  load.emplace_back([&] {  // a write at a time, each acknowledged before the next
    for (int i = 0; !stop.load(); ++i) {
      try {
        st::Row r = contact_row(org, "Steady" + std::to_string(i), "Writer");
        r.set(ent::contacts, "notes", st::Value{std::string(4096, 's')});
        const std::int64_t id = insert(*store, ent::contacts, std::move(r));
        // Read back at once: a client sees what it was told is written.
        if (!store->get(ent::contacts, st::Scope::org(org), id)) failures.fetch_add(1);
      } catch (...) {
        failures.fetch_add(1);
      }
    }
  });
  for (int t = 0; t < 2; ++t)
    load.emplace_back([&] {
      st::ListQuery q;
      q.scope = st::Scope::org(org);
      q.limit = 20;
      while (!stop.load()) (void)store->list(ent::contacts, q);
    });
  // Count the times the file went over the limit and came back under it.
  int returns = 0;
  bool over = false;
  std::int64_t largest = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (returns < 3 && Clock::now() < deadline) {
    const std::int64_t size = wal_bytes();
    largest = std::max(largest, size);
    if (size > wal_limit) over = true;
    if (over && size <= wal_limit) {
      ++returns;
      over = false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop.store(true);
  for (auto& t : load) t.join();
  INFO("largest log: " << largest << " bytes; limit " << wal_limit);
  CHECK(returns == 3);
  CHECK(failures.load() == 0);
}
