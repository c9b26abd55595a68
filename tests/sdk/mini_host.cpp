// A minimal host for the SDK's example plugins: loads one with dlopen as the daemon does,
// serves log, state, config and clock from memory, and drives its roles, checking what
// each example promises. It proves the examples (and the installed SDK they were built
// against) work, without the daemon.
//   mini_host <plugin.so> c-counter|cpp-journal
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "relance/relance.h"

namespace {

int failures = 0;
#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                           \
    }                                                                       \
  } while (0)

std::string_view view(relance_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }
relance_str str(std::string_view s) { return relance_str{s.data(), s.size()}; }

// One handle: its services read and write this object, found through host_data.
struct Fake {
  relance_host raw{};
  bool with_state = true;
  std::map<std::string, std::string> state;
  std::vector<std::string> logs;
};
Fake& fake(const relance_host* h) { return *static_cast<Fake*>(h->host_data); }

const relance_host_log_v1 log_service{
    sizeof(relance_host_log_v1),
    [](const relance_host* h, int32_t, relance_str m) { fake(h).logs.emplace_back(view(m)); }};
const relance_host_state_v1 state_service{
    sizeof(relance_host_state_v1),
    [](const relance_host* h, relance_str key, relance_str* value) -> relance_status {
      auto& s = fake(h).state;
      auto it = s.find(std::string(view(key)));
      *value = it == s.end() ? relance_str{nullptr, 0} : str(it->second);
      return RELANCE_OK;
    },
    [](const relance_host* h, relance_str key, relance_str value) -> relance_status {
      fake(h).state[std::string(view(key))] = std::string(view(value));
      return RELANCE_OK;
    },
    [](const relance_host* h, relance_str key) -> relance_status {
      fake(h).state.erase(std::string(view(key)));
      return RELANCE_OK;
    }};
const relance_host_clock_v1 clock_service{sizeof(relance_host_clock_v1),
                                          [](const relance_host*) -> int64_t { return 1767225600000; },
                                          [](const relance_host*) -> int64_t { return 42; }};

const void* get_service(const relance_host* h, const char* id) {
  if (std::strcmp(id, RELANCE_HOST_LOG_V1) == 0) return &log_service;
  if (std::strcmp(id, RELANCE_HOST_CLOCK_V1) == 0) return &clock_service;
  if (std::strcmp(id, RELANCE_HOST_STATE_V1) == 0 && fake(h).with_state) return &state_service;
  return nullptr;
}

void make(Fake& f) {
  f.raw = relance_host{sizeof(relance_host), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH,
                       &f, &get_service};
}

relance_event event(int64_t id, const char* type) {
  relance_event e{};
  e.struct_size = sizeof e;
  e.attempt = 1;
  e.id = id;
  e.org_id = 1;
  e.entity_id = 10;
  e.type = str(type);
  e.entity = str("contacts");
  e.occurred_at = str("2026-01-01T00:00:00.000Z");
  e.document = str("{}");
  return e;
}

bool offers(const relance_plugin_entry& entry, const char* id) {
  for (const char* const* i = entry.interfaces; *i; ++i)
    if (std::strcmp(*i, id) == 0) return true;
  return false;
}

void counter(const relance_plugin_entry& entry) {
  CHECK(std::strcmp(entry.id, "org.relance.example.c-counter") == 0);
  CHECK(offers(entry, RELANCE_EVENT_SINK_V1) && !offers(entry, RELANCE_EXPORTER_V1));

  Fake without;  // a host without the state service: the instance is refused, with a reason
  make(without);
  without.with_state = false;
  relance_instance* none = nullptr;
  CHECK(entry.create_instance(&without.raw, &none) == RELANCE_UNSUPPORTED);
  CHECK(!view(entry.last_error(nullptr)).empty());

  Fake f;
  make(f);
  relance_instance* i = nullptr;
  CHECK(entry.create_instance(&f.raw, &i) == RELANCE_OK && i);
  CHECK(entry.get_interface(i, RELANCE_EXPORTER_V1) == nullptr);
  auto* sink = static_cast<const relance_event_sink_v1*>(entry.get_interface(i, RELANCE_EVENT_SINK_V1));
  CHECK(sink && sink->struct_size >= sizeof(relance_event_sink_v1));
  if (!sink) return;
  relance_event a = event(1, "contact.created"), b = event(2, "lead.created"), c = event(3, "contact.created");
  for (auto* e : {&a, &b, &c}) CHECK(sink->deliver(i, e) == RELANCE_OK);
  CHECK(f.state["count/contact.created"] == "2");
  CHECK(f.state["count/lead.created"] == "1");
  CHECK(f.logs.size() == 3 && f.logs[2].find("contact.created seen 2") != std::string::npos);
  relance_event empty = event(4, "");
  CHECK(sink->deliver(i, &empty) == RELANCE_INVALID);
  CHECK(!view(entry.last_error(i)).empty());
  entry.destroy_instance(i);
}

// Collects what an export writes; fails the write when `closed`.
struct Out {
  std::string bytes;
  bool closed = false;
};
relance_status write_out(void* context, const void* data, size_t size) {
  auto* out = static_cast<Out*>(context);
  if (out->closed) return RELANCE_FATAL;
  out->bytes.append(static_cast<const char*>(data), size);
  return RELANCE_OK;
}

void journal(const relance_plugin_entry& entry) {
  CHECK(std::strcmp(entry.id, "org.relance.example.cpp-journal") == 0);
  CHECK(offers(entry, RELANCE_EVENT_SINK_V1) && offers(entry, RELANCE_EXPORTER_V1));
  Fake f;
  make(f);
  relance_instance* i = nullptr;
  CHECK(entry.create_instance(&f.raw, &i) == RELANCE_OK && i);
  auto* sink = static_cast<const relance_event_sink_v1*>(entry.get_interface(i, RELANCE_EVENT_SINK_V1));
  auto* exporter = static_cast<const relance_exporter_v1*>(entry.get_interface(i, RELANCE_EXPORTER_V1));
  CHECK(sink && exporter);
  if (!sink || !exporter) return;

  relance_event a = event(7, "contact.created"), b = event(8, "contact.updated");
  CHECK(sink->deliver(i, &a) == RELANCE_OK && sink->deliver(i, &b) == RELANCE_OK);
  CHECK(f.state["journal"] == "7\n8\n");

  CHECK(std::strcmp(exporter->format_id, "tsv") == 0 && exporter->option_count == 1);
  CHECK(std::strcmp(exporter->options[0].name, "header") == 0);
  const relance_column columns[] = {
      {RELANCE_VALUE_TEXT, RELANCE_COLUMN_PERSONAL, str("name")},
      {RELANCE_VALUE_MONEY, 0, str("amount")},
      {RELANCE_VALUE_REAL, 0, str("score")}};
  const relance_dataset contacts{sizeof(relance_dataset), str("contacts"), 3, sizeof(relance_column), columns};
  const relance_value values[] = {{RELANCE_VALUE_TEXT, 0, 0, 0, str("Ada\tB")},
                                  {RELANCE_VALUE_MONEY, 2, -1234, 0, str("EUR")},
                                  {RELANCE_VALUE_NULL, 0, 0, 0, {nullptr, 0}}};
  const relance_row row{sizeof(relance_row), 3, values};

  Out out;
  const relance_byte_sink bytes{&out, &write_out};
  relance_export_request request{sizeof(relance_export_request), str("{\"header\": \"yes\"}"), str("fr"),
                                 str("Europe/Paris"), &bytes, 1};
  CHECK(exporter->open(i, &request) == RELANCE_OK);
  CHECK(exporter->begin_dataset(i, &contacts) == RELANCE_OK);
  CHECK(exporter->write_row(i, &row) == RELANCE_OK);
  CHECK(exporter->finish(i, 1) == RELANCE_OK);
  CHECK(out.bytes == "name\tamount\tscore\nAda\\tB\t-12.34 EUR\t\n");

  Out gone;  // the client went away: the row fails with the sink's status, and says why
  gone.closed = true;
  const relance_byte_sink closed{&gone, &write_out};
  request.options = str("{\"header\": \"no\"}");
  request.out = &closed;
  CHECK(exporter->open(i, &request) == RELANCE_OK);
  CHECK(exporter->begin_dataset(i, &contacts) == RELANCE_OK);  // nothing to write: no header
  CHECK(exporter->write_row(i, &row) == RELANCE_FATAL);
  CHECK(!view(entry.last_error(i)).empty());
  CHECK(exporter->finish(i, 0) == RELANCE_OK);
  entry.destroy_instance(i);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mini_host <plugin.so> c-counter|cpp-journal\n");
    return 2;
  }
  // As the daemon loads plugins; never unloaded.
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  auto* entry = static_cast<const relance_plugin_entry*>(dlsym(library, RELANCE_ENTRY_SYMBOL));
  if (!entry) {
    std::fprintf(stderr, "no %s in %s\n", RELANCE_ENTRY_SYMBOL, argv[1]);
    return 1;
  }
  CHECK(entry->struct_size >= sizeof(relance_plugin_entry) && entry->sdk_epoch == RELANCE_SDK_EPOCH);
  Fake plugin_wide;
  make(plugin_wide);
  CHECK(entry->init(&plugin_wide.raw) == RELANCE_OK);
  const std::string which = argv[2];
  if (which == "c-counter") counter(*entry);
  else if (which == "cpp-journal") journal(*entry);
  else CHECK(!"unknown example");
  entry->deinit();
  std::printf("%s: %s\n", argv[1], failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
