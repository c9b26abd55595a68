/* Fixture: a plugin built with a newer minor SDK (1.9) than the daemon's. SDK "1.9" here
 * added a field at the end of relance_event (trace_id) and one at the end of the entry
 * (homepage), and a host service relance.host.secrets/1. A well-written plugin checks that
 * a newer field is present before reading it (RELANCE_HAS_FIELD) and that a service exists
 * before using it; this one records what it found in its state ("trace" and "secrets"), so
 * a test can see that it ran on a 1.0 daemon without reading past what the daemon gave. */
#include "c_fixture.h"
#include "relance/host/state.h"

/* relance_event as SDK 1.9 declares it: 1.0's fields, then the new one. */
typedef struct relance_event_1_9 {
  uint32_t struct_size;
  uint32_t attempt;
  int64_t id;
  int64_t org_id;
  int64_t entity_id;
  relance_str type;
  relance_str entity;
  relance_str occurred_at;
  relance_str document;
  relance_str trace_id; /* new in 1.9 */
} relance_event_1_9;

static void put(const relance_host* host, const char* key, const char* value) {
  const relance_host_state_v1* state =
      (const relance_host_state_v1*)host->get_service(host, RELANCE_HOST_STATE_V1);
  relance_str k, v;
  if (!state) return;
  k.data = key;
  k.size = strlen(key);
  v.data = value;
  v.size = strlen(value);
  state->put(host, k, v);
}

static relance_status fixture_deliver(relance_instance* i, const relance_event* event) {
  const relance_event_1_9* e = (const relance_event_1_9*)(const void*)event;
  if (RELANCE_HAS_FIELD(e, relance_event_1_9, trace_id))
    put(i->host, "trace", e->trace_id.size ? "present" : "present-empty");
  else
    put(i->host, "trace", "absent");
  put(i->host, "secrets", i->host->get_service(i->host, "relance.host.secrets/1") ? "offered" : "not offered");
  return RELANCE_OK;
}

/* The entry as SDK 1.9 declares it: 1.0's fields, 1.4's create_instance_reporting (left
 * NULL: the daemon then calls create_instance), then the new one. */
typedef struct entry_1_9 {
  relance_plugin_entry v1_0;
  void (*create_instance_reporting)(void); /* since 1.4; its real type is in 1.4's entry.h */
  const char* homepage;                    /* new in 1.9 */
} entry_1_9;

RELANCE_EXPORT const entry_1_9 future_entry __asm__("relance_plugin_entry_v1") = {
    {sizeof(entry_1_9), 1, 9, 0, "org.relance.fixture.future", "Future (fixture)", "Relance tests",
     "2.0.0", fixture_interfaces, NULL, NULL, fixture_create, fixture_destroy, fixture_get_interface,
     fixture_get_extension, fixture_last_error},
    NULL,
    "https://example.org/future"};
