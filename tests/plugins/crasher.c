/* Fixture: an event sink that takes the daemon down on a chosen event, as a plugin with a
 * NULL dereference or a failed assertion does. Settings: {"when": "TEXT", "how": "segv",
 * "abort", "leak" or "hang", "delay_ms": N}: an event whose document contains TEXT ends the
 * process, N ms later (so that the API call that made the event has its answer), with
 * SIGSEGV (a write through a null pointer) or abort(); or it allocates memory without end
 * and writes through the NULL that malloc finally returns, as a leaking plugin that does not
 * check does; or it never returns. Every other event is delivered. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "c_fixture.h"
#include "fixture_settings.h"

/* A store through a null pointer, as a buggy plugin makes it: a real SIGSEGV. Not
 * instrumented by UBSan (a sanitized build would report it and exit instead of crashing). */
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("undefined")))
#endif
static void write_nowhere(void) {
  int* volatile nowhere = NULL;
  *nowhere = 42;
}

static const struct timespec t_hang = {1, 0};

/* Takes memory a MiB at a time, writing to each block, until there is none (or 1 GiB: a
 * process without a limit, under a sanitizer, stops there). One write a block, not one a
 * page: the address space limit is what runs out, and quickly. */
static void leak(void) {
  int n;
  for (n = 0; n < 1024; ++n) {
    char* block = (char*)malloc(1 << 20);
    if (!block) break;
    block[0] = 1;
  }
}

static relance_status fixture_deliver(relance_instance* i, const relance_event* e) {
  char when[200], how[16];
  fixture_setting(i->host, "when", when, sizeof when);
  fixture_setting(i->host, "how", how, sizeof how);
  if (when[0] && e->document.size >= strlen(when)) {
    size_t at, k = strlen(when);
    for (at = 0; at + k <= e->document.size; ++at) {
      if (memcmp(e->document.data + at, when, k) != 0) continue;
      {
        char delay[16];
        long ms;
        struct timespec t;
        fixture_setting(i->host, "delay_ms", delay, sizeof delay);
        ms = strtol(delay, NULL, 10);
        t.tv_sec = ms / 1000;
        t.tv_nsec = (ms % 1000) * 1000000L;
        nanosleep(&t, NULL);
      }
      if (strcmp(how, "abort") == 0) abort();
      if (strcmp(how, "hang") == 0)
        for (;;) nanosleep(&t_hang, NULL);
      if (strcmp(how, "leak") == 0) leak();
      write_nowhere();
    }
  }
  return RELANCE_OK;
}

FIXTURE_PLUGIN("org.relance.fixture.crasher", "Crasher (fixture)");
