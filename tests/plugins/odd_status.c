/* Fixture: an event sink that answers a status the SDK does not define ({"status": 42},
 * 42 when not given), as a plugin built against a future SDK, or one returning garbage, may. */
#include "c_fixture.h"
#include "fixture_settings.h"

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  char status[16];
  (void)e;
  fixture_setting(i->host, "status", status, sizeof status);
  fixture_error = "an odd status, on purpose";
  return (relance_status)(status[0] ? atoi(status) : 42);
}

FIXTURE_PLUGIN("org.relance.fixture.odd-status", "Odd status (fixture)");
