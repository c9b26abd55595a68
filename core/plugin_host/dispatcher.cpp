#include "plugin_host/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "relance/model/instant.hpp"

namespace relance::plugin_host {
namespace {

// Runners left inside a plugin call live as long as the process: their threads may touch
// them when the call returns, after their dispatcher is gone (a daemon stopping). They are
// kept here, so that they stay reachable to the end rather than lost (LeakSanitizer tells
// the two apart).
void keep_for_the_process(const InstanceRunner* runner) {
  static std::mutex mu;
  static auto* kept = new std::vector<const InstanceRunner*>;
  std::lock_guard lock(mu);
  kept->push_back(runner);
}

}  // namespace

Dispatcher::Dispatcher(HostEnv& env, const PluginRegistry& registry, DeliveryOptions options)
    : env_(env), registry_(registry), options_(options), markers_(env.marker_dir) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() {
  quarantine_crashed();
  // Listening before the runners start: each reads the outbox once it runs, so an event is
  // either in that first read or signalled after it.
  listener_ = env_.events.add_commit_listener([this](std::span<const std::int64_t> orgs) { committed(orgs); });
  for (const auto& r : env_.events.plugin_instances()) start_runner(r);
  watcher_ = std::thread([this] { watch(); });
  control_ = std::thread([this] { control(); });
}

void Dispatcher::quarantine_crashed() {
  for (const CrashNote& crash : markers_.left_behind()) {
    const auto r = env_.events.plugin_instance(crash.instance_id);
    if (!r) {  // removed since
      markers_.clear(crash.instance_id);
      continue;
    }
    if (!crash.signal && !crash.again) {
      // Perhaps killed from outside mid-call: the call is made again, watched.
      spdlog::warn("plugin {} [{}#{}]: the daemon stopped during {}{} without a signal from the plugin (killed?); "
                   "delivery goes on, and the instance is quarantined if it happens again there",
                   r->plugin, r->name, r->id, call_name(crash.call),
                   crash.event_id ? " of event " + std::to_string(crash.event_id) : std::string());
      markers_.suspect(crash);
      continue;
    }
    const std::string why = crash_reason(crash);
    // Recorded before the marker goes: a crash in between quarantines it again, the same way.
    env_.store.write_sync([&](storage::WriteTxn& tx) {
      tx.events().set_plugin_suspended(r->id, why);
      if (crash.event_id)
        tx.events().put_dead_letter(storage::DeadLetter{
            r->id, crash.event_id, storage::now_instant(), 1, "crash",
            std::string("the plugin crashed the daemon (") + signal_name(crash.signal) + ") in " +
                call_name(crash.call) + " of this event"});
    });
    markers_.clear(crash.instance_id);
    spdlog::error("plugin {} [{}#{}] {}", r->plugin, r->name, r->id, why);
  }
}

void Dispatcher::start_runner(const storage::PluginInstanceRecord& r) {
  if (!r.enabled) return;
  const PluginFile* plugin = registry_.find(r.plugin);
  if (!plugin) {
    spdlog::warn("plugin instance {}#{}: plugin {} is not loaded; nothing is delivered to it",
                 r.name, r.id, r.plugin);
    return;
  }
  std::lock_guard lock(mu_);
  if (stopping_) return;
  auto& runner = runners_[r.id];
  runner = std::make_unique<InstanceRunner>(env_, options_, *plugin, r, markers_.open(r.id));
  if (auto stuck = stuck_.find(r.id); stuck != stuck_.end()) {
    if (stuck->second->finished()) stuck_.erase(stuck);
    else runner->wait_for(stuck->second);
  }
  hand_over_replays(r.id, *runner);
  runner->start();
}

void Dispatcher::hand_over_replays(std::int64_t instance_id, InstanceRunner& runner) {
  if (auto it = pending_replays_.find(instance_id); it != pending_replays_.end()) {
    for (const auto& event : it->second) runner.replay(event);
    pending_replays_.erase(it);
  }
}

bool Dispatcher::reloading(std::int64_t instance_id) const {
  return std::find(reloads_.begin(), reloads_.end(), instance_id) != reloads_.end();
}

void Dispatcher::stop_runner(std::unique_ptr<InstanceRunner> runner) {
  if (!runner) return;
  runner->request_stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  if (!runner->join_until(deadline)) {
    // Still inside a plugin call: its thread may touch the runner when the call returns,
    // so the runner is left alive (and the plugin loaded) rather than freed under it.
    spdlog::error("plugin instance #{} is still inside a plugin call; leaving it behind", runner->id());
    const std::int64_t id = runner->id();
    std::lock_guard lock(mu_);
    stuck_[id] = runner.get();
    keep_for_the_process(runner.release());
  }
}

void Dispatcher::stop() {
  std::map<std::int64_t, std::unique_ptr<InstanceRunner>> runners;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    runners.swap(runners_);
  }
  // Outside mu_: removal waits for a call in progress, which takes mu_.
  if (listener_) env_.events.remove_commit_listener(*listener_);
  stop_cv_.notify_all();
  control_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  if (control_.joinable()) control_.join();
  for (auto& [id, r] : runners) r->request_stop();
  for (auto& [id, r] : runners) stop_runner(std::move(r));
}

void Dispatcher::reload(std::int64_t instance_id) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  reloads_.push_back(instance_id);
  control_cv_.notify_all();
}

void Dispatcher::control() {
  std::unique_lock lock(mu_);
  for (;;) {
    control_cv_.wait(lock, [&] { return stopping_ || !reloads_.empty(); });
    if (stopping_) return;
    // Left in the queue until its restart is done: replay() sees it as pending all along.
    const std::int64_t id = reloads_.front();
    lock.unlock();
    try {
      restart(id);
    } catch (const std::exception& e) {
      spdlog::error("plugin instance #{}: restart failed: {}", id, e.what());
    }
    lock.lock();
    reloads_.pop_front();
    // Replays asked for during the restart, once no other reload of the instance is due.
    if (auto it = runners_.find(id); it != runners_.end() && !reloading(id)) hand_over_replays(id, *it->second);
  }
}

void Dispatcher::restart(std::int64_t instance_id) {
  std::unique_ptr<InstanceRunner> old;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    auto it = runners_.find(instance_id);
    if (it != runners_.end()) {
      old = std::move(it->second);
      runners_.erase(it);
      // Replays the old runner had not begun go to the next one (asked for just before the
      // change, they must not be lost with it).
      for (auto& r : old->take_replays()) pending_replays_[instance_id].push_back(r);
    }
  }
  stop_runner(std::move(old));
  const auto r = env_.events.plugin_instance(instance_id);
  if (r && r->enabled) {
    start_runner(*r);
  } else {
    std::lock_guard lock(mu_);
    pending_replays_.erase(instance_id);  // deleted or disabled: nothing will replay them
  }
}

void Dispatcher::resume(std::int64_t instance_id) {
  std::lock_guard lock(mu_);
  if (auto it = runners_.find(instance_id); it != runners_.end()) it->second->resume();
}

void Dispatcher::replay(std::int64_t instance_id, std::optional<std::int64_t> event_id) {
  std::lock_guard lock(mu_);
  // A replay asked for after a change of the instance (its settings, say) is the next
  // runner's, even while the old one still runs: the old one would deliver it as before
  // the change.
  auto it = runners_.find(instance_id);
  if (it != runners_.end() && !reloading(instance_id)) it->second->replay(event_id);
  else pending_replays_[instance_id].push_back(event_id);  // for the next runner
}

std::optional<RunnerStatus> Dispatcher::status(std::int64_t instance_id) const {
  std::lock_guard lock(mu_);
  auto it = runners_.find(instance_id);
  if (it == runners_.end()) return std::nullopt;
  return it->second->status();
}

void Dispatcher::committed(std::span<const std::int64_t> org_ids) {
  std::lock_guard lock(mu_);
  for (auto& [id, r] : runners_)
    if (std::binary_search(org_ids.begin(), org_ids.end(), r->org_id())) r->wake();
}

// One thread for all instances: enforces the call budget.
void Dispatcher::watch() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    for (auto& [id, r] : runners_) r->check_budget(now);
    stop_cv_.wait_for(lock, options_.watchdog, [&] { return stopping_; });
  }
}

SelfTestResult Dispatcher::self_test(const storage::PluginInstanceRecord& r, const std::string& request) const {
  const PluginFile* plugin = registry_.find(r.plugin);
  if (!plugin) throw SelfTestUnavailable("plugin " + r.plugin + " is not loaded");
  return run_self_test(env_, *plugin, r, request);
}

}  // namespace relance::plugin_host
