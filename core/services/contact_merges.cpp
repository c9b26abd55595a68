#include "services/contact_merges.hpp"

#include <boost/json/serialize.hpp>

#include "domain/completing_patch.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/row_snapshot.hpp"
#include "domain/text.hpp"
#include "events/publish.hpp"
#include "services/contact_merge_json.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
namespace json = boost::json;
using storage::Row;
namespace ent = storage::entities;

namespace {

const storage::Entity& contacts = ent::contacts;

// The duplicate's id from the body of a merge: {"duplicate_id": N}, nothing else.
std::int64_t duplicate_of(const json::object& body, std::int64_t survivor_id) {
  for (const auto& kv : body)
    if (kv.key() != "duplicate_id")
      throw Problem::bad_request("unknown field " + std::string(kv.key()) +
                                     " for a merge (it takes duplicate_id only)",
                                 std::string(kv.key()));
  const json::value* v = body.if_contains("duplicate_id");
  if (!v || v->is_null())
    throw Problem::invalid("duplicate_id", "duplicate_id is required: the id of the contact to merge into this one");
  if (!v->is_int64() || v->get_int64() < 1)
    throw Problem::invalid("duplicate_id", "duplicate_id must be a contact id (a positive integer)");
  if (v->get_int64() == survivor_id)
    throw Problem::invalid("duplicate_id", "a contact cannot be merged with itself: duplicate_id must be another contact");
  return v->get_int64();
}

// The duplicate as the caller may change it: not found, naming the body's field, when it is
// not the organisation's, whichever organisation it belongs to.
Row duplicate_row(storage::WriteTxn& tx, const auth::Principal& p, std::int64_t id, const storage::Scope& visible) {
  const bool only_read = visible.kind != storage::Scope::Kind::org && tx.get(contacts, visible, id);
  if (!only_read && !tx.get(contacts, storage::Scope::org(p.org_id), id))
    refuse(WriteOutcome{WriteOutcome::Kind::not_found, id, 0, {},
                        "duplicate_id: no contact " + std::to_string(id) + " in your organisation", "duplicate_id"});
  return owned_row(tx, contacts, p, id, visible, std::nullopt);
}

// Points every row of the organisation that references contact `from` at contact `to`,
// each an audited update with its event; returns what moved, by reference field.
std::vector<MovedRows> repoint(storage::WriteTxn& tx, const auth::Principal& p, std::int64_t from, std::int64_t to) {
  std::vector<MovedRows> moved;
  for (const storage::Reference& ref : storage::references_to(contacts)) {
    MovedRows rows{std::string(ref.by->name), std::string(ref.field->name), {}};
    const std::vector<std::size_t> changed{*ref.by->index_of(ref.field->name)};
    for (Row& row : tx.referencing(*ref.by, ref.field->name, from, p.org_id)) {
      const Row before = row;
      row.set(*ref.by, ref.field->name, to);
      write_record(tx, p, *ref.by, WriteKind::update, row, &before, changed,
                   event_type(*ref.by, WriteKind::update));
      rows.ids.push_back(row.id);
    }
    if (!rows.ids.empty()) moved.push_back(std::move(rows));
  }
  return moved;
}

// Points the rows a merge moved back at the duplicate, those that still point at the
// survivor; sorts them into `r.moved_back` and `r.left`.
void move_back(storage::WriteTxn& tx, const auth::Principal& p, const storage::ContactMergeRecord& m,
               UndoResult& r) {
  for (MovedRows& moved : moved_of(m.moved)) {
    const storage::Entity* by = storage::find_entity(moved.entity);
    const auto index = by ? by->index_of(moved.field) : std::nullopt;
    MovedRows back{moved.entity, moved.field, {}}, left{moved.entity, moved.field, {}};
    for (std::int64_t id : moved.ids) {
      auto row = by && index ? tx.get(*by, storage::Scope::org(p.org_id), id) : std::nullopt;
      if (!row || row->integer(*by, moved.field) != m.survivor_id) {
        left.ids.push_back(id);
        continue;
      }
      const Row before = *row;
      row->set(*by, moved.field, m.duplicate_id);
      write_record(tx, p, *by, WriteKind::update, *row, &before, {*index}, event_type(*by, WriteKind::update));
      back.ids.push_back(id);
    }
    if (!back.ids.empty()) r.moved_back.push_back(std::move(back));
    if (!left.ids.empty()) r.left.push_back(std::move(left));
  }
}

// Puts back the survivor's fields the merge changed and nobody changed since.
void restore_survivor(storage::WriteTxn& tx, const auth::Principal& p, const storage::ContactMergeRecord& m,
                      Row survivor, UndoResult& r) {
  const Row before_merge = domain::row_from_snapshot(contacts, m.survivor_before);
  const Row after_merge = domain::row_from_snapshot(contacts, m.survivor_after);
  const Row now = survivor;
  std::vector<std::size_t> restored;
  for (std::size_t i = 0; i < contacts.fields.size(); ++i) {
    if (before_merge.values[i] == after_merge.values[i]) continue;  // not the merge's doing
    const std::string name(contacts.fields[i].name);
    if (survivor.values[i] != after_merge.values[i]) {
      r.kept_fields.push_back(name);
      continue;
    }
    survivor.values[i] = before_merge.values[i];
    restored.push_back(i);
    r.restored_fields.push_back(name);
  }
  if (!restored.empty())
    write_record(tx, p, contacts, WriteKind::update, survivor, &now, restored,
                 event_type(contacts, WriteKind::update));
}

// The audit entry of a merge or an undo: which two contacts, and what changed.
void audit_merge(storage::WriteTxn& tx, const auth::Principal& p, const storage::ContactMergeRecord& m,
                 const char* action, json::object what) {
  what["survivor_id"] = m.survivor_id;
  what["duplicate_id"] = m.duplicate_id;
  tx.audit(storage::AuditEntry{m.org_id, p.user_id, action, "contact_merges", m.id, json::serialize(what)});
}

// The merge's own event, then the outcome: the merge as GET shows it, encoded once for both.
WriteOutcome announce(storage::WriteTxn& tx, const auth::Principal& p, const storage::ContactMergeRecord& m,
                      const std::string& type, WriteOutcome::Kind kind) {
  std::string body = json::serialize(merge_json(m));
  events::publish(tx, events::EventDraft{type, "contact_merges", m.id, m.org_id, p.user_id, body, {}});
  return WriteOutcome{kind, m.id, 0, std::move(body), {}, {}};
}

}  // namespace

void ContactMergeService::merge(const auth::Principal& p, MergeContacts request, OutcomeCallback done) {
  require_write(p);
  const std::int64_t survivor_id = request.survivor_id;
  const std::int64_t duplicate_id = duplicate_of(request.fields, survivor_id);
  auto org = orgs_.get(p.org_id);
  const storage::Scope visible = records_.read_scope(p, contacts);
  submit_outcome(
      store_,
      [p, survivor_id, duplicate_id, expected_version = request.expected_version, org, visible,
       key = std::move(request.idempotency)](storage::WriteTxn& tx) {
        if (auto first = replayed(tx, p, key)) return *first;
        Row survivor = owned_row(tx, contacts, p, survivor_id, visible, expected_version);
        Row duplicate = duplicate_row(tx, p, duplicate_id, visible);
        storage::ContactMergeRecord m;
        m.org_id = p.org_id;
        m.survivor_id = survivor_id;
        m.duplicate_id = duplicate_id;
        m.merged_by = p.user_id;
        m.survivor_before = domain::row_snapshot(contacts, survivor);
        m.duplicate = domain::row_snapshot(contacts, duplicate);

        const Row before = survivor;
        const json::object patch = domain::completing_patch(contacts, domain::encode_row(contacts, survivor, false),
                                                            domain::encode_row(contacts, duplicate, false));
        const auto changed = domain::apply_body(contacts, patch, survivor, false, context_of(*org));
        check_references(tx, contacts, survivor, changed, p.org_id);
        if (!changed.empty())
          write_record(tx, p, contacts, WriteKind::update, survivor, &before, changed,
                       event_type(contacts, WriteKind::update));
        const std::vector<MovedRows> moved = repoint(tx, p, duplicate_id, survivor_id);
        const Row gone = duplicate;
        write_record(tx, p, contacts, WriteKind::remove, duplicate, &gone, set_fields(contacts, duplicate),
                     event_type(contacts, WriteKind::remove));

        m.survivor_after = domain::row_snapshot(contacts, survivor);
        m.moved = json::serialize(moved_json(moved));
        tx.insert_contact_merge(m);
        json::array fields;
        for (std::size_t i : changed) fields.emplace_back(contacts.fields[i].name);
        audit_merge(tx, p, m, "merge", json::object{{"fields", std::move(fields)}, {"moved", moved_json(moved)}});
        WriteOutcome created = announce(tx, p, m, "contact.merged", WriteOutcome::Kind::created);
        remember(tx, p, key, created);
        return created;
      },
      std::move(done));
}

void ContactMergeService::undo(const auth::Principal& p, std::int64_t merge_id, OutcomeCallback done) {
  require_write(p);
  submit_outcome(
      store_,
      [p, merge_id](storage::WriteTxn& tx) {
        auto m = tx.contact_merge(p.org_id, merge_id);
        if (!m) refuse(WriteOutcome{WriteOutcome::Kind::not_found, merge_id, 0, {}, {}, {}});
        const std::string survivor_id = std::to_string(m->survivor_id);
        const std::string duplicate_id = std::to_string(m->duplicate_id);
        if (!m->undone_at.empty())
          throw Problem::conflict("merge " + std::to_string(m->id) + " was undone already, at " + m->undone_at +
                                  ": contact " + duplicate_id + " is back");
        auto survivor = tx.get(contacts, storage::Scope::org(p.org_id), m->survivor_id);
        if (!survivor)
          throw Problem::conflict("contact " + survivor_id + ", which contact " + duplicate_id +
                                  " was merged into, no longer exists: it was deleted, or merged into another "
                                  "contact since (GET /api/v1/contact-merges?duplicate_id=" + survivor_id +
                                  " shows that merge: undo it first)");
        Row duplicate = domain::row_from_snapshot(contacts, m->duplicate);
        try {
          check_references(tx, contacts, duplicate, set_fields(contacts, duplicate), p.org_id);
        } catch (const Problem& e) {
          throw Problem::conflict("contact " + duplicate_id + " cannot come back as it was: " + e.detail() +
                                      " (deleted since the merge)",
                                  e.field());
        }
        write_record(tx, p, contacts, WriteKind::restore, duplicate, nullptr, set_fields(contacts, duplicate),
                     event_type(contacts, WriteKind::restore));
        UndoResult result;
        move_back(tx, p, *m, result);
        restore_survivor(tx, p, *m, std::move(*survivor), result);

        m->undone_by = p.user_id;
        m->undo_result = json::serialize(undo_json(result));
        tx.set_contact_merge_undone(*m);
        audit_merge(tx, p, *m, "undo-merge", undo_json(result));
        return announce(tx, p, *m, "contact.merge_undone", WriteOutcome::Kind::updated);
      },
      std::move(done));
}

std::string ContactMergeService::get(const auth::Principal& p, std::int64_t merge_id) {
  auto m = store_.contact_merge(p.org_id, merge_id);
  if (!m) throw Problem::not_found();
  return json::serialize(merge_json(*m));
}

Page ContactMergeService::list(const auth::Principal& p, const MergeList& request) {
  storage::ContactMergeQuery q;
  q.org_id = p.org_id;
  if (request.survivor_id) q.survivor_id = *request.survivor_id;
  if (request.duplicate_id) q.duplicate_id = *request.duplicate_id;
  const IdPaging& paging = request.paging;
  q.before_id = paging.before_id;
  q.limit = paging.limit + 1;  // one more tells whether there is a next page
  std::vector<storage::ContactMergeRecord> merges = store_.contact_merges(q);
  Page page;
  const bool more = merges.size() > paging.limit;
  if (more) merges.pop_back();
  for (const auto& m : merges) page.add() += json::serialize(merge_json(m));
  page.close();
  if (more) page.next = ListPosition{storage::Null{}, merges.back().id};
  return page;
}

}  // namespace relance::services
