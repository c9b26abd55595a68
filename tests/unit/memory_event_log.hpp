// MemoryEventLog: an EventLog kept in memory, for unit tests of what publishes and delivers
// events without a database. A write runs on a copy of the log and replaces it when the job
// returns (a commit: the commit listeners are then told, as the storage writer tells them);
// a job that throws leaves the log as it was. Instances get their cursor, state and dead
// letters as in SQLite (delivery_ops.cpp), instants as the job gave them or "now".
//
// Thread safety: every member may be called from any thread; writes run one at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relance/storage/event_log.hpp"

namespace relance::test {

class MemoryEventLog final : public storage::EventLog {
  struct State;

 public:
  using Job = std::function<void(storage::EventLogWrites&)>;
  class Transaction;

  // Runs `job` in a transaction of its own; rethrows what it threw, with nothing written.
  void write(const Job& job);
  // The same in steps, for a fake WriteTxn whose events() must write in the fake's own
  // transaction: begin() works on a copy of the log, commit() puts the copy in its place and
  // tells the listeners; a transaction dropped without commit() wrote nothing. One
  // transaction at a time, as with the storage writer.
  std::unique_ptr<Transaction> begin() const;
  void commit(Transaction& tx);
  // Every event committed, in order.
  std::vector<storage::OutboxRecord> outbox() const;

  std::vector<storage::PluginInstanceRecord> plugin_instances() override;
  std::optional<storage::PluginInstanceRecord> plugin_instance(std::int64_t id) override;
  void read_outbox(std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                   std::vector<storage::OutboxRecord>& out) override;
  std::optional<storage::OutboxRecord> outbox_event(std::int64_t id) override;
  std::int64_t last_outbox_id() override;
  std::optional<std::string> plugin_state(std::int64_t instance_id, const std::string& key) override;
  storage::DeliveryPosition delivery_position(std::int64_t instance_id, std::int64_t org_id,
                                              std::int64_t pending_cap) override;
  std::vector<storage::DeadLetter> dead_letters(std::int64_t instance_id, std::int64_t after_event_id,
                                                std::size_t limit) override;
  std::int64_t add_commit_listener(storage::CommitListener listener) override;
  void remove_commit_listener(std::int64_t id) override;

 private:
  struct State {
    std::vector<storage::OutboxRecord> outbox;
    std::map<std::int64_t, storage::PluginInstanceRecord> instances;
    std::map<std::int64_t, std::int64_t> cursors;
    std::map<std::pair<std::int64_t, std::string>, std::string> plugin_state;
    std::map<std::pair<std::int64_t, std::int64_t>, storage::DeadLetter> dead_letters;
    std::int64_t last_instance_id = 0;
  };
  State snapshot() const;

  mutable std::mutex mu_;     // guards state_
  State state_;
  std::mutex write_mu_;       // one write at a time
  storage::CommitListeners listeners_;
};

// The writes of one transaction, on a copy of the log's state.
class MemoryEventLog::Transaction final : public storage::EventLogWrites {
 public:
  explicit Transaction(State state) : s_(std::move(state)) {}

  std::int64_t append(const storage::OutboxEvent& event) override;
  std::int64_t put_plugin_instance(storage::PluginInstanceRecord& instance, std::int64_t start_after) override;
  void remove_plugin_instance(std::int64_t id) override;
  void set_plugin_suspended(std::int64_t id, const std::string& why) override;
  void set_plugin_cursor(std::int64_t instance_id, std::int64_t event_id) override;
  void put_plugin_state(std::int64_t instance_id, const std::string& key, const std::string* value) override;
  void put_dead_letter(const storage::DeadLetter& letter) override;
  bool remove_dead_letter(std::int64_t instance_id, std::int64_t event_id) override;

 private:
  friend class MemoryEventLog;
  State s_;
  std::vector<std::int64_t> orgs_;  // of the events appended, for the commit's signal
};

}  // namespace relance::test
