/* example_c: a Relance plugin in plain C99, written to be read as a model.
 *
 * It plays one role, relance.event-sink/1: for every event it receives it adds one to a
 * counter per event type ("contact.created" -> key "count/contact.created") kept in the
 * instance's persistent state (relance.host.state/1), and says so in the daemon's log
 * (relance.host.log/1).
 *
 * Why counting is safe although events arrive "at least once": state written inside
 * deliver() commits together with the event's delivery record, and is dropped when deliver
 * does not return RELANCE_OK. A redelivered event therefore finds the counter as it was
 * before the failed attempt, and no event is counted twice.
 *
 * Build it with relance_add_plugin(example_c JSON_READER SOURCES counter.c) from the SDK's
 * CMake package (JSON_READER compiles the SDK's JSON reader into the plugin), or by hand with
 * the flags and the json_reader source relance-sdk.pc documents. Only relance_plugin_entry_v1 is
 * exported; everything below is static. */
#include <relance/json_reader.h>
#include <relance/relance.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The instance. entry.h declares struct relance_instance without defining it: each plugin
 * completes it with whatever an instance needs. The daemon only passes the pointer back. */
struct relance_instance {
  const relance_host* host;           /* this instance's handle: its state, its log tag */
  const relance_host_log_v1* log;     /* NULL if the daemon offers no log */
  const relance_host_state_v1* state; /* required: create_instance fails without it */
  char error[160];                    /* what last_error() returns for this instance */
};

/* Why init failed, for last_error(NULL); and why create_instance failed, for a daemon older
 * than SDK 1.4 (which reads it right after the call, and creates one instance of a plugin
 * at a time). A 1.4 daemon gets create_instance's reason with the call instead. */
static char plugin_error[160];

/* Keys are "count/" followed by the event type; the state service takes 1 to 256 bytes. */
#define KEY_PREFIX "count/"
#define KEY_MAX 256

/* Fetches the service `id` from `host` and checks that the table the daemon returns is at
 * least as large as the one this plugin was built with: a table only grows at its end, so
 * an older daemon may hand out a shorter one (RELANCE_HAS_FIELD checks one field the same
 * way). Returns NULL when the service is absent or too old. */
static const void* service(const relance_host* host, const char* id, size_t needed) {
  const void* table = host->get_service(host, id);
  /* Every table starts with uint32_t struct_size. */
  if (table == NULL || *(const uint32_t*)table < needed) return NULL;
  return table;
}

/* Sends one formatted line to the daemon's log, when it has one. The daemon copies the
 * message before log() returns, so a stack buffer is fine. */
static void say(const struct relance_instance* self, int32_t level, const char* text) {
  relance_str message;
  if (self->log == NULL) return;
  message.data = text;
  message.size = strlen(text);
  self->log->log(self->host, level, message);
}

static relance_status counter_init(const relance_host* host) {
  /* Nothing plugin-wide to prepare. A plugin that needs the daemon to be new enough
   * refuses to load here, with a reason: */
  if (host->sdk_epoch != RELANCE_SDK_EPOCH) {
    snprintf(plugin_error, sizeof plugin_error, "built for SDK epoch %d, daemon has %u",
             RELANCE_SDK_EPOCH, (unsigned)host->sdk_epoch);
    return RELANCE_FATAL;
  }
  return RELANCE_OK;
}

static void counter_deinit(void) {}

/* Makes an instance with its host handle, or says why not in *why. */
static relance_status make_instance(const relance_host* host, relance_instance** out, const char** why) {
  struct relance_instance* self = calloc(1, sizeof *self);
  if (self == NULL) {
    *why = "out of memory";
    return RELANCE_RETRY; /* transient: the daemon tries again later */
  }
  self->host = host;
  self->log = service(host, RELANCE_HOST_LOG_V1, sizeof(relance_host_log_v1));
  self->state = service(host, RELANCE_HOST_STATE_V1, sizeof(relance_host_state_v1));
  if (self->state == NULL) {
    *why = "the daemon offers no " RELANCE_HOST_STATE_V1;
    free(self);
    return RELANCE_UNSUPPORTED;
  }
  *out = self;
  return RELANCE_OK;
}

/* SDK 1.4: the reason of a failure goes back with the call, into the daemon's buffer, so
 * that instances created at the same time on several threads never mix their reasons. */
static relance_status counter_create_reporting(const relance_host* host, relance_instance** out,
                                               relance_reason* reason) {
  const char* why = "";
  const relance_status status = make_instance(host, out, &why);
  if (status != RELANCE_OK) relance_reason_put(reason, why, strlen(why));
  return status;
}

/* The same for a daemon older than 1.4, which reads the reason with last_error(NULL). */
static relance_status counter_create(const relance_host* host, relance_instance** out) {
  const char* why = "";
  const relance_status status = make_instance(host, out, &why);
  if (status != RELANCE_OK) snprintf(plugin_error, sizeof plugin_error, "%s", why);
  return status;
}

static void counter_destroy(relance_instance* self) { free(self); }

/* Records why the current call fails and returns its status: one line per failure path. */
static relance_status fail(struct relance_instance* self, relance_status status, const char* why) {
  snprintf(self->error, sizeof self->error, "%s", why);
  return status;
}

/* relance.event-sink/1 deliver: called on the instance's delivery thread, one event at a
 * time. Every string of `event` is borrowed: copy what must outlive the call. */
static relance_status counter_deliver(relance_instance* self, const relance_event* event) {
  char key[KEY_MAX];
  char number[24];
  char line[KEY_MAX + 64];
  relance_str key_view, value;
  long long count = 0;
  relance_status status;
  const size_t prefix = sizeof KEY_PREFIX - 1;

  if (event->type.size == 0 || event->type.size > KEY_MAX - prefix)
    return fail(self, RELANCE_INVALID, "event type empty or too long for a state key");
  memcpy(key, KEY_PREFIX, prefix);
  memcpy(key + prefix, event->type.data, event->type.size);
  key_view.data = key;
  key_view.size = prefix + event->type.size;

  /* The value is borrowed until the next state call: parse it before put(). Strings
   * crossing the boundary are not NUL-terminated, hence the copy into `number`. */
  status = self->state->get(self->host, key_view, &value);
  if (status != RELANCE_OK) return fail(self, status, "cannot read the counter");
  if (value.data != NULL) {
    if (value.size >= sizeof number) return fail(self, RELANCE_FATAL, "corrupt counter");
    memcpy(number, value.data, value.size);
    number[value.size] = '\0';
    count = strtoll(number, NULL, 10);
  }

  ++count;
  value.data = number;
  value.size = (size_t)snprintf(number, sizeof number, "%lld", count);
  status = self->state->put(self->host, key_view, value);
  /* RETRY (database busy) is passed on: the daemon redelivers later, with backoff. */
  if (status != RELANCE_OK) return fail(self, status, "cannot write the counter");

  snprintf(line, sizeof line, "event %lld: %.*s seen %lld time(s)", (long long)event->id,
           (int)event->type.size, event->type.data, count);
  say(self, RELANCE_LOG_INFO, line);

  /* The document says more than the type: a stage change names both stages. The reader
   * works in place (relance/json_reader.h); a string is unescaped into our buffer. */
  {
    const relance_json doc = relance_json_parse(event->document);
    char from[64], to[64];
    if (relance_json_equals(relance_json_get(doc, "type"), "lead.stage_changed") &&
        relance_json_string(relance_json_get(doc, "from_stage"), from, sizeof from, NULL) &&
        relance_json_string(relance_json_get(doc, "to_stage"), to, sizeof to, NULL)) {
      snprintf(line, sizeof line, "lead %lld moved from %s to %s", (long long)event->entity_id, from, to);
      say(self, RELANCE_LOG_INFO, line);
    }
  }
  return RELANCE_OK;
}

/* Role tables are constant and shared by every instance; `self` tells instances apart. */
static const relance_event_sink_v1 counter_sink = {sizeof(relance_event_sink_v1), counter_deliver};

static const void* counter_get_interface(relance_instance* self, const char* id) {
  (void)self;
  if (strcmp(id, RELANCE_EVENT_SINK_V1) == 0) return &counter_sink;
  return NULL; /* roles this plugin does not play, including any newer "/2" id */
}

static const void* counter_get_extension(const char* id) {
  (void)id;
  return NULL;
}

static relance_str counter_last_error(relance_instance* self) {
  const char* text = self != NULL ? self->error : plugin_error;
  relance_str error;
  error.data = text;
  error.size = strlen(text);
  return error;
}

static const char* const counter_interfaces[] = {RELANCE_EVENT_SINK_V1, NULL};

/* The one exported symbol. struct_size and the SDK version let the daemon know which
 * fields this plugin filled in, whatever minor version of the SDK it was built with. */
RELANCE_PLUGIN_ENTRY = {
    .struct_size = sizeof(relance_plugin_entry),
    .sdk_epoch = RELANCE_SDK_EPOCH,
    .sdk_minor = RELANCE_SDK_MINOR,
    .sdk_patch = RELANCE_SDK_PATCH,
    .id = "org.relance.example.c-counter", /* reverse-DNS, never changes */
    .name = "Event counter (C example)",
    .vendor = "Relance",
    .version = "1.0.0", /* the plugin's own version */
    .interfaces = counter_interfaces,
    .init = counter_init,
    .deinit = counter_deinit,
    .create_instance = counter_create,
    .destroy_instance = counter_destroy,
    .get_interface = counter_get_interface,
    .get_extension = counter_get_extension,
    .last_error = counter_last_error,
    .create_instance_reporting = counter_create_reporting, /* SDK 1.4 */
};
