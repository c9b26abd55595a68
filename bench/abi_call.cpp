// The cost of one call through the plugin ABI, next to its ceiling measured in the same run.
//
//   abi_call PLUGIN.so [CALLS] [ROUNDS]     (bench/plugins.sh builds and runs it)
//
// Loads an event-sink plugin as the daemon does (dlopen RTLD_NOW | RTLD_LOCAL, the entry
// `relance_plugin_entry_v1`, create_instance, get_interface("relance.event-sink/1")), builds
// one event, and times CALLS calls of `deliver` through the plugin's function table. The
// ceiling: the same loop calling a no-op function of this binary through a table of the
// same shape. In both loops the table is read through a volatile pointer on every call, so
// the compiler can neither hoist the load of the function pointer nor see which function
// is called (nor inline it); the answers are summed, so no call can be dropped. The two
// loops alternate over ROUNDS rounds; the median round of each is reported.
//
// Prints one `name value` line per figure (nanoseconds per call), for bench/plugins.sh.
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "relance/relance.h"

namespace {

// The ceiling's callee: in this binary, not inlined, and only ever called through a table.
extern "C" __attribute__((noinline)) relance_status local_noop(relance_instance* instance,
                                                                const relance_event* event) {
  asm volatile("" ::"r"(instance), "r"(event) : "memory");
  return RELANCE_OK;
}
const relance_event_sink_v1 local_table = {sizeof(relance_event_sink_v1), local_noop};

const void* no_service(const relance_host*, const char*) { return nullptr; }

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "abi_call: %s\n", what.c_str());
  std::exit(1);
}

relance_str str(const char* s) { return {s, std::strlen(s)}; }

// CALLS calls of table->deliver, the table re-read through `table` (volatile) every time.
// Returns nanoseconds per call; `sum` collects the answers.
double time_calls(const relance_event_sink_v1* const volatile& table, relance_instance* instance,
                  const relance_event* event, std::uint64_t calls, std::uint64_t& sum) {
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t s = 0;
  for (std::uint64_t i = 0; i < calls; ++i) {
    const relance_event_sink_v1* t = table;
    s += static_cast<std::uint32_t>(t->deliver(instance, event));
  }
  const auto t1 = std::chrono::steady_clock::now();
  sum += s;
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(calls);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) fail("usage: abi_call PLUGIN.so [CALLS] [ROUNDS]");
  const std::uint64_t calls = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000000ULL;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  if (calls == 0 || rounds < 1) fail("CALLS and ROUNDS must be positive");

  // Loaded as the daemon loads a plugin.
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) fail(std::string("dlopen: ") + dlerror());
  const auto* entry = static_cast<const relance_plugin_entry*>(dlsym(lib, RELANCE_ENTRY_SYMBOL));
  if (!entry) fail("no " RELANCE_ENTRY_SYMBOL " in " + std::string(argv[1]));
  if (entry->sdk_epoch != RELANCE_SDK_EPOCH) fail("another SDK epoch");
  if (!RELANCE_HAS_FIELD(entry, relance_plugin_entry, last_error)) fail("entry too small");

  relance_host host{};
  host.struct_size = sizeof host;
  host.sdk_epoch = RELANCE_SDK_EPOCH;
  host.sdk_minor = RELANCE_SDK_MINOR;
  host.sdk_patch = RELANCE_SDK_PATCH;
  host.host_data = nullptr;
  host.get_service = no_service;
  if (entry->init && entry->init(&host) != RELANCE_OK) fail("init failed");
  relance_instance* instance = nullptr;
  if (entry->create_instance(&host, &instance) != RELANCE_OK || !instance)
    fail("create_instance failed");
  const auto* sink =
      static_cast<const relance_event_sink_v1*>(entry->get_interface(instance, RELANCE_EVENT_SINK_V1));
  if (!sink || !RELANCE_HAS_FIELD(sink, relance_event_sink_v1, deliver) || !sink->deliver)
    fail("the plugin offers no " RELANCE_EVENT_SINK_V1);

  // One event as the daemon would pass it.
  static const char document[] =
      R"({"schema":"relance.event/1","type":"contact.updated","org_id":1,"entity":"contacts",)"
      R"("entity_id":41,"actor_id":3,"occurred_at":"2026-11-18T11:06:40.100Z","data":{"id":41,)"
      R"("org_id":1,"first_name":"Søren","last_name":"Nguyễn","city":"Palo Alto"},)"
      R"("changed":{"city":true}})";
  relance_event event{};
  event.struct_size = sizeof event;
  event.attempt = 1;
  event.id = 1;
  event.org_id = 1;
  event.entity_id = 41;
  event.type = str("contact.updated");
  event.entity = str("contacts");
  event.occurred_at = str("2026-11-18T11:06:40.100Z");
  event.document = {document, sizeof document - 1};

  const relance_event_sink_v1* volatile plugin_table = sink;
  const relance_event_sink_v1* volatile local = &local_table;
  std::uint64_t sum = 0;
  // Warm-up: page in both paths and let the clock settle.
  time_calls(plugin_table, instance, &event, calls / 20 + 1, sum);
  time_calls(local, instance, &event, calls / 20 + 1, sum);

  std::vector<double> abi, ceiling;
  for (int r = 0; r < rounds; ++r) {
    abi.push_back(time_calls(plugin_table, instance, &event, calls, sum));
    ceiling.push_back(time_calls(local, instance, &event, calls, sum));
  }
  if (sum != 0) fail("a no-op answered something else than RELANCE_OK");

  entry->destroy_instance(instance);
  if (entry->deinit) entry->deinit();
  // Not dlclose'd: the daemon never unloads a plugin either.

  std::printf("calls %llu\nrounds %d\n", static_cast<unsigned long long>(calls), rounds);
  for (int r = 0; r < rounds; ++r)
    std::printf("round%d_abi_ns %.3f\nround%d_ceiling_ns %.3f\n", r + 1, abi[r], r + 1, ceiling[r]);
  const double a = median(abi), c = median(ceiling);
  std::printf("abi_ns %.3f\nceiling_ns %.3f\ndifference_ns %.3f\n", a, c, a - c);
  return 0;
}
