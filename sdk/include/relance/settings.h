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

/* "relance.settings-doc/2" (since SDK 1.3): the same table with each setting's type and
 * whether it is required, so that the daemon checks an instance's settings before storing
 * them (a wrong type or a missing required setting answers 422 naming the setting) and an
 * administrator's form offers the right input. A plugin offering /2 should offer /1 too
 * (the C++ layer does): a 1.2 daemon asks for /1 only. The daemon asks for /2 first.
 *
 * A setting is secret (stored sealed, shown as "(set)", redacted from logs) when its name
 * holds "password", "passwd", "secret", "token" or "key", in any case: name a secret so. */
#define RELANCE_SETTINGS_DOC_V2 "relance.settings-doc/2"

/* relance_setting.type: what the setting's JSON value is. A type the daemon does not know is
 * read as RELANCE_SETTING_TEXT. */
#define RELANCE_SETTING_TEXT 0u    /* a string (one of `choices` when they are given) */
#define RELANCE_SETTING_INTEGER 1u /* a JSON integer */
#define RELANCE_SETTING_NUMBER 2u  /* a JSON number */
#define RELANCE_SETTING_BOOLEAN 3u /* true or false */
#define RELANCE_SETTING_EMAIL 4u   /* a string holding an email address, "Name <a@b.c>" allowed */
#define RELANCE_SETTING_URL 5u     /* a string holding an absolute URL (scheme://...) */

/* relance_setting.flags; the daemon ignores bits it does not know. */
#define RELANCE_SETTING_REQUIRED 1u   /* an instance cannot be created without it */
/* (since SDK 1.6) The setting is secret whatever its name: the daemon stores it sealed, the
 * API shows it as "(set)" and never returns it, logs and errors show "(secret)"; the plugin
 * gets it in clear through relance.host.config/1. A daemon before 1.6 ignores the bit and
 * goes by the name alone (see above), so a plugin that must also run on an older daemon
 * keeps a secret's name telling ("api_token", "webhook_secret") as well. */
#define RELANCE_SETTING_SECRET 2u

/* One documented setting. Its first four members are a relance_option's, in the same order,
 * so that one table read with `setting_size` as its stride also serves relance.settings-doc/1.
 * `default_value` is the default as text, as the setting's JSON value would print it ("5000",
 * "true"), or a phrase when the default depends on other settings. An array element: it never
 * grows (a reader's stride is `setting_size`, a larger record would come with a new id). */
typedef struct relance_setting {
  const char* name;
  const char* description;
  const char* default_value;
  const char* choices;
  uint32_t type;  /* RELANCE_SETTING_TEXT ... */
  uint32_t flags; /* RELANCE_SETTING_REQUIRED */
} relance_setting;

typedef struct relance_settings_doc_v2 {
  uint32_t struct_size;
  size_t setting_count;
  size_t setting_size; /* bytes from one setting to the next (sizeof(relance_setting)) */
  const relance_setting* settings;
} relance_settings_doc_v2;

/* "relance.settings-doc/3" (since SDK 1.6): the same table again, each setting described in
 * French as well (the mission's administrators read French first). Its record begins as a
 * relance_setting, in the same order, so one table read with `setting_size` as its stride
 * serves /1, /2 and /3: a plugin offering /3 offers /2 and /1 too (the C++ layer does), and
 * a daemon before 1.6 reads /2. The daemon asks for /3 first. */
#define RELANCE_SETTINGS_DOC_V3 "relance.settings-doc/3"

/* One documented setting with its French description (UTF-8; NULL when there is none: the
 * English one is shown). An array element: it never grows. */
typedef struct relance_setting_v3 {
  const char* name;
  const char* description; /* English */
  const char* default_value;
  const char* choices;
  uint32_t type;  /* RELANCE_SETTING_TEXT ... */
  uint32_t flags; /* RELANCE_SETTING_REQUIRED | RELANCE_SETTING_SECRET */
  const char* description_fr;
} relance_setting_v3;

typedef struct relance_settings_doc_v3 {
  uint32_t struct_size;
  size_t setting_count;
  size_t setting_size; /* bytes from one setting to the next (sizeof(relance_setting_v3)) */
  const relance_setting_v3* settings;
} relance_settings_doc_v3;

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
