#include "exports/export_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include <chrono>
#include <optional>
#include <set>

#include "domain/problem.hpp"
#include "domain/time.hpp"
#include "followups/contact_zones.hpp"
#include "plugin_host/rows.hpp"
#include "relance/exporter.h"

namespace relance::exports {
namespace json = boost::json;
using plugin_host::DatasetView;
using plugin_host::dataset_entity;
using plugin_host::dataset_names;
using plugin_host::HostContext;
using plugin_host::InstanceContext;
using plugin_host::PluginFile;

struct ExportService::Format {
  struct Option {
    std::string name, description, default_value;
    std::vector<std::string> choices;  // empty: free text
  };
  const PluginFile* plugin = nullptr;
  std::string id, extension, mime_type;
  std::vector<Option> options;
};

namespace {

std::string c_text(const char* s) { return s ? std::string(s) : std::string(); }

std::vector<std::string> split(const std::string& s, char by) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= s.size()) {
    const auto end = std::min(s.find(by, at), s.size());
    out.push_back(s.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

std::string plugin_error(const PluginFile& p, relance_instance* i) {
  const relance_str e = p.entry.last_error(i);
  return e.data && e.size ? std::string(e.data, std::min<std::size_t>(e.size, 2000)) : "no reason given";
}

// An instance of an exporter plugin for one export, destroyed with it.
class ExportInstance {
 public:
  ExportInstance(HostEnv& env, const PluginFile& plugin, std::int64_t org_id, std::vector<std::string> datasets)
      : plugin_(plugin) {
    context_.org_id = org_id;
    context_.name = "export";
    context_.datasets = std::move(datasets);
    host_ = make_host(env, plugin.id, &context_);
    if (plugin_.entry.create_instance(&host_->raw, &instance_) != RELANCE_OK || !instance_)
      throw Problem(503, "Service unavailable", "the " + plugin.id + " plugin could not start: " + plugin_error(plugin, nullptr));
    auto* t = static_cast<const relance_exporter_v1*>(plugin_.entry.get_interface(instance_, RELANCE_EXPORTER_V1));
    if (t && t->struct_size >= sizeof(relance_exporter_v1)) exporter_ = t;
  }
  ~ExportInstance() {
    if (instance_) plugin_.entry.destroy_instance(instance_);
  }
  ExportInstance(const ExportInstance&) = delete;
  ExportInstance& operator=(const ExportInstance&) = delete;

  const relance_exporter_v1* exporter() const { return exporter_; }
  relance_instance* raw() const { return instance_; }
  std::string error() const { return plugin_error(plugin_, instance_); }

 private:
  const PluginFile& plugin_;
  InstanceContext context_;
  std::unique_ptr<HostContext> host_;
  relance_instance* instance_ = nullptr;
  const relance_exporter_v1* exporter_ = nullptr;
};

relance_status write_to_body(void* context, const void* data, size_t size) {
  auto* body = static_cast<services::BodyStream*>(context);
  return body->write(std::string_view(static_cast<const char*>(data), size)) ? RELANCE_OK : RELANCE_FATAL;
}

// What one export was asked for, checked.
struct Request {
  const ExportService::Format* format = nullptr;
  std::vector<const storage::Entity*> datasets;
  std::vector<storage::ListQuery> lists;  // aligned with datasets
  std::string options = "{}";
  std::string locale = "en";
  std::string time_zone = "UTC";
};

relance_status discard(void*, const void*, size_t) { return RELANCE_OK; }

// One export, run on the service's threads a step at a time: it writes rows until the
// body's window is full, then parks (BodyStream::pause) and gives its thread back until
// the client has read them. Each step reads on from the last row sent, in id order, on a
// snapshot of its own: a client that reads slowly holds neither a thread nor a snapshot.
class ExportJob : public std::enable_shared_from_this<ExportJob> {
 public:
  ExportJob(HostEnv& env, services::RecordService& records, services::WorkPool& pool, auth::Principal p,
            std::shared_ptr<Request> r, ExportService::Started started)
      : env_(env), records_(records), pool_(pool), p_(std::move(p)), r_(std::move(r)),
        started_(std::move(started)), body_(std::make_shared<services::BodyStream>()) {
    for (const auto* e : r_->datasets) names_.emplace_back(e->name);
  }

  void step() {
    try {
      if (!instance_) open();
      for (; dataset_ < r_->datasets.size(); next_dataset()) {
        if (!view_) begin_dataset();
        if (!send_rows()) return;  // parked until the client reads
      }
      if (x_->finish(instance_->raw(), 1) != RELANCE_OK) {
        const std::string why = instance_->error();
        throw std::runtime_error(r_->format->id + " export failed (finish): " + why);
      }
      body_->finish();
    } catch (...) {
      if (!announced_) return started_(std::current_exception(), ExportStarted{});
      std::string why = "export failed";
      try {
        throw;
      } catch (const std::exception& e) {
        why = e.what();
      } catch (...) {
      }
      spdlog::warn("export {} for user {}: {}", r_->format->id, p_.user_id, why);
      body_->fail(why);
    }
  }

 private:
  relance_export_request request(const relance_byte_sink& sink) const {
    return {sizeof(relance_export_request), relance_str{r_->options.data(), r_->options.size()},
            relance_str{r_->locale.data(), r_->locale.size()}, relance_str{r_->time_zone.data(), r_->time_zone.size()},
            &sink, r_->datasets.size()};
  }

  const relance_exporter_v1& exporter_of(const ExportInstance& instance) const {
    if (!instance.exporter())
      throw Problem(503, "Service unavailable", "the " + r_->format->plugin->id + " plugin offers no exporter");
    return *instance.exporter();
  }

  // Ends the export on a refusal by the plugin: a 400 before the first byte, a cut after.
  [[noreturn]] void refuse(const ExportInstance& instance, const relance_exporter_v1& x, const char* step) const {
    const std::string why = instance.error();
    x.finish(instance.raw(), 0);
    if (!announced_) throw Problem::bad_request(r_->format->id + " export refused (" + step + "): " + why);
    throw std::runtime_error(r_->format->id + " export failed (" + step + "): " + why);
  }

  // Whether the plugin takes every dataset of the export, asked of an instance of its own
  // that writes nowhere: the real one is only asked for a dataset once the rows of the one
  // before are written, long after the first byte, and a refusal then could only cut the
  // file (vcard or ics asked for several datasets).
  void check_datasets() const {
    ExportInstance probe(env_, *r_->format->plugin, p_.org_id, names_);
    const relance_exporter_v1& x = exporter_of(probe);
    const relance_byte_sink nowhere{nullptr, &discard};
    const relance_export_request req = request(nowhere);
    if (x.open(probe.raw(), &req) != RELANCE_OK) refuse(probe, x, "open");
    for (std::size_t d = 0; d < r_->datasets.size(); ++d) {
      DatasetView view(*r_->datasets[d], extra_columns(d));
      if (x.begin_dataset(probe.raw(), &view.dataset()) != RELANCE_OK) refuse(probe, x, "begin_dataset");
    }
    x.finish(probe.raw(), 0);
  }

  void open() {
    if (r_->datasets.size() > 1) check_datasets();
    instance_.emplace(env_, *r_->format->plugin, p_.org_id, names_);
    x_ = &exporter_of(*instance_);
    sink_ = {body_.get(), &write_to_body};
    const relance_export_request req = request(sink_);
    if (x_->open(instance_->raw(), &req) != RELANCE_OK) refuse(*instance_, *x_, "open");
  }

  void begin_dataset() {
    const storage::Entity& e = *r_->datasets[dataset_];
    view_.emplace(e, extra_columns(dataset_));
    if (x_->begin_dataset(instance_->raw(), &view_->dataset()) != RELANCE_OK) refuse(*instance_, *x_, "begin_dataset");
    zones_.emplace(env_.store, records_.read_scope(p_, storage::entities::contacts));
    if (!announced_) {  // everything that could be refused was: the file starts
      announced_ = true;
      std::string filename;
      for (const auto& n : names_) filename += (filename.empty() ? "" : "-") + n;
      filename += "-" + domain::now_instant().substr(0, 10) + "." + r_->format->extension;
      std::string type = r_->format->mime_type;
      if (type.starts_with("text/") && type.find("charset") == std::string::npos) type += "; charset=utf-8";
      started_(nullptr, ExportStarted{type, filename, body_});
    }
  }

  // Writes the rows after the last one sent; false when the window filled and the job
  // parked, to go on from there when resumed.
  bool send_rows() {
    const storage::Entity& e = *r_->datasets[dataset_];
    storage::ListQuery q = r_->lists[dataset_];
    q.sort = "id";
    q.descending = false;
    q.limit = 0;  // every row, read as they stream out
    const bool followups = is_followups(dataset_);
    std::vector<const std::string*> extra(followups ? 1 : 0);
    for (;;) {
      q.after_id = after_id_;
      bool full = false;
      env_.store.scan(e, q, [&](const storage::Row& row) {
        if (followups) extra[0] = zones_->of(row);
        if (x_->write_row(instance_->raw(), &view_->convert(row, records_.redacts(p_, e, row), extra)) != RELANCE_OK)
          refuse(*instance_, *x_, "write_row");
        after_id_ = row.id;
        full = body_->full();
        return !full;
      });
      if (!full) return true;  // the dataset is written
      // Parked, unless the client read meanwhile: then on with the next rows.
      if (body_->pause([self = shared_from_this()] { self->pool_.post([self] { self->step(); }); })) return false;
    }
  }

  void next_dataset() {
    view_.reset();
    zones_.reset();
    after_id_.reset();
    ++dataset_;
  }

  bool is_followups(std::size_t d) const { return r_->datasets[d] == &storage::entities::followups; }
  // Follow-ups carry their contact's time zone besides their own columns.
  std::vector<std::string_view> extra_columns(std::size_t d) const {
    return is_followups(d) ? std::vector<std::string_view>{"contact_time_zone"} : std::vector<std::string_view>{};
  }

  HostEnv& env_;
  services::RecordService& records_;
  services::WorkPool& pool_;
  const auth::Principal p_;
  const std::shared_ptr<Request> r_;
  const ExportService::Started started_;
  const std::shared_ptr<services::BodyStream> body_;
  std::vector<std::string> names_;
  std::optional<ExportInstance> instance_;
  const relance_exporter_v1* x_ = nullptr;
  relance_byte_sink sink_{};
  bool announced_ = false;
  // Where the export is: the dataset being written, its view and the last row sent.
  std::size_t dataset_ = 0;
  std::optional<DatasetView> view_;
  std::optional<followups::ContactZones> zones_;
  std::optional<std::int64_t> after_id_;
};

}  // namespace

ExportService::ExportService(HostEnv& env, services::RecordService& records, const PluginRegistry& registry,
                             std::size_t threads)
    : env_(env), records_(records), pool_(std::max<std::size_t>(1, threads)) {
  for (const PluginFile& f : registry.files()) {
    if (!f.loaded) continue;
    bool offers = false;
    for (const auto& i : f.interfaces) offers = offers || i == RELANCE_EXPORTER_V1;
    if (!offers) continue;
    try {
      ExportInstance probe(env_, f, 0, {});
      const relance_exporter_v1* t = probe.exporter();
      if (!t || !t->format_id || !*t->format_id) {
        spdlog::warn("plugin {} says it exports but offers no usable {} table", f.id, RELANCE_EXPORTER_V1);
        continue;
      }
      Format fmt;
      fmt.plugin = &f;
      fmt.id = t->format_id;
      fmt.extension = c_text(t->file_extension);
      fmt.mime_type = t->mime_type && *t->mime_type ? t->mime_type : "application/octet-stream";
      for (std::size_t i = 0; i < t->option_count && t->options; ++i) {
        const auto* o = reinterpret_cast<const relance_option*>(reinterpret_cast<const char*>(t->options) +
                                                                i * t->option_size);
        Format::Option opt{c_text(o->name), c_text(o->description), c_text(o->default_value), {}};
        if (o->choices) opt.choices = split(o->choices, '|');
        if (!opt.name.empty()) fmt.options.push_back(std::move(opt));
      }
      if (find(fmt.id)) {
        spdlog::warn("plugin {} exports format {}, which another plugin already offers; ignored", f.id, fmt.id);
        continue;
      }
      spdlog::info("export format {} from plugin {}", fmt.id, f.id);
      formats_.push_back(std::move(fmt));
    } catch (const std::exception& e) {
      spdlog::warn("plugin {}: {}", f.id, e.what());
    }
  }
}

ExportService::~ExportService() = default;

const ExportService::Format* ExportService::find(const std::string& format) const {
  for (const Format& f : formats_)
    if (f.id == format) return &f;
  return nullptr;
}

std::vector<std::string> ExportService::parameters() { return {"dataset", "locale"}; }

json::object ExportService::formats() const {
  json::array items;
  for (const Format& f : formats_) {
    json::array options;
    for (const auto& o : f.options) {
      json::array choices;
      for (const auto& c : o.choices) choices.emplace_back(c);
      options.push_back(json::object{{"name", o.name}, {"description", o.description},
                                     {"default", o.default_value.empty() ? json::value(nullptr) : json::value(o.default_value)},
                                     {"choices", o.choices.empty() ? json::value(nullptr) : json::value(choices)}});
    }
    items.push_back(json::object{{"format", f.id}, {"extension", f.extension}, {"mime_type", f.mime_type},
                                 {"plugin", f.plugin->id}, {"options", std::move(options)}});
  }
  json::array datasets;
  for (const auto& d : split(dataset_names(), ',')) datasets.emplace_back(d.substr(d.front() == ' ' ? 1 : 0));
  return json::object{{"items", std::move(items)}, {"datasets", std::move(datasets)}};
}

void ExportService::start(const auth::Principal& p, const std::string& format, const services::QueryParams& query,
                          Started started) {
  auto r = std::make_shared<Request>();
  r->format = find(format);
  if (!r->format) {
    std::string known;
    for (const Format& f : formats_) known += (known.empty() ? "" : ", ") + f.id;
    throw Problem::bad_request("no export format " + format + " (available: " + (known.empty() ? "none" : known) + ")");
  }
  // The caller's own locale and time zone, unless the request says otherwise.
  if (auto user = env_.store.get(storage::entities::users, storage::Scope::everything(), p.user_id)) {
    if (const std::string* l = user->text(storage::entities::users, "locale")) r->locale = *l;
    if (const std::string* z = user->text(storage::entities::users, "time_zone")) r->time_zone = *z;
  }
  json::object options;
  services::QueryParams filters;
  std::string datasets;
  for (const auto& [key, value] : query) {
    if (key == "dataset") {
      datasets = value;
    } else if (key == "locale") {
      if (value != "fr" && value != "en") throw Problem::bad_request("locale must be fr or en", key);
      r->locale = value;
    } else if (const auto it = std::find_if(r->format->options.begin(), r->format->options.end(),
                                            [&name = key](const Format::Option& o) { return o.name == name; });
               it != r->format->options.end()) {
      if (!it->choices.empty() && std::find(it->choices.begin(), it->choices.end(), value) == it->choices.end()) {
        std::string allowed;
        for (const auto& c : it->choices) allowed += (allowed.empty() ? "" : ", ") + c;
        throw Problem::bad_request(key + " must be one of " + allowed, key);
      }
      options[key] = value;
    } else {
      filters.emplace_back(key, value);
    }
  }
  if (datasets.empty()) throw Problem::bad_request("dataset is required: one of " + dataset_names(), "dataset");
  std::set<std::string> seen;
  for (const std::string& name : split(datasets, ',')) {
    const storage::Entity* e = dataset_entity(name);
    if (!e) throw Problem::bad_request("unknown dataset " + name + " (available: " + dataset_names() + ")", "dataset");
    if (!seen.insert(name).second) throw Problem::bad_request("dataset " + name + " is listed twice", "dataset");
    r->datasets.push_back(e);
  }
  if (r->datasets.size() > 1 && !filters.empty())
    throw Problem::bad_request("filters apply to an export of one dataset; " + filters.front().first +
                                   " is neither an option of " + format + " nor usable with several datasets",
                               filters.front().first);
  for (const storage::Entity* e : r->datasets) {
    try {
      // The filters of the API's lists (domain/list_vocabulary.hpp).
      services::ListRequest list;
      for (const auto& [key, value] : filters) {
        if (key == "sort" || key == "cursor" || key == "limit")
          throw Problem::bad_request(key + " does not apply to an export (rows come in id order)", key);
        if (key == "q") list.search = domain::list_search(*e, value);
        else if (auto condition = domain::list_condition(*e, key, value)) list.conditions.push_back(std::move(*condition));
        else throw Problem::bad_request("unknown query parameter " + key, key);
      }
      r->lists.push_back(services::storage_query(list, records_.read_scope(p, *e)));
    } catch (const Problem& problem) {
      if (problem.detail().starts_with("unknown query parameter")) {
        std::string names;
        for (const auto& o : r->format->options) names += (names.empty() ? "" : ", ") + o.name;
        throw Problem::bad_request(problem.detail() + " (the options of " + format + ": " +
                                       (names.empty() ? "none" : names) + "; or a filter of the list)",
                                   problem.field());
      }
      throw;
    }
  }
  r->options = json::serialize(options);

  auto job = std::make_shared<ExportJob>(env_, records_, pool_, p, std::move(r), std::move(started));
  pool_.post([job] { job->step(); });
}

}  // namespace relance::exports
