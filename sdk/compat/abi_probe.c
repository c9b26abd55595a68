/* ABI probe of the Relance SDK: a shared library whose only purpose is to make every type of
 * the C contract reachable from an exported symbol, so that abidw (abigail-tools) records
 * the whole contract and abidiff can compare it with the dump stored for each release.
 * Built with -g against the headers to check; never shipped, never loaded.
 * A new struct or table in a minor release gets its probe function here (then re-freeze,
 * see freeze.sh). */
#include "relance/relance.h"

/* The entry itself: its type is the root of what the daemon reads. */
RELANCE_PLUGIN_ENTRY = {sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR,
                        RELANCE_SDK_PATCH, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

#define PROBE(type) \
  RELANCE_EXPORT void relance_abi_probe_##type(type* p); \
  RELANCE_EXPORT void relance_abi_probe_##type(type* p) { (void)p; }

PROBE(relance_str)
PROBE(relance_status)
PROBE(relance_value)
PROBE(relance_column)
PROBE(relance_dataset)
PROBE(relance_row)
PROBE(relance_instance)
PROBE(relance_host)
PROBE(relance_plugin_entry)
PROBE(relance_event)
PROBE(relance_event_sink_v1)
PROBE(relance_option)
PROBE(relance_byte_sink)
PROBE(relance_export_request)
PROBE(relance_exporter_v1)
PROBE(relance_host_log_v1)
PROBE(relance_host_config_v1)
PROBE(relance_host_state_v1)
PROBE(relance_query)
PROBE(relance_host_query_v1)
PROBE(relance_host_clock_v1)
PROBE(relance_host_outbound_v1)
PROBE(relance_settings_doc_v1)
PROBE(relance_self_test_v1)
PROBE(relance_reason)
PROBE(relance_setting)
PROBE(relance_settings_doc_v2)
PROBE(relance_http_header)
PROBE(relance_http_request)
PROBE(relance_http_response)
PROBE(relance_host_http_v1)
PROBE(relance_host_suspend_v1)
PROBE(relance_setting_v3)
PROBE(relance_settings_doc_v3)
