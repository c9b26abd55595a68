#include "sqlite/delivery_ops.hpp"

#include "relance/model/instant.hpp"

namespace relance::storage::sqlite {
namespace {

std::string text(SQLite::Statement& st, int i) { return st.getColumn(i).getString(); }

}  // namespace

std::int64_t put_plugin_instance(Connection& c, PluginInstanceRecord& r, std::int64_t start_after) {
  return guarded([&] {
    const std::string now = now_instant();
    r.updated_at = now;
    if (r.id == 0) {
      r.created_at = now;
      r.version = 1;
      auto& st = c.statement(
          "INSERT INTO plugin_instances (org_id, version, created_at, updated_at, plugin, name, "
          "enabled, settings, events, datasets, source, suspended) "
          "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      st.bind(1, r.org_id);
      st.bind(2, r.created_at);
      st.bind(3, r.updated_at);
      st.bind(4, r.plugin);
      st.bind(5, r.name);
      st.bind(6, r.enabled ? 1 : 0);
      st.bind(7, r.settings);
      st.bind(8, r.events);
      st.bind(9, r.datasets);
      st.bind(10, r.source);
      st.bind(11, r.suspended);
      st.exec();
      r.id = c.db().getLastInsertRowid();
      auto& cur = c.statement("INSERT INTO plugin_cursors (instance_id, event_id) VALUES (?, ?)");
      cur.bind(1, r.id);
      cur.bind(2, start_after);
      cur.exec();
      return r.id;
    }
    r.version += 1;
    auto& st = c.statement(
        "UPDATE plugin_instances SET version = ?, updated_at = ?, name = ?, enabled = ?, "
        "settings = ?, events = ?, datasets = ?, source = ?, suspended = ? WHERE id = ?");
    st.bind(1, r.version);
    st.bind(2, r.updated_at);
    st.bind(3, r.name);
    st.bind(4, r.enabled ? 1 : 0);
    st.bind(5, r.settings);
    st.bind(6, r.events);
    st.bind(7, r.datasets);
    st.bind(8, r.source);
    st.bind(9, r.suspended);
    st.bind(10, r.id);
    st.exec();
    return r.id;
  });
}

void remove_plugin_instance(Connection& c, std::int64_t id) {
  guarded([&] {
    for (const char* sql : {"DELETE FROM plugin_instances WHERE id = ?",
                            "DELETE FROM plugin_cursors WHERE instance_id = ?",
                            "DELETE FROM plugin_state WHERE instance_id = ?",
                            "DELETE FROM plugin_dead_letters WHERE instance_id = ?"}) {
      auto& st = c.statement(sql);
      st.bind(1, id);
      st.exec();
    }
  });
}

void set_plugin_suspended(Connection& c, std::int64_t id, const std::string& why) {
  guarded([&] {
    auto& st = c.statement(
        "UPDATE plugin_instances SET suspended = ?, version = version + 1, updated_at = ? "
        "WHERE id = ?");
    st.bind(1, why);
    st.bind(2, now_instant());
    st.bind(3, id);
    st.exec();
  });
}

void set_plugin_cursor(Connection& c, std::int64_t instance_id, std::int64_t event_id) {
  guarded([&] {
    // Never backwards: a late batch must not undo a later one.
    auto& st = c.statement(
        "INSERT INTO plugin_cursors (instance_id, event_id) VALUES (?, ?) "
        "ON CONFLICT (instance_id) DO UPDATE SET event_id = max(event_id, excluded.event_id)");
    st.bind(1, instance_id);
    st.bind(2, event_id);
    st.exec();
  });
}

void put_plugin_state(Connection& c, std::int64_t instance_id, const std::string& key,
                      const std::string* value) {
  guarded([&] {
    if (!value) {
      auto& st = c.statement("DELETE FROM plugin_state WHERE instance_id = ? AND key = ?");
      st.bind(1, instance_id);
      st.bind(2, key);
      st.exec();
      return;
    }
    auto& st = c.statement(
        "INSERT INTO plugin_state (instance_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (instance_id, key) DO UPDATE SET value = excluded.value");
    st.bind(1, instance_id);
    st.bind(2, key);
    st.bind(3, value->data(), static_cast<int>(value->size()));
    st.exec();
  });
}

void put_dead_letter(Connection& c, const DeadLetter& d) {
  guarded([&] {
    auto& st = c.statement(
        "INSERT INTO plugin_dead_letters (instance_id, event_id, at, attempts, status, error) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (instance_id, event_id) DO UPDATE SET "
        "at = excluded.at, attempts = excluded.attempts, status = excluded.status, "
        "error = excluded.error");
    st.bind(1, d.instance_id);
    st.bind(2, d.event_id);
    st.bind(3, d.at.empty() ? now_instant() : d.at);
    st.bind(4, d.attempts);
    st.bind(5, d.status);
    st.bind(6, d.error);
    st.exec();
  });
}

bool remove_dead_letter(Connection& c, std::int64_t instance_id, std::int64_t event_id) {
  return guarded([&] {
    auto& st = c.statement("DELETE FROM plugin_dead_letters WHERE instance_id = ? AND event_id = ?");
    st.bind(1, instance_id);
    st.bind(2, event_id);
    return st.exec() > 0;
  });
}

std::vector<PluginInstanceRecord> plugin_instances(Connection& c, std::optional<std::int64_t> id) {
  return guarded([&] {
    auto& st = c.statement(
        "SELECT id, org_id, version, plugin, name, enabled, settings, events, datasets, source, "
        "suspended, created_at, updated_at FROM plugin_instances WHERE ? IS NULL OR id = ? "
        "ORDER BY id");
    if (id) {
      st.bind(1, *id);
      st.bind(2, *id);
    }
    std::vector<PluginInstanceRecord> out;
    while (st.executeStep()) {
      PluginInstanceRecord r;
      r.id = st.getColumn(0).getInt64();
      r.org_id = st.getColumn(1).getInt64();
      r.version = st.getColumn(2).getInt64();
      r.plugin = text(st, 3);
      r.name = text(st, 4);
      r.enabled = st.getColumn(5).getInt() != 0;
      r.settings = text(st, 6);
      r.events = text(st, 7);
      r.datasets = text(st, 8);
      r.source = text(st, 9);
      r.suspended = text(st, 10);
      r.created_at = text(st, 11);
      r.updated_at = text(st, 12);
      out.push_back(std::move(r));
    }
    st.reset();
    return out;
  });
}

namespace {

void read_event(SQLite::Statement& st, OutboxRecord& r) {
  r.id = st.getColumn(0).getInt64();
  r.org_id = st.getColumn(1).getInt64();
  r.entity_id = st.getColumn(2).getInt64();
  r.at = text(st, 3);
  r.type = text(st, 4);
  r.entity = text(st, 5);
  r.payload = text(st, 6);
}

constexpr const char* event_columns = "SELECT id, org_id, entity_id, at, type, entity, payload FROM outbox ";

}  // namespace

void read_outbox(Connection& c, std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                 std::vector<OutboxRecord>& out) {
  guarded([&] {
    auto& st = c.statement(std::string(event_columns) +
                           "WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?");
    st.bind(1, org_id);
    st.bind(2, after_id);
    st.bind(3, static_cast<std::int64_t>(limit));
    while (st.executeStep()) read_event(st, out.emplace_back());
    st.reset();
  });
}

std::optional<OutboxRecord> outbox_event(Connection& c, std::int64_t id) {
  return guarded([&]() -> std::optional<OutboxRecord> {
    auto& st = c.statement(std::string(event_columns) + "WHERE id = ?");
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    OutboxRecord r;
    read_event(st, r);
    st.reset();
    return r;
  });
}

std::int64_t last_outbox_id(Connection& c) {
  return guarded([&] {
    auto& st = c.statement("SELECT coalesce(max(id), 0) FROM outbox");
    st.executeStep();
    const std::int64_t id = st.getColumn(0).getInt64();
    st.reset();
    return id;
  });
}

std::optional<std::string> plugin_state(Connection& c, std::int64_t instance_id,
                                        const std::string& key) {
  return guarded([&]() -> std::optional<std::string> {
    auto& st = c.statement("SELECT value FROM plugin_state WHERE instance_id = ? AND key = ?");
    st.bind(1, instance_id);
    st.bind(2, key);
    if (!st.executeStep()) return std::nullopt;
    const SQLite::Column col = st.getColumn(0);
    std::string v(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
    st.reset();
    return v;
  });
}

DeliveryPosition delivery_position(Connection& c, std::int64_t instance_id, std::int64_t org_id,
                                   std::int64_t pending_cap) {
  return guarded([&] {
    DeliveryPosition p;
    auto& cur = c.statement("SELECT event_id FROM plugin_cursors WHERE instance_id = ?");
    cur.bind(1, instance_id);
    if (cur.executeStep()) p.cursor = cur.getColumn(0).getInt64();
    cur.reset();
    auto& pend = c.statement(
        "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE org_id = ? AND id > ? LIMIT ?)");
    pend.bind(1, org_id);
    pend.bind(2, p.cursor);
    pend.bind(3, pending_cap);
    pend.executeStep();
    p.pending = pend.getColumn(0).getInt64();
    pend.reset();
    auto& first = c.statement("SELECT at FROM outbox WHERE org_id = ? AND id > ? ORDER BY id LIMIT 1");
    first.bind(1, org_id);
    first.bind(2, p.cursor);
    if (first.executeStep()) p.oldest_pending_at = text(first, 0);
    first.reset();
    auto& dead = c.statement("SELECT count(*) FROM plugin_dead_letters WHERE instance_id = ?");
    dead.bind(1, instance_id);
    dead.executeStep();
    p.dead_letters = dead.getColumn(0).getInt64();
    dead.reset();
    return p;
  });
}

std::vector<DeadLetter> dead_letters(Connection& c, std::int64_t instance_id,
                                     std::int64_t after_event_id, std::size_t limit) {
  return guarded([&] {
    auto& st = c.statement(
        "SELECT event_id, at, attempts, status, error FROM plugin_dead_letters "
        "WHERE instance_id = ? AND event_id > ? ORDER BY event_id LIMIT ?");
    st.bind(1, instance_id);
    st.bind(2, after_event_id);
    st.bind(3, static_cast<std::int64_t>(limit));
    std::vector<DeadLetter> out;
    while (st.executeStep())
      out.push_back(DeadLetter{instance_id, st.getColumn(0).getInt64(), text(st, 1),
                               st.getColumn(2).getInt64(), text(st, 3), text(st, 4)});
    st.reset();
    return out;
  });
}

}  // namespace relance::storage::sqlite
