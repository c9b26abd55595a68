// Relance plugin SDK: the header-only C++ layer over the C contract (C++17 or later).
//
// A plugin author derives an instance class from relance::Instance and from the roles it
// plays (relance::EventSink, relance::Exporter), then defines the entry in one line:
//
//   class Echo : public relance::Instance, public relance::EventSink {
//    public:
//     using Instance::Instance;
//     relance_status deliver(const relance::Event& e) override { ...; return RELANCE_OK; }
//   };
//   RELANCE_PLUGIN(Echo, "org.example.echo", "Echo", "Example SAS", "1.0.0")
//
// Optional (SDK 1.3): a class that declares
//   static constexpr relance_setting documented_settings[] = {
//       {"smtp_url", "The server, e.g. smtp://smtp.example.org:587", nullptr, nullptr, RELANCE_SETTING_URL,
//        RELANCE_SETTING_REQUIRED}, ...};
// documents its instances' settings with their types (relance.settings-doc/2, and /1 for a
// 1.2 daemon); an array of relance_option (SDK 1.2) documents them without types (/1 only);
// an array of relance_setting_v3 (SDK 1.6) adds a French description and may flag a setting
// RELANCE_SETTING_SECRET (relance.settings-doc/3, and /2 and /1 for older daemons).
// A class that derives from relance::SelfTest answers an administrator's test of its
// settings (relance.self-test/1).
//
// A plugin that must check something once when it loads (a licence, a library version)
// declares `static relance_status on_load(const relance::Host& host)`; anything but
// RELANCE_OK refuses the plugin. relance::plugin_host() is the plugin-wide handle (log, clock,
// outbound).
//
// Every exception is caught at the boundary: relance::Error carries its status
// (relance::Error(RELANCE_INVALID, "no email")); any other exception becomes RELANCE_RETRY
// in deliver() (the daemon retries, then dead-letters), RELANCE_INVALID in the exporter's
// calls (the export fails) and RELANCE_FATAL in a constructor or on_load; its message is
// what the daemon reports.
// Nothing of this file crosses the boundary: only the C types of relance/*.h do.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "relance/relance.h"

namespace relance {

inline std::string_view view(relance_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }
inline relance_str str(std::string_view s) { return relance_str{s.data(), s.size()}; }

// An error with the status the daemon should act on.
class Error : public std::runtime_error {
 public:
  Error(relance_status status, const std::string& what) : std::runtime_error(what), status_(status) {}
  relance_status status() const { return status_; }

 private:
  relance_status status_;
};

// The daemon's services, fetched by id when first used. A service the daemon does not offer
// is nullptr from service<T>() and makes the convenience functions throw UNSUPPORTED.
class Host {
 public:
  explicit Host(const relance_host* raw) : raw_(raw) {}
  const relance_host* raw() const { return raw_; }

  // The table of service `id`, or nullptr when absent or older than the fields T needs.
  template <class Table>
  const Table* service(const char* id, std::size_t needed = sizeof(Table)) const {
    if (!raw_ || !raw_->get_service) return nullptr;
    auto* t = static_cast<const Table*>(raw_->get_service(raw_, id));
    return t && t->struct_size >= needed ? t : nullptr;
  }

  void log(int32_t level, std::string_view message) const {
    if (auto* l = service<relance_host_log_v1>(RELANCE_HOST_LOG_V1)) l->log(raw_, level, str(message));
  }
  void info(std::string_view m) const { log(RELANCE_LOG_INFO, m); }
  void warn(std::string_view m) const { log(RELANCE_LOG_WARN, m); }
  void error(std::string_view m) const { log(RELANCE_LOG_ERROR, m); }

  std::string_view settings() const { return view(need<relance_host_config_v1>(RELANCE_HOST_CONFIG_V1).settings(raw_)); }
  std::string_view instance_name() const { return view(need<relance_host_config_v1>(RELANCE_HOST_CONFIG_V1).instance_name(raw_)); }
  int64_t org_id() const { return need<relance_host_config_v1>(RELANCE_HOST_CONFIG_V1).org_id(raw_); }

  std::optional<std::string> get_state(std::string_view key) const {
    relance_str v{nullptr, 0};
    check(need<relance_host_state_v1>(RELANCE_HOST_STATE_V1).get(raw_, str(key), &v), "state get");
    if (!v.data) return std::nullopt;
    return std::string(v.data, v.size);
  }
  void put_state(std::string_view key, std::string_view value) const {
    check(need<relance_host_state_v1>(RELANCE_HOST_STATE_V1).put(raw_, str(key), str(value)), "state put");
  }
  void erase_state(std::string_view key) const {
    check(need<relance_host_state_v1>(RELANCE_HOST_STATE_V1).erase(raw_, str(key)), "state erase");
  }

  int64_t now_ms() const { return need<relance_host_clock_v1>(RELANCE_HOST_CLOCK_V1).now_ms(raw_); }

  // relance.host.outbound/1: may the plugin connect to `address` (numeric, as resolved:
  // "192.0.2.1", "2001:db8::1") on `port`? False when the daemon's policy refuses it (its log
  // says why), and when the daemon offers no policy (older than SDK 1.1): nothing connects
  // unchecked. Never throws, so a C callback may call it (libcurl's
  // CURLOPT_OPENSOCKETFUNCTION sees every address libcurl is about to connect to).
  bool may_connect(std::string_view address, uint16_t port) const noexcept {
    auto* outbound = service<relance_host_outbound_v1>(RELANCE_HOST_OUTBOUND_V1);
    return outbound && outbound->check(raw_, str(address), port) == RELANCE_OK;
  }
  // Whether the daemon offers relance.host.outbound/1 at all: a plugin that connects checks
  // this once when it starts, to fail with a clear reason rather than at every connection.
  bool has_outbound_policy() const { return service<relance_host_outbound_v1>(RELANCE_HOST_OUTBOUND_V1) != nullptr; }

 private:
  // A missing service or a refused call is INVALID, never UNSUPPORTED: thrown out of
  // deliver(), UNSUPPORTED would count the event as delivered and hide the failure.
  template <class Table>
  const Table& need(const char* id) const {
    if (auto* t = service<Table>(id)) return *t;
    throw Error(RELANCE_INVALID, std::string("the daemon does not offer ") + id);
  }
  static void check(relance_status s, const char* what) {
    if (s != RELANCE_OK) throw Error(s == RELANCE_UNSUPPORTED ? RELANCE_INVALID : s, std::string(what) + " failed");
  }
  const relance_host* raw_;
};

// The plugin-wide host handle given to init (log and clock), or a null one before init.
inline Host& plugin_host() {
  static Host host(nullptr);
  return host;
}

// Base of every instance: holds the host handle and the last error.
class Instance {
 public:
  explicit Instance(const relance_host* host) : host_(host) {}
  virtual ~Instance() = default;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const Host& host() const { return host_; }
  // Read by the daemon through last_error after a call that did not return OK.
  std::string last_error;

 private:
  Host host_;
};

// An event, with C++ views of its strings.
struct Event {
  const relance_event* raw;
  int64_t id() const { return raw->id; }
  int64_t org_id() const { return raw->org_id; }
  int64_t entity_id() const { return raw->entity_id; }
  uint32_t attempt() const { return raw->attempt; }
  std::string_view type() const { return view(raw->type); }
  std::string_view entity() const { return view(raw->entity); }
  std::string_view occurred_at() const { return view(raw->occurred_at); }
  std::string_view document() const { return view(raw->document); }
};

// Role relance.event-sink/1.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual relance_status deliver(const Event& event) = 0;
};

namespace detail {
template <class T>
struct Glue;
}

// Role relance.self-test/1 (SDK 1.2): an administrator's test of the instance's settings,
// run on an instance the daemon creates for the test. Write what happened in `report` (the
// server's answer: the administrator reads it) and return RELANCE_OK when the test passed;
// return or throw another status when it did not (a thrown Error's message is the report
// when `report` is left empty).
class SelfTest {
 public:
  virtual ~SelfTest() = default;
  virtual relance_status self_test(std::string_view request, std::string& report) = 0;

 private:
  template <class T>
  friend struct detail::Glue;
  std::string report_;
};

// Role relance.exporter/1. The derived class also declares, as static members:
//   static constexpr const char* format_id = "csv", *file_extension = "csv", *mime_type = "text/csv";
//   static constexpr relance_option options[] = {...};   (may be omitted: no options)
// write() works from open() on: the output is in place before open() is called.
class Exporter {
 public:
  virtual ~Exporter() = default;
  virtual relance_status open(const relance_export_request& request) {
    (void)request;
    return RELANCE_OK;
  }
  virtual relance_status begin_dataset(const relance_dataset& dataset) = 0;
  virtual relance_status write_row(const relance_row& row) = 0;
  virtual relance_status finish(bool complete) = 0;

 protected:
  // Writes bytes to the export's sink; throws when the client went away.
  void write(std::string_view bytes) {
    if (bytes.empty()) return;
    const relance_status s = out_.write(out_.context, bytes.data(), bytes.size());
    if (s != RELANCE_OK) throw Error(s, "the export's output was closed");
  }

 private:
  template <class T>
  friend struct detail::Glue;
  relance_byte_sink out_{};
};

namespace detail {

// Keeps `what` as the last error; never throws (out of memory: the error stays empty).
inline void keep_error(std::string& into, const char* what) noexcept {
  try {
    into = what;
  } catch (...) {
    into.clear();
  }
}

// Runs `f`, turning every exception into a status (`other` for any but relance::Error)
// and its message into `error` (an instance's last error, or the plugin's).
template <class F>
relance_status guarded(std::string& error, relance_status other, F&& f) noexcept {
  try {
    return f();
  } catch (const Error& e) {
    keep_error(error, e.what());
    return e.status();
  } catch (const std::exception& e) {
    keep_error(error, e.what());
    return other;
  } catch (...) {
    keep_error(error, "unknown exception");
    return other;
  }
}
template <class F>
relance_status guarded(Instance* self, relance_status other, F&& f) noexcept {
  return guarded(self->last_error, other, std::forward<F>(f));
}

// T::on_load(const Host&), when T declares it: run at init, may refuse the plugin.
template <class T, class = void>
struct has_on_load : std::false_type {};
template <class T>
struct has_on_load<T, std::void_t<decltype(T::on_load(std::declval<const Host&>()))>> : std::true_type {};

inline Instance* self_of(relance_instance* i) { return reinterpret_cast<Instance*>(i); }

template <class T, class = void>
struct options_of {
  static constexpr const relance_option* data = nullptr;
  static constexpr size_t size = 0;
};
template <class T>
struct options_of<T, std::void_t<decltype(T::options)>> {
  static constexpr const relance_option* data = T::options;
  static constexpr size_t size = sizeof(T::options) / sizeof(T::options[0]);
};

static_assert(offsetof(relance_setting, choices) == offsetof(relance_option, choices) &&
                  sizeof(relance_setting) > sizeof(relance_option),
              "a relance_setting begins as a relance_option");

// The documented settings: relance_setting (typed, SDK 1.3) or relance_option (SDK 1.2).
template <class T, class = void>
struct settings_of {
  using element = relance_option;
  static constexpr const element* data = nullptr;
  static constexpr size_t size = 0;
};
template <class T>
struct settings_of<T, std::void_t<decltype(T::documented_settings)>> {
  using element = std::remove_cv_t<std::remove_extent_t<std::remove_reference_t<decltype(T::documented_settings)>>>;
  static_assert(std::is_same_v<element, relance_setting_v3> || std::is_same_v<element, relance_setting> ||
                    std::is_same_v<element, relance_option>,
                "documented_settings is an array of relance_setting_v3 (bilingual), relance_setting (typed) or "
                "relance_option (untyped)");
  static constexpr const element* data = T::documented_settings;
  static constexpr size_t size = sizeof(T::documented_settings) / sizeof(T::documented_settings[0]);
};

template <class T>
struct Glue {
  static_assert(std::is_base_of_v<Instance, T>, "a plugin's instance class derives from relance::Instance");
  static constexpr bool sink = std::is_base_of_v<EventSink, T>;
  static constexpr bool exporter = std::is_base_of_v<Exporter, T>;
  static constexpr bool self_test = std::is_base_of_v<SelfTest, T>;

  static T* of(relance_instance* i) { return static_cast<T*>(self_of(i)); }
  static std::string& plugin_error() {
    static std::string e;
    return e;
  }

  static relance_status init(const relance_host* host) noexcept {
    plugin_host() = Host(host);
    if constexpr (has_on_load<T>::value)
      return guarded(plugin_error(), RELANCE_FATAL, [] { return T::on_load(plugin_host()); });
    return RELANCE_OK;
  }
  static void deinit() noexcept {}

  static relance_status make(const relance_host* host, relance_instance** out, std::string& error) noexcept {
    return guarded(error, RELANCE_FATAL, [&] {
      Instance* self = new T(host);
      *out = reinterpret_cast<relance_instance*>(self);
      return RELANCE_OK;
    });
  }
  // For 1.0-1.3 daemons, which read the reason with last_error(NULL) and create one
  // instance of a plugin at a time.
  static relance_status create(const relance_host* host, relance_instance** out) noexcept {
    return make(host, out, plugin_error());
  }
  // SDK 1.4: the reason is this call's own, so instances created at once never mix theirs.
  static relance_status create_reporting(const relance_host* host, relance_instance** out,
                                         relance_reason* reason) noexcept {
    std::string why;
    const relance_status s = make(host, out, why);
    if (s != RELANCE_OK) relance_reason_put(reason, why.data(), why.size());
    return s;
  }
  static void destroy(relance_instance* i) noexcept { delete self_of(i); }

  static relance_str last_error(relance_instance* i) noexcept {
    const std::string& e = i ? self_of(i)->last_error : plugin_error();
    return relance_str{e.data(), e.size()};
  }

  static relance_status deliver(relance_instance* i, const relance_event* e) noexcept {
    if constexpr (sink) {
      return guarded(self_of(i), RELANCE_RETRY, [&] { return static_cast<EventSink*>(of(i))->deliver(Event{e}); });
    } else {
      return RELANCE_UNSUPPORTED;
    }
  }
  static constexpr relance_event_sink_v1 sink_table{sizeof(relance_event_sink_v1), &deliver};

  static Exporter* exp(relance_instance* i) {
    if constexpr (exporter) return static_cast<Exporter*>(of(i));
    else return nullptr;
  }
  static relance_status open(relance_instance* i, const relance_export_request* r) noexcept {
    return guarded(self_of(i), RELANCE_INVALID, [&] {
      exp(i)->out_ = *r->out;
      return exp(i)->open(*r);
    });
  }
  static relance_status begin_dataset(relance_instance* i, const relance_dataset* d) noexcept {
    return guarded(self_of(i), RELANCE_INVALID, [&] { return exp(i)->begin_dataset(*d); });
  }
  static relance_status write_row(relance_instance* i, const relance_row* r) noexcept {
    return guarded(self_of(i), RELANCE_INVALID, [&] { return exp(i)->write_row(*r); });
  }
  static relance_status finish(relance_instance* i, int32_t complete) noexcept {
    return guarded(self_of(i), RELANCE_INVALID, [&] { return exp(i)->finish(complete != 0); });
  }
  static relance_exporter_v1 exporter_table() {
    if constexpr (exporter) {
      return relance_exporter_v1{sizeof(relance_exporter_v1), T::format_id, T::file_extension,
                                 T::mime_type, options_of<T>::size, sizeof(relance_option),
                                 options_of<T>::data, &open, &begin_dataset, &write_row, &finish};
    } else {
      return relance_exporter_v1{};
    }
  }

  static relance_status run_test(relance_instance* i, relance_str request, relance_str* report) noexcept {
    SelfTest* test = nullptr;
    if constexpr (self_test) test = static_cast<SelfTest*>(of(i));
    if (!test) return RELANCE_UNSUPPORTED;
    test->report_.clear();
    const relance_status s =
        guarded(self_of(i), RELANCE_FATAL, [&] { return test->self_test(view(request), test->report_); });
    if (s != RELANCE_OK && test->report_.empty()) keep_error(test->report_, self_of(i)->last_error.c_str());
    *report = relance_str{test->report_.data(), test->report_.size()};
    return s;
  }
  static constexpr relance_self_test_v1 test_table{sizeof(relance_self_test_v1), &run_test};

  static const void* get_interface(relance_instance*, const char* id) noexcept {
    if (sink && std::strcmp(id, RELANCE_EVENT_SINK_V1) == 0) return &sink_table;
    if (self_test && std::strcmp(id, RELANCE_SELF_TEST_V1) == 0) return &test_table;
    if constexpr (exporter) {
      static const relance_exporter_v1 table = exporter_table();
      if (std::strcmp(id, RELANCE_EXPORTER_V1) == 0) return &table;
    }
    return nullptr;
  }
  using Setting = typename settings_of<T>::element;
  static constexpr bool bilingual_settings = std::is_same_v<Setting, relance_setting_v3>;
  static constexpr bool typed_settings = bilingual_settings || std::is_same_v<Setting, relance_setting>;
  static const void* get_extension(const char* id) noexcept {
    if (!settings_of<T>::size) return nullptr;
    // /1 reads the same table with its own stride: a relance_setting begins as a relance_option.
    static const relance_settings_doc_v1 v1{sizeof(relance_settings_doc_v1), settings_of<T>::size, sizeof(Setting),
                                            reinterpret_cast<const relance_option*>(settings_of<T>::data)};
    if (std::strcmp(id, RELANCE_SETTINGS_DOC_V1) == 0) return &v1;
    if constexpr (typed_settings) {
      // /2 too: a relance_setting_v3 begins as a relance_setting.
      static const relance_settings_doc_v2 v2{sizeof(relance_settings_doc_v2), settings_of<T>::size, sizeof(Setting),
                                              reinterpret_cast<const relance_setting*>(settings_of<T>::data)};
      if (std::strcmp(id, RELANCE_SETTINGS_DOC_V2) == 0) return &v2;
    }
    if constexpr (bilingual_settings) {
      static const relance_settings_doc_v3 v3{sizeof(relance_settings_doc_v3), settings_of<T>::size,
                                              sizeof(relance_setting_v3), settings_of<T>::data};
      if (std::strcmp(id, RELANCE_SETTINGS_DOC_V3) == 0) return &v3;
    }
    return nullptr;
  }

  // The role ids offered, NULL-terminated.
  static constexpr std::array<const char*, 4> interface_array() {
    std::array<const char*, 4> ids{};
    size_t n = 0;
    if (sink) ids[n++] = RELANCE_EVENT_SINK_V1;
    if (exporter) ids[n++] = RELANCE_EXPORTER_V1;
    if (self_test) ids[n++] = RELANCE_SELF_TEST_V1;
    return ids;
  }
  static constexpr std::array<const char*, 4> interfaces = interface_array();
  static constexpr const char* const* interface_list = interfaces.data();
};

template <class T>
constexpr relance_plugin_entry entry_of(const char* id, const char* name, const char* vendor, const char* version) {
  return relance_plugin_entry{sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH,
                              id, name, vendor, version, Glue<T>::interface_list,
                              &Glue<T>::init, &Glue<T>::deinit, &Glue<T>::create, &Glue<T>::destroy,
                              &Glue<T>::get_interface, &Glue<T>::get_extension, &Glue<T>::last_error,
                              &Glue<T>::create_reporting};
}

}  // namespace detail
}  // namespace relance

// Defines the plugin's entry for instance class T.
#define RELANCE_PLUGIN(T, ID, NAME, VENDOR, VERSION) \
  RELANCE_PLUGIN_ENTRY = ::relance::detail::entry_of<T>(ID, NAME, VENDOR, VERSION);
