#include "exports/export_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "domain/problem.hpp"
#include "domain/time.hpp"
#include "exports/reference_names.hpp"
#include "plugin_host/datasets.hpp"
#include "services/contact_zones.hpp"

namespace relance::exports {
namespace json = boost::json;
using plugin_host::ExporterFormat;
using plugin_host::ExporterRefused;
using plugin_host::ExporterSession;

struct ExportService::Plan {
  const ExporterFormat* format = nullptr;
  std::vector<const storage::Entity*> datasets;
  std::vector<storage::ListQuery> rows;  // aligned with datasets: scope and filters
  plugin_host::ExportSettings settings;
};

namespace {

// Rows are written a batch at a time, with one read of the names they refer to per batch
// (reference_names.hpp).
constexpr std::size_t batch_size = 256;

// Thrown on the export's thread when a plugin call came back after the watchdog ended the
// export: nothing more is written or said.
struct Overran {};

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// One export, run on the service's threads a step at a time: it writes rows until the
// body's window is full, then parks (BodyStream::pause) and gives its thread back until
// the client has read them. Each step writes what is left of the last batch read, then
// reads on from its last row, in id order, on a snapshot of its own: a client that reads
// slowly holds neither a thread nor a snapshot, only up to a batch of rows.
class ExportJob : public std::enable_shared_from_this<ExportJob> {
 public:
  ExportJob(plugin_host::HostEnv& env, services::RecordService& records, services::WorkPool& pool,
            auth::Principal p, std::shared_ptr<const ExportService::Plan> plan, ExportService::Started started)
      : env_(env), records_(records), pool_(pool), p_(std::move(p)), plan_(std::move(plan)),
        started_(std::move(started)), body_(std::make_shared<services::BodyStream>()) {
    for (const auto* e : plan_->datasets) names_.emplace_back(e->name);
  }

  void step() {
    try {
      if (!session_) open();
      for (; dataset_ < plan_->datasets.size(); next_dataset()) {
        if (!zones_) begin_dataset();
        if (!send_rows()) return;  // parked until the client reads
      }
      session_->finish();
      std::lock_guard lock(mu_);
      if (!overran_) body_->finish();
    } catch (const Overran&) {
      // Ended by the watchdog, which told the client.
    } catch (const ExporterRefused& e) {
      fail(std::string(announced_ ? " export failed (" : " export refused (") + e.step() + "): " + e.what(),
           e.kind(), named_option(e.what()));
    } catch (...) {
      fail({});
    }
  }

  // Before the first byte the caller hears why (a refusal by the plugin, or the error in
  // flight); after it, the stream is cut and the reason logged.
  // The watchdog: ends the export when a plugin call has run past `budget_ns`. Returns
  // whether a call of it is still running past its budget (the format stays suspended).
  bool check_budget(std::int64_t now_ns, std::int64_t budget_ns) {
    const std::int64_t started = watch_.started.load();
    if (overran_) return started != 0;
    if (started == 0 || now_ns - started <= budget_ns) return false;
    // An isolated exporter's call is ended with its process; one in the daemon runs on.
    const bool ended = watch_.interrupt();
    const std::string why = plan_->format->id + " export failed: its " + watch_.step.load() +
                            " call ran longer than its budget of " + std::to_string(budget_ns / 1000000) +
                            (ended ? " ms; its process was stopped"
                                   : " ms; the format is suspended until that call returns");
    spdlog::error("export {} for user {}: {}", plan_->format->id, p_.user_id, why);
    std::lock_guard lock(mu_);
    overran_ = true;
    if (!announced_)
      started_(std::make_exception_ptr(ExportRefused(why, ExportRefused::Kind::retry)), ExportStarted{});
    else
      body_->fail(why);
    return true;
  }
  const std::string& format_id() const { return plan_->format->id; }

 private:
  void fail(const std::string& refusal, ExportRefused::Kind kind = ExportRefused::Kind::fatal,
            std::string option = {}) {
    std::lock_guard lock(mu_);
    if (overran_) return;  // the watchdog told the client
    const std::string format = plan_->format->id;
    if (!announced_) {
      if (!refusal.empty())
        return started_(std::make_exception_ptr(ExportRefused(format + refusal, kind, std::move(option))),
                        ExportStarted{});
      return started_(std::current_exception(), ExportStarted{});
    }
    std::string why = format + refusal;
    if (refusal.empty()) {
      why = "export failed";
      try {
        throw;
      } catch (const std::exception& e) {
        why = e.what();
      } catch (...) {
      }
    }
    spdlog::warn("export {} for user {}: {}", format, p_.user_id, why);
    body_->fail(why);
  }

  // Whether the plugin takes every dataset of the export, asked of an instance of its own
  // that writes nowhere: the real one is only asked for a dataset once the rows of the one
  // before are written, long after the first byte, and a refusal then could only cut the
  // file (vcard or ics asked for several datasets).
  void check_datasets() const {
    ExporterSession probe(env_, *plan_->format, p_.org_id, names_);
    probe.open(plan_->settings, [](std::string_view) { return true; });
    std::deque<ReferenceNames> names;  // the columns' names point into them
    for (std::size_t d = 0; d < plan_->datasets.size(); ++d) {
      names.emplace_back(env_.store, records_, p_, *plan_->datasets[d]);
      probe.begin_dataset(*plan_->datasets[d], extra_columns(d, names.back()));
    }
    probe.abandon();
  }

  void open() {
    if (plan_->datasets.size() > 1) check_datasets();
    session_.emplace(env_, *plan_->format, p_.org_id, names_, &watch_);
    session_->open(plan_->settings, [this](std::string_view bytes) { return !overran_ && body_->write(bytes); });
  }

  void begin_dataset() {
    references_.emplace(env_.store, records_, p_, *plan_->datasets[dataset_]);
    session_->begin_dataset(*plan_->datasets[dataset_], extra_columns(dataset_, *references_));
    zones_.emplace(env_.store, records_.read_scope(p_, storage::entities::contacts));
    if (!announced_) announce();  // everything that could be refused was: the file starts
  }

  void announce() {
    std::lock_guard lock(mu_);
    if (overran_) throw Overran{};
    announced_ = true;
    std::string filename;
    for (const auto& n : names_) filename += (filename.empty() ? "" : "-") + n;
    filename += "-" + domain::now_instant().substr(0, 10) + "." + plan_->format->extension;
    std::string type = plan_->format->mime_type;
    if (type.starts_with("text/") && type.find("charset") == std::string::npos) type += "; charset=utf-8";
    started_(nullptr, ExportStarted{type, filename, body_});
  }

  // Writes the rows after the last one sent; false when the window filled and the job
  // parked, to go on from there when resumed.
  bool send_rows() {
    const storage::Entity& e = *plan_->datasets[dataset_];
    storage::ListQuery q = plan_->rows[dataset_];
    for (;;) {
      bool full = written_ < batched_ && write_batch();  // the rest of a batch, first
      if (!full) {
        q.after_id = after_id_;
        env_.store.scan(e, q, [&](storage::Row& row) {
          // Swapped, not copied: the scan reads on into a row of an earlier batch, whose
          // strings keep their capacity.
          if (batched_ == batch_.size()) batch_.emplace_back();
          std::swap(batch_[batched_++], row);
          after_id_ = batch_[batched_ - 1].id;
          if (batched_ < batch_size) return true;
          full = write_batch();
          return !full;
        });
        if (!full && batched_ > 0) full = write_batch();
      }
      if (!full) return true;  // the dataset is written
      // Parked, unless the client read meanwhile: then on with the next rows.
      if (body_->pause([self = shared_from_this()] { self->pool_.post([self] { self->step(); }); })) return false;
    }
  }

  // Writes the batch's rows not written yet, with their names (read once per batch); true
  // when the window filled first: the rest waits in the batch, since a write into a full
  // window would hold the thread until the client reads.
  bool write_batch() {
    const storage::Entity& e = *plan_->datasets[dataset_];
    if (written_ == 0) references_->look_up(std::span<const storage::Row>(batch_.data(), batched_));
    const bool followups = is_followups(dataset_);
    while (written_ < batched_) {
      if (overran_) throw Overran{};
      const storage::Row& row = batch_[written_++];
      references_->names_of(row, extra_);
      if (followups) extra_.push_back(zones_->of(row));
      session_->write_row(row, records_.redacts(p_, e, row), extra_);
      if (body_->full()) break;
    }
    if (written_ == batched_) batched_ = written_ = 0;
    return body_->full();
  }

  void next_dataset() {
    zones_.reset();
    references_.reset();
    after_id_.reset();
    ++dataset_;
  }

  // The format's option a refusal names (the plugin's reason is free text): the longest
  // name found in it, "" when none is.
  std::string named_option(std::string_view reason) const {
    std::string found;
    for (const auto& o : plan_->format->options)
      if (o.name.size() > found.size() && reason.find(o.name) != std::string_view::npos) found = o.name;
    return found;
  }

  bool is_followups(std::size_t d) const { return plan_->datasets[d] == &storage::entities::followups; }
  // The names beside the ids; follow-ups carry their contact's time zone too, at the end.
  std::vector<plugin_host::ExtraColumn> extra_columns(std::size_t d, const ReferenceNames& names) const {
    std::vector<plugin_host::ExtraColumn> extra = names.columns();
    if (is_followups(d)) extra.push_back({"contact_time_zone"});
    return extra;
  }

  plugin_host::HostEnv& env_;
  services::RecordService& records_;
  services::WorkPool& pool_;
  const auth::Principal p_;
  const std::shared_ptr<const ExportService::Plan> plan_;
  const ExportService::Started started_;
  const std::shared_ptr<services::BodyStream> body_;
  std::vector<std::string> names_;
  plugin_host::CallWatch watch_;  // the session's plugin call in progress
  std::optional<ExporterSession> session_;
  // announced_ and overran_ decide who speaks to the client, under mu_: the export's thread,
  // or the watchdog when a call overruns (then the export's thread says nothing more).
  std::mutex mu_;
  bool announced_ = false;
  std::atomic<bool> overran_{false};
  // Where the export is: the dataset being written (begun once its zones are set) and the
  // last row read.
  std::size_t dataset_ = 0;
  std::optional<services::ContactZones> zones_;
  std::optional<ReferenceNames> references_;
  std::optional<std::int64_t> after_id_;
  // The rows last read (the first `batched_`; the id of the last is after_id_), of which
  // the first `written_` are written; and a row's joined values.
  std::vector<storage::Row> batch_;
  std::size_t batched_ = 0;
  std::size_t written_ = 0;
  std::vector<const std::string*> extra_;
};

ExportService::ExportService(plugin_host::HostEnv& env, services::RecordService& records,
                             const plugin_host::PluginRegistry& registry, std::size_t threads,
                             std::chrono::milliseconds call_budget)
    : env_(env), records_(records), formats_(plugin_host::exporter_formats(env, registry)),
      pool_(std::max<std::size_t>(1, threads)), call_budget_(call_budget), watchdog_([this] { watch(); }) {}

ExportService::~ExportService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  watchdog_.join();
}

// One thread for all exports: ends an export whose plugin call overruns the budget, and
// keeps its format suspended while that call runs (a new export would only add a thread
// stuck in the same plugin).
void ExportService::watch() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const std::int64_t now = steady_ns();
    std::set<std::string> stuck;
    std::erase_if(jobs_, [](const std::weak_ptr<ExportJob>& j) { return j.expired(); });
    for (const auto& weak : jobs_)
      if (auto job = weak.lock(); job && job->check_budget(now, std::chrono::nanoseconds(call_budget_).count()))
        stuck.insert(job->format_id());
    for (const auto& f : suspended_)
      if (!stuck.count(f)) spdlog::info("export format {}: the overrunning call returned; exports resume", f);
    suspended_ = std::move(stuck);
    stop_cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping_; });
  }
}

const ExporterFormat& ExportService::format(const std::string& id) const {
  std::string known;
  for (const ExporterFormat& f : formats_) {
    if (f.id == id) return f;
    known += (known.empty() ? "" : ", ") + f.id;
  }
  throw Problem(Problem::Kind::not_found, "Not found",
                "no export format " + id + " (available: " + (known.empty() ? "none" : known) + ")");
}

json::object ExportService::formats() const {
  json::array items;
  for (const ExporterFormat& f : formats_) {
    json::array options;
    for (const auto& o : f.options) {
      json::array choices;
      for (const auto& c : o.choices) choices.emplace_back(c);
      options.push_back(json::object{{"name", o.name}, {"description", o.description},
                                     {"default", o.default_value.empty() ? json::value(nullptr) : json::value(o.default_value)},
                                     {"choices", o.choices.empty() ? json::value(nullptr) : json::value(choices)}});
    }
    items.push_back(json::object{{"format", f.id}, {"extension", f.extension}, {"mime_type", f.mime_type},
                                 {"plugin", f.plugin_id}, {"options", std::move(options)}});
  }
  json::array datasets;
  const std::string names = plugin_host::dataset_names();
  for (std::size_t at = 0; at < names.size();) {
    const auto end = std::min(names.find(", ", at), names.size());
    datasets.emplace_back(names.substr(at, end - at));
    at = end + 2;
  }
  return json::object{{"items", std::move(items)}, {"datasets", std::move(datasets)}};
}

std::shared_ptr<ExportService::Plan> ExportService::plan(const auth::Principal& p, const ExportRequest& r) const {
  auto plan = std::make_shared<Plan>();
  plan->format = &format(r.format);
  plan->datasets = checked_datasets(r, *plan->format);
  for (const storage::Entity* e : plan->datasets) {
    if (e->sharing == storage::Sharing::always && (p.is_staff() || p.is_admin())) {
      std::vector<std::string_view> filtered;
      for (const auto& f : r.rows.filters) filtered.push_back(f.field);
      services::refuse_personal_conditions(*e, filtered);
    }
    storage::ListQuery q = r.rows;
    q.scope = records_.read_scope(p, *e);
    q.sort = "id";
    q.descending = false;
    q.after_sort.reset();
    q.after_id.reset();
    q.limit = 0;  // every row, read as they stream out
    plan->rows.push_back(std::move(q));
  }
  // The caller's own locale and time zone, unless the request says otherwise.
  plugin_host::ExportSettings& s = plan->settings;
  if (auto user = env_.store.get(storage::entities::users, storage::Scope::everything(), p.user_id)) {
    if (const std::string* l = user->text(storage::entities::users, "locale")) s.locale = *l;
    if (const std::string* z = user->text(storage::entities::users, "time_zone")) s.time_zone = *z;
  }
  if (r.locale) s.locale = *r.locale;
  json::object options;
  for (const auto& [name, value] : r.options) options[name] = value;
  s.options = json::serialize(options);
  s.datasets = plan->datasets.size();
  return plan;
}

void ExportService::start(const auth::Principal& p, const ExportRequest& request, Started started) {
  auto job = std::make_shared<ExportJob>(env_, records_, pool_, p, plan(p, request), std::move(started));
  {
    std::lock_guard lock(mu_);
    if (suspended_.count(request.format))
      throw Problem(Problem::Kind::unavailable, "Exporter suspended",
                    request.format + " is suspended: a call of its plugin ran longer than its budget of " +
                        std::to_string(call_budget_.count()) + " ms and has not returned; try again later")
          .with_retry_after(10);
    jobs_.push_back(job);
  }
  pool_.post([job] { job->step(); });
}

}  // namespace relance::exports
