/* Relance plugin SDK: what a plugin says about its instances' settings, and how an
 * administrator tests them (since SDK 1.2). Both are optional: a plugin without them loads
 * and works as before; the daemon then shows no documented settings and answers that the
 * plugin offers no test.
 *
 * "relance.settings-doc/1" is a plugin-wide extension (relance_plugin_entry.get_extension):
 * the settings an instance takes, for `relance plugin settings PLUGIN` and the API, so an
 * administrator configures an instance without reading the plugin's source.
 *
 * "relance.self-test/1" is an instance role (relance_plugin_entry.get_interface): one test
 * an administrator asks for, run with the instance's settings on an instance the daemon
 * creates for it (not the one delivering events), then destroys. An email plugin sends one
 * real message; a webhook plugin would call its URL once. */
#ifndef RELANCE_SETTINGS_H
#define RELANCE_SETTINGS_H

#include "relance/entry.h"
#include "relance/exporter.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_SETTINGS_DOC_V1 "relance.settings-doc/1"

/* The documented settings. Each is a relance_option: `name` (the JSON key), `description`
 * (one line, English: what it does, whether it is required, an example), `default_value`
 * (as text, NULL when none) and `choices` ('|'-separated, NULL for free values). The table
 * and its strings live as long as the plugin is loaded. Thread: any. */
typedef struct relance_settings_doc_v1 {
  uint32_t struct_size;
  size_t setting_count;
  size_t setting_size; /* bytes from one setting to the next (sizeof(relance_option)) */
  const relance_option* settings;
} relance_settings_doc_v1;

#define RELANCE_SELF_TEST_V1 "relance.self-test/1"

typedef struct relance_self_test_v1 {
  uint32_t struct_size;
  /* Runs the test `request` asks for: a JSON object in the plugin's own terms (the email
   * reminder takes {"to": "someone@example.org"}), borrowed for the call. Returns RELANCE_OK
   * when the test passed; RELANCE_INVALID when the request (or the settings) cannot make a
   * test; RELANCE_RETRY or RELANCE_FATAL when it failed. In every case *report is UTF-8 text
   * for the administrator saying what happened (a server's answer), borrowed until the next
   * call on the instance; the daemon redacts secrets from it. Thread: the caller's; the
   * call must return within the daemon's call budget. */
  relance_status (*run)(relance_instance* instance, relance_str request, relance_str* report);
} relance_self_test_v1;

#ifdef __cplusplus
}
#endif

#endif
