#include "memory_event_log.hpp"

#include <algorithm>

#include "relance/model/instant.hpp"
#include "relance/storage/store.hpp"

namespace relance::test {
namespace st = relance::storage;

using Tx = MemoryEventLog::Transaction;

std::int64_t Tx::append(const st::OutboxEvent& e) {
  const std::int64_t id = s_.outbox.empty() ? 1 : s_.outbox.back().id + 1;
  s_.outbox.push_back(st::OutboxRecord{id, e.org_id, e.entity_id, e.at.empty() ? st::now_instant() : e.at,
                                       e.type, e.entity, e.payload});
  orgs_.push_back(e.org_id);
  return id;
}

std::int64_t Tx::put_plugin_instance(st::PluginInstanceRecord& r, std::int64_t start_after) {
  const std::string now = st::now_instant();
  r.updated_at = now;
  if (r.id == 0) {
    for (const auto& [id, other] : s_.instances)
      if (other.org_id == r.org_id && other.name == r.name)
        throw st::StorageError(st::StorageError::Kind::constraint, "UNIQUE constraint failed: plugin_instances");
    r.id = ++s_.last_instance_id;
    r.created_at = now;
    r.version = 1;
    s_.cursors[r.id] = start_after;
  } else {
    r.version += 1;
  }
  s_.instances[r.id] = r;
  return r.id;
}

void Tx::remove_plugin_instance(std::int64_t id) {
  s_.instances.erase(id);
  s_.cursors.erase(id);
  std::erase_if(s_.plugin_state, [&](const auto& kv) { return kv.first.first == id; });
  std::erase_if(s_.dead_letters, [&](const auto& kv) { return kv.first.first == id; });
}

void Tx::set_plugin_suspended(std::int64_t id, const std::string& why) {
  auto it = s_.instances.find(id);
  if (it == s_.instances.end()) return;
  it->second.suspended = why;
  it->second.version += 1;
  it->second.updated_at = st::now_instant();
}

void Tx::set_plugin_cursor(std::int64_t instance_id, std::int64_t event_id) {
  auto& cursor = s_.cursors[instance_id];
  cursor = std::max(cursor, event_id);  // never backwards, as in SQLite
}

void Tx::put_plugin_state(std::int64_t instance_id, const std::string& key, const std::string* value) {
  if (value) s_.plugin_state[{instance_id, key}] = *value;
  else s_.plugin_state.erase({instance_id, key});
}

void Tx::put_dead_letter(const st::DeadLetter& d) {
  st::DeadLetter& kept = s_.dead_letters[{d.instance_id, d.event_id}];
  kept = d;
  if (kept.at.empty()) kept.at = st::now_instant();
}

bool Tx::remove_dead_letter(std::int64_t instance_id, std::int64_t event_id) {
  return s_.dead_letters.erase({instance_id, event_id}) > 0;
}

MemoryEventLog::State MemoryEventLog::snapshot() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::unique_ptr<MemoryEventLog::Transaction> MemoryEventLog::begin() const {
  return std::make_unique<Transaction>(snapshot());
}

void MemoryEventLog::commit(Transaction& tx) {
  {
    std::lock_guard lock(mu_);
    state_ = std::move(tx.s_);
  }
  listeners_.committed(tx.orgs_);
}

void MemoryEventLog::write(const Job& job) {
  std::lock_guard writing(write_mu_);
  const auto tx = begin();
  job(*tx);  // a throw leaves state_ untouched: the job rolled back
  commit(*tx);
}

std::vector<st::OutboxRecord> MemoryEventLog::outbox() const { return snapshot().outbox; }

std::vector<st::PluginInstanceRecord> MemoryEventLog::plugin_instances() {
  std::lock_guard lock(mu_);
  std::vector<st::PluginInstanceRecord> out;
  for (const auto& [id, r] : state_.instances) out.push_back(r);
  return out;
}

std::optional<st::PluginInstanceRecord> MemoryEventLog::plugin_instance(std::int64_t id) {
  std::lock_guard lock(mu_);
  auto it = state_.instances.find(id);
  if (it == state_.instances.end()) return std::nullopt;
  return it->second;
}

void MemoryEventLog::read_outbox(std::int64_t org_id, std::int64_t after_id, std::size_t limit,
                                 std::vector<st::OutboxRecord>& out) {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& e : state_.outbox) {
    if (n == limit) break;
    if (e.org_id != org_id || e.id <= after_id) continue;
    out.push_back(e);
    ++n;
  }
}

std::optional<st::OutboxRecord> MemoryEventLog::outbox_event(std::int64_t id) {
  std::lock_guard lock(mu_);
  for (const auto& e : state_.outbox)
    if (e.id == id) return e;
  return std::nullopt;
}

std::int64_t MemoryEventLog::last_outbox_id() {
  std::lock_guard lock(mu_);
  return state_.outbox.empty() ? 0 : state_.outbox.back().id;
}

std::optional<std::string> MemoryEventLog::plugin_state(std::int64_t instance_id, const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = state_.plugin_state.find({instance_id, key});
  if (it == state_.plugin_state.end()) return std::nullopt;
  return it->second;
}

st::DeliveryPosition MemoryEventLog::delivery_position(std::int64_t instance_id, std::int64_t org_id,
                                                       std::int64_t pending_cap) {
  std::lock_guard lock(mu_);
  st::DeliveryPosition p;
  if (auto it = state_.cursors.find(instance_id); it != state_.cursors.end()) p.cursor = it->second;
  for (const auto& e : state_.outbox) {
    if (e.org_id != org_id || e.id <= p.cursor) continue;
    if (p.oldest_pending_at.empty()) p.oldest_pending_at = e.at;
    if (pending_cap < 0 || p.pending < pending_cap) ++p.pending;  // a negative cap: none, as SQLite's LIMIT
  }
  for (const auto& [key, d] : state_.dead_letters)
    if (key.first == instance_id) ++p.dead_letters;
  return p;
}

std::vector<st::DeadLetter> MemoryEventLog::dead_letters(std::int64_t instance_id, std::int64_t after_event_id,
                                                         std::size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<st::DeadLetter> out;
  for (const auto& [key, d] : state_.dead_letters) {
    if (out.size() == limit) break;
    if (key.first == instance_id && key.second > after_event_id) out.push_back(d);
  }
  return out;
}

std::int64_t MemoryEventLog::add_commit_listener(st::CommitListener listener) {
  return listeners_.add(std::move(listener));
}

void MemoryEventLog::remove_commit_listener(std::int64_t id) { listeners_.remove(id); }

}  // namespace relance::test
