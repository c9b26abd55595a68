#include "services/record_service.hpp"

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "services/eur_amounts.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
using storage::Entity;
using storage::Field;
using storage::FieldKind;
using storage::Row;
using storage::Scope;
namespace ent = storage::entities;

namespace {

storage::Value sort_value(const Entity& e, const Row& r, const std::string& sort) {
  if (sort == "id") return r.id;
  if (sort == "created_at") return r.created_at;
  if (sort == "updated_at") return r.updated_at;
  return r.get(e, sort);
}

// Defaults a new row gets from who creates it and the organisation's settings.
void fill_defaults(const Entity& e, Row& row, const auth::Principal& p, const OrgSettings& org) {
  auto unset = [&](std::string_view f) { return storage::is_null(row.get(e, f)); };
  if (&e == &ent::leads) {
    if (unset("stage")) row.set(e, "stage", org.stages.front());
    if (unset("owner_id")) row.set(e, "owner_id", p.user_id);
    if (unset("shared_with_region")) row.set(e, "shared_with_region", std::int64_t{0});
  } else if (&e == &ent::activities) {
    row.set(e, "author_id", p.user_id);
    if (unset("occurred_at")) row.set(e, "occurred_at", domain::now_instant());
  } else if (&e == &ent::followups) {
    if (unset("assignee_id")) row.set(e, "assignee_id", p.user_id);
    if (unset("status")) row.set(e, "status", std::string("open"));
    if (row.get(e, "status") == storage::Value{std::string("done")})
      row.set(e, "done_at", domain::now_instant());
  }
}

// Stage changes are logged by the server when a lead moves; a client cannot forge one.
void refuse_server_kinds(const Entity& e, const Row& row) {
  if (&e == &ent::activities && row.get(e, "kind") == storage::Value{std::string("stage-change")})
    throw Problem::invalid("kind", "kind stage-change is logged by the server when a lead's stage changes");
}

void refuse_out_of_bounds(const Entity& e, const Row& row) {
  if (&e != &ent::cadence_rules) return;
  const auto days = row.integer(e, "days");
  if (days && (*days < cadence_days_min || *days > cadence_days_max))
    throw Problem::invalid("days", "days must be from " + std::to_string(cadence_days_min) + " to " +
                                       std::to_string(cadence_days_max));
}

}  // namespace

Scope RecordService::read_scope(const auth::Principal& p, const Entity& e) const {
  if (p.is_staff()) return Scope::org_and_shared(p.org_id);
  // A start-up reads the region's missions and rates besides its own rows; its own private
  // events stay its own (and staff's, above).
  if (e.sharing == storage::Sharing::region_wide) return Scope::org_and_region(p.org_id);
  return Scope::org(p.org_id);
}

namespace {

bool shared_with_region(const Row& lead) {
  return lead.get(ent::leads, "shared_with_region") == storage::Value{std::int64_t{1}};
}

}  // namespace

bool RecordService::redacts(const auth::Principal& p, const Entity& e, const Row& row) const {
  if (row.org_id == p.org_id || e.sharing != storage::Sharing::always) return false;
  if (&e == &ent::leads) return !shared_with_region(row);
  // An outcome is its lead's: shown whole when the lead is shared. The lead is read by id
  // (one lookup per row of another organisation, on staff's pages and exports only); it is
  // the outcome's organisation's, as every reference is.
  if (&e == &ent::outcomes) {
    const auto* lead_id = std::get_if<std::int64_t>(&row.get(e, "lead_id"));
    if (!lead_id) return true;
    const auto lead = store_.get(ent::leads, Scope::org(row.org_id), *lead_id);
    return !lead || !shared_with_region(*lead);
  }
  return true;  // a company: shared with no lead in particular
}

RecordRead RecordService::get(const auth::Principal& p, const Entity& e, std::int64_t id) {
  // One row per thread, read into again and again: a read by id, the API's most frequent
  // request, then allocates for its answer only.
  thread_local Row row;
  if (!store_.get_into(e, read_scope(p, e), id, row)) throw Problem::not_found();
  return RecordRead{domain::row_json(e, row, redacts(p, e, row), org_name(p, e, row)), row.id, row.version};
}

std::string RecordService::org_name(const auth::Principal& p, const Entity& e, const Row& row) const {
  return org_name_of(p, e, row.org_id);
}

std::string RecordService::org_name_of(const auth::Principal& p, const Entity& e, std::int64_t org_id) const {
  if (!p.is_staff() || !e.org_owned) return {};
  return orgs_.get(org_id)->name;
}

void refuse_personal_conditions(const Entity& e, const std::vector<std::string_view>& fields) {
  for (std::string_view name : fields) {
    const storage::Field* f = e.field(name);
    if (f && f->has(storage::personal))
      throw Problem::bad_request(std::string(name) + " is personal data, hidden from you on other organisations' " +
                                     std::string(e.name) + ": nothing is filtered or sorted by it for you",
                                 std::string(name));
  }
}

void refuse_personal_conditions(const Entity& e, const ListRequest& request) {
  std::vector<std::string_view> fields{request.sort};
  for (const auto& c : request.conditions) fields.push_back(c.field);
  refuse_personal_conditions(e, fields);
}

Page RecordService::list(const auth::Principal& p, const Entity& e, const ListRequest& request) {
  if (e.sharing == storage::Sharing::always && (p.is_staff() || p.is_admin())) refuse_personal_conditions(e, request);
  return list_page(
      store_, e, read_scope(p, e), request, [&](const Row& r) { return redacts(p, e, r); },
      [&](const Row& r) { return org_name(p, e, r); });
}

storage::ListQuery storage_query(const ListRequest& request, const Scope& scope) {
  using Test = domain::ListCondition::Test;
  using Op = storage::Filter::Op;
  storage::ListQuery q;
  q.scope = scope;
  for (const domain::ListCondition& c : request.conditions) {
    const Op op = c.test == Test::equals    ? Op::eq
                  : c.test == Test::has_tag ? Op::has_tag
                  : c.test == Test::at_least ? Op::ge
                                             : Op::lt;
    q.filters.push_back({c.field, op, c.value});
  }
  q.search = request.search;
  q.sort = request.sort;
  q.descending = request.descending;
  if (request.after) {
    q.after_sort = request.after->sort_value;
    q.after_id = request.after->id;
  }
  q.limit = request.limit;
  return q;
}

Page list_page(storage::Store& store, const Entity& e, const Scope& scope, const ListRequest& request,
               const std::function<bool(const Row&)>& redact,
               const std::function<std::string(const Row&)>& org_name) {
  storage::ListQuery q = storage_query(request, scope);
  const std::size_t page_size = request.limit;
  q.limit = page_size + 1;  // one more tells whether there is a next page
  std::vector<Row> rows = store.list(e, q);
  Page page;
  const bool more = rows.size() > page_size;
  if (more) rows.pop_back();
  page.items.reserve(rows.size() * 600 + 2);
  for (const Row& r : rows) domain::append_row_json(page.add(), e, r, redact(r), org_name ? org_name(r) : std::string());
  page.close();
  if (more) page.next = ListPosition{sort_value(e, rows.back(), std::string(request.sort)), rows.back().id};
  return page;
}

storage::Row new_record(const auth::Principal& p, const OrgSettings& org, const Entity& e,
                        const boost::json::object& fields) {
  Row row;
  row.org_id = p.org_id;
  domain::apply_body(e, fields, row, true, context_of(org));
  refuse_server_kinds(e, row);
  refuse_out_of_bounds(e, row);
  fill_defaults(e, row, p, org);
  return row;
}

std::string insert_record(storage::WriteTxn& tx, const auth::Principal& p, const Entity& e, Row& row) {
  auto changed = set_fields(e, row);
  check_references(tx, e, row, changed, p.org_id);
  settle_money(tx, e, row, changed);
  std::string json = write_record(tx, p, e, WriteKind::create, row, nullptr, changed, event_type(e, WriteKind::create));
  convert_waiting_outcomes(tx, p, e, row);
  return json;
}

void RecordService::create(const auth::Principal& p, CreateRecord request, OutcomeCallback done) {
  require_write(p);
  const Entity& e = request.entity;
  require_rate_keeper(p, e);
  auto org = orgs_.get(p.org_id);
  auto row = std::make_shared<Row>();
  if (!checked(done, [&] { *row = new_record(p, *org, e, request.fields); })) return;
  // Staff read their writes' answers as they read the row afterwards: with org_name.
  std::string name = org_name(p, e, *row);
  submit_outcome(
      store_,
      [&e, p, row, name = std::move(name), idempotency = std::move(request.idempotency)](storage::WriteTxn& tx) mutable {
        if (auto first = replayed(tx, p, idempotency)) return *first;
        std::string json = insert_record(tx, p, e, *row);
        // The event's data is the row alone; the answer adds the name (written once more).
        if (!name.empty()) json = domain::row_json(e, *row, false, name);
        WriteOutcome created{WriteOutcome::Kind::created, row->id, row->version, std::move(json), {}, {}};
        remember(tx, p, idempotency, created);
        return created;
      },
      std::move(done));
}

namespace {

// Every stage change is kept as an activity of the lead.
void log_stage_change(storage::WriteTxn& tx, const auth::Principal& p, const Row& lead, const Row& before) {
  const Entity& e = ent::leads;
  const Entity& a = ent::activities;
  Row act;
  act.org_id = lead.org_id;
  act.values.resize(a.fields.size());
  act.set(a, "lead_id", lead.id);
  act.set(a, "contact_id", lead.get(e, "contact_id"));
  act.set(a, "kind", std::string("stage-change"));
  act.set(a, "occurred_at", domain::now_instant());
  act.set(a, "from_stage", before.get(e, "stage"));
  act.set(a, "to_stage", lead.get(e, "stage"));
  act.set(a, "subject", "Stage: " + std::get<std::string>(before.get(e, "stage")) + " → " +
                            std::get<std::string>(lead.get(e, "stage")));
  act.set(a, "author_id", p.user_id);
  write_record(tx, p, a, WriteKind::create, act, nullptr, set_fields(a, act), event_type(a, WriteKind::create));
}

bool becomes_done(const Entity& e, const Row& row, const Row& before) {
  const storage::Value done{std::string("done")};
  return &e == &ent::followups && row.get(e, "status") == done && before.get(e, "status") != done;
}

}  // namespace

WriteOutcome update_record(storage::WriteTxn& tx, const auth::Principal& p, const OrgSettings& org,
                           const UpdateRecord& request, const Scope& visible, const std::string& org_name) {
  const Entity& e = request.entity;
  Row row = owned_row(tx, e, p, request.id, visible, request.expected_version);
  const Row before = row;
  auto changed = domain::apply_body(e, request.fields, row, false, context_of(org));
  if (changed.empty())
    return WriteOutcome{WriteOutcome::Kind::updated, row.id, row.version, domain::row_json(e, row, false, org_name),
                        {}, {}};
  if (request.fields.contains("kind")) refuse_server_kinds(e, row);
  if (request.fields.contains("days")) refuse_out_of_bounds(e, row);
  const bool done_now = becomes_done(e, row, before);
  if (done_now) {
    row.set(e, "done_at", domain::now_instant());
    changed.push_back(*e.index_of("done_at"));
  }
  check_references(tx, e, row, changed, p.org_id);
  settle_money(tx, e, row, changed);
  std::string type = event_type(e, WriteKind::update);
  const bool stage_moved = &e == &ent::leads && row.get(e, "stage") != before.get(e, "stage");
  if (stage_moved) type = "lead.stage_changed";
  if (done_now) type = "followup.done";
  std::string json = write_record(tx, p, e, WriteKind::update, row, &before, changed, type);
  convert_waiting_outcomes(tx, p, e, row);
  if (!org_name.empty()) json = domain::row_json(e, row, false, org_name);
  if (stage_moved) log_stage_change(tx, p, row, before);
  return WriteOutcome{WriteOutcome::Kind::updated, row.id, row.version, std::move(json), {}, {}};
}

void RecordService::update(const auth::Principal& p, UpdateRecord request, OutcomeCallback done) {
  require_write(p);
  require_rate_keeper(p, request.entity);
  auto org = orgs_.get(p.org_id);
  const Scope visible = read_scope(p, request.entity);
  // A caller changes their own organisation's rows only (owned_row): its name for staff.
  std::string name = org_name_of(p, request.entity, p.org_id);
  submit_outcome(
      store_,
      [p, request = std::move(request), org, visible, name = std::move(name)](storage::WriteTxn& tx) {
        return update_record(tx, p, *org, request, visible, name);
      },
      std::move(done));
}

void RecordService::remove(const auth::Principal& p, DeleteRecord request, OutcomeCallback done) {
  require_write(p);
  const Entity& e = request.entity;
  require_rate_keeper(p, e);
  const Scope visible = read_scope(p, e);
  submit_outcome(
      store_,
      [&e, p, request, visible](storage::WriteTxn& tx) {
        Row row = owned_row(tx, e, p, request.id, visible, request.expected_version);
        // Nothing is lost silently: a record others point to stays until they are moved.
        for (const storage::Reference& ref : storage::references_to(e))
          // The region's requests to share a lead go with it (ON DELETE CASCADE): asking
          // must not keep a start-up from deleting its lead.
          if (ref.by != &ent::share_requests && tx.referenced(*ref.by, ref.field->name, request.id))
            throw Problem::conflict("this " + std::string(e.singular) + " is referenced by " +
                                    std::string(ref.by->name) + " (" + std::string(ref.field->name) +
                                    "); delete or re-assign them first");
        const Row before = row;
        write_record(tx, p, e, WriteKind::remove, row, &before, set_fields(e, row),
                     event_type(e, WriteKind::remove));
        return WriteOutcome{WriteOutcome::Kind::deleted, request.id, 0, {}, {}, {}};
      },
      std::move(done));
}

}  // namespace relance::services
