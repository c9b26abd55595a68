/* Built against the frozen SDK 1.3 headers: refuses every instance with a reason naming it,
 * kept in one plugin-wide buffer as 1.3 plugins do, and is slow to hand that reason over
 * (last_error(NULL) waits 3 ms before it reads the buffer). Were the daemon to run two of its
 * create_instance calls at once, the second would overwrite the first's reason during that
 * wait, and an instance would be shown its neighbour's reason. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "relance/relance.h"

static char reason[300];

static relance_status slow_create(const relance_host* host, relance_instance** out) {
  const relance_host_config_v1* config = (const relance_host_config_v1*)host->get_service(host, RELANCE_HOST_CONFIG_V1);
  const relance_str name = config ? config->instance_name(host) : (relance_str){"?", 1};
  (void)out;
  snprintf(reason, sizeof reason, "refused for %.*s", (int)name.size, name.data);
  return RELANCE_INVALID;
}
static void slow_destroy(relance_instance* i) { (void)i; }
static const void* slow_get_interface(relance_instance* i, const char* id) {
  (void)i;
  (void)id;
  return NULL;
}
static relance_str slow_last_error(relance_instance* i) {
  const struct timespec wait = {0, 3000000};
  relance_str r;
  (void)i;
  nanosleep(&wait, NULL);
  r.data = reason;
  r.size = strlen(reason);
  return r;
}

static const char* const slow_interfaces[] = {RELANCE_EVENT_SINK_V1, NULL};

RELANCE_PLUGIN_ENTRY = {sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH,
                        "org.relance.fixture.refuses-slowly", "Refuses slowly (1.3)", "Relance tests", "1.0.0",
                        slow_interfaces, NULL, NULL, slow_create, slow_destroy, slow_get_interface, NULL,
                        slow_last_error};
