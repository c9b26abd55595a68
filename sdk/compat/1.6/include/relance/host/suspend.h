/* Relance plugin SDK: host service "relance.host.suspend/1", an instance that stops itself
 * until an administrator acts (since SDK 1.5).
 *
 * Contract: for what no retry can mend but an administrator can: a partner answered
 * "410 Gone", a credential was revoked. Called inside relance.event-sink/1 `deliver`: when
 * that call returns, whatever it returns, the event is not recorded as delivered, and the
 * instance is suspended (its state "suspended", `reason` as its last error, kept across
 * restarts) until an administrator resumes it (POST /api/v1/plugin-instances/{id}/resume);
 * the event is then delivered again, and the ones after it. Nothing is lost or dead-lettered.
 * The reason is redacted of the instance's secrets like every error. Offered to instance
 * handles only. Thread: the instance's. */
#ifndef RELANCE_HOST_SUSPEND_H
#define RELANCE_HOST_SUSPEND_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_SUSPEND_V1 "relance.host.suspend/1"

typedef struct relance_host_suspend_v1 {
  uint32_t struct_size;
  /* Suspends the instance when the current `deliver` returns. `reason` (UTF-8, read during
   * the call, cut at 2000 bytes) says why, for the administrator.
   * RELANCE_OK: it will be. RELANCE_INVALID: not inside `deliver`; nothing changes. */
  relance_status (*suspend)(const relance_host* host, relance_str reason);
} relance_host_suspend_v1;

#ifdef __cplusplus
}
#endif

#endif
