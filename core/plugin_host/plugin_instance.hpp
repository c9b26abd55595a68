// PluginInstance: one instance of a plugin as the runner (runner.hpp) and the exporter
// sessions (exporter_session.hpp) call it, whether the plugin runs in the daemon
// (in_process_instance.hpp) or in a child process of its own (isolated_instance.hpp). The
// callers keep every rule (retries, dead letters, budgets, statuses); an implementation only
// makes the calls, and says when the process running the plugin died in one.
//
// Thread safety: one thread at a time (the SDK's rule for an instance).
#pragma once

#include <climits>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_host/call_watch.hpp"
#include "plugin_host/export_settings.hpp"
#include "plugin_host/instance_factory.hpp"
#include "plugin_host/isolation.hpp"
#include "relance/event_sink.h"
#include "relance/exporter.h"

namespace relance::plugin_host {

struct PluginFile;
struct HostContext;
class CrashMarker;

// The status of a call in which the process running the plugin died or was killed: never a
// plugin's own (a child's statuses are read as int32, and this one is turned into FATAL).
constexpr relance_status died_in_call = INT32_MIN;

// Called by deliver() between two events of a batch: the one before returned OK or
// UNSUPPORTED, the next begins (the runner keeps the state writes of the one before).
using NextEvent = std::function<void()>;

class PluginInstance {
 public:
  virtual ~PluginInstance() = default;

  // create_instance, then the roles it offers.
  virtual CreatedInstance create() = 0;
  virtual bool created() const = 0;
  virtual bool has_event_sink() const = 0;
  virtual const ExporterTable* exporter() const = 0;  // nullptr: no exporter
  // destroy_instance (nothing when not created).
  virtual void destroy() = 0;

  // Delivers `events` in order, one status each appended to `statuses`, and stops after the
  // first that is neither OK nor UNSUPPORTED (died_in_call when the process died in it).
  virtual void deliver(std::span<const relance_event> events, std::vector<relance_status>& statuses,
                       const NextEvent& next) = 0;
  // last_error of the instance ("" when it gives none).
  virtual std::string last_error() = 0;
  // Why the process died in the last call that returned died_in_call.
  virtual std::string death() const = 0;

  // The export steps (relance.exporter/1). Rows may be sent on in batches: a refusal may
  // then come back from a later write_row or finish.
  virtual relance_status export_open(const ExportSettings& settings, ByteSink sink) = 0;
  virtual relance_status export_dataset(const relance_dataset& dataset) = 0;
  virtual relance_status export_row(const relance_row& row) = 0;
  virtual relance_status export_finish(bool complete) = 0;

  // The plugin's test (relance.self-test/1) with `request`; nullopt when it offers none.
  // `report` is what it said.
  virtual std::optional<relance_status> self_test(std::string_view request, std::string& report) = 0;
};

// An instance of `plugin` with `host` (its handle, with its InstanceContext) in this process
// or a child, as the plugin's isolation says. `watch` shows each call while it runs;
// `marker` (in process only, may be null) records each for crash_marker.hpp.
std::unique_ptr<PluginInstance> make_instance(const PluginFile& plugin, HostContext& host, CallWatch& watch,
                                              CrashMarker* marker = nullptr);

// A status this host knows (docs/sdk.md, "Statuses the host does not know").
bool known_status(relance_status s);

}  // namespace relance::plugin_host
