#define _POSIX_C_SOURCE 200809L
/* Fixture: an event sink that takes the number of milliseconds given in its settings
 * ({"sleep_ms": 3000}) for every event, to overrun the daemon's call budget; with
 * {"spin": 1} it spends them spinning on the CPU rather than sleeping, as a plugin stuck in
 * a loop does. */
#include <time.h>

#include "c_fixture.h"
#include "relance/host/config.h"

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  const relance_host_config_v1* config =
      (const relance_host_config_v1*)i->host->get_service(i->host, RELANCE_HOST_CONFIG_V1);
  long ms = 0;
  int spin = 0;
  (void)e;
  if (config) {
    relance_str s = config->settings(i->host);
    const char* key = "\"sleep_ms\":";
    size_t k = strlen(key), at;
    for (at = 0; at + k <= s.size; ++at)
      if (memcmp(s.data + at, key, k) == 0) {
        ms = strtol(s.data + at + k, NULL, 10);
        break;
      }
    for (at = 0; at + 8 <= s.size; ++at)
      if (memcmp(s.data + at, "\"spin\":1", 8) == 0) spin = 1;
  }
  if (spin) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L < ms);
  } else {
    struct timespec t;
    t.tv_sec = ms / 1000;
    t.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&t, NULL);
  }
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.slow", "Slow (fixture)");
