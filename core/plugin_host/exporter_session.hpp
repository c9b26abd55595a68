// Exporter sessions: the plugin host's side of an export. Finds the formats the loaded
// exporter plugins offer (relance.exporter/1) and runs one instance of a plugin through an
// export: open with the settings, a dataset at a time, rows, finish. The SDK's statuses
// come back as C++ errors (ExporterUnavailable, ExporterRefused), so that the export use
// case (core/exports/) never sees the plugin ABI. sdk/include/relance/exporter.h says what
// the plugin does at each step.
//
// Thread safety: exporter_formats() runs once at start. A session is used by one thread
// at a time (the SDK's contract for an instance), not necessarily the same one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_host/datasets.hpp"
#include "plugin_host/call_watch.hpp"
#include "plugin_host/export_settings.hpp"
#include "plugin_host/host_env.hpp"

namespace relance::plugin_host {

class PluginRegistry;
struct PluginFile;

// One export format, as its plugin declares it.
struct ExporterFormat {
  using Option = ExportOption;
  const PluginFile* plugin = nullptr;
  std::string plugin_id;
  std::string id, extension, mime_type;
  std::vector<Option> options;
};

// The formats of the loaded exporter plugins, in the registry's order. A plugin that offers
// no usable exporter, or a format another plugin already offers, is logged and left out.
std::vector<ExporterFormat> exporter_formats(HostEnv& env, const PluginRegistry& registry);

// The plugin could not start an instance, or offers no exporter.
class ExporterUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A step of the export returned an error: what() is the plugin's reason, step() the call
// ("open", "begin_dataset", "write_row", "finish"), kind() what its status asks of the
// caller (docs/sdk.md, "Statuses"): try again later (RETRY), change the request (INVALID),
// or nothing the caller can do (FATAL, and any status the host does not know).
class ExporterRefused : public std::runtime_error {
 public:
  enum class Kind { retry, invalid, fatal };
  ExporterRefused(std::string step, const std::string& reason, Kind kind = Kind::fatal)
      : std::runtime_error(reason), step_(std::move(step)), kind_(kind) {}
  const std::string& step() const { return step_; }
  Kind kind() const { return kind_; }

 private:
  std::string step_;
  Kind kind_;
};

class ExporterSession {
 public:
  // An instance of `format`'s plugin for organisation `org_id`, granted `datasets` (names)
  // for relance.host.query/1. Throws ExporterUnavailable. `watch`, when given, shows each
  // call of the export steps below while it runs.
  ExporterSession(HostEnv& env, const ExporterFormat& format, std::int64_t org_id, std::vector<std::string> datasets,
                  CallWatch* watch = nullptr);
  ~ExporterSession();
  ExporterSession(const ExporterSession&) = delete;
  ExporterSession& operator=(const ExporterSession&) = delete;

  // Each step throws ExporterRefused when the plugin says no, after telling it the export
  // is abandoned (finish with ok = 0).
  void open(const ExportSettings& settings, ByteSink sink);
  // `extra`: text columns joined from elsewhere (datasets.hpp).
  void begin_dataset(const storage::Entity& entity, std::vector<ExtraColumn> extra = {});
  // A table of values that is no record's (a report's): the columns of `table`'s fields
  // only, without id, created_at and updated_at; rows come through write_row.
  void begin_table(const storage::Entity& table);
  // `redact`: personal columns are null. `extra_values` align with the extra columns.
  void write_row(const storage::Row& row, bool redact, const std::vector<const std::string*>& extra_values = {});
  // Completes the file; throws ExporterRefused("finish") when the plugin could not.
  void finish();
  // Ends an export that will not complete (finish with ok = 0).
  void abandon();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relance::plugin_host
