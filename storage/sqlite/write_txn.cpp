#include "sqlite/write_txn.hpp"

#include "sqlite/ops.hpp"

namespace relance::storage::sqlite {

std::int64_t SqliteWriteTxn::insert(const Entity& e, Row& row) { return insert_row(c_, e, row); }

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

std::optional<Row> SqliteWriteTxn::find_unique(const Entity& e, std::string_view field,
                                               const Value& v) {
  return find_unique_row(c_, e, field, v);
}

void SqliteWriteTxn::audit(const AuditEntry& a) {
  try {
    auto& st = c_.statement(
        "INSERT INTO audit_log (org_id, user_id, at, action, entity, entity_id, changes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    const std::string at = now_utc();
    st.bind(1, a.org_id);
    st.bind(2, a.user_id);
    st.bindNoCopy(3, at);
    st.bindNoCopy(4, a.action);
    st.bindNoCopy(5, a.entity);
    st.bind(6, a.entity_id);
    st.bindNoCopy(7, a.changes);
    st.exec();
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

void SqliteWriteTxn::publish(const OutboxEvent& ev) {
  try {
    auto& st = c_.statement(
        "INSERT INTO outbox (org_id, at, type, entity, entity_id, payload) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    const std::string at = now_utc();
    st.bind(1, ev.org_id);
    st.bindNoCopy(2, at);
    st.bindNoCopy(3, ev.type);
    st.bindNoCopy(4, ev.entity);
    st.bind(5, ev.entity_id);
    st.bindNoCopy(6, ev.payload);
    st.exec();
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
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
  try {
    auto& st = c_.statement(
        "INSERT INTO idempotency_keys (user_id, key, at, request_hash, status, body, etag) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    const std::string at = now_utc();
    st.bind(1, user_id);
    st.bindNoCopy(2, key);
    st.bindNoCopy(3, at);
    st.bindNoCopy(4, r.request_hash);
    st.bind(5, r.status);
    st.bindNoCopy(6, r.body);
    st.bindNoCopy(7, r.etag);
    st.exec();
  } catch (const SQLite::Exception& ex) {
    rethrow_as_storage_error(ex);
  }
}

}  // namespace relance::storage::sqlite
