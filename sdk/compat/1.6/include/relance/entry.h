/* Relance plugin SDK: the plugin's entry and the host handle.
 *
 * Contract: a plugin is a shared library that exports exactly one symbol,
 * `relance_plugin_entry_v1` (the epoch is in its name), a constant relance_plugin_entry.
 * The daemon reads it after dlopen(RTLD_NOW | RTLD_LOCAL), checks the epoch, calls init
 * once, then creates one instance per configuration (per organisation) and asks each
 * instance for the roles it offers by versioned id ("relance.event-sink/1"). The plugin
 * asks the host for services the same way ("relance.host.log/1"). A changed interface is a
 * new id; the old one keeps being served. The daemon never unloads a plugin while it runs.
 *
 * Threads: init and deinit run on the daemon's main thread. All calls on one instance
 * (create, the role functions, destroy) come from one thread at a time, never concurrently;
 * different instances may be called concurrently from different threads. */
#ifndef RELANCE_ENTRY_H
#define RELANCE_ENTRY_H

#include "relance/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A plugin's instance, opaque to the daemon. */
typedef struct relance_instance relance_instance;

/* The daemon, as a plugin sees it. One handle is given to init (plugin-wide services: log,
 * clock) and one to each instance (its own config, state and query services). A handle
 * stays valid until deinit (respectively destroy_instance) returns. */
typedef struct relance_host {
  uint32_t struct_size;
  uint32_t sdk_epoch; /* the SDK version the daemon was built with */
  uint32_t sdk_minor;
  uint32_t sdk_patch;
  void* host_data; /* the daemon's; a plugin never reads it */

  /* Returns the function table of service `id` ("relance.host.log/1"), or NULL when the
   * daemon does not offer it (to this handle). The table lives as long as the handle.
   * Thread: any. */
  const void* (*get_service)(const struct relance_host* host, const char* id);
} relance_host;

typedef struct relance_plugin_entry {
  uint32_t struct_size; /* sizeof(relance_plugin_entry) as the plugin was built */
  uint32_t sdk_epoch;   /* RELANCE_SDK_EPOCH the plugin was built with */
  uint32_t sdk_minor;
  uint32_t sdk_patch;

  const char* id;      /* reverse-DNS, unique: "org.example.crm-sync" (NUL-terminated UTF-8) */
  const char* name;    /* human name: "CRM sync" */
  const char* vendor;  /* "Example SAS" */
  const char* version; /* the plugin's own version: "1.4.2" */
  const char* const* interfaces; /* role ids offered, NULL-terminated */

  /* Called once after loading, before any instance. Returns RELANCE_OK, or another status
   * and the plugin is refused (its reason read from last_error(NULL)). May be NULL, like
   * deinit and get_extension. Thread: main. `host` is valid until deinit returns. */
  relance_status (*init)(const relance_host* host);
  /* Called once when the daemon stops, after every instance is destroyed. Thread: main. */
  void (*deinit)(void);

  /* Creates an instance with the host handle of its configuration. On RELANCE_OK, *out is
   * the new instance. Thread: the instance's. */
  relance_status (*create_instance)(const relance_host* host, relance_instance** out);
  /* Destroys an instance; no call on it follows. Thread: the instance's. */
  void (*destroy_instance)(relance_instance* instance);
  /* The function table of role `id` for this instance ("relance.event-sink/1"), or NULL.
   * The table lives as long as the instance. Thread: the instance's. */
  const void* (*get_interface)(relance_instance* instance, const char* id);
  /* A plugin-wide extension by id (drafts, vendor extensions), or NULL. Thread: any. */
  const void* (*get_extension)(const char* id);
  /* Why the last call on `instance` did not return OK, as UTF-8; borrowed until the next
   * call on that instance. Thread: the instance's. With NULL: why init failed (the daemon
   * never asks for it from two threads), or why create_instance failed when the plugin has
   * no create_instance_reporting (a 1.0-1.3 plugin; the daemon then never runs two of its
   * create_instance calls at once, so that each failure is read before the next call). */
  relance_str (*last_error)(relance_instance* instance);

  /* Since SDK 1.4. create_instance with the reason of a failure given back per call, not
   * through last_error(NULL), which one plugin-wide text cannot keep apart when instances
   * are created concurrently. When it does not return RELANCE_OK it writes why into
   * `reason`, a buffer of the daemon's valid for this call only (relance_reason_put copies
   * a text into it, cut to its capacity). The daemon calls it instead of create_instance
   * when it is not NULL (read it only when RELANCE_HAS_FIELD says the entry has it); keep
   * create_instance filled in too, for 1.0-1.3 daemons. Thread: the instance's. */
  relance_status (*create_instance_reporting)(const relance_host* host, relance_instance** out,
                                              relance_reason* reason);
} relance_plugin_entry;

#if defined(__GNUC__) || defined(__clang__)
#define RELANCE_EXPORT __attribute__((visibility("default")))
#else
#define RELANCE_EXPORT
#endif

/* The one exported symbol. A plugin defines it with: RELANCE_PLUGIN_ENTRY = { ... }; */
RELANCE_EXPORT extern const relance_plugin_entry relance_plugin_entry_v1;

#define RELANCE_ENTRY_SYMBOL "relance_plugin_entry_v1"

#ifdef __cplusplus
}
#define RELANCE_PLUGIN_ENTRY \
  extern "C" RELANCE_EXPORT const relance_plugin_entry relance_plugin_entry_v1
#else
#define RELANCE_PLUGIN_ENTRY RELANCE_EXPORT const relance_plugin_entry relance_plugin_entry_v1
#endif

#endif
