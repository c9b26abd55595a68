// publish(): the one way an event enters the outbox. Every producer (record writes, contact
// merges, imports through the record writes, the follow-up scheduler, cadence rules) says
// what happened in an EventDraft; publish() wraps it in the versioned event document
// (docs/events.md, schema relance.event/1), stamps it with clock(), and appends it to the
// outbox inside the caller's write transaction, so it commits or rolls back with the change
// it announces.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "relance/storage/store.hpp"

namespace relance::events {

struct EventDraft {
  std::string type;              // "contact.created", "followup.due"...
  std::string entity;            // the collection, as in the API: "contacts"
  std::int64_t entity_id = 0;
  std::int64_t org_id = 0;
  std::int64_t actor_id = 0;     // the user who acted; 0 for the daemon itself
  std::string data;              // JSON text: the record as the API returns it, or the event's own data
  // Members of the document after `data`, in this order: name and JSON text
  // ({"changed", "{\"stage\":true}"} on updates; "due", "assignee"... on followup.due).
  std::vector<std::pair<std::string, std::string>> more;
};

// The event document of `draft`, occurred at `occurred_at` (an instant as storage keeps it).
std::string envelope(const EventDraft& draft, const std::string& occurred_at);

// Appends the event of `draft` to the outbox in `tx`; returns its id (the stable event id).
std::int64_t publish(storage::WriteTxn& tx, const EventDraft& draft);
// The same on the event log's side of a transaction.
std::int64_t publish(storage::EventLogWrites& tx, const EventDraft& draft);

}  // namespace relance::events
