// Dispatcher: runs an InstanceRunner for every enabled plugin instance whose plugin is
// loaded, wakes the runners of an organisation when a commit appends events of it (a
// commit listener on the event log: nothing polls the outbox), and watches the time each
// plugin call takes.
//
// Thread safety: every public member may be called from any thread after start().
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "plugin_host/registry.hpp"
#include "plugin_host/runner.hpp"
#include "plugin_host/self_test.hpp"

namespace relance::plugin_host {

class Dispatcher {
 public:
  Dispatcher(HostEnv& env, const PluginRegistry& registry, DeliveryOptions options);
  ~Dispatcher();

  // Quarantines the instances whose crash marker says they took the daemon down
  // (quarantine_crashed), then starts delivering.
  void start();
  // Stops every runner (each finishes the call it is in and records its progress).
  void stop();

  // The instance changed in the database (created, edited, enabled, deleted): restart it.
  // Returns at once; the restart happens on the dispatcher's control thread, since it
  // waits for the old runner, which may itself wait for the storage writer (the caller's
  // thread, when called from a write's completion).
  void reload(std::int64_t instance_id);
  void resume(std::int64_t instance_id);
  void replay(std::int64_t instance_id, std::optional<std::int64_t> event_id);
  // nullopt when no runner runs for it (disabled, plugin not loaded).
  std::optional<RunnerStatus> status(std::int64_t instance_id) const;

  const DeliveryOptions& options() const { return options_; }

  // Runs the test of instance `r`'s plugin with its settings (plugin_host/self_test.hpp) on
  // the caller's thread, on an instance of its own: the delivering one is left alone.
  // Throws SelfTestUnavailable (the plugin not loaded, or offering no test).
  SelfTestResult self_test(const storage::PluginInstanceRecord& r, const std::string& request) const;

 private:
  // Each instance a crash marker names: suspended as crashed, the event it was handling
  // dead-lettered with status "crash", the marker cleared, the crash logged with the way out.
  void quarantine_crashed();
  void start_runner(const storage::PluginInstanceRecord& r);
  // Stops `runner`; one still inside a plugin call after a grace period is left behind
  // (leaked: its thread may touch it when the call returns) and kept in stuck_.
  void stop_runner(std::unique_ptr<InstanceRunner> runner);
  // The event log's commit listener: wakes the runners of those organisations.
  void committed(std::span<const std::int64_t> org_ids);
  void watch();
  void control();
  void restart(std::int64_t instance_id);
  // With mu_ held: gives `runner` the replays kept for the instance while it restarted.
  void hand_over_replays(std::int64_t instance_id, InstanceRunner& runner);
  // With mu_ held: whether a restart of the instance is queued or under way.
  bool reloading(std::int64_t instance_id) const;

  HostEnv& env_;
  const PluginRegistry& registry_;
  const DeliveryOptions options_;
  const CrashMarkers markers_;
  mutable std::mutex mu_;
  std::map<std::int64_t, std::unique_ptr<InstanceRunner>> runners_;
  // The last runner of an instance left behind inside a plugin call: the next runner of the
  // instance waits for it (InstanceRunner::wait_for).
  std::map<std::int64_t, const InstanceRunner*> stuck_;
  // Replays asked for while an instance's runner was (re)starting: handed to the next one.
  std::map<std::int64_t, std::vector<std::optional<std::int64_t>>> pending_replays_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::optional<std::int64_t> listener_;  // the commit listener, while registered
  std::thread watcher_;
  std::deque<std::int64_t> reloads_;  // the front one's restart is under way
  std::condition_variable control_cv_;
  std::thread control_;
};

}  // namespace relance::plugin_host
