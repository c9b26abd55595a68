#include "services/share_requests.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "events/publish.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
namespace json = boost::json;
using storage::Row;
using storage::Scope;
namespace ent = storage::entities;

namespace {

const storage::Entity& requests = ent::share_requests;
constexpr std::size_t reason_max_length = 2000;  // as the field's, schema.cpp
constexpr std::size_t history_max = 1000;

bool shared(const Row& lead) { return lead.integer(ent::leads, "shared_with_region") == std::int64_t{1}; }

std::vector<std::size_t> indexes_of(std::initializer_list<std::string_view> names) {
  std::vector<std::size_t> out;
  for (std::string_view n : names) out.push_back(*requests.index_of(n));
  return out;
}

// A pending request of the lead, if any.
bool pending_for(storage::WriteTxn& tx, const Row& lead) {
  for (const Row& r : tx.referencing(requests, "lead_id", lead.id, lead.org_id)) {
    const std::string* state = r.text(requests, "state");
    if (state && *state == "pending") return true;
  }
  return false;
}

// The lead a staff member names: another organisation's, not shared yet, with no request
// pending. A lead they cannot name reads like one that does not exist (422 on lead_id).
Row askable_lead(storage::WriteTxn& tx, const auth::Principal& p, const Row& request) {
  const std::int64_t id = request.integer(requests, "lead_id").value_or(0);
  auto lead = tx.get(ent::leads, Scope::everything(), id);
  if (!lead || lead->org_id == p.org_id)
    throw Problem::invalid("lead_id", "lead_id: no lead " + std::to_string(id) + " of a start-up");
  if (shared(*lead)) throw Problem::conflict("lead " + std::to_string(id) + " is already shared with the region", "lead_id");
  if (pending_for(tx, *lead))
    throw Problem::conflict("a request to share lead " + std::to_string(id) + " is already pending", "lead_id");
  return std::move(*lead);
}

}  // namespace

Scope ShareRequestService::read_scope(const auth::Principal& p) const {
  return records_.read_scope(p, requests);
}

void ShareRequestService::ask(const auth::Principal& p, AskToShare request, OutcomeCallback done) {
  require_write(p);
  if (!p.is_staff()) throw Problem::forbidden("only region staff ask a start-up to share a lead");
  auto org = orgs_.get(p.org_id);
  auto row = std::make_shared<Row>();
  if (!checked(done, [&] { domain::apply_body(requests, request.fields, *row, true, context_of(*org)); })) return;
  row->set(requests, "state", std::string("pending"));
  row->set(requests, "requested_by", p.user_id);
  submit_outcome(
      store_,
      [p, row, idempotency = std::move(request.idempotency)](storage::WriteTxn& tx) {
        if (auto first = replayed(tx, p, idempotency)) return *first;
        // The request is the start-up's row, so that its members list and answer it.
        row->org_id = askable_lead(tx, p, *row).org_id;
        std::string json = write_record(tx, p, requests, WriteKind::create, *row, nullptr, set_fields(requests, *row),
                                        "share_request.created");
        WriteOutcome created{WriteOutcome::Kind::created, row->id, row->version, std::move(json), {}, {}};
        remember(tx, p, idempotency, created);
        return created;
      },
      std::move(done));
}

void ShareRequestService::answer(const auth::Principal& p, AnswerShareRequest request, OutcomeCallback done) {
  require_write(p);
  if (domain::utf8_length(request.reason) > reason_max_length)
    return done(nullptr, invalid_outcome(Problem::invalid("reason", "reason is longer than " +
                                                                        std::to_string(reason_max_length) +
                                                                        " characters")));
  const Scope visible = read_scope(p);
  submit_outcome(
      store_,
      [p, request = std::move(request), visible](storage::WriteTxn& tx) {
        Row row = owned_row(tx, requests, p, request.id, visible, std::nullopt);
        const std::int64_t lead_id = row.integer(requests, "lead_id").value_or(0);
        auto lead = tx.get(ent::leads, Scope::org(p.org_id), lead_id);
        const bool owner = lead && lead->integer(ent::leads, "owner_id") == p.user_id;
        if (!p.manages_org() && !owner)
          throw Problem::forbidden("only an org-admin of the start-up or the lead's owner answers a share request");
        const std::string* state = row.text(requests, "state");
        if (!state || *state != "pending")
          throw Problem::conflict("this share request was already " + (state ? *state : std::string("answered")));
        if (request.accept && lead && !shared(*lead)) {
          const Row before = *lead;
          lead->set(ent::leads, "shared_with_region", std::int64_t{1});
          write_record(tx, p, ent::leads, WriteKind::update, *lead, &before,
                       {*ent::leads.index_of("shared_with_region")}, "lead.updated");
        }
        const Row before = row;
        row.set(requests, "state", std::string(request.accept ? "accepted" : "declined"));
        row.set(requests, "answered_by", p.user_id);
        row.set(requests, "answered_at", domain::now_instant());
        const std::string reason = domain::trim(request.reason);
        if (!reason.empty()) row.set(requests, "reason", reason);
        const auto changed = indexes_of({"state", "answered_by", "answered_at", "reason"});
        std::string json = write_record(tx, p, requests, WriteKind::update, row, &before, changed,
                                        "share_request.answered");
        // The asking staff member's organisation hears the answer too (its plugins tell them).
        if (auto asker = tx.get(ent::users, Scope::everything(), row.integer(requests, "requested_by").value_or(0));
            asker && asker->org_id != row.org_id)
          events::publish(tx, events::EventDraft{"share_request.answered", std::string(requests.name), row.id,
                                                 asker->org_id, p.user_id, json,
                                                 {{"changed", changed_json(requests, changed)}}});
        return WriteOutcome{WriteOutcome::Kind::updated, row.id, row.version, std::move(json), {}, {}};
      },
      std::move(done));
}

RecordRead ShareRequestService::get(const auth::Principal& p, std::int64_t id) {
  auto row = store_.get(requests, read_scope(p), id);
  if (!row) throw Problem::not_found();
  return RecordRead{domain::row_json(requests, *row, false), row->id, row->version};
}

Page ShareRequestService::list(const auth::Principal& p, const ListRequest& request) {
  // Nothing in a request is personal: no row is redacted.
  return list_page(store_, requests, read_scope(p), request, [](const Row&) { return false; });
}

std::string ShareRequestService::sharing(const auth::Principal& p, std::int64_t lead_id) {
  auto lead = store_.get(ent::leads, records_.read_scope(p, ent::leads), lead_id);
  if (!lead) throw Problem::not_found();
  json::array history;
  for (const storage::AuditRecord& a : store_.audit_of_row(ent::leads.name, lead_id, history_max)) {
    if (a.entry.action != "create" && a.entry.action != "update") continue;
    boost::system::error_code ec;
    const json::value changes = json::parse(a.entry.changes, ec);
    const json::value* change = !ec && changes.is_object() ? changes.as_object().if_contains("shared_with_region") : nullptr;
    if (!change || !change->is_array() || change->as_array().size() != 2) continue;
    const bool before = change->as_array()[0] == json::value(true);
    const bool after = change->as_array()[1] == json::value(true);
    if (before == after) continue;  // a lead created unshared was never shared
    history.push_back(json::object{{"at", a.at}, {"shared", after}, {"user_id", a.entry.user_id},
                                   {"action", a.entry.action}});
  }
  storage::ListQuery q;
  q.scope = Scope::org(lead->org_id);
  q.filters.push_back({"lead_id", storage::Filter::Op::eq, lead_id});
  q.limit = history_max;
  json::array asked;
  for (const Row& r : store_.list(requests, q)) asked.push_back(domain::encode_row(requests, r, false));
  return json::serialize(json::object{{"lead_id", lead_id},
                                      {"shared_with_region", shared(*lead)},
                                      {"history", std::move(history)},
                                      {"requests", std::move(asked)}});
}

}  // namespace relance::services
