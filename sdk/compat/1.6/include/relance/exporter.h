/* Relance plugin SDK: role "relance.exporter/1", turns typed rows into a file format.
 *
 * Contract: for one export, the daemon calls open (with the options and the byte sink),
 * then for each dataset begin_dataset followed by write_row for each of its rows, then
 * finish. The plugin writes its bytes to the sink as it goes, so memory stays flat whatever
 * the row count; the daemon streams them to the client. When any call does not return
 * RELANCE_OK, or the sink's write fails, the daemon calls finish with complete = 0 and
 * reports the export as failed (it never passes a truncated file off as complete).
 * One export runs at a time on an instance. Thread: the exporting thread, for every call.
 *
 * Instances: the daemon creates an exporter's instance for each export request (and one
 * more, never written to the client, to ask a multi-dataset export's datasets in advance),
 * with the host handle of the caller's organisation (config's org_id; 0 for the instance it
 * creates once at start to read this table), instance_name "export", and as settings the
 * defaults of the settings the plugin documents (relance/settings.h; `{}` when it documents
 * none): an export request carries options, never settings. A plugin that declares a
 * required setting without a default offers no format. Destroyed after finish. */
#ifndef RELANCE_EXPORTER_H
#define RELANCE_EXPORTER_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_EXPORTER_V1 "relance.exporter/1"

/* An option the exporter accepts (in the export request's options). An element of an
 * array: it never grows; a reader steps by relance_exporter_v1.option_size all the same
 * (see relance_column). */
typedef struct relance_option {
  const char* name;          /* "delimiter" */
  const char* description;   /* one line, English */
  const char* default_value; /* as text; NULL when none */
  const char* choices;       /* allowed values separated by '|', or NULL for free text */
} relance_option;

/* Where the exporter writes its bytes. `write` returns RELANCE_OK, or RELANCE_FATAL when the
 * client went away (the plugin then stops and returns that status). Thread: the caller's.
 * Frozen: this pair never grows; a different sink would come with relance.exporter/2. */
typedef struct relance_byte_sink {
  void* context;
  relance_status (*write)(void* context, const void* data, size_t size);
} relance_byte_sink;

/* Given to open: the struct is borrowed for that call; the strings it points to and `out`
 * stay valid until finish returns. */
typedef struct relance_export_request {
  uint32_t struct_size;
  relance_str options;   /* JSON object of option name to string value: only the options
                            the request names, each checked by the daemon against the
                            declared options (name, choices). Defaults are NOT filled in:
                            an absent option means the plugin's own default */
  relance_str locale;    /* the user's locale: "fr", "en" */
  relance_str time_zone; /* the user's IANA time zone: "Europe/Paris" */
  const relance_byte_sink* out; /* valid, like `out->context`, until finish returns: the
                                   plugin may keep it from open to finish */
  size_t dataset_count;  /* how many datasets the export holds (begin_dataset calls to come) */
} relance_export_request;

typedef struct relance_exporter_v1 {
  uint32_t struct_size;
  const char* format_id;      /* "csv" */
  const char* file_extension; /* "csv" */
  const char* mime_type;      /* "text/csv" */
  size_t option_count;
  size_t option_size; /* bytes from one option to the next (sizeof(relance_option)) */
  const relance_option* options;

  relance_status (*open)(relance_instance* instance, const relance_export_request* request);
  relance_status (*begin_dataset)(relance_instance* instance, const relance_dataset* dataset);
  relance_status (*write_row)(relance_instance* instance, const relance_row* row);
  /* complete = 1: flush and end the file; 0: the export failed, drop what is pending. */
  relance_status (*finish)(relance_instance* instance, int32_t complete);
} relance_exporter_v1;

#ifdef __cplusplus
}
#endif

#endif
