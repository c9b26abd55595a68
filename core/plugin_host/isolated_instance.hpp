// An instance of a plugin run in a child process, `relance plugin-host`
// (plugin_host_child.cpp), which loads the same file through the same C ABI: the plugin
// changes nothing. The calls travel as frames over a socketpair (frames.hpp), events and
// rows in batches; the host services the plugin calls are answered here with the
// instance's real handle (proxied_services.hpp).
//
// The child is started at create(), and again at the next create() after it died. When it
// dies in a call (a signal, memory exhausted, killed by the watchdog through the CallWatch
// when a call overran its budget), the call returns died_in_call and death() says why; the
// daemon goes on. Events of a batch before the one it died in were delivered.
//
// Thread safety: as PluginInstance.
#pragma once

#include <memory>

#include "plugin_host/child_process.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "plugin_host/proxied_services.hpp"

namespace relance::plugin_host {

class IsolatedInstance final : public PluginInstance {
 public:
  IsolatedInstance(const PluginFile& plugin, HostContext& host, CallWatch& watch);
  ~IsolatedInstance() override;

  // Starts the child and calls the plugin's init in it: "" when done, else why not.
  std::string start();
  CreatedInstance create() override;
  bool created() const override { return created_; }
  bool has_event_sink() const override { return has_sink_; }
  const ExporterTable* exporter() const override { return has_exporter_ ? &table_ : nullptr; }
  void destroy() override;
  void deliver(std::span<const relance_event> events, std::vector<relance_status>& statuses,
               const NextEvent& next) override;
  std::string last_error() override;
  std::string death() const override { return death_; }
  relance_status export_open(const ExportSettings& settings, ByteSink sink) override;
  relance_status export_dataset(const relance_dataset& dataset) override;
  relance_status export_row(const relance_row& row) override;
  relance_status export_finish(bool complete) override;
  std::optional<relance_status> self_test(std::string_view request, std::string& report) override;

 private:
  // The frame of a request of `kind`, its common header written.
  FrameWriter& request(FrameKind kind);
  // Sends the request, answers the child's calls until its reply and returns the reply's
  // reader; nullopt when the child died meanwhile (death_ says why, the child is gone).
  std::optional<FrameReader> exchange(const char* step, const NextEvent* next = nullptr);
  void lost(const std::string& what);
  // Hands the exporter's bytes held to the sink.
  void pass_output();
  // Sends the rows waiting; their first refusal, or OK.
  relance_status flush_rows();

  const PluginFile& plugin_;
  HostContext& host_;
  CallWatch& watch_;
  std::unique_ptr<HostContext> plugin_wide_;  // the plugin's init calls the services with it
  ServiceServer server_;
  std::unique_ptr<ChildProcess> child_;
  FrameWriter out_;
  FrameWriter answer_;
  std::string in_;  // the last frame read
  std::string dying_;  // what the child's signal handler said
  std::string death_;
  bool created_ = false, has_sink_ = false, has_exporter_ = false;
  ExporterTable table_;
  // The event of the batch whose state writes are the call's (next() was called that often).
  std::int32_t event_at_ = 0;
  ByteSink sink_;
  bool sink_failed_ = false;
  std::string output_;  // the exporter's bytes of the request in progress
  FrameWriter rows_;
  std::uint32_t row_count_ = 0;
};

// Whether `plugin` starts in a child process: its init called there, as the registry calls
// it in the daemon for a plugin that runs in it. "" when it does, else why not.
std::string init_in_child(HostEnv& env, const PluginFile& plugin);

}  // namespace relance::plugin_host
