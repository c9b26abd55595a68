// The demo's writes, many records per transaction. Each record is written by the services'
// own steps (services::insert_record, update_record: field rules, references, audit entry,
// outbox event) at the instant it happened: the job sets the events' clock, which storage
// stamps created_at, the audit and the outbox with, before each record.
//
// Records are checked (the field rules, on the caller's thread) while the writer writes the
// batch before: the two cores work at once. A batch is a transaction of its own
// (Store::write_alone); at most a few wait, so memory stays flat at any scale.
//
// Thread safety: one caller thread; the steps run on the store's writer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "events/clock.hpp"
#include "relance/storage/store.hpp"

namespace relance::demo {

using Instant = std::chrono::system_clock::time_point;

class BulkWriter {
 public:
  // A step writes one record (or a record and what follows it) inside the batch's
  // transaction; `at` sets the clock for what it writes next.
  using At = std::function<void(Instant)>;
  using Step = std::function<void(storage::WriteTxn&, const At& at)>;

  // `clock` is the events' clock in use (the caller's ClockOverride) while steps run.
  // `progress`, when set, hears "contacts: 30% (300000 of 1000000)" every tenth of
  // `expected` steps queued.
  BulkWriter(storage::Store& store, events::FixedClock& clock, std::size_t batch_size,
             std::function<void(const std::string&)> progress = {}, std::string what = {},
             std::size_t expected = 0);
  ~BulkWriter();
  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  // Queues `step`, run with the clock at `at`.
  void add(Instant at, Step step);
  // Waits until every step added is written; rethrows the first error of a batch.
  void finish();
  std::size_t written() const;

 private:
  struct Item {
    Instant at;
    Step step;
  };
  void submit();

  storage::Store& store_;
  std::size_t batch_size_;
  std::function<void(const std::string&)> progress_;
  std::string what_;
  std::size_t expected_;
  std::size_t queued_ = 0;
  std::size_t reported_tenths_ = 0;
  events::FixedClock& clock_;
  std::vector<Item> batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::size_t in_flight_ = 0;  // under mu_
  std::size_t written_ = 0;    // under mu_
  std::exception_ptr error_;   // under mu_
};

}  // namespace relance::demo
