/* Fixture: an event sink that does nothing and answers OK, for measuring the daemon's own
 * delivery cost (bench/plugins.sh) and the cost of one call through the ABI. */
#include "c_fixture.h"

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  (void)i;
  (void)e;
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.noop", "No-op (fixture)");
