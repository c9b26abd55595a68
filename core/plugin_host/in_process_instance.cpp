#include "plugin_host/in_process_instance.hpp"

#include <algorithm>

#include "domain/text.hpp"
#include "plugin_host/crash_marker.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/wire_types.hpp"
#include "relance/settings.h"

namespace relance::plugin_host {
namespace {

// Shows a plugin call while it runs: to the watchdog (its start), and in the crash marker
// (which call, which event), so that a crash inside it is pinned on this instance.
class Marked {
 public:
  Marked(CallWatch& watch, CrashMarker* marker, PluginCallKind call, const char* step, std::int64_t event_id = 0)
      : watch_(watch), marker_(marker) {
    if (marker_) marker_->enter(call, event_id);
    watch_.begin(step);
  }
  ~Marked() {
    watch_.end();
    if (marker_) marker_->leave();
  }
  Marked(const Marked&) = delete;
  Marked& operator=(const Marked&) = delete;

 private:
  CallWatch& watch_;
  CrashMarker* marker_;
};

std::string c_text(const char* s) { return s ? std::string(s) : std::string(); }

relance_status write_to_sink(void* context, const void* data, size_t size) {
  const auto& sink = *static_cast<const ByteSink*>(context);
  return sink(std::string_view(static_cast<const char*>(data), size)) ? RELANCE_OK : RELANCE_FATAL;
}

}  // namespace

bool known_status(relance_status s) {
  return s == RELANCE_OK || s == RELANCE_RETRY || s == RELANCE_INVALID || s == RELANCE_FATAL ||
         s == RELANCE_UNSUPPORTED;
}

ExporterTable exporter_table(const relance_exporter_v1& t) {
  ExporterTable x;
  x.format_id = c_text(t.format_id);
  x.extension = c_text(t.file_extension);
  x.mime_type = t.mime_type && *t.mime_type ? t.mime_type : "application/octet-stream";
  for (std::size_t i = 0; i < t.option_count && t.options; ++i) {
    const auto* o = reinterpret_cast<const relance_option*>(reinterpret_cast<const char*>(t.options) +
                                                            i * t.option_size);
    ExportOption opt{c_text(o->name), c_text(o->description), c_text(o->default_value), {}};
    if (o->choices) opt.choices = domain::split(o->choices, '|');
    if (!opt.name.empty()) x.options.push_back(std::move(opt));
  }
  return x;
}

CreatedInstance InProcessInstance::create() {
  CreatedInstance made;
  {
    Marked m(watch_, marker_, PluginCallKind::create_instance, "create_instance");
    made = create_instance(plugin_, &host_.raw);
  }
  if (made.status != RELANCE_OK) return made;
  instance_ = made.instance;
  Marked m(watch_, marker_, PluginCallKind::get_interface, "get_interface");
  sink_ = static_cast<const relance_event_sink_v1*>(plugin_.entry.get_interface(instance_, RELANCE_EVENT_SINK_V1));
  if (sink_ && (sink_->struct_size < sizeof(relance_event_sink_v1) || !sink_->deliver)) sink_ = nullptr;
  exporter_ = static_cast<const relance_exporter_v1*>(plugin_.entry.get_interface(instance_, RELANCE_EXPORTER_V1));
  if (exporter_ && exporter_->struct_size < sizeof(relance_exporter_v1)) exporter_ = nullptr;
  if (exporter_) table_ = exporter_table(*exporter_);
  return made;
}

void InProcessInstance::destroy() {
  if (!instance_) return;
  Marked m(watch_, marker_, PluginCallKind::destroy_instance, "destroy_instance");
  plugin_.entry.destroy_instance(instance_);
  instance_ = nullptr;
  sink_ = nullptr;
  exporter_ = nullptr;
}

void InProcessInstance::deliver(std::span<const relance_event> events, std::vector<relance_status>& statuses,
                                const NextEvent& next) {
  for (std::size_t k = 0; k < events.size(); ++k) {
    if (k > 0) next();
    relance_status s;
    {
      Marked m(watch_, marker_, PluginCallKind::deliver, "deliver", events[k].id);
      s = sink_->deliver(instance_, &events[k]);
    }
    if (s == died_in_call) s = died_in_call + 1;  // a plugin's garbage, not a death
    statuses.push_back(s);
    if (s != RELANCE_OK && s != RELANCE_UNSUPPORTED) return;
  }
}

std::string InProcessInstance::last_error() {
  const relance_str e = plugin_.entry.last_error(instance_);
  return e.data && e.size ? std::string(e.data, std::min<std::size_t>(e.size, 100000)) : std::string();
}

relance_status InProcessInstance::export_open(const ExportSettings& settings, ByteSink sink) {
  settings_ = settings;
  sink_fn_ = std::move(sink);
  raw_sink_ = relance_byte_sink{&sink_fn_, &write_to_sink};
  const relance_export_request req{sizeof(relance_export_request), str_view(settings_.options),
                                   str_view(settings_.locale), str_view(settings_.time_zone), &raw_sink_,
                                   settings_.datasets};
  Marked m(watch_, nullptr, PluginCallKind::none, "open");
  return exporter_->open(instance_, &req);
}

relance_status InProcessInstance::export_dataset(const relance_dataset& dataset) {
  Marked m(watch_, nullptr, PluginCallKind::none, "begin_dataset");
  return exporter_->begin_dataset(instance_, &dataset);
}

relance_status InProcessInstance::export_row(const relance_row& row) {
  Marked m(watch_, nullptr, PluginCallKind::none, "write_row");
  return exporter_->write_row(instance_, &row);
}

relance_status InProcessInstance::export_finish(bool complete) {
  Marked m(watch_, nullptr, PluginCallKind::none, "finish");
  return exporter_->finish(instance_, complete ? 1 : 0);
}

std::optional<relance_status> InProcessInstance::self_test(std::string_view request, std::string& report) {
  const auto* t = static_cast<const relance_self_test_v1*>(plugin_.entry.get_interface(instance_, RELANCE_SELF_TEST_V1));
  if (!t || t->struct_size < sizeof(relance_self_test_v1) || !t->run) return std::nullopt;
  relance_str said{nullptr, 0};
  relance_status s;
  {
    Marked m(watch_, nullptr, PluginCallKind::none, "self_test");
    s = t->run(instance_, str_view(request), &said);
  }
  report = said.data && said.size ? std::string(said.data, std::min<std::size_t>(said.size, 4000)) : std::string();
  return s;
}

}  // namespace relance::plugin_host
