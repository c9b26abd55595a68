#include "events/publish.hpp"

#include "domain/json_text.hpp"
#include "domain/time.hpp"
#include "events/clock.hpp"

namespace relance::events {

std::string envelope(const EventDraft& d, const std::string& occurred_at) {
  std::string ev = "{\"schema\":\"relance.event/1\",\"type\":";
  domain::append_json_string(ev, d.type);
  ev += ",\"org_id\":";
  domain::append_json_int(ev, d.org_id);
  ev += ",\"entity\":";
  domain::append_json_string(ev, d.entity);
  ev += ",\"entity_id\":";
  domain::append_json_int(ev, d.entity_id);
  ev += ",\"actor_id\":";
  domain::append_json_int(ev, d.actor_id);
  ev += ",\"occurred_at\":";
  domain::append_json_string(ev, occurred_at);
  ev += ",\"data\":";
  ev += d.data;
  for (const auto& [name, json] : d.more) {
    ev += ',';
    domain::append_json_string(ev, name);
    ev += ':';
    ev += json;
  }
  ev += '}';
  return ev;
}

std::int64_t publish(storage::EventLogWrites& tx, const EventDraft& d) {
  // The outbox row's instant is the document's, so that a plugin reading either sees one.
  std::string at = domain::format_instant(clock().now());
  std::string document = envelope(d, at);
  return tx.append(storage::OutboxEvent{d.org_id, d.type, d.entity, d.entity_id, std::move(document), std::move(at)});
}

std::int64_t publish(storage::WriteTxn& tx, const EventDraft& d) { return publish(tx.events(), d); }

}  // namespace relance::events
