#include "plugin_host/exporter_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "plugin_host/host_services.hpp"
#include "plugin_host/instance_factory.hpp"
#include "domain/text.hpp"
#include "plugin_host/registry.hpp"
#include "plugin_host/rows.hpp"
#include "plugin_host/settings_doc.hpp"
#include "relance/exporter.h"

namespace relance::plugin_host {
namespace {

std::string c_text(const char* s) { return s ? std::string(s) : std::string(); }

std::string plugin_error(const PluginFile& p, relance_instance* i) {
  const relance_str e = p.entry.last_error(i);
  return e.data && e.size ? std::string(e.data, std::min<std::size_t>(e.size, 2000)) : "no reason given";
}

relance_str str_of(const std::string& s) { return relance_str{s.data(), s.size()}; }

// What a refusal's status asks of the caller. A status the host does not know (a newer
// SDK's, or garbage) is FATAL, and logged: the plugin's author has something to fix.
ExporterRefused::Kind refusal_kind(const PluginFile& p, const char* step, relance_status s) {
  switch (s) {
    case RELANCE_RETRY: return ExporterRefused::Kind::retry;
    case RELANCE_INVALID: return ExporterRefused::Kind::invalid;
    case RELANCE_FATAL: return ExporterRefused::Kind::fatal;
    default:
      spdlog::error("plugin {}: {} returned status {}, which this host does not know; treated as FATAL", p.id, step,
                    static_cast<int>(s));
      return ExporterRefused::Kind::fatal;
  }
}

relance_status write_to_sink(void* context, const void* data, size_t size) {
  const auto& sink = *static_cast<const ByteSink*>(context);
  return sink(std::string_view(static_cast<const char*>(data), size)) ? RELANCE_OK : RELANCE_FATAL;
}

// The format an exporter table declares.
ExporterFormat format_of(const PluginFile& f, const relance_exporter_v1& t) {
  ExporterFormat fmt;
  fmt.plugin = &f;
  fmt.plugin_id = f.id;
  fmt.id = t.format_id;
  fmt.extension = c_text(t.file_extension);
  fmt.mime_type = t.mime_type && *t.mime_type ? t.mime_type : "application/octet-stream";
  for (std::size_t i = 0; i < t.option_count && t.options; ++i) {
    const auto* o = reinterpret_cast<const relance_option*>(reinterpret_cast<const char*>(t.options) +
                                                            i * t.option_size);
    ExporterFormat::Option opt{c_text(o->name), c_text(o->description), c_text(o->default_value), {}};
    if (o->choices) opt.choices = domain::split(o->choices, '|');
    if (!opt.name.empty()) fmt.options.push_back(std::move(opt));
  }
  return fmt;
}

// Shows a plugin call on a CallWatch while it runs.
class Watched {
 public:
  Watched(CallWatch* w, const char* step) : w_(w) {
    if (!w_) return;
    w_->step.store(step);
    w_->started.store(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
  }
  ~Watched() {
    if (w_) w_->started.store(0);
  }
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;

 private:
  CallWatch* w_;
};

// An instance of an exporter plugin, destroyed with it.
struct Instance {
  Instance(HostEnv& env, const PluginFile& p, std::int64_t org_id, std::vector<std::string> datasets) : plugin(p) {
    context.org_id = org_id;
    context.name = "export";
    context.datasets = std::move(datasets);
    // Nobody configures an exporter's instance: it gets the defaults it documents.
    context.settings = default_settings(documented_settings(plugin));
    host = make_host(env, plugin.id, &context);
    CreatedInstance made = create_instance(plugin, &host->raw);
    instance = made.instance;
    if (made.status != RELANCE_OK)
      throw ExporterUnavailable("the " + plugin.id + " plugin could not start: " + made.error);
    auto* t = static_cast<const relance_exporter_v1*>(plugin.entry.get_interface(instance, RELANCE_EXPORTER_V1));
    if (t && t->struct_size >= sizeof(relance_exporter_v1)) exporter = t;
  }
  ~Instance() {
    if (instance) plugin.entry.destroy_instance(instance);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const relance_exporter_v1& x() const {
    if (!exporter) throw ExporterUnavailable("the " + plugin.id + " plugin offers no exporter");
    return *exporter;
  }
  // Throws the plugin's refusal of `step` (its status `s`), once the export is abandoned.
  [[noreturn]] void refuse(const char* step, relance_status s) const {
    const std::string why = plugin_error(plugin, instance);
    const ExporterRefused::Kind kind = refusal_kind(plugin, step, s);
    exporter->finish(instance, 0);
    throw ExporterRefused(step, why, kind);
  }

  const PluginFile& plugin;
  InstanceContext context;
  std::unique_ptr<HostContext> host;
  relance_instance* instance = nullptr;
  const relance_exporter_v1* exporter = nullptr;
};

}  // namespace

struct ExporterSession::Impl {
  Impl(HostEnv& env, const PluginFile& p, std::int64_t org_id, std::vector<std::string> datasets, CallWatch* w)
      : i(env, p, org_id, std::move(datasets)), watch(w) {}

  Instance i;
  CallWatch* watch;
  // What open() gave the plugin, kept for the export's life: the plugin may hold the sink.
  ExportSettings settings;
  ByteSink sink;
  relance_byte_sink raw_sink{};
  std::optional<DatasetView> view;
};

ExporterSession::ExporterSession(HostEnv& env, const ExporterFormat& format, std::int64_t org_id,
                                 std::vector<std::string> datasets, CallWatch* watch)
    : impl_(std::make_unique<Impl>(env, *format.plugin, org_id, std::move(datasets), watch)) {
  impl_->i.x();
}

ExporterSession::~ExporterSession() = default;

void ExporterSession::open(const ExportSettings& settings, ByteSink sink) {
  Impl& s = *impl_;
  s.settings = settings;
  s.sink = std::move(sink);
  s.raw_sink = relance_byte_sink{&s.sink, &write_to_sink};
  const relance_export_request req{sizeof(relance_export_request), str_of(s.settings.options),
                                   str_of(s.settings.locale), str_of(s.settings.time_zone), &s.raw_sink,
                                   s.settings.datasets};
  relance_status st;
  {
    Watched w(s.watch, "open");
    st = s.i.x().open(s.i.instance, &req);
  }
  if (st != RELANCE_OK) s.i.refuse("open", st);
}

void ExporterSession::begin_dataset(const storage::Entity& entity, std::vector<ExtraColumn> extra) {
  Impl& s = *impl_;
  s.view.emplace(entity, std::move(extra));
  if (const relance_status st = s.i.x().begin_dataset(s.i.instance, &s.view->dataset()); st != RELANCE_OK)
    s.i.refuse("begin_dataset", st);
}

void ExporterSession::begin_table(const storage::Entity& table) {
  Impl& s = *impl_;
  s.view.emplace(table, std::vector<ExtraColumn>{}, false);
  if (const relance_status st = s.i.x().begin_dataset(s.i.instance, &s.view->dataset()); st != RELANCE_OK)
    s.i.refuse("begin_dataset", st);
}

void ExporterSession::write_row(const storage::Row& row, bool redact, const std::vector<const std::string*>& extra_values) {
  Impl& s = *impl_;
  relance_status st;
  {
    const relance_row& converted = s.view->convert(row, redact, extra_values);
    Watched w(s.watch, "write_row");
    st = s.i.x().write_row(s.i.instance, &converted);
  }
  if (st != RELANCE_OK) s.i.refuse("write_row", st);
}

void ExporterSession::finish() {
  const Instance& i = impl_->i;
  relance_status st;
  {
    Watched w(impl_->watch, "finish");
    st = i.x().finish(i.instance, 1);
  }
  if (st != RELANCE_OK)
    throw ExporterRefused("finish", plugin_error(i.plugin, i.instance), refusal_kind(i.plugin, "finish", st));
}

void ExporterSession::abandon() { impl_->i.x().finish(impl_->i.instance, 0); }

std::vector<ExporterFormat> exporter_formats(HostEnv& env, const PluginRegistry& registry) {
  std::vector<ExporterFormat> formats;
  for (const PluginFile& f : registry.files()) {
    if (!f.loaded) continue;
    if (std::find(f.interfaces.begin(), f.interfaces.end(), RELANCE_EXPORTER_V1) == f.interfaces.end()) continue;
    // An export carries options, never settings: a setting it cannot do without would fail
    // every export, so the format is not offered (sdk/include/relance/exporter.h).
    const auto documented = documented_settings(f);
    const auto required = std::find_if(documented.begin(), documented.end(), [](const DocumentedSetting& s) {
      return s.required && s.default_value.empty();
    });
    if (required != documented.end()) {
      spdlog::warn("plugin {}: its exporter is not offered: it requires setting {}, which no export can give "
                   "(give it a default, or make it an export option)",
                   f.id, required->name);
      continue;
    }
    try {
      Instance probe(env, f, 0, {});
      const relance_exporter_v1* t = probe.exporter;
      if (!t || !t->format_id || !*t->format_id) {
        spdlog::warn("plugin {} says it exports but offers no usable {} table", f.id, RELANCE_EXPORTER_V1);
        continue;
      }
      ExporterFormat fmt = format_of(f, *t);
      if (std::any_of(formats.begin(), formats.end(), [&](const ExporterFormat& o) { return o.id == fmt.id; })) {
        spdlog::warn("plugin {} exports format {}, which another plugin already offers; ignored", f.id, fmt.id);
        continue;
      }
      spdlog::info("export format {} from plugin {}", fmt.id, f.id);
      formats.push_back(std::move(fmt));
    } catch (const std::exception& e) {
      spdlog::warn("plugin {}: {}", f.id, e.what());
    }
  }
  return formats;
}

}  // namespace relance::plugin_host
