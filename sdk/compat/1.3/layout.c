/* Relance SDK 1.3: the layout of every struct of the C contract on x86_64 (LP64), and
 * every constant. Generated once by sdk/compat/freeze.sh when 1.3 was frozen: never edit.
 *
 * tests/sdk compiles and runs this file against the frozen copy beside it, with
 * -DRELANCE_LAYOUT_FROZEN (every size exact), and against the live headers, where a growable
 * record (starting with struct_size, never an array element) may have grown at its end: its
 * 1.3 layout must stay its prefix. Any other change fails to compile. */
#include <stdio.h>
#include <string.h>

#include "relance/relance.h"

#if defined(__x86_64__) && defined(__LP64__)

#define FIXED(T, size, align)                                 \
  _Static_assert(sizeof(T) == (size), #T ": size changed");   \
  _Static_assert(_Alignof(T) == (align), #T ": alignment changed");
#ifdef RELANCE_LAYOUT_FROZEN
#define GROWABLE FIXED
#else
#define GROWABLE(T, size, align)                              \
  _Static_assert(sizeof(T) >= (size), #T ": size shrank");    \
  _Static_assert(_Alignof(T) == (align), #T ": alignment changed");
#endif
#define MEMBER(T, m, offset, size, align)                                        \
  _Static_assert(offsetof(T, m) == (offset), #T "." #m ": offset changed");      \
  _Static_assert(sizeof(((T*)0)->m) == (size), #T "." #m ": size changed");      \
  _Static_assert(_Alignof(__typeof__(((T*)0)->m)) == (align), #T "." #m ": alignment changed");
#define INTEGER(name, value) _Static_assert(name == value, #name " changed");
#define STRING(name, value) if (strcmp(name, value) != 0) failed = printf("%s changed\n", #name);

FIXED(relance_byte_sink, 16, 8)
MEMBER(relance_byte_sink, context, 0, 8, 8)
MEMBER(relance_byte_sink, write, 8, 8, 8)
FIXED(relance_column, 24, 8)
MEMBER(relance_column, kind, 0, 4, 4)
MEMBER(relance_column, flags, 4, 4, 4)
MEMBER(relance_column, name, 8, 16, 8)
GROWABLE(relance_dataset, 48, 8)
MEMBER(relance_dataset, struct_size, 0, 4, 4)
MEMBER(relance_dataset, name, 8, 16, 8)
MEMBER(relance_dataset, column_count, 24, 8, 8)
MEMBER(relance_dataset, column_size, 32, 8, 8)
MEMBER(relance_dataset, columns, 40, 8, 8)
GROWABLE(relance_event, 96, 8)
MEMBER(relance_event, struct_size, 0, 4, 4)
MEMBER(relance_event, attempt, 4, 4, 4)
MEMBER(relance_event, id, 8, 8, 8)
MEMBER(relance_event, org_id, 16, 8, 8)
MEMBER(relance_event, entity_id, 24, 8, 8)
MEMBER(relance_event, type, 32, 16, 8)
MEMBER(relance_event, entity, 48, 16, 8)
MEMBER(relance_event, occurred_at, 64, 16, 8)
MEMBER(relance_event, document, 80, 16, 8)
GROWABLE(relance_event_sink_v1, 16, 8)
MEMBER(relance_event_sink_v1, struct_size, 0, 4, 4)
MEMBER(relance_event_sink_v1, deliver, 8, 8, 8)
GROWABLE(relance_export_request, 72, 8)
MEMBER(relance_export_request, struct_size, 0, 4, 4)
MEMBER(relance_export_request, options, 8, 16, 8)
MEMBER(relance_export_request, locale, 24, 16, 8)
MEMBER(relance_export_request, time_zone, 40, 16, 8)
MEMBER(relance_export_request, out, 56, 8, 8)
MEMBER(relance_export_request, dataset_count, 64, 8, 8)
GROWABLE(relance_exporter_v1, 88, 8)
MEMBER(relance_exporter_v1, struct_size, 0, 4, 4)
MEMBER(relance_exporter_v1, format_id, 8, 8, 8)
MEMBER(relance_exporter_v1, file_extension, 16, 8, 8)
MEMBER(relance_exporter_v1, mime_type, 24, 8, 8)
MEMBER(relance_exporter_v1, option_count, 32, 8, 8)
MEMBER(relance_exporter_v1, option_size, 40, 8, 8)
MEMBER(relance_exporter_v1, options, 48, 8, 8)
MEMBER(relance_exporter_v1, open, 56, 8, 8)
MEMBER(relance_exporter_v1, begin_dataset, 64, 8, 8)
MEMBER(relance_exporter_v1, write_row, 72, 8, 8)
MEMBER(relance_exporter_v1, finish, 80, 8, 8)
GROWABLE(relance_host, 32, 8)
MEMBER(relance_host, struct_size, 0, 4, 4)
MEMBER(relance_host, sdk_epoch, 4, 4, 4)
MEMBER(relance_host, sdk_minor, 8, 4, 4)
MEMBER(relance_host, sdk_patch, 12, 4, 4)
MEMBER(relance_host, host_data, 16, 8, 8)
MEMBER(relance_host, get_service, 24, 8, 8)
GROWABLE(relance_host_clock_v1, 24, 8)
MEMBER(relance_host_clock_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_clock_v1, now_ms, 8, 8, 8)
MEMBER(relance_host_clock_v1, monotonic_ns, 16, 8, 8)
GROWABLE(relance_host_config_v1, 32, 8)
MEMBER(relance_host_config_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_config_v1, settings, 8, 8, 8)
MEMBER(relance_host_config_v1, instance_name, 16, 8, 8)
MEMBER(relance_host_config_v1, org_id, 24, 8, 8)
GROWABLE(relance_host_log_v1, 16, 8)
MEMBER(relance_host_log_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_log_v1, log, 8, 8, 8)
GROWABLE(relance_host_outbound_v1, 16, 8)
MEMBER(relance_host_outbound_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_outbound_v1, check, 8, 8, 8)
GROWABLE(relance_host_query_v1, 32, 8)
MEMBER(relance_host_query_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_query_v1, open, 8, 8, 8)
MEMBER(relance_host_query_v1, next, 16, 8, 8)
MEMBER(relance_host_query_v1, close, 24, 8, 8)
GROWABLE(relance_host_state_v1, 32, 8)
MEMBER(relance_host_state_v1, struct_size, 0, 4, 4)
MEMBER(relance_host_state_v1, get, 8, 8, 8)
MEMBER(relance_host_state_v1, put, 16, 8, 8)
MEMBER(relance_host_state_v1, erase, 24, 8, 8)
FIXED(relance_option, 32, 8)
MEMBER(relance_option, name, 0, 8, 8)
MEMBER(relance_option, description, 8, 8, 8)
MEMBER(relance_option, default_value, 16, 8, 8)
MEMBER(relance_option, choices, 24, 8, 8)
GROWABLE(relance_plugin_entry, 112, 8)
MEMBER(relance_plugin_entry, struct_size, 0, 4, 4)
MEMBER(relance_plugin_entry, sdk_epoch, 4, 4, 4)
MEMBER(relance_plugin_entry, sdk_minor, 8, 4, 4)
MEMBER(relance_plugin_entry, sdk_patch, 12, 4, 4)
MEMBER(relance_plugin_entry, id, 16, 8, 8)
MEMBER(relance_plugin_entry, name, 24, 8, 8)
MEMBER(relance_plugin_entry, vendor, 32, 8, 8)
MEMBER(relance_plugin_entry, version, 40, 8, 8)
MEMBER(relance_plugin_entry, interfaces, 48, 8, 8)
MEMBER(relance_plugin_entry, init, 56, 8, 8)
MEMBER(relance_plugin_entry, deinit, 64, 8, 8)
MEMBER(relance_plugin_entry, create_instance, 72, 8, 8)
MEMBER(relance_plugin_entry, destroy_instance, 80, 8, 8)
MEMBER(relance_plugin_entry, get_interface, 88, 8, 8)
MEMBER(relance_plugin_entry, get_extension, 96, 8, 8)
MEMBER(relance_plugin_entry, last_error, 104, 8, 8)
GROWABLE(relance_row, 24, 8)
MEMBER(relance_row, struct_size, 0, 4, 4)
MEMBER(relance_row, count, 8, 8, 8)
MEMBER(relance_row, values, 16, 8, 8)
GROWABLE(relance_self_test_v1, 16, 8)
MEMBER(relance_self_test_v1, struct_size, 0, 4, 4)
MEMBER(relance_self_test_v1, run, 8, 8, 8)
FIXED(relance_setting, 40, 8)
MEMBER(relance_setting, name, 0, 8, 8)
MEMBER(relance_setting, description, 8, 8, 8)
MEMBER(relance_setting, default_value, 16, 8, 8)
MEMBER(relance_setting, choices, 24, 8, 8)
MEMBER(relance_setting, type, 32, 4, 4)
MEMBER(relance_setting, flags, 36, 4, 4)
GROWABLE(relance_settings_doc_v1, 32, 8)
MEMBER(relance_settings_doc_v1, struct_size, 0, 4, 4)
MEMBER(relance_settings_doc_v1, setting_count, 8, 8, 8)
MEMBER(relance_settings_doc_v1, setting_size, 16, 8, 8)
MEMBER(relance_settings_doc_v1, settings, 24, 8, 8)
GROWABLE(relance_settings_doc_v2, 32, 8)
MEMBER(relance_settings_doc_v2, struct_size, 0, 4, 4)
MEMBER(relance_settings_doc_v2, setting_count, 8, 8, 8)
MEMBER(relance_settings_doc_v2, setting_size, 16, 8, 8)
MEMBER(relance_settings_doc_v2, settings, 24, 8, 8)
FIXED(relance_str, 16, 8)
MEMBER(relance_str, data, 0, 8, 8)
MEMBER(relance_str, size, 8, 8, 8)
FIXED(relance_value, 40, 8)
MEMBER(relance_value, kind, 0, 4, 4)
MEMBER(relance_value, scale, 4, 4, 4)
MEMBER(relance_value, integer, 8, 8, 8)
MEMBER(relance_value, real, 16, 8, 8)
MEMBER(relance_value, text, 24, 16, 8)
INTEGER(RELANCE_COLUMN_PERSONAL, 1)
INTEGER(RELANCE_FATAL, 4)
INTEGER(RELANCE_INVALID, 2)
INTEGER(RELANCE_LOG_DEBUG, 0)
INTEGER(RELANCE_LOG_ERROR, 3)
INTEGER(RELANCE_LOG_INFO, 1)
INTEGER(RELANCE_LOG_WARN, 2)
INTEGER(RELANCE_OK, 0)
INTEGER(RELANCE_RETRY, 1)
INTEGER(RELANCE_SDK_EPOCH, 1)
INTEGER(RELANCE_SETTING_BOOLEAN, 3)
INTEGER(RELANCE_SETTING_EMAIL, 4)
INTEGER(RELANCE_SETTING_INTEGER, 1)
INTEGER(RELANCE_SETTING_NUMBER, 2)
INTEGER(RELANCE_SETTING_REQUIRED, 1)
INTEGER(RELANCE_SETTING_TEXT, 0)
INTEGER(RELANCE_SETTING_URL, 5)
INTEGER(RELANCE_UNSUPPORTED, 3)
INTEGER(RELANCE_VALUE_BOOLEAN, 3)
INTEGER(RELANCE_VALUE_DATE, 5)
INTEGER(RELANCE_VALUE_INSTANT, 6)
INTEGER(RELANCE_VALUE_INTEGER, 1)
INTEGER(RELANCE_VALUE_LIST, 8)
INTEGER(RELANCE_VALUE_MONEY, 7)
INTEGER(RELANCE_VALUE_NULL, 0)
INTEGER(RELANCE_VALUE_REAL, 2)
INTEGER(RELANCE_VALUE_TEXT, 4)
_Static_assert(RELANCE_SDK_MINOR >= 3, "the minor version went back");

int main(void) {
  int failed = 0;
  STRING(RELANCE_ENTRY_SYMBOL, "relance_plugin_entry_v1")
  STRING(RELANCE_EVENT_SINK_V1, "relance.event-sink/1")
  STRING(RELANCE_EXPORTER_V1, "relance.exporter/1")
  STRING(RELANCE_HOST_CLOCK_V1, "relance.host.clock/1")
  STRING(RELANCE_HOST_CONFIG_V1, "relance.host.config/1")
  STRING(RELANCE_HOST_LOG_V1, "relance.host.log/1")
  STRING(RELANCE_HOST_OUTBOUND_V1, "relance.host.outbound/1")
  STRING(RELANCE_HOST_QUERY_V1, "relance.host.query/1")
  STRING(RELANCE_HOST_STATE_V1, "relance.host.state/1")
  STRING(RELANCE_SELF_TEST_V1, "relance.self-test/1")
  STRING(RELANCE_SETTINGS_DOC_V1, "relance.settings-doc/1")
  STRING(RELANCE_SETTINGS_DOC_V2, "relance.settings-doc/2")
  if (!failed) printf("Relance SDK 1.3 layout holds\n");
  return failed ? 1 : 0;
}

#else
int main(void) {
  printf("Relance SDK 1.3 layout: numbers are for x86_64 LP64, skipped\n");
  return 77;
}
#endif
