// EventLog: the outbox and its delivery to plugin instances, kept apart from Store (the
// records). Events are appended inside a write job through WriteTxn::events(), so an event
// commits or rolls back with the rows it announces; the reads below run on the calling
// thread and see every write whose `done` has been called.
//
// After every commit that appended events, the log tells its commit listeners which
// organisations got new ones: delivery waits for that signal instead of polling the outbox.
//
// Thread safety: every member function may be called from any thread; a listener is called
// on the thread that committed (the storage writer's).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "relance/storage/delivery.hpp"

namespace relance::storage {

// One event as a producer appends it (core/events builds it: docs/events.md).
struct OutboxEvent {
  std::int64_t org_id = 0;
  std::string type;       // "contact.created"
  std::string entity;
  std::int64_t entity_id = 0;
  std::string payload;    // JSON text, the versioned event document
  std::string at;         // when it occurred (the document's occurred_at); "" for now
};

// The event log's side of a write transaction: valid only inside the write job that
// obtained it (WriteTxn::events()), and written in the same transaction as the records.
class EventLogWrites {
 public:
  virtual ~EventLogWrites() = default;

  // Appends the event to the outbox; returns its id (the stable event id).
  virtual std::int64_t append(const OutboxEvent& event) = 0;

  // Inserts (id == 0) or replaces an instance; returns its id. Throws StorageError
  // (constraint) when the organisation already has an instance of that name. A new
  // instance's cursor starts at `start_after` (an outbox id).
  virtual std::int64_t put_plugin_instance(PluginInstanceRecord& instance,
                                           std::int64_t start_after) = 0;
  // Deletes an instance with its cursor, state and dead letters.
  virtual void remove_plugin_instance(std::int64_t id) = 0;
  virtual void set_plugin_suspended(std::int64_t id, const std::string& why) = 0;
  virtual void set_plugin_cursor(std::int64_t instance_id, std::int64_t event_id) = 0;
  // value == nullptr erases the key.
  virtual void put_plugin_state(std::int64_t instance_id, const std::string& key,
                                const std::string* value) = 0;
  virtual void put_dead_letter(const DeadLetter& letter) = 0;
  virtual bool remove_dead_letter(std::int64_t instance_id, std::int64_t event_id) = 0;
};

// Told after a commit that appended events: the organisations they belong to, each once,
// in increasing order. Must return quickly (it runs on the writer's thread) and must not
// wait for a write.
using CommitListener = std::function<void(std::span<const std::int64_t> org_ids)>;

class EventLog {
 public:
  virtual ~EventLog() = default;

  virtual std::vector<PluginInstanceRecord> plugin_instances() = 0;
  virtual std::optional<PluginInstanceRecord> plugin_instance(std::int64_t id) = 0;
  // Appends to `out` at most `limit` outbox events of `org_id` after `after_id`, in order.
  virtual void read_outbox(std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                           std::vector<OutboxRecord>& out) = 0;
  virtual std::optional<OutboxRecord> outbox_event(std::int64_t id) = 0;
  virtual std::int64_t last_outbox_id() = 0;
  virtual std::optional<std::string> plugin_state(std::int64_t instance_id,
                                                  const std::string& key) = 0;
  virtual DeliveryPosition delivery_position(std::int64_t instance_id, std::int64_t org_id,
                                             std::int64_t pending_cap) = 0;
  // Dead letters of an instance, oldest event first, after event `after_event_id`.
  virtual std::vector<DeadLetter> dead_letters(std::int64_t instance_id,
                                               std::int64_t after_event_id,
                                               std::size_t limit) = 0;

  // Registers `listener` for the commits to come; returns what remove_commit_listener()
  // takes. Once removal has returned, the listener is not running and is never called again.
  virtual std::int64_t add_commit_listener(CommitListener listener) = 0;
  virtual void remove_commit_listener(std::int64_t id) = 0;
};

// The listeners of one event log, for its implementations: registration, and the call
// after a commit.
class CommitListeners {
 public:
  std::int64_t add(CommitListener listener) {
    std::lock_guard lock(mu_);
    listeners_.emplace(++last_id_, std::move(listener));
    return last_id_;
  }
  // Waits for a call in progress (the lock is held during calls).
  void remove(std::int64_t id) {
    std::lock_guard lock(mu_);
    listeners_.erase(id);
  }
  // Sorts and deduplicates `org_ids`, then tells every listener (nothing when empty).
  void committed(std::vector<std::int64_t>& org_ids) {
    if (org_ids.empty()) return;
    std::sort(org_ids.begin(), org_ids.end());
    org_ids.erase(std::unique(org_ids.begin(), org_ids.end()), org_ids.end());
    std::lock_guard lock(mu_);
    for (auto& [id, listener] : listeners_) {
      try {
        listener(org_ids);
      } catch (...) {
        // A listener's failure must not reach the writer, which has committed already.
      }
    }
  }

 private:
  std::mutex mu_;
  std::map<std::int64_t, CommitListener> listeners_;
  std::int64_t last_id_ = 0;
};

}  // namespace relance::storage
