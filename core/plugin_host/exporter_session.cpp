#include "plugin_host/exporter_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "plugin_host/host_services.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "domain/text.hpp"
#include "plugin_host/registry.hpp"
#include "plugin_host/rows.hpp"
#include "plugin_host/settings_doc.hpp"
#include "relance/exporter.h"

namespace relance::plugin_host {
namespace {

// What a refusal's status asks of the caller. A status the host does not know (a newer
// SDK's, or garbage) is FATAL, and logged: the plugin's author has something to fix.
ExporterRefused::Kind refusal_kind(const PluginFile& p, const char* step, relance_status s) {
  switch (s) {
    case RELANCE_RETRY: return ExporterRefused::Kind::retry;
    case RELANCE_INVALID: return ExporterRefused::Kind::invalid;
    case RELANCE_FATAL: return ExporterRefused::Kind::fatal;
    case died_in_call: return ExporterRefused::Kind::fatal;
    default:
      spdlog::error("plugin {}: {} returned status {}, which this host does not know; treated as FATAL", p.id, step,
                    static_cast<int>(s));
      return ExporterRefused::Kind::fatal;
  }
}

// The format an exporter table declares.
ExporterFormat format_of(const PluginFile& f, const ExporterTable& t) {
  ExporterFormat fmt;
  fmt.plugin = &f;
  fmt.plugin_id = f.id;
  fmt.id = t.format_id;
  fmt.extension = t.extension;
  fmt.mime_type = t.mime_type;
  fmt.options = t.options;
  return fmt;
}

// An instance of an exporter plugin, in this process or a child (plugin_instance.hpp),
// destroyed with it.
struct Instance {
  Instance(HostEnv& env, const PluginFile& p, std::int64_t org_id, std::vector<std::string> datasets, CallWatch* w)
      : plugin(p), watch(w ? *w : own_watch) {
    context.org_id = org_id;
    context.name = "export";
    context.datasets = std::move(datasets);
    // Nobody configures an exporter's instance: it gets the defaults it documents.
    context.settings = default_settings(documented_settings(plugin));
    host = make_host(env, plugin.id, &context);
    instance = make_instance(plugin, *host, watch);
    CreatedInstance made = instance->create();
    if (made.status != RELANCE_OK)
      throw ExporterUnavailable("the " + plugin.id + " plugin could not start: " + made.error);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const ExporterTable& table() const {
    if (!instance->exporter()) throw ExporterUnavailable("the " + plugin.id + " plugin offers no exporter");
    return *instance->exporter();
  }
  // Throws the plugin's refusal of `step` (its status `s`), once the export is abandoned.
  [[noreturn]] void refuse(const char* step, relance_status s, bool abandon = true) const {
    const std::string why = s == died_in_call ? "the exporter's " + instance->death() : error();
    const ExporterRefused::Kind kind = refusal_kind(plugin, step, s);
    if (abandon && s != died_in_call) instance->export_finish(false);
    throw ExporterRefused(step, why, kind);
  }
  std::string error() const {
    std::string e = instance->last_error();
    if (e.size() > 2000) e.resize(2000);
    return e.empty() ? "no reason given" : e;
  }
  void check(const char* step, relance_status s) const {
    if (s != RELANCE_OK) refuse(step, s);
  }

  const PluginFile& plugin;
  CallWatch own_watch;
  CallWatch& watch;
  InstanceContext context;
  std::unique_ptr<HostContext> host;
  std::unique_ptr<PluginInstance> instance;
};

}  // namespace

struct ExporterSession::Impl {
  Impl(HostEnv& env, const PluginFile& p, std::int64_t org_id, std::vector<std::string> datasets, CallWatch* w)
      : i(env, p, org_id, std::move(datasets), w) {}

  Instance i;
  std::optional<DatasetView> view;
};

ExporterSession::ExporterSession(HostEnv& env, const ExporterFormat& format, std::int64_t org_id,
                                 std::vector<std::string> datasets, CallWatch* watch)
    : impl_(std::make_unique<Impl>(env, *format.plugin, org_id, std::move(datasets), watch)) {
  impl_->i.table();
}

ExporterSession::~ExporterSession() = default;

void ExporterSession::open(const ExportSettings& settings, ByteSink sink) {
  impl_->i.check("open", impl_->i.instance->export_open(settings, std::move(sink)));
}

void ExporterSession::begin_dataset(const storage::Entity& entity, std::vector<ExtraColumn> extra) {
  Impl& s = *impl_;
  s.view.emplace(entity, std::move(extra));
  s.i.check("begin_dataset", s.i.instance->export_dataset(s.view->dataset()));
}

void ExporterSession::begin_table(const storage::Entity& table) {
  Impl& s = *impl_;
  s.view.emplace(table, std::vector<ExtraColumn>{}, false);
  s.i.check("begin_dataset", s.i.instance->export_dataset(s.view->dataset()));
}

void ExporterSession::write_row(const storage::Row& row, bool redact, const std::vector<const std::string*>& extra_values) {
  Impl& s = *impl_;
  s.i.check("write_row", s.i.instance->export_row(s.view->convert(row, redact, extra_values)));
}

void ExporterSession::finish() {
  const Instance& i = impl_->i;
  if (const relance_status st = i.instance->export_finish(true); st != RELANCE_OK) i.refuse("finish", st, false);
}

void ExporterSession::abandon() { impl_->i.instance->export_finish(false); }

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
      Instance probe(env, f, 0, {}, nullptr);
      const ExporterTable* t = probe.instance->exporter();
      if (!t || t->format_id.empty()) {
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
