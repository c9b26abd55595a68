/* A setting of the instance, for the C fixtures: the text after "KEY": in the settings
 * document, a JSON string without its quotes or a number as written, copied into `out`
 * ("" when absent). Crude on purpose (no escapes, no nesting): the fixtures' settings are
 * flat and plain. */
#ifndef RELANCE_FIXTURE_SETTINGS_H
#define RELANCE_FIXTURE_SETTINGS_H

#include <string.h>

#include "relance/host/config.h"
#include "relance/relance.h"

static void fixture_setting(const relance_host* host, const char* key, char* out, size_t size) {
  const relance_host_config_v1* config =
      (const relance_host_config_v1*)host->get_service(host, RELANCE_HOST_CONFIG_V1);
  relance_str s;
  size_t k = strlen(key), at, n = 0;
  out[0] = '\0';
  if (!config || size == 0) return;
  s = config->settings(host);
  for (at = 0; at + k + 3 <= s.size; ++at) {
    if (s.data[at] != '"' || memcmp(s.data + at + 1, key, k) != 0 || s.data[at + 1 + k] != '"') continue;
    at += k + 2;
    while (at < s.size && (s.data[at] == ':' || s.data[at] == ' ')) ++at;
    if (at < s.size && s.data[at] == '"') ++at;
    while (at < s.size && s.data[at] != '"' && s.data[at] != ',' && s.data[at] != '}' && n + 1 < size)
      out[n++] = s.data[at++];
    out[n] = '\0';
    return;
  }
}

#endif
