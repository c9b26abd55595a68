// sink_driver: feeds events to an event-sink plugin without a daemon, so that a plugin can be
// tested against real servers. It is a host, like the daemon's: it loads the .so with
// dlopen, finds relance_plugin_entry_v1, calls init, creates one instance and delivers each
// event through relance.event-sink/1, in order, one call at a time.
//
//   sink_driver PLUGIN.so SETTINGS.json EVENTS.json
//
// SETTINGS.json is the instance's settings, served as is by relance.host.config/1 (instance
// "sink-driver", organisation 2). EVENTS.json is an array of
//   {"id": 101, "attempt": 1, "document": {"schema": "relance.event/1", "type": ..., ...}}
// (attempt optional, 1 by default); type, entity, entity_id, org_id and occurred_at are
// taken from the document. relance.host.log/1 writes to stderr, relance.host.clock/1 gives
// the system's clock, relance.host.outbound/1 allows every address (the driver stands for a
// daemon whose operator allowed the test's loopback servers) and writes each one asked for
// to stderr ("outbound 127.0.0.1:2525"); no other service is offered.
//
// Prints one line per event: "<id> <STATUS>" and, after any status but OK, " <last_error>".
// Exit 0 when every event was delivered (whatever its status), 1 when the plugin could not
// be loaded or its instance created ("create_instance <STATUS> <reason>" on stdout), 2 on
// bad arguments.
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "plugin_entry.hpp"
#include "relance/relance.h"

namespace json = boost::json;

namespace {

std::string settings_text;
const std::string instance_name = "sink-driver";

relance_str str(const std::string& s) { return relance_str{s.data(), s.size()}; }
std::string text(relance_str s) { return s.data ? std::string(s.data, s.size) : std::string(); }

const char* status_name(relance_status s) {
  switch (s) {
    case RELANCE_OK: return "OK";
    case RELANCE_RETRY: return "RETRY";
    case RELANCE_INVALID: return "INVALID";
    case RELANCE_UNSUPPORTED: return "UNSUPPORTED";
    case RELANCE_FATAL: return "FATAL";
    default: return "UNKNOWN";
  }
}

const relance_host_log_v1 log_v1{sizeof(relance_host_log_v1), [](const relance_host*, int32_t level, relance_str m) {
  static const char* const levels[] = {"debug", "info", "warn", "error"};
  std::fprintf(stderr, "plugin %s: %.*s\n", level >= 0 && level <= 3 ? levels[level] : "?", static_cast<int>(m.size),
               m.data);
}};
const relance_host_config_v1 config_v1{sizeof(relance_host_config_v1),
                                       [](const relance_host*) { return str(settings_text); },
                                       [](const relance_host*) { return str(instance_name); },
                                       [](const relance_host*) -> int64_t { return 2; }};
const relance_host_clock_v1 clock_v1{
    sizeof(relance_host_clock_v1),
    [](const relance_host*) -> int64_t {
      using namespace std::chrono;
      return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    },
    [](const relance_host*) -> int64_t {
      using namespace std::chrono;
      return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
    }};

const relance_host_outbound_v1 outbound_v1{
    sizeof(relance_host_outbound_v1), [](const relance_host*, relance_str address, uint16_t port) {
      std::fprintf(stderr, "outbound %.*s:%u\n", static_cast<int>(address.size), address.data, unsigned{port});
      return RELANCE_OK;
    }};

const void* get_service(const relance_host*, const char* id) {
  if (!std::strcmp(id, RELANCE_HOST_LOG_V1)) return &log_v1;
  if (!std::strcmp(id, RELANCE_HOST_OUTBOUND_V1)) return &outbound_v1;
  if (!std::strcmp(id, RELANCE_HOST_CONFIG_V1)) return &config_v1;
  if (!std::strcmp(id, RELANCE_HOST_CLOCK_V1)) return &clock_v1;
  return nullptr;
}

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string field(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
int64_t number(const json::object& o, const char* key, int64_t otherwise) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : otherwise;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: sink_driver PLUGIN.so SETTINGS.json EVENTS.json\n";
    return 2;
  }
  json::value events;
  try {
    settings_text = read_file(argv[2]);
    events = json::parse(read_file(argv[3]));
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (!events.is_array()) {
    std::cerr << "EVENTS.json must be an array\n";
    return 2;
  }

  const relance_plugin_entry* entry = relance::test::load_plugin_entry(argv[1]);
  if (!entry) return 1;
  const relance_host host{sizeof(relance_host), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH, nullptr,
                          &get_service};
  if (entry->init) {
    const relance_status s = entry->init(&host);
    if (s != RELANCE_OK) {
      std::cout << "init " << status_name(s) << " " << text(entry->last_error(nullptr)) << std::endl;
      return 1;
    }
  }
  relance_instance* instance = nullptr;
  if (const relance_status s = entry->create_instance(&host, &instance); s != RELANCE_OK) {
    std::cout << "create_instance " << status_name(s) << " " << text(entry->last_error(nullptr)) << std::endl;
    return 1;
  }
  auto* sink = static_cast<const relance_event_sink_v1*>(entry->get_interface(instance, RELANCE_EVENT_SINK_V1));
  if (!sink) {
    std::cerr << "the plugin offers no " << RELANCE_EVENT_SINK_V1 << "\n";
    entry->destroy_instance(instance);
    return 1;
  }

  for (const json::value& item : events.get_array()) {
    const json::object& o = item.as_object();
    const json::object& doc = o.at("document").as_object();
    const std::string document = json::serialize(doc);
    const std::string type = field(doc, "type"), entity = field(doc, "entity"), at = field(doc, "occurred_at");
    const relance_event event{sizeof(relance_event),
                              static_cast<uint32_t>(number(o, "attempt", 1)),
                              number(o, "id", 0),
                              number(doc, "org_id", 2),
                              number(doc, "entity_id", 0),
                              str(type),
                              str(entity),
                              str(at),
                              str(document)};
    const relance_status s = sink->deliver(instance, &event);
    std::cout << event.id << " " << status_name(s);
    if (s != RELANCE_OK) std::cout << " " << text(entry->last_error(instance));
    std::cout << std::endl;
  }
  entry->destroy_instance(instance);
  if (entry->deinit) entry->deinit();
  return 0;
}
