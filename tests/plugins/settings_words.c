/* Fixture: a plugin of SDK 1.2 documenting its settings in words only
 * (relance.settings-doc/1): the daemon reads their types from the words and checks nothing. */
#include <string.h>

#include "relance/relance.h"

static const void* words_extension(const char* id);
#define FIXTURE_EXTENSION words_extension
#include "c_fixture.h"

static const relance_option settings[] = {
    {"endpoint", "Required. Where to send, e.g. https://hooks.example.org/relance", NULL, NULL},
    {"verbose", "Log every event", "false", "true|false"},
    {"batch", "Events per call", "100", NULL},
    {"mode", "fast or safe", "fast", "fast|safe"},
};
static const relance_settings_doc_v1 doc = {sizeof(relance_settings_doc_v1), sizeof settings / sizeof settings[0],
                                            sizeof(relance_option), settings};

static const void* words_extension(const char* id) {
  return strcmp(id, RELANCE_SETTINGS_DOC_V1) == 0 ? (const void*)&doc : NULL;
}

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  (void)i;
  (void)e;
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.settings-words", "Settings in words (fixture)");
