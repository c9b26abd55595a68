// InstanceRunner: delivers the outbox to one plugin instance, on a thread of its own, so a
// slow or stuck plugin never slows the API or another instance.
//
// It reads the events of the instance's organisation after its cursor, in order, in
// batches; calls the instance's event sink for each subscribed one; and records the new
// cursor, the state the plugin wrote and any dead letter in one transaction per batch
// (relance/host/state.h). Once it has read everything, it sleeps until woken: the dispatcher
// wakes it when a commit appends events of its organisation; nothing polls the outbox. At least once: a crash before that commit redelivers the batch.
// RETRY backs off exponentially with jitter; after max_attempts, or at once on INVALID,
// the event becomes a dead letter and delivery moves on. FATAL recreates the instance.
//
// Thread safety: the public members may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugin_host/crash_marker.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "relance/event_sink.h"

namespace relance::plugin_host {

struct DeliveryOptions {
  std::chrono::milliseconds call_budget{10000};  // a call longer than this suspends the instance
  int max_attempts = 8;                          // deliveries of one event before it is dead
  std::chrono::milliseconds retry_initial{500};  // first backoff; doubles each attempt
  std::chrono::milliseconds retry_max{300000};   // backoff ceiling
  std::size_t batch = 1024;                      // events read and committed together
  std::chrono::milliseconds watchdog{50};        // how often the call budget is checked
  std::chrono::milliseconds commit_interval{250}; // progress recorded at least this often
};

// What the API shows of a running instance.
struct RunnerStatus {
  std::string state = "starting";  // starting, delivering, idle, retrying, suspended, failed, stopped
  std::string last_error;
  std::string last_error_at;
  std::uint64_t delivered = 0;     // since the daemon started
  std::uint64_t dead_lettered = 0;
};

class InstanceRunner {
 public:
  // `marker` records each plugin call (crash_marker.hpp).
  InstanceRunner(HostEnv& env, const DeliveryOptions& options, const PluginFile& plugin,
                 const storage::PluginInstanceRecord& record, std::unique_ptr<CrashMarker> marker);
  ~InstanceRunner();

  void start();
  void request_stop();
  // Waits for the thread to end; false when it is still inside a plugin call at `deadline`
  // (it is then detached and this object must be leaked).
  bool join_until(std::chrono::steady_clock::time_point deadline);

  // New events of the instance's organisation were committed (the dispatcher hears it from
  // the event log), or a replay waits: look again.
  void wake();
  // An admin resumed a suspended instance.
  void resume();
  // Deliver this dead letter again (or every dead letter when nullopt).
  void replay(std::optional<std::int64_t> event_id);
  // The replays asked for and not begun, taken away (the instance is being restarted).
  std::deque<std::optional<std::int64_t>> take_replays();
  // Called by the watchdog: suspends the instance if a call has overrun its budget.
  void check_budget(std::chrono::steady_clock::time_point now);

  // The runner before this one of the same instance, left behind inside a plugin call that
  // has not returned (Dispatcher::stop_runner): this one calls the plugin only once that
  // call has returned, so that a restart or a resume never adds a second thread stuck in,
  // or spinning in, the same plugin. Before start().
  void wait_for(const InstanceRunner* predecessor) { predecessor_ = predecessor; }
  // Whether the thread is past its last plugin call.
  bool finished() const;

  RunnerStatus status() const;
  std::int64_t id() const { return context_.id; }
  std::int64_t org_id() const { return context_.org_id; }

 private:
  enum class Settled { delivered, dead, interrupted };
  using Batch = std::vector<storage::OutboxRecord>;

  void run();
  bool create_instance();
  void destroy_instance();
  // Delivers `event` until it is delivered or dead, the first attempt's status given when
  // it was made already (in a batch).
  Settled deliver(const storage::OutboxRecord& event, std::optional<relance_status> first = std::nullopt);
  relance_status call_deliver(const storage::OutboxRecord& event, std::uint32_t attempt);
  // Delivers batch[from, to) (the events to deliver: `due`), several at a time; the index
  // after the last one handled, or nullopt when delivery was interrupted.
  std::optional<std::size_t> deliver_run(const Batch& batch, std::size_t from);
  // A status this host does not know is FATAL, and logged.
  relance_status checked(const storage::OutboxRecord& event, relance_status s);
  bool created() const { return instance_ && instance_->created(); }
  void dead_letter(const storage::OutboxRecord& event, std::int64_t attempts, const char* status,
                   std::optional<std::string> why = std::nullopt);
  bool commit(std::int64_t position);
  bool finish_commit();
  void process_replays();
  bool subscribed(std::string_view type) const;
  // Whether `event_id` is a dead letter of a crash, which delivery passes over (a replay
  // asked for by an admin delivers it).
  bool crashed_on(std::int64_t event_id);
  void load_crashed_events();
  // Sleeps up to `d`; false when asked to stop meanwhile.
  bool pause(std::chrono::milliseconds d);
  void set_state(const char* state);
  void set_error(const std::string& error);
  std::string plugin_error();
  // A plugin's reason without the settings' secrets, cut to 2000 bytes.
  std::string redacted_error(std::string_view error) const;
  // The stored settings with their secrets opened; their clear values go to context_.secrets.
  std::string open_settings(const std::string& stored);
  void suspend(const std::string& why);

  HostEnv& env_;
  const DeliveryOptions options_;
  const PluginFile& plugin_;
  InstanceContext context_;
  std::unique_ptr<HostContext> host_;
  std::vector<std::string> patterns_;
  std::unique_ptr<CrashMarker> marker_;
  const InstanceRunner* predecessor_ = nullptr;
  std::vector<std::int64_t> crashed_events_;  // after the cursor, in order (crashed_on)
  // deliver_run's, reused: the events of a run and their statuses.
  std::vector<std::size_t> run_due_;
  std::vector<relance_event> run_events_;
  std::vector<relance_status> run_statuses_;

  CallWatch watch_;  // the call in progress, for the watchdog
  std::unique_ptr<PluginInstance> instance_;

  // Delivery position: events up to `position_` are handled in memory; up to
  // `committed_` in the database.
  std::int64_t position_ = 0;
  std::int64_t committed_ = 0;
  std::vector<storage::DeadLetter> dead_;           // with the next commit
  std::vector<std::int64_t> replayed_;              // dead letters delivered by a replay
  std::optional<std::future<void>> in_flight_;      // the commit under way
  std::chrono::steady_clock::time_point last_commit_{};
  std::int64_t in_flight_position_ = 0;
  std::vector<storage::DeadLetter> committing_dead_;
  std::vector<std::int64_t> committing_replayed_;

  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};  // stop_, read without mu_ between two events
  bool woken_ = false;
  bool suspended_ = false;
  bool finished_ = false;  // the thread is past its last plugin call
  std::deque<std::optional<std::int64_t>> replays_;
  RunnerStatus status_;

  std::atomic<bool> overran_{false};
};

}  // namespace relance::plugin_host
