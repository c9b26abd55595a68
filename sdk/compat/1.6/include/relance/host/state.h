/* Relance plugin SDK: host service "relance.host.state/1", persistent key-value state.
 *
 * Contract: offered to instance handles only; each instance has its own keys, kept in the
 * daemon's database across restarts. Keys are 1 to 256 bytes, values at most 1 MiB.
 * Inside relance.event-sink/1 `deliver`, writes are part of that delivery: they commit
 * together with the event's delivery record when deliver returns RELANCE_OK (or
 * RELANCE_UNSUPPORTED) and are dropped otherwise, so state and event cursor never disagree,
 * also across a crash. Elsewhere a write is durable when put or erase returns.
 * Thread: the instance's. */
#ifndef RELANCE_HOST_STATE_H
#define RELANCE_HOST_STATE_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_STATE_V1 "relance.host.state/1"

typedef struct relance_host_state_v1 {
  uint32_t struct_size;
  /* RELANCE_OK with *value set (borrowed until the next state call; data is never NULL,
   * also for an empty value), or RELANCE_OK with *value = {NULL, 0} when the key is
   * absent; RELANCE_INVALID for a bad key; RELANCE_RETRY when the database is
   * unavailable. */
  relance_status (*get)(const relance_host* host, relance_str key, relance_str* value);
  relance_status (*put)(const relance_host* host, relance_str key, relance_str value);
  relance_status (*erase)(const relance_host* host, relance_str key);
} relance_host_state_v1;

#ifdef __cplusplus
}
#endif

#endif
