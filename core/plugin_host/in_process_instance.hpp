// An instance of a plugin loaded in this process: the calls go straight through the C ABI
// (the plugin's function tables), each shown on the CallWatch and the crash marker.
//
// Thread safety: as PluginInstance.
#pragma once

#include <optional>

#include "plugin_host/plugin_instance.hpp"
#include "relance/entry.h"

namespace relance::plugin_host {

class InProcessInstance final : public PluginInstance {
 public:
  InProcessInstance(const PluginFile& plugin, HostContext& host, CallWatch& watch, CrashMarker* marker)
      : plugin_(plugin), host_(host), watch_(watch), marker_(marker) {}
  ~InProcessInstance() override { destroy(); }

  CreatedInstance create() override;
  bool created() const override { return instance_ != nullptr; }
  bool has_event_sink() const override { return sink_ != nullptr; }
  const ExporterTable* exporter() const override { return exporter_ ? &table_ : nullptr; }
  void destroy() override;
  void deliver(std::span<const relance_event> events, std::vector<relance_status>& statuses,
               const NextEvent& next) override;
  std::string last_error() override;
  std::string death() const override { return {}; }
  relance_status export_open(const ExportSettings& settings, ByteSink sink) override;
  relance_status export_dataset(const relance_dataset& dataset) override;
  relance_status export_row(const relance_row& row) override;
  relance_status export_finish(bool complete) override;
  std::optional<relance_status> self_test(std::string_view request, std::string& report) override;

 private:
  const PluginFile& plugin_;
  HostContext& host_;
  CallWatch& watch_;
  CrashMarker* marker_;
  relance_instance* instance_ = nullptr;
  const relance_event_sink_v1* sink_ = nullptr;
  const relance_exporter_v1* exporter_ = nullptr;
  ExporterTable table_;
  // What export_open gave the plugin, kept to finish: the plugin may hold the sink.
  ExportSettings settings_;
  ByteSink sink_fn_;
  relance_byte_sink raw_sink_{};
};

// The table an exporter declares, copied.
ExporterTable exporter_table(const relance_exporter_v1& t);

}  // namespace relance::plugin_host
