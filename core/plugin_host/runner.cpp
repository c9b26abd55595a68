#include "plugin_host/runner.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <random>
#include <utility>

#include "domain/json_text.hpp"
#include "plugin_host/secret_settings.hpp"
#include "relance/model/instant.hpp"

namespace relance::plugin_host {
namespace {

using Clock = std::chrono::steady_clock;

// Account events never reach plugins (docs/events.md).
bool deliverable(std::string_view type) {
  return !(type.starts_with("organisation.") || type.starts_with("user.") || type.starts_with("token."));
}

relance_str str_of(const std::string& s) { return relance_str{s.data(), s.size()}; }

// Events delivered to a child process in one frame, at most.
constexpr std::size_t frame_events = 512;

}  // namespace

InstanceRunner::InstanceRunner(HostEnv& env, const DeliveryOptions& options, const PluginFile& plugin,
                               const storage::PluginInstanceRecord& record, std::unique_ptr<CrashMarker> marker)
    : env_(env), options_(options), plugin_(plugin), marker_(std::move(marker)) {
  context_.id = record.id;
  context_.org_id = record.org_id;
  context_.name = record.name;
  context_.datasets = domain::read_text_list(record.datasets);
  patterns_ = domain::read_text_list(record.events);
  suspended_ = !record.suspended.empty();
  if (suspended_) {
    status_.state = "suspended";
    status_.last_error = record.suspended;
  }
  try {
    context_.settings = open_settings(record.settings);
  } catch (const std::exception& e) {
    // Sealed under another key (a database restored without its secrets.key): the instance
    // waits, without its settings, until an admin enters the secrets again.
    suspended_ = true;
    status_.state = "suspended";
    status_.last_error = std::string("the secret settings do not open (") + e.what() +
                         "): send them again (PATCH), or restore secrets.key";
    spdlog::error("plugin {} [{}#{}]: {}", plugin_.id, context_.name, context_.id, status_.last_error);
  }
  host_ = make_host(env_, plugin_.id, &context_);
}

InstanceRunner::~InstanceRunner() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void InstanceRunner::start() { thread_ = std::thread([this] { run(); }); }

void InstanceRunner::request_stop() {
  std::lock_guard lock(mu_);
  stop_ = true;
  stopping_.store(true);
  cv_.notify_all();
}

bool InstanceRunner::join_until(Clock::time_point deadline) {
  if (!thread_.joinable()) return true;
  // std::thread has no timed join: wait for the thread to say it is done.
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [&] { return finished_; })) {
    lock.unlock();
    thread_.detach();
    return false;
  }
  lock.unlock();
  thread_.join();
  return true;
}

void InstanceRunner::wake() {
  std::lock_guard lock(mu_);
  woken_ = true;
  cv_.notify_all();
}

void InstanceRunner::resume() {
  std::lock_guard lock(mu_);
  suspended_ = false;
  overran_.store(false);
  status_.state = "starting";
  cv_.notify_all();
}

void InstanceRunner::replay(std::optional<std::int64_t> event_id) {
  std::lock_guard lock(mu_);
  replays_.push_back(event_id);
  woken_ = true;
  cv_.notify_all();
}

std::deque<std::optional<std::int64_t>> InstanceRunner::take_replays() {
  std::lock_guard lock(mu_);
  std::deque<std::optional<std::int64_t>> out;
  out.swap(replays_);
  return out;
}

void InstanceRunner::check_budget(Clock::time_point now) {
  const std::int64_t started = watch_.started.load();
  if (started == 0 || overran_.load()) return;
  const auto elapsed = std::chrono::nanoseconds(now.time_since_epoch().count() - started);
  if (elapsed <= options_.call_budget) return;
  if (plugin_.isolation == Isolation::process) {
    // A child's call can be ended: the child is killed, the call counts as a failed attempt
    // (isolated_instance.hpp) and the next one starts a new child.
    if (!watch_.interrupted())
      spdlog::error("plugin {} [{}#{}]: a {} call ran longer than its budget of {} ms; its process is killed",
                    plugin_.id, context_.name, context_.id, watch_.step.load(), options_.call_budget.count());
    watch_.interrupt();
    return;
  }
  overran_.store(true);
  suspend("a call ran longer than its budget of " + std::to_string(options_.call_budget.count()) +
          " ms; the instance is suspended until an admin resumes it");
}

void InstanceRunner::suspend(const std::string& why) {
  spdlog::error("plugin {} [{}#{}]: {}", plugin_.id, context_.name, context_.id, why);
  {
    std::lock_guard lock(mu_);
    suspended_ = true;
    status_.state = "suspended";
    status_.last_error = why;
    status_.last_error_at = storage::now_instant();
  }
  // Recorded so that a restart does not resume it behind the admin's back.
  const std::int64_t id = context_.id;
  env_.store.write([id, why](storage::WriteTxn& tx) { tx.events().set_plugin_suspended(id, why); },
                   [](std::exception_ptr) {});
}

bool InstanceRunner::finished() const {
  std::lock_guard lock(mu_);
  return finished_;
}

RunnerStatus InstanceRunner::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void InstanceRunner::set_state(const char* state) {
  std::lock_guard lock(mu_);
  if (!suspended_) status_.state = state;  // a suspension is shown until it is lifted
}

void InstanceRunner::set_error(const std::string& error) {
  std::lock_guard lock(mu_);
  status_.last_error = error;
  status_.last_error_at = storage::now_instant();
}

std::string InstanceRunner::open_settings(const std::string& stored) {
  boost::system::error_code ec;
  auto v = boost::json::parse(stored, ec);
  if (ec || !v.is_object() || !env_.secrets) return stored;
  return boost::json::serialize(opened_settings(v.get_object(), *env_.secrets, context_.secrets));
}

// Whatever a plugin says goes to last_error, dead letters and the log: without the secrets
// of its settings (an SMTP error quoting smtp://user:password@host).
std::string InstanceRunner::plugin_error() {
  const std::string e = instance_->last_error();
  if (e.empty()) return "no reason given";
  return redacted_error(e);
}

std::string InstanceRunner::redacted_error(std::string_view error) const {
  // Redacted before it is cut short: a secret cut in two would escape.
  std::string why = redact(error, context_.secrets);
  if (why.size() > 2000) why.resize(2000);
  return why;
}

bool InstanceRunner::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [&] { return stop_; });
  return !stop_;
}

bool InstanceRunner::subscribed(std::string_view type) const {
  if (!deliverable(type)) return false;
  if (patterns_.empty()) return true;
  for (const std::string& p : patterns_) {
    if (p == "*" || p == type) return true;
    if (p.size() > 2 && p.ends_with(".*") && type.starts_with(std::string_view(p).substr(0, p.size() - 1)))
      return true;
  }
  return false;
}

void InstanceRunner::load_crashed_events() {
  crashed_events_.clear();
  for (std::int64_t after = position_;;) {
    auto page = env_.events.dead_letters(context_.id, after, 500);
    for (const auto& d : page)
      if (d.status == "crash") crashed_events_.push_back(d.event_id);
    if (page.size() < 500) break;
    after = page.back().event_id;
  }
}

bool InstanceRunner::crashed_on(std::int64_t event_id) {
  // Events come in order: the ones behind are done with.
  while (!crashed_events_.empty() && crashed_events_.front() < event_id) crashed_events_.erase(crashed_events_.begin());
  return !crashed_events_.empty() && crashed_events_.front() == event_id;
}

bool InstanceRunner::create_instance() {
  if (!instance_) instance_ = make_instance(plugin_, *host_, watch_, marker_.get());
  const CreatedInstance created = instance_->create();
  if (created.status != RELANCE_OK) {
    set_error("create_instance failed (status " + std::to_string(created.status) +
              "): " + redacted_error(created.error));
    return false;
  }
  return true;
}

void InstanceRunner::destroy_instance() {
  if (instance_) instance_->destroy();
}

relance_status InstanceRunner::checked(const storage::OutboxRecord& e, relance_status s) {
  if (known_status(s) || s == died_in_call) return s;
  spdlog::error("plugin {} [{}#{}]: deliver of event {} returned status {}, which this host does not know; "
                "treated as FATAL", plugin_.id, context_.name, context_.id, e.id, static_cast<int>(s));
  set_error("event " + std::to_string(e.id) + ": unknown status " + std::to_string(static_cast<int>(s)) +
            ", treated as FATAL");
  return RELANCE_FATAL;
}

namespace {

relance_event event_of(const storage::OutboxRecord& e, std::uint32_t attempt) {
  relance_event ev{};
  ev.struct_size = sizeof(relance_event);
  ev.attempt = attempt;
  ev.id = e.id;
  ev.org_id = e.org_id;
  ev.entity_id = e.entity_id;
  ev.type = str_of(e.type);
  ev.entity = str_of(e.entity);
  ev.occurred_at = str_of(e.at);
  ev.document = str_of(e.payload);
  return ev;
}

}  // namespace

relance_status InstanceRunner::call_deliver(const storage::OutboxRecord& e, std::uint32_t attempt) {
  const relance_event ev = event_of(e, attempt);
  std::vector<relance_status> statuses;  // not run_statuses_: a retry inside deliver_run's loop
  context_.call_writes.clear();
  context_.suspension.clear();
  context_.in_delivery = true;
  instance_->deliver(std::span(&ev, 1), statuses, [] {});
  context_.in_delivery = false;
  return checked(e, statuses.empty() ? RELANCE_FATAL : statuses.back());
}

std::optional<std::size_t> InstanceRunner::deliver_run(const Batch& batch, std::size_t from) {
  // The events to deliver from `from` on, up to a frame's worth; the others are passed over.
  if (!instance_->has_event_sink()) {  // an instance without an event sink ignores events
    position_ = batch.back().id;
    return batch.size();
  }
  // In process, one event a call: nothing to save, and a suspension stops at once.
  const std::size_t most = plugin_.isolation == Isolation::process ? frame_events : 1;
  // Members reused from run to run: in process, a run is one event.
  std::vector<std::size_t>& due = run_due_;
  std::vector<relance_event>& events = run_events_;
  std::vector<relance_status>& statuses = run_statuses_;
  due.clear();
  events.clear();
  statuses.clear();
  std::size_t to = from;
  for (; to < batch.size() && due.size() < most; ++to) {
    if (!subscribed(batch[to].type) || crashed_on(batch[to].id)) continue;
    due.push_back(to);
    events.push_back(event_of(batch[to], 1));
  }
  if (!events.empty()) {
    context_.call_writes.clear();
    context_.suspension.clear();
    context_.in_delivery = true;
    // Between two events of the batch, the one before was delivered: its writes are kept.
    instance_->deliver(events, statuses, [this] { merge_writes(context_.batch_writes, context_.call_writes); });
    context_.in_delivery = false;
  }
  std::size_t d = 0;
  for (std::size_t i = from; i < to; ++i) {
    const storage::OutboxRecord& e = batch[i];
    if (d < due.size() && due[d] == i) {
      if (d >= statuses.size()) return i;  // not reached: delivered from here in the next run
      const relance_status s = checked(e, statuses[d]);
      ++d;
      // relance.host.suspend/1 in the run's last call (an isolated batch stops there): the
      // event is not delivered, whatever it returned; deliver() suspends the instance.
      const bool suspending = d == statuses.size() && !context_.suspension.empty();
      if ((s == RELANCE_OK || s == RELANCE_UNSUPPORTED) && !suspending) {
        if (d == statuses.size()) merge_writes(context_.batch_writes, context_.call_writes);
        std::lock_guard lock(mu_);
        ++status_.delivered;
      } else if (deliver(e, s) == Settled::interrupted) {
        return std::nullopt;
      }
    }
    position_ = e.id;
    if (overran_.load()) return i + 1;
  }
  return to;
}

void InstanceRunner::dead_letter(const storage::OutboxRecord& e, std::int64_t attempts, const char* status,
                                 std::optional<std::string> given) {
  std::string why;
  if (given) {
    why = std::move(*given);
  } else if (created()) {
    why = plugin_error();
  } else {
    std::lock_guard lock(mu_);
    why = status_.last_error;  // why the instance could not be created
  }
  spdlog::warn("plugin {} [{}#{}]: event {} ({}) dead-lettered after {} attempt(s): {}", plugin_.id,
               context_.name, context_.id, e.id, e.type, attempts, why);
  dead_.push_back(storage::DeadLetter{context_.id, e.id, storage::now_instant(), attempts, status, why});
  std::lock_guard lock(mu_);
  ++status_.dead_lettered;
}

InstanceRunner::Settled InstanceRunner::deliver(const storage::OutboxRecord& e, std::optional<relance_status> first) {
  for (std::uint32_t attempt = 1;; ++attempt) {
    if (!created() && !create_instance()) {
      if (static_cast<int>(attempt) >= options_.max_attempts) {
        dead_letter(e, attempt, "fatal");
        return Settled::dead;
      }
    } else if (!instance_->has_event_sink()) {
      return Settled::delivered;  // an instance without an event sink ignores events
    } else {
      const relance_status s = attempt == 1 && first ? *first : call_deliver(e, attempt);
      if (!context_.suspension.empty()) {
        // relance.host.suspend/1: the event waits, not delivered, for an admin's resume.
        context_.call_writes.clear();
        suspend(redacted_error(std::exchange(context_.suspension, std::string())));
        return Settled::interrupted;
      }
      if (overran_.load()) {
        // The call came back after the watchdog suspended the instance. Keep a success,
        // so that it is not delivered twice; anything else is delivered after resume.
        if (s == RELANCE_OK || s == RELANCE_UNSUPPORTED) {
          merge_writes(context_.batch_writes, context_.call_writes);
          return Settled::delivered;
        }
        context_.call_writes.clear();
        return Settled::interrupted;
      }
      if (s == RELANCE_OK || s == RELANCE_UNSUPPORTED) {
        merge_writes(context_.batch_writes, context_.call_writes);
        std::lock_guard lock(mu_);
        ++status_.delivered;
        return Settled::delivered;
      }
      context_.call_writes.clear();
      if (s == died_in_call) {
        // The plugin's process died in this event (a crash, memory, its budget): a new one
        // is started for the next attempt; "crash" is the dead letter's reason, as for a
        // plugin that took the daemon down.
        const std::string why = redacted_error(instance_->death());
        set_error("event " + std::to_string(e.id) + ": " + why);
        if (static_cast<int>(attempt) >= options_.max_attempts) {
          dead_letter(e, attempt, "crash", why);
          return Settled::dead;
        }
      } else {
        const std::string why = plugin_error();
        set_error("event " + std::to_string(e.id) + ": " +
                  (s == RELANCE_INVALID ? "INVALID" : s == RELANCE_FATAL ? "FATAL" : "RETRY") + ": " + why);
        if (s == RELANCE_INVALID) {
          dead_letter(e, attempt, "invalid");
          return Settled::dead;
        }
        if (static_cast<int>(attempt) >= options_.max_attempts) {
          dead_letter(e, attempt, s == RELANCE_FATAL ? "fatal" : "retry");
          return Settled::dead;
        }
        if (s == RELANCE_FATAL) destroy_instance();  // recreated on the next attempt
      }
    }
    // Before waiting, make the progress so far durable: a long backoff must not hold it.
    if (!commit(position_) || !finish_commit()) return Settled::interrupted;
    set_state("retrying");
    auto delay = options_.retry_initial * (1LL << std::min<std::uint32_t>(attempt - 1, 20));
    if (delay > options_.retry_max) delay = options_.retry_max;
    // Equal jitter: half fixed, half random, so that instances failing together spread out.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const auto half = delay.count() / 2;
    const auto wait = std::chrono::milliseconds(
        half + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(half + 1)));
    if (!pause(wait)) return Settled::interrupted;
  }
}

// Starts committing everything up to `position`, after the previous commit ended.
// False when that previous commit failed: delivery then goes back to the last committed
// position (those events are delivered again: at least once).
bool InstanceRunner::commit(std::int64_t position) {
  last_commit_ = Clock::now();
  if (!finish_commit()) return false;
  if (position == committed_ && context_.batch_writes.empty() && dead_.empty() && replayed_.empty())
    return true;
  context_.committing_writes = std::move(context_.batch_writes);
  context_.batch_writes.clear();
  committing_dead_ = std::move(dead_);
  dead_.clear();
  committing_replayed_ = std::move(replayed_);
  replayed_.clear();
  in_flight_position_ = position;
  auto done = std::make_shared<std::promise<void>>();
  in_flight_ = done->get_future();
  const std::int64_t id = context_.id;
  // The job reads the committing_* members: the runner leaves them alone until
  // finish_commit() has seen the job end.
  env_.store.write(
      [this, id, position](storage::WriteTxn& txn) {
        storage::EventLogWrites& tx = txn.events();
        tx.set_plugin_cursor(id, position);
        for (const auto& [k, v] : context_.committing_writes) tx.put_plugin_state(id, k, v ? &*v : nullptr);
        for (const auto& d : committing_dead_) tx.put_dead_letter(d);
        for (std::int64_t event_id : committing_replayed_) tx.remove_dead_letter(id, event_id);
      },
      [done](std::exception_ptr err) {
        if (err) done->set_exception(err);
        else done->set_value();
      });
  return true;
}

bool InstanceRunner::finish_commit() {
  if (!in_flight_) return true;
  bool ok = true;
  try {
    in_flight_->get();
    committed_ = in_flight_position_;
  } catch (const std::exception& e) {
    ok = false;
    set_error(std::string("recording deliveries failed: ") + e.what());
    spdlog::error("plugin {} [{}#{}]: recording deliveries failed ({}); redelivering from event {}",
                  plugin_.id, context_.name, context_.id, e.what(), committed_);
    // Forget what was not recorded; it is delivered again.
    position_ = committed_;
    context_.batch_writes.clear();
    dead_.clear();
    replayed_.clear();
  }
  in_flight_.reset();
  context_.committing_writes.clear();
  committing_dead_.clear();
  committing_replayed_.clear();
  return ok;
}

void InstanceRunner::process_replays() {
  std::deque<std::optional<std::int64_t>> todo;
  {
    std::lock_guard lock(mu_);
    todo.swap(replays_);
  }
  std::vector<std::int64_t> ids;
  for (const auto& r : todo) {
    if (r) {
      ids.push_back(*r);
      continue;
    }
    for (std::int64_t after = 0;;) {
      auto page = env_.events.dead_letters(context_.id, after, 500);
      for (const auto& d : page) ids.push_back(d.event_id);
      if (page.size() < 500) break;
      after = page.back().event_id;
    }
  }
  for (std::int64_t id : ids) {
    auto event = env_.events.outbox_event(id);
    if (!event) {
      replayed_.push_back(id);  // the event is gone: nothing to deliver
      continue;
    }
    const Settled s = deliver(*event);
    if (s == Settled::interrupted) return;
    if (s == Settled::delivered) replayed_.push_back(id);
    // Settled::dead: the dead letter is rewritten with the new attempts and error.
  }
  commit(position_);
}

void InstanceRunner::run() {
  spdlog::info("plugin {} [{}#{}]: delivering the events of organisation {}", plugin_.id,
               context_.name, context_.id, context_.org_id);
  std::vector<storage::OutboxRecord> batch;
  batch.reserve(options_.batch);
  bool positioned = false;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (stop_) break;
      if (suspended_) {
        cv_.wait(lock, [&] { return stop_ || !suspended_; });
        continue;
      }
    }
    if (predecessor_) {
      if (!predecessor_->finished()) {
        set_error("a call of this instance's previous run has not returned (past its budget); delivery starts when "
                  "it does");
        set_state("waiting");
        if (!pause(options_.watchdog * 2)) break;
        continue;
      }
      predecessor_ = nullptr;
      set_state("starting");
    }
    try {
      if (!positioned) {
        position_ = committed_ = env_.events.delivery_position(context_.id, context_.org_id, 1).cursor;
        load_crashed_events();
        positioned = true;
      }
      if (!created() && !create_instance()) {
        set_state("failed");
        if (!pause(options_.retry_initial * 4)) break;
        continue;
      }
      bool replays = false;
      {
        std::lock_guard lock(mu_);
        replays = !replays_.empty();
      }
      if (replays) process_replays();
      batch.clear();
      env_.events.read_outbox(context_.org_id, position_, options_.batch, batch);
      if (batch.empty()) {
        if (!commit(position_) || !finish_commit()) continue;
        set_state("idle");
        // A commit after the read above has set woken_ already: no event waits unseen.
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || woken_; });
        woken_ = false;
        continue;
      }
      set_state("delivering");
      for (std::size_t i = 0; i < batch.size();) {
        // Asked to stop (a restart): the rest of the batch is the next runner's.
        if (stopping_.load(std::memory_order_relaxed)) break;
        // The instance failed to be made again after a FATAL: one event at a time, each
        // counting its attempts to make it.
        if (!created()) {
          const storage::OutboxRecord& e = batch[i];
          if (subscribed(e.type) && !crashed_on(e.id) && deliver(e) == Settled::interrupted) break;
          position_ = e.id;
          ++i;
        } else if (const auto next = deliver_run(batch, i)) {
          i = *next;
        } else {
          break;
        }
        if (overran_.load()) break;  // suspended: record what was delivered, then wait
        // A slow sink (an email a call) records its progress as it goes, not per batch of
        // a thousand: after a crash, only the last moments are delivered again.
        if (Clock::now() - last_commit_ >= options_.commit_interval && !commit(position_)) break;
      }
      commit(position_);
    } catch (const std::exception& e) {
      set_error(std::string("delivery failed: ") + e.what());
      spdlog::error("plugin {} [{}#{}]: delivery failed: {}", plugin_.id, context_.name, context_.id, e.what());
      if (!pause(options_.retry_initial * 4)) break;
    }
  }
  try {
    commit(position_);
    finish_commit();
  } catch (const std::exception& e) {
    spdlog::error("plugin {} [{}#{}]: last commit failed: {}", plugin_.id, context_.name, context_.id, e.what());
  }
  destroy_instance();
  // An isolated instance's process is stopped from this thread: it is bound to the thread
  // that started it (child_process.hpp), which ends now.
  instance_.reset();
  std::lock_guard lock(mu_);
  status_.state = "stopped";
  finished_ = true;
  cv_.notify_all();
}

}  // namespace relance::plugin_host
