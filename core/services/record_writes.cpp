#include "services/record_writes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "events/publish.hpp"

namespace relance::services {
namespace json = boost::json;
using storage::Entity;
using storage::Row;

void require_write(const auth::Principal& p) {
  if (!p.can_write) throw Problem::forbidden("this token is read-only");
}

namespace {

// What owned_row() throws to roll its job back and end it in an outcome other than an error.
struct Refusal {
  WriteOutcome outcome;
};

}  // namespace

void refuse(WriteOutcome outcome) { throw Refusal{std::move(outcome)}; }

Row owned_row(storage::WriteTxn& tx, const Entity& e, const auth::Principal& p, std::int64_t id,
              const storage::Scope& visible, std::optional<std::int64_t> expected_version) {
  auto row = tx.get(e, storage::Scope::org(p.org_id), id);
  if (!row) {
    if (visible.kind != storage::Scope::Kind::org && tx.get(e, visible, id))
      throw Problem::forbidden("region staff read other organisations' records but do not change them");
    refuse(WriteOutcome{WriteOutcome::Kind::not_found, id, 0, {}, {}, {}});
  }
  if (expected_version && *expected_version != row->version)
    refuse(WriteOutcome{WriteOutcome::Kind::conflict, id, row->version, {},
                        "the " + std::string(e.singular) + " changed since you read it (version " +
                            std::to_string(row->version) + " now); read it again",
                        {}});
  return std::move(*row);
}

domain::FieldContext context_of(const OrgSettings& org) {
  return domain::FieldContext{org.default_region, org.stages, 2};
}

namespace {

// Whether a row of `org_id` may point at row `id` of `target`: an organisation's own rows,
// and of an entity the region shares with every organisation (events), the region's too:
// the missions and fairs a start-up picks from. Another start-up's event is not theirs to
// point at (nor to read): the reference would keep its owner from ever deleting it.
bool may_reference(storage::WriteTxn& tx, const Entity& target, std::int64_t id, std::int64_t org_id) {
  return tx.get(target, storage::Scope::org_and_region(org_id), id).has_value();
}

}  // namespace

void check_references(storage::WriteTxn& tx, const Entity& e, const Row& row,
                      const std::vector<std::size_t>& changed, std::int64_t org_id) {
  for (std::size_t i : changed) {
    const storage::Field& f = e.fields[i];
    if (f.kind != storage::FieldKind::reference) continue;
    const auto* id = std::get_if<std::int64_t>(&row.values[i]);
    if (!id) continue;
    const Entity* target = storage::find_entity(f.references);
    if (!target) continue;
    if (!may_reference(tx, *target, *id, org_id))
      throw Problem::invalid(std::string(f.name), std::string(f.name) + ": no " +
                                                      std::string(target->singular) + " " +
                                                      std::to_string(*id) +
                                                      " in your organisation" +
                                                      (target->sharing == storage::Sharing::region_wide
                                                           ? " or the region's"
                                                           : ""));
  }
}

WriteOutcome invalid_outcome(const Problem& problem) {
  WriteOutcome o;
  o.kind = WriteOutcome::Kind::invalid;
  o.detail = problem.detail();
  o.field = problem.field();
  return o;
}

void submit_outcome(storage::Store& store, std::function<WriteOutcome(storage::WriteTxn&)> job,
                    OutcomeCallback done) {
  auto outcome = std::make_shared<WriteOutcome>();
  store.write([job = std::move(job), outcome](storage::WriteTxn& tx) { *outcome = job(tx); },
              [outcome, done = std::move(done)](std::exception_ptr err) {
                if (!err) return done(nullptr, std::move(*outcome));
                try {
                  std::rethrow_exception(err);
                } catch (const Refusal& r) {
                  return done(nullptr, r.outcome);
                } catch (const Problem& p) {
                  if (p.kind() == Problem::Kind::invalid) return done(nullptr, invalid_outcome(p));
                } catch (...) {
                }
                done(err, WriteOutcome{});
              });
}

std::vector<std::size_t> set_fields(const Entity& e, const Row& row) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < e.fields.size() && i < row.values.size(); ++i)
    if (!storage::is_null(row.values[i])) out.push_back(i);
  return out;
}

std::string event_type(const Entity& e, WriteKind kind) {
  const std::string base(e.singular);
  if (kind == WriteKind::create || kind == WriteKind::restore) {
    if (e.name == "activities") return base + ".logged";
    if (e.name == "outcomes") return base + ".recorded";
    return base + ".created";
  }
  return base + (kind == WriteKind::update ? ".updated" : ".deleted");
}

namespace {

const char* audit_action(WriteKind kind) {
  switch (kind) {
    case WriteKind::create: return "create";
    case WriteKind::update: return "update";
    case WriteKind::remove: return "delete";
    case WriteKind::restore: return "restore";
  }
  return "update";
}

bool has_unique_field(const Entity& e) {
  for (const storage::Field& f : e.fields)
    if (f.has(storage::unique)) return true;
  return false;
}

void check_unique(storage::WriteTxn& tx, const Entity& e, const Row& row,
                  const std::vector<std::size_t>& changed) {
  for (std::size_t i : changed) {
    const storage::Field& f = e.fields[i];
    if (!f.has(storage::unique)) continue;
    auto other = tx.find_unique(e, f.name, row.values[i]);
    if (other && other->id != row.id)
      throw Problem::conflict("another " + std::string(e.singular) + " has this " +
                                  std::string(f.name),
                              std::string(f.name));
  }
}

}  // namespace

std::string changed_json(const Entity& e, const std::vector<std::size_t>& changed) {
  std::string changes = "{";
  for (std::size_t n = 0; n < changed.size(); ++n) {
    if (n) changes += ',';
    domain::append_json_string(changes, e.fields[changed[n]].name);
    changes += ":true";
  }
  changes += '}';
  return changes;
}

namespace {

// A lead's stage as JSON text ("meeting"), or null.
std::string stage_json(const Entity& e, const Row& lead) {
  const auto* stage = std::get_if<std::string>(&lead.get(e, "stage"));
  if (!stage) return "null";
  std::string out;
  domain::append_json_string(out, *stage);
  return out;
}

// The audit entry and the outbox event of a write of `row` that is done; returns the row's
// JSON text, the event's data.
std::string log_write(storage::WriteTxn& tx, const auth::Principal& p, const Entity& e, WriteKind kind,
               const Row& row, const Row* before, const std::vector<std::size_t>& changed,
               const std::string& type) {
  const bool gone = kind == WriteKind::remove;
  tx.audit(storage::AuditEntry{row.org_id, p.user_id, audit_action(kind), std::string(e.name), row.id,
                               domain::audit_changes(e, before, gone ? nullptr : &row, changed)});

  events::EventDraft event{type, std::string(e.name), row.id, row.org_id, p.user_id, {}, {}};
  domain::append_row_json(event.data, e, gone && before ? *before : row, false);
  if (kind == WriteKind::update) event.more.emplace_back("changed", changed_json(e, changed));
  // A move says where from: `data` is the lead after it, and a plugin has nowhere else to
  // read the stage it left (docs/events.md).
  if (type == "lead.stage_changed" && before) {
    event.more.emplace_back("from_stage", stage_json(e, *before));
    event.more.emplace_back("to_stage", stage_json(e, row));
  }
  events::publish(tx, event);
  return std::move(event.data);
}

}  // namespace

std::string write_record(storage::WriteTxn& tx, const auth::Principal& p, const Entity& e,
                         WriteKind kind, Row& row, const Row* before,
                         const std::vector<std::size_t>& changed, const std::string& type) {
  if (kind != WriteKind::restore) row.updated_by = p.user_id;
  if (kind != WriteKind::remove) check_unique(tx, e, row, changed);
  switch (kind) {
    case WriteKind::create:
      row.created_by = p.user_id;
      tx.insert(e, row);
      break;
    case WriteKind::update: tx.update(e, row); break;
    case WriteKind::remove: tx.remove(e, row.org_id, row.id); break;
    case WriteKind::restore: tx.restore(e, row); break;
  }
  return log_write(tx, p, e, kind, row, before, changed, type);
}

void create_records(storage::WriteTxn& tx, const auth::Principal& p, const Entity& e,
                    std::span<Row> rows, const std::string& type) {
  if (has_unique_field(e)) {  // two rows of the batch could share a value: one by one
    for (Row& r : rows) write_record(tx, p, e, WriteKind::create, r, nullptr, set_fields(e, r), type);
    return;
  }
  for (Row& r : rows) r.created_by = r.updated_by = p.user_id;
  tx.insert_many(e, rows);
  for (const Row& r : rows) log_write(tx, p, e, WriteKind::create, r, nullptr, set_fields(e, r), type);
}

std::optional<WriteOutcome> replayed(storage::WriteTxn& tx, const auth::Principal& p, const Idempotency& key) {
  if (key.key.empty()) return std::nullopt;
  auto seen = tx.idempotent(p.user_id, key.key);
  if (!seen) return std::nullopt;
  if (seen->request_hash != key.request_digest)
    throw Problem(Problem::Kind::key_reused, "Idempotency-Key reused", "this Idempotency-Key was used for a different request",
                  "Idempotency-Key");
  // The outcome is the created row (or merge) as it was answered; its id and version are
  // read back from it (a merge has no version).
  boost::system::error_code ec;
  const json::value first = json::parse(seen->body, ec);
  auto number = [&](const char* name) -> std::int64_t {
    if (ec || !first.is_object()) return 0;
    const json::value* v = first.as_object().if_contains(name);
    return v && v->is_int64() ? v->as_int64() : 0;
  };
  return WriteOutcome{WriteOutcome::Kind::created, number("id"), number("version"), seen->body, {}, {}};
}

void remember(storage::WriteTxn& tx, const auth::Principal& p, const Idempotency& key, const WriteOutcome& created) {
  // Only creates are remembered, and a replay reads the outcome back from the body alone
  // (replayed()): the status and ETag columns, which keys remembered by earlier versions
  // fill with the HTTP answer, are left empty.
  if (!key.key.empty())
    tx.remember(p.user_id, key.key, storage::IdempotentResponse{key.request_digest, 0, created.json, {}});
}

}  // namespace relance::services
