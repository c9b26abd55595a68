/* Fixture: a plugin whose init fails, as one missing its licence file would. */
#include "relance/entry.h"

static relance_status fixture_init(const relance_host* host);
#define FIXTURE_INIT fixture_init
#include "c_fixture.h"

static relance_status fixture_init(const relance_host* host) {
  (void)host;
  fixture_error = "no licence file found in /etc/example";
  return RELANCE_FATAL;
}

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  (void)i;
  (void)e;
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.init-fails", "Init fails (fixture)");
