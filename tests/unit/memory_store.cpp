#include "memory_store.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <stdexcept>

#include "domain/text.hpp"
#include "domain/time.hpp"

namespace relance::test {
using storage::Entity;
using storage::Row;
using storage::Scope;
using storage::Value;
namespace ent = storage::entities;

namespace {

[[noreturn]] void unsupported(const char* what) {
  throw std::logic_error(std::string("MemoryStore does not do ") + what);
}

bool shared_lead(const MemoryStore::State& s, std::int64_t lead_id) {
  const auto& leads = s.rows.find(std::string(ent::leads.name));
  if (leads == s.rows.end()) return false;
  const auto it = leads->second.find(lead_id);
  return it != leads->second.end() && it->second.get(ent::leads, "shared_with_region") == Value{std::int64_t{1}};
}

// The value `sort` orders rows by: a header column or a field.
Value sort_value(const Entity& e, const Row& r, std::string_view sort) {
  if (sort == "id") return r.id;
  if (sort == "created_at") return r.created_at;
  if (sort == "updated_at") return r.updated_at;
  return r.get(e, sort);
}

Value column(const Entity& e, const Row& r, std::string_view name) {
  if (name == "id") return r.id;
  if (name == "org_id") return r.org_id;
  return sort_value(e, r, name);
}

bool has_tag(const Entity& e, const Row& r, std::string_view field, const Value& tag) {
  const std::string* text = r.text(e, field);
  const std::string* wanted = std::get_if<std::string>(&tag);
  if (!text || !wanted) return false;
  boost::system::error_code ec;
  const auto tags = boost::json::parse(*text, ec);
  if (ec || !tags.is_array()) return false;
  for (const auto& t : tags.get_array())
    if (t.is_string() && domain::fold_case(t.get_string()) == domain::fold_case(*wanted)) return true;
  return false;
}

// `v` is one of the integers of `list` ("12,15,18").
bool one_of(const Value& v, const Value& list) {
  const auto* n = std::get_if<std::int64_t>(&v);
  const auto* text = std::get_if<std::string>(&list);
  if (!n || !text) return false;
  for (const std::string& item : domain::split(*text, ','))
    if (item == std::to_string(*n)) return true;
  return false;
}

bool passes(const Entity& e, const Row& r, const storage::Filter& f) {
  using Op = storage::Filter::Op;
  const Value v = column(e, r, f.field);
  switch (f.op) {
    case Op::eq: return v == f.value;
    case Op::ge: return !storage::is_null(v) && !(v < f.value);
    case Op::lt: return !storage::is_null(v) && v < f.value;
    case Op::is_null: return storage::is_null(v);
    case Op::has_tag: return has_tag(e, r, f.field, f.value);
    case Op::one_of: return one_of(v, f.value);
  }
  return false;
}

// Every word typed starts a word of one of the row's searchable fields (folded), as the
// full-text index's prefix queries do.
bool found(const Entity& e, const Row& r, const std::string& search) {
  std::vector<std::string> words;
  std::string folded = domain::fold_case(search);
  for (std::size_t i = 0; i < folded.size();) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    std::size_t j = i;
    while (j < folded.size() && folded[j] != ' ') ++j;
    if (j > i) words.push_back(folded.substr(i, j - i));
    i = j;
  }
  std::string text = " ";
  for (std::size_t i = 0; i < e.fields.size() && i < r.values.size(); ++i)
    if (e.fields[i].has(storage::searchable))
      if (const auto* s = std::get_if<std::string>(&r.values[i])) text += domain::fold_case(*s) + " ";
  for (char& c : text)
    if (c == '"' || c == '[' || c == ']' || c == ',' || c == '@' || c == '.') c = ' ';
  return std::all_of(words.begin(), words.end(),
                     [&](const std::string& w) { return text.find(" " + w) != std::string::npos; });
}

std::vector<Row> list_in(MemoryStore::State& state_, const Entity& e, const storage::ListQuery& q) {
  std::vector<Row> out;
  for (const auto& [_, r] : state_.rows[std::string(e.name)]) {
    if (!in_scope(state_, e, q.scope, r)) continue;
    if (!std::all_of(q.filters.begin(), q.filters.end(), [&](const auto& f) { return passes(e, r, f); })) continue;
    if (!q.search.empty() && !found(e, r, q.search)) continue;
    out.push_back(r);
  }
  auto key = [&](const Row& r) { return std::make_pair(sort_value(e, r, q.sort), r.id); };
  std::sort(out.begin(), out.end(), [&](const Row& a, const Row& b) {
    return q.descending ? key(b) < key(a) : key(a) < key(b);
  });
  if (q.after_id) {
    const auto after = std::make_pair(q.sort == "id" ? Value{*q.after_id} : q.after_sort.value_or(Value{}), *q.after_id);
    std::erase_if(out, [&](const Row& r) { return q.descending ? !(key(r) < after) : !(after < key(r)); });
  }
  if (q.limit && out.size() > q.limit) out.resize(q.limit);
  return out;
}

// The writer's view: the store's state itself (write() saved a copy to put back on a throw).
class MemoryTxn : public storage::WriteTxn {
 public:
  // `events`: the event log's transaction of a write job; none for the store's own reads.
  explicit MemoryTxn(MemoryStore::State& s, storage::EventLogWrites* events = nullptr) : s_(s), events_(events) {}

  std::int64_t insert(const Entity& e, Row& row) override {
    row.id = s_.next_id++;
    row.version = 1;
    row.created_at = row.updated_at = domain::now_instant();
    row.values.resize(e.fields.size());
    s_.rows[std::string(e.name)][row.id] = row;
    return row.id;
  }
  void insert_many(const Entity& e, std::span<Row> rows) override {
    for (Row& r : rows) insert(e, r);
  }
  std::optional<Row> get(const Entity& e, const Scope& scope, std::int64_t id) override {
    const auto& table = s_.rows[std::string(e.name)];
    const auto it = table.find(id);
    if (it == table.end() || !in_scope(s_, e, scope, it->second)) return std::nullopt;
    return it->second;
  }
  void update(const Entity& e, Row& row) override {
    Row& stored = s_.rows[std::string(e.name)].at(row.id);
    row.version = stored.version + 1;
    row.updated_at = domain::now_instant();
    stored = row;
  }
  void remove(const Entity& e, std::int64_t org_id, std::int64_t id) override {
    auto& table = s_.rows[std::string(e.name)];
    const auto it = table.find(id);
    if (it != table.end() && it->second.org_id == org_id) table.erase(it);
  }
  bool referenced(const Entity& by, std::string_view field, std::int64_t id) override {
    for (const auto& [_, r] : s_.rows[std::string(by.name)])
      if (r.get(by, field) == Value{id}) return true;
    return false;
  }
  std::vector<Row> list(const Entity& e, const storage::ListQuery& q) override { return list_in(s_, e, q); }
  std::vector<Row> referencing(const Entity& by, std::string_view field, std::int64_t id,
                               std::int64_t org_id) override {
    std::vector<Row> out;
    for (const auto& [_, r] : s_.rows[std::string(by.name)])
      if (r.org_id == org_id && r.get(by, field) == Value{id}) out.push_back(r);
    return out;
  }
  void restore(const Entity& e, const Row& row) override {
    auto& table = s_.rows[std::string(e.name)];
    if (table.contains(row.id)) throw storage::StorageError(storage::StorageError::Kind::constraint, "id taken");
    table[row.id] = row;
  }
  std::optional<Row> find_unique(const Entity& e, std::string_view field, const Value& v) override {
    for (const auto& [_, r] : s_.rows[std::string(e.name)])
      if (r.get(e, field) == v) return r;
    return std::nullopt;
  }
  void audit(const storage::AuditEntry& entry) override {
    s_.audit.push_back(storage::AuditRecord{static_cast<std::int64_t>(s_.audit.size()) + 1, domain::now_instant(), entry});
  }
  std::optional<storage::IdempotentResponse> idempotent(std::int64_t user_id, const std::string& key) override {
    const auto it = s_.idempotency.find({user_id, key});
    if (it == s_.idempotency.end()) return std::nullopt;
    return it->second;
  }
  void remember(std::int64_t user_id, const std::string& key, const storage::IdempotentResponse& response) override {
    s_.idempotency[{user_id, key}] = response;
  }

  void set_attachment_content(std::int64_t, std::int64_t, std::string_view) override { unsupported("files' bytes"); }
  bool record_followup_notice(std::int64_t, const std::string&) override { unsupported("follow-up notices"); }
  bool record_digest(std::int64_t, const std::string&) override { unsupported("digests"); }
  bool record_cadence_mark(std::int64_t, std::int64_t, const std::string&) override { unsupported("cadence marks"); }

  std::int64_t insert_contact_merge(storage::ContactMergeRecord& merge) override {
    merge.id = static_cast<std::int64_t>(s_.merges.size()) + 1;
    merge.merged_at = domain::now_instant();
    s_.merges.push_back(merge);
    return merge.id;
  }
  std::optional<storage::ContactMergeRecord> contact_merge(std::int64_t org_id, std::int64_t id) override {
    for (const auto& m : s_.merges)
      if (m.id == id && m.org_id == org_id) return m;
    return std::nullopt;
  }
  void set_contact_merge_undone(storage::ContactMergeRecord& merge) override {
    for (auto& m : s_.merges)
      if (m.id == merge.id) {
        if (!m.undone_at.empty()) break;
        merge.undone_at = domain::now_instant();
        m = merge;
        return;
      }
    throw storage::StorageError(storage::StorageError::Kind::constraint, "no such merge, or undone already");
  }

  storage::EventLogWrites& events() override {
    if (!events_) unsupported("events outside a write job");
    return *events_;
  }

 private:
  MemoryStore::State& s_;
  storage::EventLogWrites* events_;
};

}  // namespace

bool in_scope(const MemoryStore::State& state, const Entity& e, const Scope& scope, const Row& r) {
  if (!e.org_owned && scope.kind != Scope::Kind::everything) return r.id == scope.org_id;
  switch (scope.kind) {
    case Scope::Kind::everything: return true;
    case Scope::Kind::org: return r.org_id == scope.org_id;
    case Scope::Kind::org_and_region: {
      if (r.org_id == scope.org_id) return true;
      if (e.sharing != storage::Sharing::region_wide) return false;
      const auto orgs = state.rows.find(std::string(ent::organisations.name));
      if (orgs == state.rows.end()) return false;
      const auto owner = orgs->second.find(r.org_id);
      return owner != orgs->second.end() &&
             owner->second.get(ent::organisations, "kind") == Value{std::string("region")};
    }
    case Scope::Kind::org_and_shared: break;
  }
  if (r.org_id == scope.org_id) return true;
  switch (e.sharing) {
    case storage::Sharing::always:
    case storage::Sharing::region_wide: return true;
    case storage::Sharing::via_lead: {
      const auto lead = r.integer(e, "lead_id");
      return lead && shared_lead(state, *lead);
    }
    case storage::Sharing::via_contact: {
      const auto leads = state.rows.find(std::string(ent::leads.name));
      if (leads == state.rows.end()) return false;
      for (const auto& [id, l] : leads->second)
        if (l.get(ent::leads, "contact_id") == Value{r.id} && shared_lead(state, id)) return true;
      return false;
    }
    case storage::Sharing::never: break;
  }
  return false;
}

void MemoryStore::write(Job job, Done done) {
  ++write_jobs_;
  State before = state_;  // a job that throws is rolled back
  std::exception_ptr error;
  try {
    auto events = events_.begin();
    MemoryTxn tx(state_, events.get());
    job(tx);
    events_.commit(*events);
  } catch (...) {
    state_ = std::move(before);
    error = std::current_exception();
  }
  done(error);
}

std::optional<Row> MemoryStore::get(const Entity& e, const Scope& scope, std::int64_t id) {
  return MemoryTxn(state_).get(e, scope, id);
}

bool MemoryStore::get_into(const Entity& e, const Scope& scope, std::int64_t id, Row& row) {
  auto r = get(e, scope, id);
  if (r) row = std::move(*r);
  return r.has_value();
}

std::vector<Row> MemoryStore::list(const Entity& e, const storage::ListQuery& q) { return list_in(state_, e, q); }

void MemoryStore::scan(const Entity&, const storage::ListQuery&, const std::function<bool(Row&)>&) {
  unsupported("scans");
}

std::optional<Row> MemoryStore::find_unique(const Entity& e, std::string_view field, const Value& v) {
  return MemoryTxn(state_).find_unique(e, field, v);
}

std::vector<storage::AuditRecord> MemoryStore::audit_log(std::int64_t org_id, std::int64_t before_id,
                                                         std::size_t limit) {
  std::vector<storage::AuditRecord> out;
  for (auto it = state_.audit.rbegin(); it != state_.audit.rend() && out.size() < limit; ++it)
    if (it->entry.org_id == org_id && (before_id == 0 || it->id < before_id)) out.push_back(*it);
  return out;
}

std::vector<storage::AuditRecord> MemoryStore::audit_of_row(std::string_view entity, std::int64_t entity_id,
                                                            std::size_t limit) {
  std::vector<storage::AuditRecord> out;
  for (const auto& r : state_.audit)
    if (out.size() < limit && r.entry.entity == entity && r.entry.entity_id == entity_id) out.push_back(r);
  return out;
}

std::int64_t MemoryStore::count(const Entity& e, const Scope& scope) {
  std::int64_t n = 0;
  for (const auto& [_, r] : state_.rows[std::string(e.name)]) n += in_scope(state_, e, scope, r) ? 1 : 0;
  return n;
}

std::optional<storage::ContactMergeRecord> MemoryStore::contact_merge(std::int64_t org_id, std::int64_t id) {
  return MemoryTxn(state_).contact_merge(org_id, id);
}

std::vector<storage::ContactMergeRecord> MemoryStore::contact_merges(const storage::ContactMergeQuery& q) {
  std::vector<storage::ContactMergeRecord> out;
  for (auto it = state_.merges.rbegin(); it != state_.merges.rend() && out.size() < q.limit; ++it)
    if (it->org_id == q.org_id && (q.before_id == 0 || it->id < q.before_id) &&
        (!q.survivor_id || it->survivor_id == *q.survivor_id) && (!q.duplicate_id || it->duplicate_id == *q.duplicate_id))
      out.push_back(*it);
  return out;
}

std::vector<Row> MemoryStore::due_followups(const std::string&, std::size_t) { unsupported("due follow-ups"); }
bool MemoryStore::digest_recorded(std::int64_t, const std::string&) { unsupported("digests"); }
std::optional<std::string> MemoryStore::attachment_content(std::int64_t, std::int64_t) { unsupported("files' bytes"); }
std::vector<storage::Store::StaleLead> MemoryStore::stale_leads(std::int64_t, std::optional<std::int64_t>,
                                                                const std::optional<std::string>&,
                                                                const std::string&, std::size_t) {
  unsupported("stale leads");
}
storage::StoreStats MemoryStore::stats() { return storage::StoreStats{}; }
void MemoryStore::backup(const std::string&) { unsupported("backups"); }


}  // namespace relance::test
