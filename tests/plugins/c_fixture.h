/* The boilerplate of the C fixture plugins: an instance that holds its host handle, an
 * event sink around the fixture's `fixture_deliver`, and the entry. A fixture defines
 * fixture_deliver (and FIXTURE_INIT to give an init, FIXTURE_EXTENSION a function answering
 * get_extension) then writes
 * FIXTURE_PLUGIN("org.relance.fixture.x", "Name"). */
#ifndef RELANCE_C_FIXTURE_H
#define RELANCE_C_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "relance/relance.h"

struct relance_instance {
  const relance_host* host;
};

static const char* fixture_error = "";

static relance_status fixture_deliver(relance_instance* instance, const relance_event* event);

static relance_status fixture_create(const relance_host* host, relance_instance** out) {
  *out = (relance_instance*)calloc(1, sizeof(relance_instance));
  if (!*out) return RELANCE_FATAL;
  (*out)->host = host;
  return RELANCE_OK;
}
static void fixture_destroy(relance_instance* i) { free(i); }
static const relance_event_sink_v1 fixture_sink = {sizeof(relance_event_sink_v1), fixture_deliver};
static const void* fixture_get_interface(relance_instance* i, const char* id) {
  (void)i;
  return strcmp(id, RELANCE_EVENT_SINK_V1) == 0 ? (const void*)&fixture_sink : NULL;
}
#ifdef FIXTURE_EXTENSION
static const void* fixture_get_extension(const char* id) { return FIXTURE_EXTENSION(id); }
#else
static const void* fixture_get_extension(const char* id) {
  (void)id;
  return NULL;
}
#endif
static relance_str fixture_last_error(relance_instance* i) {
  relance_str s;
  (void)i;
  s.data = fixture_error;
  s.size = strlen(fixture_error);
  return s;
}
static const char* const fixture_interfaces[] = {RELANCE_EVENT_SINK_V1, NULL};

#ifndef FIXTURE_INIT
#define FIXTURE_INIT NULL
#endif

#define FIXTURE_PLUGIN(ID, NAME)                                                                  \
  RELANCE_PLUGIN_ENTRY = {sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR,     \
                          RELANCE_SDK_PATCH, ID, NAME, "Relance tests", "1.0.0",                  \
                          fixture_interfaces, FIXTURE_INIT, NULL, fixture_create, fixture_destroy, \
                          fixture_get_interface, fixture_get_extension, fixture_last_error}

#endif
