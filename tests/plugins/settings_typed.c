/* Fixture: a plugin of SDK 1.3 declaring its settings' types (relance.settings-doc/2, and /1
 * over the same table), one of them with a type and a flag bit of a later SDK, which the
 * daemon reads as text and ignores. */
#include <string.h>

#include "relance/relance.h"

static const void* typed_extension(const char* id);
#define FIXTURE_EXTENSION typed_extension
#include "c_fixture.h"

static const relance_setting settings[] = {
    {"endpoint", "Where to send, e.g. https://hooks.example.org/relance", NULL, NULL, RELANCE_SETTING_URL,
     RELANCE_SETTING_REQUIRED},
    {"retries", "Attempts before giving up", "3", NULL, RELANCE_SETTING_INTEGER, 0},
    {"ratio", "Share of events sampled, from 0 to 1", "1", NULL, RELANCE_SETTING_NUMBER, 0},
    {"notify", "Who hears of failures, e.g. \"Ops <ops@example.org>\"", NULL, NULL, RELANCE_SETTING_EMAIL, 0},
    {"dry_run", "Send nothing", "false", NULL, RELANCE_SETTING_BOOLEAN, 0},
    {"mode", "fast or safe", "fast", "fast|safe", RELANCE_SETTING_TEXT, 0},
    {"api_token", "The partner's token", NULL, NULL, RELANCE_SETTING_TEXT, RELANCE_SETTING_REQUIRED},
    {"colour", "A type of a later SDK", NULL, NULL, 99u, 128u},
};
static const relance_settings_doc_v2 doc2 = {sizeof(relance_settings_doc_v2), sizeof settings / sizeof settings[0],
                                             sizeof(relance_setting), settings};
static const relance_settings_doc_v1 doc1 = {sizeof(relance_settings_doc_v1), sizeof settings / sizeof settings[0],
                                             sizeof(relance_setting), (const relance_option*)(const void*)settings};

static const void* typed_extension(const char* id) {
  if (strcmp(id, RELANCE_SETTINGS_DOC_V2) == 0) return &doc2;
  if (strcmp(id, RELANCE_SETTINGS_DOC_V1) == 0) return &doc1;
  return NULL;
}

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  (void)i;
  (void)e;
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.settings-typed", "Typed settings (fixture)");
