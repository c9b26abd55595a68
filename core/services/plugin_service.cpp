#include "services/plugin_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>

#include "domain/json_text.hpp"
#include "domain/problem.hpp"
#include "domain/text.hpp"
#include "plugin_host/crash_marker.hpp"
#include "plugin_host/datasets.hpp"
#include "plugin_host/secret_settings.hpp"
#include "plugin_host/settings_doc.hpp"
#include "services/record_service.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
namespace json = boost::json;
using plugin_host::dataset_entity;
using plugin_host::dataset_names;
using plugin_host::PluginFile;
using plugin_host::redact;
using plugin_host::seal_clear_secrets;
using plugin_host::seal_settings;
using plugin_host::shown_settings;

namespace {

constexpr std::size_t max_settings_bytes = 64 * 1024;
// Counting pending events walks the outbox index: a cap keeps the plugin list cheap to
// poll however far behind an instance is ("pending": 100000 means at least that).
constexpr std::int64_t pending_cap = 100'000;

void require_manager(const auth::Principal& p) {
  if (!p.manages_org()) throw Problem::forbidden("only an org-admin or the instance admin manages plugins");
}

json::array to_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value parse_or(const std::string& text, json::value fallback) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}

// "contact.created", "contact.*" or "*".
bool valid_pattern(std::string_view p) {
  if (p == "*") return true;
  if (p.empty() || p.size() > 64) return false;
  const auto dot = p.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || c == '.' || (c == '*' && i + 1 == p.size() && i == dot + 1);
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> string_list(const json::value& v, const char* field,
                                     const std::function<bool(std::string_view)>& valid,
                                     const std::string& expected) {
  if (!v.is_array()) throw Problem::invalid(field, std::string(field) + " must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    const json::value& item = v.get_array()[i];
    const std::string path = std::string(field) + "/" + std::to_string(i);
    if (!item.is_string()) throw Problem::invalid(path, path + " must be a string");
    std::string s(item.get_string());
    if (!valid(s)) throw Problem::invalid(path, path + ": \"" + s + "\" is not " + expected);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

PluginService::PluginService(storage::Store& store, storage::EventLog& events,
                             const plugin_host::PluginRegistry& registry, plugin_host::Dispatcher& dispatcher,
                             const auth::SecretBox& secrets)
    : store_(store), events_(events), registry_(registry), dispatcher_(dispatcher), secrets_(secrets) {}

PluginService::~PluginService() = default;

std::vector<std::string> PluginService::instance_fields() {
  return {"plugin", "name", "org_id", "enabled", "settings", "events", "datasets", "start"};
}

storage::PluginInstanceRecord PluginService::owned(const auth::Principal& p, std::int64_t id) const {
  require_manager(p);
  auto r = events_.plugin_instance(id);
  if (!r || (!p.is_admin() && r->org_id != p.org_id)) throw Problem::not_found();
  return std::move(*r);
}

std::string PluginService::instance_json(const storage::PluginInstanceRecord& r) const {
  return json::serialize(instance_object(r));
}

json::object PluginService::instance_object(const storage::PluginInstanceRecord& r) const {
  json::object o;
  o["id"] = r.id;
  o["org_id"] = r.org_id;
  o["plugin"] = r.plugin;
  o["name"] = r.name;
  o["enabled"] = r.enabled;
  const json::value settings = parse_or(r.settings, json::object());
  o["settings"] = settings.is_object() ? shown_settings(settings.get_object()) : json::object();
  o["events"] = to_array(domain::read_text_list(r.events));
  o["datasets"] = to_array(domain::read_text_list(r.datasets));
  o["source"] = r.source;
  o["version"] = r.version;
  o["created_at"] = r.created_at;
  o["updated_at"] = r.updated_at;

  json::object delivery;
  const auto pos = events_.delivery_position(r.id, r.org_id, pending_cap);
  const auto running = dispatcher_.status(r.id);
  const auto crash = plugin_host::crash_of(r.suspended);
  std::string state = !r.enabled                      ? "disabled"
                      : !registry_.find(r.plugin)     ? "plugin-missing"
                      : crash                         ? "crashed"
                      : !r.suspended.empty()          ? "suspended"
                      : running                       ? running->state
                                                      : "stopped";
  delivery["state"] = state;
  // What took the daemon down: the event it was handling (null when none) and the signal.
  delivery["crash"] = crash ? json::value(json::object{
                                  {"event_id", crash->event_id ? json::value(crash->event_id) : json::value(nullptr)},
                                  {"call", plugin_host::call_name(crash->call)},
                                  {"signal", crash->signal ? json::value(plugin_host::signal_name(crash->signal))
                                                           : json::value(nullptr)}})
                            : json::value(nullptr);
  std::string last_error = running ? running->last_error : std::string();
  if (!r.suspended.empty()) last_error = r.suspended;
  if (state == "plugin-missing") last_error = "plugin " + r.plugin + " is not loaded";
  // The runner redacts what the plugin says; this catches a URL password in any other text.
  delivery["last_error"] = last_error.empty() ? json::value(nullptr) : json::value(redact(last_error, {}));
  delivery["last_error_at"] = running && !running->last_error_at.empty() ? json::value(running->last_error_at)
                                                                          : json::value(nullptr);
  delivery["cursor"] = pos.cursor;
  delivery["pending"] = pos.pending;
  delivery["oldest_pending_at"] = pos.oldest_pending_at.empty() ? json::value(nullptr)
                                                                : json::value(pos.oldest_pending_at);
  delivery["dead_letters"] = pos.dead_letters;
  delivery["delivered_since_start"] = running ? running->delivered : 0;
  o["delivery"] = std::move(delivery);
  return o;
}

json::object PluginService::list_plugins(const auth::Principal& p) const {
  require_manager(p);
  const auto instances = events_.plugin_instances();
  json::array items;
  for (const PluginFile& f : registry_.files()) {
    // Files that could not be loaded, and where files lie, are the operator's business.
    if (!p.is_admin() && !f.loaded) continue;
    json::object o;
    o["file"] = p.is_admin() ? f.file : std::filesystem::path(f.file).filename().string();
    o["state"] = f.loaded ? "loaded" : "refused";
    o["error"] = f.error.empty() ? json::value(nullptr) : json::value(f.error);
    o["id"] = f.id.empty() ? json::value(nullptr) : json::value(f.id);
    o["name"] = f.name;
    o["vendor"] = f.vendor;
    o["version"] = f.version;
    o["sdk_version"] = f.sdk_version.empty() ? json::value(nullptr) : json::value(f.sdk_version);
    o["interfaces"] = to_array(f.interfaces);
    json::array mine;
    if (f.loaded)
      for (const auto& r : instances)
        if (r.plugin == f.id && (p.is_admin() || r.org_id == p.org_id))
          mine.push_back(instance_object(r));
    o["instances"] = std::move(mine);
    items.push_back(std::move(o));
  }
  return json::object{{"items", std::move(items)}};
}

json::object PluginService::plugin_settings(const auth::Principal& p, const std::string& plugin_id) const {
  require_manager(p);
  const PluginFile* f = registry_.find(plugin_id);
  if (!f) throw Problem(Problem::Kind::not_found, "Not found", "no loaded plugin " + plugin_id);
  json::array settings;
  for (const auto& s : plugin_host::documented_settings(*f)) {
    json::array choices;
    for (const auto& c : s.choices) choices.emplace_back(c);
    settings.push_back(json::object{{"name", s.name},
                                    {"description", s.description},
                                    // French when the plugin gives it (SDK 1.6), else English.
                                    {"description_fr", s.description_fr.empty() ? s.description : s.description_fr},
                                    {"default", s.default_value.empty() ? json::value(nullptr) : json::value(s.default_value)},
                                    {"choices", std::move(choices)},
                                    {"type", s.type},
                                    {"required", s.required},
                                    {"declared", s.declared},
                                    // What the daemon seals (the flag, or the name rule), so
                                    // that a form never shows the value back.
                                    {"secret", s.secret}});
  }
  return json::object{{"plugin", f->id}, {"name", f->name}, {"settings", std::move(settings)}};
}

json::object PluginService::test_instance(const auth::Principal& p, std::int64_t id, const json::object& request) const {
  require_write(p);
  const auto r = owned(p, id);
  try {
    const auto result = dispatcher_.self_test(r, json::serialize(request));
    return json::object{{"instance_id", r.id}, {"plugin", r.plugin}, {"passed", result.passed},
                        {"status", result.status}, {"report", result.report}};
  } catch (const plugin_host::SelfTestUnavailable& e) {
    throw Problem::invalid("plugin", e.what());
  }
}

services::Page PluginService::list_instances(const auth::Principal& p, AfterIdPaging paging) const {
  require_manager(p);
  services::Page page;
  std::size_t listed = 0;
  std::int64_t last_id = 0;
  for (const auto& r : events_.plugin_instances()) {  // in id order, and few: paged here
    if (r.id <= paging.after_id || (!p.is_admin() && r.org_id != p.org_id)) continue;
    if (listed == paging.limit) {
      page.next = services::ListPosition{storage::Null{}, last_id};
      break;
    }
    page.add() += instance_json(r);
    last_id = r.id;
    ++listed;
  }
  page.close();
  return page;
}

InstanceView PluginService::view_of(const storage::PluginInstanceRecord& r) const {
  return InstanceView{instance_json(r), r.id, r.version};
}

InstanceView PluginService::get_instance(const auth::Principal& p, std::int64_t id) const {
  return view_of(owned(p, id));
}

void PluginService::apply_body(storage::PluginInstanceRecord& r, const json::object& body, bool create) const {
  for (const auto& kv : body) {
    const std::string key(kv.key());
    const json::value& v = kv.value();
    if (key == "plugin") {
      if (!create) throw Problem::invalid(key, "plugin is set on create only");
      if (!v.is_string()) throw Problem::invalid(key, "plugin must be a string");
      r.plugin = std::string(v.get_string());
    } else if (key == "name") {
      if (!v.is_string()) throw Problem::invalid(key, "name must be a string");
      const std::string name = domain::trim(std::string(v.get_string()));
      if (name.empty() || !domain::valid_utf8(name) || domain::utf8_length(name) > 100)
        throw Problem::invalid(key, "name must have 1 to 100 characters");
      r.name = name;
    } else if (key == "org_id") {
      if (!create) throw Problem::invalid(key, "org_id is set on create only");
      if (!v.is_int64()) throw Problem::invalid(key, "org_id must be an integer");
      r.org_id = v.get_int64();
    } else if (key == "enabled") {
      if (!v.is_bool()) throw Problem::invalid(key, "enabled must be true or false");
      r.enabled = v.get_bool();
    } else if (key == "settings") {
      if (!v.is_object()) throw Problem::invalid(key, "settings must be a JSON object");
      if (json::serialize(v).size() > max_settings_bytes) throw Problem::invalid(key, "settings are larger than 64 KiB");
      const json::value stored = parse_or(r.settings, json::object());
      // The plugin may follow the settings in a create's body.
      const json::value* named = create ? body.if_contains("plugin") : nullptr;
      const PluginFile* f = registry_.find(named && named->is_string() ? std::string(named->get_string()) : r.plugin);
      r.settings = json::serialize(seal_settings(v.get_object(), stored.is_object() ? stored.get_object() : json::object(),
                                                 secrets_, f ? plugin_host::secret_names(plugin_host::documented_settings(*f))
                                                             : std::vector<std::string>{}));
    } else if (key == "events") {
      r.events = json::serialize(to_array(string_list(v, "events", valid_pattern,
                                                      "an event type or pattern (\"contact.created\", \"lead.*\", \"*\")")));
    } else if (key == "datasets") {
      r.datasets = json::serialize(to_array(string_list(
          v, "datasets", [](std::string_view d) { return dataset_entity(d) != nullptr; },
          "one of " + dataset_names())));
    } else if (key == "start") {
      if (!create) throw Problem::invalid(key, "start is set on create only");
      if (!v.is_string() || (v.get_string() != "now" && v.get_string() != "beginning"))
        throw Problem::invalid(key, "start must be \"now\" (events from now on) or \"beginning\" (every event kept)");
    } else {
      throw Problem::bad_request("unknown field " + key, key);
    }
  }
  if (create) {
    if (r.plugin.empty()) throw Problem::invalid("plugin", "plugin is required");
    if (r.name.empty()) throw Problem::invalid("name", "name is required");
    if (!registry_.find(r.plugin)) {
      std::string loaded;
      for (const auto& f : registry_.files())
        if (f.loaded) loaded += (loaded.empty() ? "" : ", ") + f.id;
      throw Problem::invalid("plugin", "no loaded plugin " + r.plugin + " (loaded: " +
                                           (loaded.empty() ? "none" : loaded) + ")");
    }
  }
  // The settings against the types the plugin declares (SDK 1.3), before anything is
  // stored: on create, whether given or not (a required setting missing), and whenever new
  // settings are given.
  const json::value* given = body.if_contains("settings");
  if (create || given)
    if (const PluginFile* f = registry_.find(r.plugin))
      plugin_host::check_settings(plugin_host::documented_settings(*f),
                                  given && given->is_object() ? given->get_object() : json::object());
}

namespace {

// Runs `job` on the store's writer; its change, or the error it threw, reaches `done` after
// the commit.
void submit(storage::Store& store, std::function<InstanceChange(storage::WriteTxn&)> job, InstanceCallback done) {
  auto change = std::make_shared<InstanceChange>();
  store.write([job = std::move(job), change](storage::WriteTxn& tx) { *change = job(tx); },
              [change, done = std::move(done)](std::exception_ptr err) { done(err, std::move(*change)); });
}

}  // namespace

void PluginService::write_and_reload(std::int64_t id, std::function<InstanceChange(storage::WriteTxn&)> job,
                                     InstanceCallback done) {
  submit(store_, std::move(job), [this, id, done = std::move(done)](std::exception_ptr err, InstanceChange c) {
    const std::int64_t which = id ? id : c.instance.id;
    if (!err && which) dispatcher_.reload(which);
    done(err, std::move(c));
  });
}

namespace {

void audit(storage::WriteTxn& tx, const auth::Principal& p, const storage::PluginInstanceRecord& r,
           const char* action) {
  json::object changes{{"plugin", r.plugin}, {"name", r.name}, {"enabled", r.enabled}};
  tx.audit(storage::AuditEntry{r.org_id, p.user_id, action, "plugin_instances", r.id, json::serialize(changes)});
}

// A unique (org, name) violation as the 409 a client can act on.
template <class F>
auto naming_conflict(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const storage::StorageError& e) {
    if (e.kind() == storage::StorageError::Kind::constraint)
      throw Problem::conflict("the organisation already has a plugin instance of that name", "name");
    throw;
  }
}

}  // namespace

void PluginService::create_instance(const auth::Principal& p, json::object body, Idempotency key,
                                    InstanceCallback done) {
  require_manager(p);
  require_write(p);
  storage::PluginInstanceRecord r;
  r.org_id = p.org_id;
  apply_body(r, body, true);
  if (r.org_id != p.org_id && !p.is_admin())
    throw Problem::forbidden("an org-admin configures plugins for their own organisation only");
  if (!store_.get(storage::entities::organisations, storage::Scope::everything(), r.org_id))
    throw Problem::invalid("org_id", "no organisation " + std::to_string(r.org_id));
  const auto start = body.find("start");
  const bool beginning = start != body.end() && start->value() == "beginning";
  write_and_reload(0, [this, p, r, beginning, key = std::move(key)](storage::WriteTxn& tx) mutable {
    // A retry answers the instance the first create made, as it is now (read after the commit).
    if (auto first = replayed(tx, p, key))
      return InstanceChange{InstanceChange::Kind::created, InstanceView{{}, first->id, first->version}, 0};
    naming_conflict([&] { return tx.events().put_plugin_instance(r, beginning ? 0 : events_.last_outbox_id()); });
    audit(tx, p, r, "create");
    remember(tx, p, key,
             WriteOutcome{WriteOutcome::Kind::created, r.id, r.version,
                          json::serialize(json::object{{"id", r.id}, {"version", r.version}}), {}, {}});
    return InstanceChange{InstanceChange::Kind::created, InstanceView{{}, r.id, r.version}, 0};
  }, [this, done = std::move(done)](std::exception_ptr err, InstanceChange c) {
    if (!err) {
      try {
        if (auto now = events_.plugin_instance(c.instance.id)) c.instance.body = instance_json(*now);
      } catch (...) {
        err = std::current_exception();
      }
    }
    done(err, std::move(c));
  });
}

void PluginService::update_instance(const auth::Principal& p, std::int64_t id, json::object body,
                                    std::optional<std::int64_t> expected_version, InstanceCallback done) {
  require_write(p);
  auto r = owned(p, id);
  if (r.source == "config")
    throw Problem::conflict("this instance is declared in the configuration file; change it there");
  apply_body(r, body, false);
  write_and_reload(id, [this, p, id, r, expected_version](storage::WriteTxn& tx) mutable {
    auto now = events_.plugin_instance(id);
    if (!now) throw Problem::not_found();
    if (expected_version && *expected_version != now->version)
      throw Problem(Problem::Kind::changed, "Precondition failed", "the instance changed since you read it");
    r.version = now->version;
    r.suspended = now->suspended;
    naming_conflict([&] { return tx.events().put_plugin_instance(r, 0); });
    audit(tx, p, r, "update");
    return InstanceChange{InstanceChange::Kind::updated, InstanceView{{}, r.id, r.version}, 0};
  }, [this, done = std::move(done)](std::exception_ptr err, InstanceChange c) {
    if (!err)
      if (auto now = events_.plugin_instance(c.instance.id)) c.instance.body = instance_json(*now);
    done(err, std::move(c));
  });
}

void PluginService::remove_instance(const auth::Principal& p, std::int64_t id,
                                    std::optional<std::int64_t> expected_version, InstanceCallback done) {
  require_write(p);
  const auto r = owned(p, id);
  if (r.source == "config")
    throw Problem::conflict("this instance is declared in the configuration file; remove it there");
  write_and_reload(id, [this, p, r, expected_version](storage::WriteTxn& tx) {
    auto now = events_.plugin_instance(r.id);
    if (!now) throw Problem::not_found();
    if (expected_version && *expected_version != now->version)
      throw Problem(Problem::Kind::changed, "Precondition failed", "the instance changed since you read it");
    tx.events().remove_plugin_instance(r.id);
    audit(tx, p, r, "delete");
    return InstanceChange{InstanceChange::Kind::removed, InstanceView{{}, r.id, 0}, 0};
  }, std::move(done));
}

void PluginService::resume(const auth::Principal& p, std::int64_t id, InstanceCallback done) {
  require_write(p);
  const auto r = owned(p, id);
  if (r.suspended.empty()) {  // nothing to resume: say how it stands, change nothing
    done(nullptr, InstanceChange{InstanceChange::Kind::updated, view_of(r), 0});
    return;
  }
  submit(store_, [p, r](storage::WriteTxn& tx) {
    tx.events().set_plugin_suspended(r.id, "");
    audit(tx, p, r, "resume");
    return InstanceChange{InstanceChange::Kind::updated, InstanceView{{}, r.id, 0}, 0};
  }, [this, id, done = std::move(done)](std::exception_ptr err, InstanceChange c) {
    if (!err) {
      dispatcher_.resume(id);
      if (auto now = events_.plugin_instance(id)) c.instance = view_of(*now);
    }
    done(err, std::move(c));
  });
}

void PluginService::skip(const auth::Principal& p, std::int64_t id, const json::object& body, InstanceCallback done) {
  require_write(p);
  const auto r = owned(p, id);
  const json::value* to = body.if_contains("to");
  if (!to || !to->is_int64() || to->get_int64() < 1)
    throw Problem::invalid("to", "the event id to move past: a positive integer (an event of the outbox)");
  const std::int64_t event_id = to->get_int64();
  if (event_id > events_.last_outbox_id())
    throw Problem::invalid("to", "no event " + std::to_string(event_id) + " yet: the last one is " +
                                     std::to_string(events_.last_outbox_id()));
  write_and_reload(id, [p, r, event_id](storage::WriteTxn& tx) {
    // The cursor never goes back (storage): skipping to an event behind it changes nothing.
    tx.events().set_plugin_cursor(r.id, event_id);
    tx.audit(storage::AuditEntry{r.org_id, p.user_id, "skip", "plugin_instances", r.id,
                                 json::serialize(json::object{{"to", event_id}})});
    return InstanceChange{InstanceChange::Kind::updated, InstanceView{{}, r.id, 0}, 0};
  }, [this, done = std::move(done)](std::exception_ptr err, InstanceChange c) {
    if (!err)
      if (auto now = events_.plugin_instance(c.instance.id)) c.instance = view_of(*now);
    done(err, std::move(c));
  });
}

services::Page PluginService::dead_letters(const auth::Principal& p, std::int64_t id, AfterIdPaging paging) const {
  owned(p, id);
  const std::size_t limit = paging.limit;
  auto letters = events_.dead_letters(id, paging.after_id, limit + 1);
  services::Page page;
  const bool more = letters.size() > limit;
  if (more) letters.pop_back();
  for (const auto& d : letters) {
    json::object o{{"event_id", d.event_id}, {"dead_lettered_at", d.at}, {"attempts", d.attempts},
                   {"status", d.status}, {"error", d.error}};
    if (auto e = events_.outbox_event(d.event_id)) {
      o["type"] = e->type;
      o["entity"] = e->entity;
      o["entity_id"] = e->entity_id;
      o["occurred_at"] = e->at;
    }
    page.add() += json::serialize(o);
  }
  page.close();
  if (more) page.next = services::ListPosition{storage::Null{}, letters.back().event_id};
  return page;
}

void PluginService::replay(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> event_id,
                           InstanceCallback done) {
  require_write(p);
  const auto r = owned(p, id);
  std::int64_t count = 0;
  if (event_id) {
    bool found = false;
    for (const auto& d : events_.dead_letters(id, *event_id - 1, 1)) found = d.event_id == *event_id;
    if (!found) throw Problem::not_found();
    count = 1;
  } else {
    count = events_.delivery_position(id, r.org_id, 0).dead_letters;
  }
  if (!r.enabled || !registry_.find(r.plugin))
    throw Problem::conflict("the instance is not delivering (disabled, or its plugin is not loaded)");
  dispatcher_.replay(id, event_id);
  done(nullptr, InstanceChange{InstanceChange::Kind::queued, InstanceView{{}, id, 0}, count});
}

void PluginService::drop_dead_letter(const auth::Principal& p, std::int64_t id, std::int64_t event_id,
                                     InstanceCallback done) {
  require_write(p);
  const auto r = owned(p, id);
  submit(store_, [p, id, event_id, org = r.org_id](storage::WriteTxn& tx) {
    if (!tx.events().remove_dead_letter(id, event_id)) throw Problem::not_found();
    // In the instance's organisation's log, where its admins look.
    tx.audit(storage::AuditEntry{org, p.user_id, "drop-dead-letter", "plugin_instances", id,
                                 json::serialize(json::object{{"event_id", event_id}})});
    return InstanceChange{InstanceChange::Kind::removed, InstanceView{{}, id, 0}, 0};
  }, std::move(done));
}

int PluginService::seal_clear_settings() {
  int changed = 0;
  for (auto r : events_.plugin_instances()) {
    json::value settings = parse_or(r.settings, json::object());
    const PluginFile* f = registry_.find(r.plugin);
    const auto declared = f ? plugin_host::secret_names(plugin_host::documented_settings(*f)) : std::vector<std::string>{};
    if (!settings.is_object() || !seal_clear_secrets(settings.get_object(), secrets_, declared)) continue;
    r.settings = json::serialize(settings);
    store_.write_sync([&](storage::WriteTxn& tx) { tx.events().put_plugin_instance(r, 0); });
    ++changed;
  }
  if (changed) spdlog::info("sealed the secret settings of {} plugin instance(s) stored in clear", changed);
  return changed;
}

void PluginService::apply_configured(const std::vector<ConfiguredInstance>& instances) {
  const auto existing = events_.plugin_instances();
  std::set<std::int64_t> applied;
  for (const ConfiguredInstance& c : instances) {
    const std::string where = "plugin instance \"" + c.name + "\" of organisation \"" + c.organisation + "\"";
    std::optional<storage::Row> org;
    if (auto id = domain::parse_int64(c.organisation))
      org = store_.get(storage::entities::organisations, storage::Scope::everything(), *id);
    else
      org = store_.find_unique(storage::entities::organisations, "name", std::string(c.organisation));
    if (!org) throw std::runtime_error(where + ": no such organisation");
    storage::PluginInstanceRecord r;
    for (const auto& e : existing)
      if (e.org_id == org->id && e.name == c.name) r = e;
    const bool is_new = r.id == 0;
    r.org_id = org->id;
    json::object body{{"name", c.name}, {"enabled", c.enabled}, {"events", to_array(c.events)},
                      {"datasets", to_array(c.datasets)}};
    if (is_new) body["plugin"] = c.plugin;
    else if (r.plugin != c.plugin)
      throw std::runtime_error(where + ": it exists for plugin " + r.plugin + ", not " + c.plugin);
    boost::system::error_code ec;
    auto settings = json::parse(c.settings, ec);
    if (ec || !settings.is_object()) throw std::runtime_error(where + ": settings must be a table");
    body["settings"] = settings;
    try {
      apply_body(r, body, is_new);
    } catch (const Problem& p) {
      throw std::runtime_error(where + ": " + p.detail());
    }
    r.source = "config";
    const std::int64_t start = c.from_beginning ? 0 : events_.last_outbox_id();
    store_.write_sync([&](storage::WriteTxn& tx) { tx.events().put_plugin_instance(r, start); });
    spdlog::info("{} ({}) {} from the configuration file", where, r.plugin, is_new ? "created" : "applied");
    applied.insert(r.id);
  }
  // An instance whose table left the file is disabled, not deleted (its cursor, state and
  // dead letters stay), and handed to the API, where an admin may delete it.
  for (auto e : existing) {
    if (e.source != "config" || applied.contains(e.id)) continue;
    e.enabled = false;
    e.source = "api";
    store_.write_sync([&](storage::WriteTxn& tx) { tx.events().put_plugin_instance(e, 0); });
    spdlog::warn("plugin instance \"{}\" (#{}) is no longer in the configuration file: disabled; delete it "
                 "through the API if it is not needed any more", e.name, e.id);
  }
}

}  // namespace relance::services
