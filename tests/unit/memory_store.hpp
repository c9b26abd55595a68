// MemoryStore: an in-memory storage::Store for unit tests of the services, with no database.
// Rows live in maps, a write job runs at once on the calling thread against a WriteTxn of
// the same maps, and a job that throws leaves the maps as they were (a rollback), as a
// savepoint of the SQLite store does. list() does enough for the services' tests: scopes and
// sharing, eq/ge/lt/has_tag/is_null filters, any sort with a keyset cursor, a search that
// finds rows whose searchable fields start words with every word typed. What no test needs
// (scans, the scheduler's queries, backups) throws std::logic_error. Events go to a
// MemoryEventLog (memory_event_log.hpp), written in the same transaction as the rows:
// WriteTxn::events() is a transaction of that log, committed when the job returns.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "memory_event_log.hpp"
#include "relance/storage/store.hpp"

namespace relance::test {

class MemoryStore : public storage::Store {
 public:
  // Everything a write may change: a job works on it and it is put back when the job throws.
  struct State {
    std::map<std::string, std::map<std::int64_t, storage::Row>> rows;  // by entity name, by id
    std::int64_t next_id = 1;  // one sequence for every entity: ids never collide in a test
    std::vector<storage::AuditRecord> audit;
    std::map<std::pair<std::int64_t, std::string>, storage::IdempotentResponse> idempotency;
    std::vector<storage::ContactMergeRecord> merges;
  };

  // The writes done so far, for a test to look at.
  const State& state() const { return state_; }
  std::size_t write_jobs() const { return write_jobs_; }
  // The events written by the jobs that committed.
  MemoryEventLog& event_log() { return events_; }
  std::vector<storage::OutboxRecord> outbox() const { return events_.outbox(); }

  void write(Job job, Done done) override;
  void write_alone(Job job, Done done) override { write(std::move(job), std::move(done)); }

  std::optional<storage::Row> get(const storage::Entity& e, const storage::Scope& scope, std::int64_t id) override;
  bool get_into(const storage::Entity& e, const storage::Scope& scope, std::int64_t id, storage::Row& row) override;
  std::vector<storage::Row> list(const storage::Entity& e, const storage::ListQuery& q) override;
  void scan(const storage::Entity& e, const storage::ListQuery& q,
            const std::function<bool(storage::Row&)>& visit) override;
  std::optional<storage::Row> find_unique(const storage::Entity& e, std::string_view field,
                                          const storage::Value& v) override;
  std::vector<storage::AuditRecord> audit_log(std::int64_t org_id, std::int64_t before_id, std::size_t limit) override;
  std::vector<storage::AuditRecord> audit_of_row(std::string_view entity, std::int64_t entity_id,
                                                 std::size_t limit) override;
  std::int64_t count(const storage::Entity& e, const storage::Scope& scope) override;
  std::optional<std::string> attachment_content(std::int64_t org_id, std::int64_t id) override;
  std::optional<storage::ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) override;
  std::vector<storage::ContactMergeRecord> contact_merges(const storage::ContactMergeQuery& q) override;

  std::vector<storage::Row> due_followups(const std::string& now, std::size_t limit) override;
  bool digest_recorded(std::int64_t user_id, const std::string& day) override;
  std::vector<StaleLead> stale_leads(std::int64_t org_id, std::optional<std::int64_t> owner_id,
                                     const std::optional<std::string>& stage, const std::string& before,
                                     std::size_t limit) override;

  bool ready() override { return true; }
  storage::StoreStats stats() override;
  void backup(const std::string& path) override;
  void close() override {}

 private:
  State state_;
  MemoryEventLog events_;
  std::size_t write_jobs_ = 0;
};

// Whether row `r` of `e` is one `scope` shows, by the entities' Sharing rules (as the SQLite
// store's scope clause does). `state` holds the leads the via_* rules look at.
bool in_scope(const MemoryStore::State& state, const storage::Entity& e, const storage::Scope& scope,
              const storage::Row& r);

}  // namespace relance::test
