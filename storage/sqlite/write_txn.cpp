#include "sqlite/write_txn.hpp"

#include "sqlite/attachment_content.hpp"
#include "sqlite/contact_merge_ops.hpp"
#include "sqlite/delivery_ops.hpp"
#include "sqlite/row_sql.hpp"

namespace relance::storage::sqlite {

std::int64_t SqliteWriteTxn::insert(const Entity& e, Row& row) { return insert_row(c_, e, row); }
void SqliteWriteTxn::insert_many(const Entity& e, std::span<Row> rows) { insert_rows(c_, e, rows); }

std::optional<Row> SqliteWriteTxn::get(const Entity& e, const Scope& scope, std::int64_t id) {
  return get_row(c_, e, scope, id);
}

void SqliteWriteTxn::update(const Entity& e, Row& row) { update_row(c_, e, row); }

void SqliteWriteTxn::remove(const Entity& e, std::int64_t org_id, std::int64_t id) {
  delete_row(c_, e, org_id, id);
}

bool SqliteWriteTxn::referenced(const Entity& by, std::string_view field, std::int64_t id) {
  return is_referenced(c_, by, field, id);
}

std::vector<Row> SqliteWriteTxn::list(const Entity& e, const ListQuery& q) { return list_rows(c_, e, q); }

std::vector<Row> SqliteWriteTxn::referencing(const Entity& by, std::string_view field,
                                             std::int64_t id, std::int64_t org_id) {
  return referencing_rows(c_, by, field, id, org_id);
}

void SqliteWriteTxn::restore(const Entity& e, const Row& row) { restore_row(c_, e, row); }

std::optional<Row> SqliteWriteTxn::find_unique(const Entity& e, std::string_view field,
                                               const Value& v) {
  return find_unique_row(c_, e, field, v);
}

void SqliteWriteTxn::set_attachment_content(std::int64_t org_id, std::int64_t id, std::string_view bytes) {
  write_attachment_content(c_, org_id, id, bytes);
}

namespace {

// Runs `sql` with `values` bound in order.
void execute(Connection& c, const std::string& sql, std::initializer_list<Value> values) {
  try {
    auto& st = c.statement(sql);
    int i = 1;
    for (const Value& v : values) bind(st, i++, v);
    st.exec();
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

}  // namespace

void SqliteWriteTxn::audit(const AuditEntry& a) {
  execute(c_,
          "INSERT INTO audit_log (org_id, user_id, at, action, entity, entity_id, changes) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {a.org_id, a.user_id, now_instant(), a.action, a.entity, a.entity_id, a.changes});
}

std::int64_t SqliteWriteTxn::append(const OutboxEvent& ev) {
  execute(c_,
          "INSERT INTO outbox (org_id, at, type, entity, entity_id, payload) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {ev.org_id, ev.at.empty() ? now_instant() : ev.at, ev.type, ev.entity, ev.entity_id, ev.payload});
  appended_orgs_.push_back(ev.org_id);
  return c_.db().getLastInsertRowid();
}

bool SqliteWriteTxn::record_followup_notice(std::int64_t followup_id, const std::string& due_at) {
  execute(c_, "INSERT OR IGNORE INTO followup_notices (followup_id, due_at) VALUES (?, ?)", {followup_id, due_at});
  return c_.db().getChanges() > 0;
}

bool SqliteWriteTxn::record_cadence_mark(std::int64_t rule_id, std::int64_t lead_id, const std::string& occasion) {
  execute(c_, "INSERT OR IGNORE INTO cadence_marks (rule_id, lead_id, occasion) VALUES (?, ?, ?)",
          {rule_id, lead_id, occasion});
  return c_.db().getChanges() > 0;
}

std::int64_t SqliteWriteTxn::insert_contact_merge(ContactMergeRecord& m) {
  return sqlite::insert_contact_merge(c_, m);
}
std::optional<ContactMergeRecord> SqliteWriteTxn::contact_merge(std::int64_t org_id, std::int64_t id) {
  return sqlite::contact_merge(c_, org_id, id);
}
void SqliteWriteTxn::set_contact_merge_undone(ContactMergeRecord& m) {
  sqlite::set_contact_merge_undone(c_, m);
}

bool SqliteWriteTxn::record_digest(std::int64_t user_id, const std::string& day) {
  execute(c_, "INSERT OR IGNORE INTO digests (user_id, day) VALUES (?, ?)", {user_id, day});
  return c_.db().getChanges() > 0;
}

std::optional<IdempotentResponse> SqliteWriteTxn::idempotent(std::int64_t user_id,
                                                             const std::string& key) {
  try {
    auto& st = c_.statement(
        "SELECT request_hash, status, body, etag FROM idempotency_keys "
        "WHERE user_id = ? AND key = ?");
    st.bind(1, user_id);
    st.bindNoCopy(2, key);
    if (!st.executeStep()) return std::nullopt;
    IdempotentResponse r{st.getColumn(0).getString(), st.getColumn(1).getInt(),
                         st.getColumn(2).getString(), st.getColumn(3).getString()};
    st.reset();
    return r;
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

void SqliteWriteTxn::remember(std::int64_t user_id, const std::string& key,
                              const IdempotentResponse& r) {
  execute(c_,
          "INSERT INTO idempotency_keys (user_id, key, at, request_hash, status, body, etag) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {user_id, key, now_instant(), r.request_hash, std::int64_t{r.status}, r.body, r.etag});
}

std::int64_t SqliteWriteTxn::put_plugin_instance(PluginInstanceRecord& r, std::int64_t start_after) {
  return sqlite::put_plugin_instance(c_, r, start_after);
}
void SqliteWriteTxn::remove_plugin_instance(std::int64_t id) { sqlite::remove_plugin_instance(c_, id); }
void SqliteWriteTxn::set_plugin_suspended(std::int64_t id, const std::string& why) {
  sqlite::set_plugin_suspended(c_, id, why);
}
void SqliteWriteTxn::set_plugin_cursor(std::int64_t instance_id, std::int64_t event_id) {
  sqlite::set_plugin_cursor(c_, instance_id, event_id);
}
void SqliteWriteTxn::put_plugin_state(std::int64_t instance_id, const std::string& key,
                                      const std::string* value) {
  sqlite::put_plugin_state(c_, instance_id, key, value);
}
void SqliteWriteTxn::put_dead_letter(const DeadLetter& d) { sqlite::put_dead_letter(c_, d); }
bool SqliteWriteTxn::remove_dead_letter(std::int64_t instance_id, std::int64_t event_id) {
  return sqlite::remove_dead_letter(c_, instance_id, event_id);
}

}  // namespace relance::storage::sqlite
