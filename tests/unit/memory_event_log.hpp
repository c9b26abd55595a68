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
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relance/storage/event_log.hpp"

namespace relance::test {

class MemoryEventLog final : public storage::EventLog {
 public:
  using Job = std::function<void(storage::EventLogWrites&)>;

  // Runs `job` in a transaction of its own; rethrows what it threw, with nothing written.
  void write(const Job& job);
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
  class Transaction;

  State snapshot() const;

  mutable std::mutex mu_;     // guards state_
  State state_;
  std::mutex write_mu_;       // one write at a time
  storage::CommitListeners listeners_;
};

}  // namespace relance::test
