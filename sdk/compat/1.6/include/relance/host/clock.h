/* Relance plugin SDK: host service "relance.host.clock/1", the daemon's clock.
 *
 * Contract: plugins read time through the daemon, so that the daemon's notion of "now"
 * (which tests may shift) is the only one. Thread: any. */
#ifndef RELANCE_HOST_CLOCK_H
#define RELANCE_HOST_CLOCK_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_CLOCK_V1 "relance.host.clock/1"

typedef struct relance_host_clock_v1 {
  uint32_t struct_size;
  /* Wall-clock time: milliseconds since 1970-01-01T00:00:00Z. */
  int64_t (*now_ms)(const relance_host* host);
  /* A monotonic clock in nanoseconds, for measuring durations. */
  int64_t (*monotonic_ns)(const relance_host* host);
} relance_host_clock_v1;

#ifdef __cplusplus
}
#endif

#endif
