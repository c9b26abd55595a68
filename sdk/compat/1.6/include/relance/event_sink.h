/* Relance plugin SDK: role "relance.event-sink/1", receives domain events.
 *
 * Contract: the daemon delivers the events an instance subscribed to, of its organisation,
 * in outbox order (so in order per entity), one call at a time, at least once. An event's
 * `id` is stable across redeliveries: an idempotent plugin records the ids it handled (in
 * relance.host.state/1, which commits together with the delivery). The answer decides what
 * happens next:
 *   RELANCE_OK          delivered; the daemon records it and moves on
 *   RELANCE_RETRY       transient failure; retried with exponential backoff and jitter,
 *                       then dead-lettered after the configured number of attempts
 *   RELANCE_INVALID     this event can never be handled; dead-lettered at once
 *   RELANCE_UNSUPPORTED the plugin ignores this event type; recorded as delivered
 *   RELANCE_FATAL       the instance is broken; the daemon destroys and recreates it and
 *                       retries the event (counted as an attempt)
 * A call must return within the daemon's time budget (its setting plugins.call_budget_ms);
 * an instance that overruns is suspended and reported until an admin resumes it. */
#ifndef RELANCE_EVENT_SINK_H
#define RELANCE_EVENT_SINK_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_EVENT_SINK_V1 "relance.event-sink/1"

/* One domain event. Every string is borrowed for the duration of `deliver`. */
typedef struct relance_event {
  uint32_t struct_size;
  uint32_t attempt;         /* 1 on the first delivery, 2 on the first retry... */
  int64_t id;               /* stable event id (the outbox position) */
  int64_t org_id;           /* organisation whose data changed */
  int64_t entity_id;        /* id of the changed record */
  relance_str type;         /* "contact.created", "lead.stage_changed"... (events.md,
                               in <prefix>/share/doc/relance-sdk/) */
  relance_str entity;       /* "contacts", "leads"... */
  relance_str occurred_at;  /* RFC 3339 UTC */
  relance_str document;     /* the whole event as JSON, schema "relance.event/1"
                               (relance/json_reader.h reads it) */
} relance_event;

typedef struct relance_event_sink_v1 {
  uint32_t struct_size;
  /* Handles one event. Thread: the instance's delivery thread. */
  relance_status (*deliver)(relance_instance* instance, const relance_event* event);
} relance_event_sink_v1;

#ifdef __cplusplus
}
#endif

#endif
