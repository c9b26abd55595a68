/* Fixture: an event sink in plain C that answers FATAL to every event. The daemon must
 * destroy and recreate the instance, retry, then dead-letter the event. */
#include "c_fixture.h"

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  (void)i;
  (void)e;
  fixture_error = "fatal fixture: broken on purpose";
  return RELANCE_FATAL;
}

FIXTURE_PLUGIN("org.relance.fixture.fatal", "Fatal (fixture)");
