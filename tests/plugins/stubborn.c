/* Fixture: an exporter (format "stubborn-txt") that does what its options ask, to check how
 * the daemon hears each status and each overrun. Options: "answer" = ok, retry, invalid,
 * fatal or a number (a status the SDK does not define), returned by open; "hang_in" = open,
 * write_row or finish: that call sleeps "hang_ms" milliseconds (default 60000) first.
 * Each row is written as a line holding its number of values. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "relance/relance.h"

struct relance_instance {
  const relance_byte_sink* out;
  char answer[16], hang_in[16];
  long hang_ms;
};

static const char* stubborn_error = "";

/* The value of "key" in the flat options object (no escapes), or "". */
static void option(relance_str options, const char* key, char* out, size_t size) {
  size_t k = strlen(key), at, n = 0;
  out[0] = '\0';
  for (at = 0; at + k + 2 <= options.size; ++at) {
    if (options.data[at] != '"' || memcmp(options.data + at + 1, key, k) != 0 || options.data[at + 1 + k] != '"') continue;
    at += k + 2;
    while (at < options.size && (options.data[at] == ':' || options.data[at] == ' ' || options.data[at] == '"')) ++at;
    while (at < options.size && options.data[at] != '"' && n + 1 < size) out[n++] = options.data[at++];
    out[n] = '\0';
    return;
  }
}

static void hang_if(relance_instance* i, const char* step) {
  struct timespec t;
  if (strcmp(i->hang_in, step) != 0) return;
  t.tv_sec = i->hang_ms / 1000;
  t.tv_nsec = (i->hang_ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

static relance_status stubborn_open(relance_instance* i, const relance_export_request* r) {
  char ms[24];
  i->out = r->out;
  option(r->options, "answer", i->answer, sizeof i->answer);
  option(r->options, "hang_in", i->hang_in, sizeof i->hang_in);
  option(r->options, "hang_ms", ms, sizeof ms);
  i->hang_ms = ms[0] ? strtol(ms, NULL, 10) : 60000;
  hang_if(i, "open");
  if (strcmp(i->answer, "retry") == 0) {
    stubborn_error = "the archive is being rotated; try again shortly";
    return RELANCE_RETRY;
  }
  if (strcmp(i->answer, "invalid") == 0) {
    stubborn_error = "answer: this exporter refuses the value invalid";
    return RELANCE_INVALID;
  }
  if (strcmp(i->answer, "fatal") == 0) {
    stubborn_error = "the exporter is broken on purpose";
    return RELANCE_FATAL;
  }
  if (i->answer[0] >= '0' && i->answer[0] <= '9') {
    stubborn_error = "an odd status, on purpose";
    return (relance_status)atoi(i->answer);
  }
  return RELANCE_OK;
}
static relance_status stubborn_begin(relance_instance* i, const relance_dataset* d) {
  (void)i;
  (void)d;
  return RELANCE_OK;
}
static relance_status stubborn_row(relance_instance* i, const relance_row* row) {
  char line[32];
  int n = snprintf(line, sizeof line, "%lu\n", (unsigned long)row->count);
  hang_if(i, "write_row");
  return i->out->write(i->out->context, line, (size_t)n);
}
static relance_status stubborn_finish(relance_instance* i, int32_t complete) {
  if (complete) hang_if(i, "finish");
  return RELANCE_OK;
}

static const relance_option stubborn_options[] = {
    {"answer", "What open answers", "ok", NULL},
    {"hang_in", "The call that sleeps first: open, write_row or finish", "", NULL},
    {"hang_ms", "How long it sleeps, in milliseconds", "60000", NULL}};
static const relance_exporter_v1 stubborn_exporter = {
    sizeof(relance_exporter_v1), "stubborn-txt", "txt", "text/plain", 3, sizeof(relance_option), stubborn_options,
    stubborn_open, stubborn_begin, stubborn_row, stubborn_finish};

static relance_status stubborn_create(const relance_host* host, relance_instance** out) {
  (void)host;
  *out = (relance_instance*)calloc(1, sizeof(relance_instance));
  return *out ? RELANCE_OK : RELANCE_FATAL;
}
static void stubborn_destroy(relance_instance* i) { free(i); }
static const void* stubborn_interface(relance_instance* i, const char* id) {
  (void)i;
  return strcmp(id, RELANCE_EXPORTER_V1) == 0 ? (const void*)&stubborn_exporter : NULL;
}
static const void* stubborn_extension(const char* id) {
  (void)id;
  return NULL;
}
static relance_str stubborn_last_error(relance_instance* i) {
  relance_str s;
  (void)i;
  s.data = stubborn_error;
  s.size = strlen(stubborn_error);
  return s;
}
static const char* const stubborn_interfaces[] = {RELANCE_EXPORTER_V1, NULL};

RELANCE_PLUGIN_ENTRY = {sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH,
                        "org.relance.fixture.stubborn", "Stubborn exporter (fixture)", "Relance tests", "1.0.0",
                        stubborn_interfaces, NULL, NULL, stubborn_create, stubborn_destroy, stubborn_interface,
                        stubborn_extension, stubborn_last_error};
