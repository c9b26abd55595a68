// The WriteTxn a write job sees: the writer's connection inside the open transaction. It is
// its own event-log view too (WriteTxn::events()), and keeps the organisations of the
// events appended, for the writer to signal after the commit.
#pragma once

#include "relance/storage/event_log.hpp"
#include "relance/storage/store.hpp"
#include "sqlite/connection.hpp"

namespace relance::storage::sqlite {

class SqliteWriteTxn final : public WriteTxn, public EventLogWrites {
 public:
  explicit SqliteWriteTxn(Connection& c) : c_(c) {}

  std::int64_t insert(const Entity& e, Row& row) override;
  void insert_many(const Entity& e, std::span<Row> rows) override;
  std::optional<Row> get(const Entity& e, const Scope& scope, std::int64_t id) override;
  std::vector<Row> list(const Entity& e, const ListQuery& q) override;
  void update(const Entity& e, Row& row) override;
  void remove(const Entity& e, std::int64_t org_id, std::int64_t id) override;
  bool referenced(const Entity& by, std::string_view field, std::int64_t id) override;
  std::vector<Row> referencing(const Entity& by, std::string_view field, std::int64_t id,
                               std::int64_t org_id) override;
  void restore(const Entity& e, const Row& row) override;
  std::optional<Row> find_unique(const Entity& e, std::string_view field,
                                 const Value& v) override;
  void set_attachment_content(std::int64_t org_id, std::int64_t id, std::string_view bytes) override;
  void audit(const AuditEntry& entry) override;
  EventLogWrites& events() override { return *this; }
  std::optional<IdempotentResponse> idempotent(std::int64_t user_id,
                                               const std::string& key) override;
  void remember(std::int64_t user_id, const std::string& key,
                const IdempotentResponse& response) override;
  std::int64_t append(const OutboxEvent& event) override;
  std::int64_t put_plugin_instance(PluginInstanceRecord& instance,
                                   std::int64_t start_after) override;
  void remove_plugin_instance(std::int64_t id) override;
  void set_plugin_suspended(std::int64_t id, const std::string& why) override;
  void set_plugin_cursor(std::int64_t instance_id, std::int64_t event_id) override;
  void put_plugin_state(std::int64_t instance_id, const std::string& key,
                        const std::string* value) override;
  void put_dead_letter(const DeadLetter& letter) override;
  bool remove_dead_letter(std::int64_t instance_id, std::int64_t event_id) override;
  bool record_followup_notice(std::int64_t followup_id, const std::string& due_at) override;
  bool record_digest(std::int64_t user_id, const std::string& day) override;
  bool record_cadence_mark(std::int64_t rule_id, std::int64_t lead_id, const std::string& occasion) override;
  std::int64_t insert_contact_merge(ContactMergeRecord& merge) override;
  std::optional<ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) override;
  void set_contact_merge_undone(ContactMergeRecord& merge) override;

  // The organisations of the events appended since the transaction began, one entry per
  // event: the writer cuts it back to a job's start when the job rolls back, and hands it
  // to the commit listeners after the commit.
  std::vector<std::int64_t>& appended_orgs() { return appended_orgs_; }

 private:
  Connection& c_;
  std::vector<std::int64_t> appended_orgs_;
};

}  // namespace relance::storage::sqlite
