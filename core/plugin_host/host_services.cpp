#include "plugin_host/host_services.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>

#include <chrono>
#include <cstring>

#include "domain/problem.hpp"
#include "plugin_host/host_http.hpp"
#include "plugin_host/rows.hpp"
#include "plugin_host/secret_settings.hpp"
#include "relance/host/clock.h"
#include "relance/host/config.h"
#include "relance/host/log.h"
#include "relance/host/outbound.h"
#include "relance/host/query.h"
#include "relance/host/state.h"
#include "relance/host/suspend.h"

namespace relance::plugin_host {
namespace {

HostContext& ctx(const relance_host* h) { return *static_cast<HostContext*>(h->host_data); }
std::string_view view(relance_str s) { return s.data ? std::string_view(s.data, s.size) : std::string_view(); }
relance_str str_of(std::string_view s) { return relance_str{s.data(), s.size()}; }

// "plugin org.example.x [name#3]", or "plugin org.example.x" for the plugin-wide handle.
std::string who(const HostContext& c) {
  if (c.instance) return fmt::format("plugin {} [{}#{}]", c.plugin_id, c.instance->name, c.instance->id);
  return "plugin " + c.plugin_id;
}

// --- relance.host.log/1 ---------------------------------------------------------------

void log(const relance_host* h, int32_t level, relance_str message) {
  const HostContext& c = ctx(h);
  // Redacted before it is cut short (a secret cut in two would escape): a plugin may well
  // log its settings, and their secrets stay out of the log.
  std::string m = redact(view(message), c.instance ? c.instance->secrets : std::vector<std::string>());
  if (m.size() > 4096) m.resize(4096);  // a plugin cannot flood one log line
  const auto lvl = level <= RELANCE_LOG_DEBUG ? spdlog::level::debug
                   : level == RELANCE_LOG_INFO ? spdlog::level::info
                   : level == RELANCE_LOG_WARN ? spdlog::level::warn
                                               : spdlog::level::err;
  spdlog::log(lvl, "{}: {}", who(ctx(h)), m);
}
const relance_host_log_v1 log_v1{sizeof(relance_host_log_v1), &log};

// --- relance.host.clock/1 -------------------------------------------------------------

int64_t now_ms(const relance_host* h) { return ctx(h).env->now_ms(); }
int64_t monotonic_ns(const relance_host*) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
const relance_host_clock_v1 clock_v1{sizeof(relance_host_clock_v1), &now_ms, &monotonic_ns};

// --- relance.host.outbound/1 ----------------------------------------------------------

relance_status outbound_check(const relance_host* h, relance_str address, uint16_t port) {
  return outbound_allowed(ctx(h), view(address), port) ? RELANCE_OK : RELANCE_INVALID;
}
const relance_host_outbound_v1 outbound_v1{sizeof(relance_host_outbound_v1), &outbound_check};

// --- relance.host.suspend/1 -----------------------------------------------------------

// Recorded only: the runner suspends the instance when deliver returns (runner.cpp).
relance_status suspend(const relance_host* h, relance_str reason) {
  InstanceContext& i = *ctx(h).instance;
  if (!i.in_delivery) return RELANCE_INVALID;
  std::string why(view(reason));
  if (why.size() > 2000) why.resize(2000);
  i.suspension = why.empty() ? "the plugin asked to be suspended" : std::move(why);
  return RELANCE_OK;
}
const relance_host_suspend_v1 suspend_v1{sizeof(relance_host_suspend_v1), &suspend};

// --- relance.host.config/1 ------------------------------------------------------------

relance_str settings(const relance_host* h) { return str_of(ctx(h).instance->settings); }
relance_str instance_name(const relance_host* h) { return str_of(ctx(h).instance->name); }
int64_t org_id(const relance_host* h) { return ctx(h).instance->org_id; }
const relance_host_config_v1 config_v1{sizeof(relance_host_config_v1), &settings, &instance_name, &org_id};

// --- relance.host.state/1 -------------------------------------------------------------

constexpr std::size_t max_key = 256;
constexpr std::size_t max_value = 1 << 20;

relance_status state_get(const relance_host* h, relance_str key, relance_str* value) {
  if (!value) return RELANCE_INVALID;
  *value = relance_str{nullptr, 0};
  if (!key.data || key.size == 0 || key.size > max_key) return RELANCE_INVALID;
  InstanceContext& i = *ctx(h).instance;
  const std::string k(key.data, key.size);
  for (const StateWrites* w : {&i.call_writes, &i.batch_writes, &i.committing_writes}) {
    auto it = w->find(k);
    if (it == w->end()) continue;
    if (!it->second) return RELANCE_OK;
    i.last_value = *it->second;
    *value = str_of(i.last_value);
    if (!value->data) value->data = "";
    return RELANCE_OK;
  }
  try {
    auto v = ctx(h).env->events.plugin_state(i.id, k);
    if (!v) return RELANCE_OK;
    i.last_value = std::move(*v);
    *value = relance_str{i.last_value.data(), i.last_value.size()};
    return RELANCE_OK;
  } catch (const std::exception& e) {
    spdlog::warn("plugin {} [{}]: state read failed: {}", ctx(h).plugin_id, i.name, e.what());
    return RELANCE_RETRY;
  }
}

relance_status state_write(const relance_host* h, relance_str key, const relance_str* value) {
  if (!key.data || key.size == 0 || key.size > max_key) return RELANCE_INVALID;
  if (value && value->size > max_value) return RELANCE_INVALID;
  if (value && !value->data && value->size) return RELANCE_INVALID;
  InstanceContext& i = *ctx(h).instance;
  std::string k(key.data, key.size);
  std::optional<std::string> v;
  if (value) v.emplace(value->data ? value->data : "", value->size);
  if (i.in_delivery) {
    i.call_writes[std::move(k)] = std::move(v);
    return RELANCE_OK;
  }
  try {
    ctx(h).env->store.write_sync([&](storage::WriteTxn& tx) {
      tx.events().put_plugin_state(i.id, k, v ? &*v : nullptr);
    });
    return RELANCE_OK;
  } catch (const std::exception& e) {
    spdlog::warn("plugin {} [{}]: state write failed: {}", ctx(h).plugin_id, i.name, e.what());
    return RELANCE_RETRY;
  }
}
relance_status state_put(const relance_host* h, relance_str key, relance_str value) {
  return state_write(h, key, &value);
}
relance_status state_erase(const relance_host* h, relance_str key) { return state_write(h, key, nullptr); }
const relance_host_state_v1 state_v1{sizeof(relance_host_state_v1), &state_get, &state_put, &state_erase};

// --- relance.host.query/1 -------------------------------------------------------------

}  // namespace
}  // namespace relance::plugin_host

// The cursor of relance.host.query/1: pages of rows read by id, so memory stays flat.
struct relance_query {
  relance_query(const relance::storage::Entity& e, relance::storage::Store& s) : view(e), store(s) {}
  relance::plugin_host::DatasetView view;
  relance::storage::Store& store;
  relance::storage::ListQuery query;
  std::vector<relance::storage::Row> page;
  std::size_t next = 0;
  bool exhausted = false;
};

namespace relance::plugin_host {
namespace {

constexpr std::size_t query_page = 256;

relance_status query_open(const relance_host* h, relance_str dataset, relance_str filters,
                          relance_query** out, const relance_dataset** columns) {
  if (!out || !columns) return RELANCE_INVALID;
  *out = nullptr;
  *columns = nullptr;
  HostContext& c = ctx(h);
  const std::string name(view(dataset));
  const storage::Entity* e = dataset_entity(name);
  bool granted = false;
  for (const std::string& d : c.instance->datasets) granted = granted || d == name;
  if (!e || !granted) {
    std::string grants;
    for (const std::string& d : c.instance->datasets) grants += (grants.empty() ? "" : ", ") + d;
    spdlog::warn("plugin {} [{}]: query of dataset \"{}\" refused: the instance is granted {}",
                 c.plugin_id, c.instance->name, name, grants.empty() ? "none" : grants);
    return RELANCE_UNSUPPORTED;
  }
  try {
    QueryFilters params;
    if (filters.size) {
      boost::system::error_code ec;
      auto v = boost::json::parse(view(filters), ec);
      if (ec || !v.is_object()) throw Problem::bad_request("filters must be a JSON object");
      for (const auto& kv : v.get_object()) {
        const std::string key(kv.key());
        if (key == "sort" || key == "cursor" || key == "limit")
          throw Problem::bad_request("the filter " + key + " is not available to queries", key);
        if (kv.value().is_string()) params.emplace_back(key, std::string(kv.value().get_string()));
        else if (kv.value().is_int64()) params.emplace_back(key, std::to_string(kv.value().get_int64()));
        else if (kv.value().is_bool()) params.emplace_back(key, kv.value().get_bool() ? "true" : "false");
        else throw Problem::bad_request("the filter " + key + " must be a string or a number", key);
      }
    }
    auto q = std::make_unique<relance_query>(*e, c.env->store);
    q->query = c.env->list_query(*e, c.instance->org_id, params);
    q->query.sort = "id";
    q->query.descending = false;
    q->query.limit = query_page;
    *columns = &q->view.dataset();
    *out = q.release();
    return RELANCE_OK;
  } catch (const Problem& p) {
    spdlog::warn("plugin {} [{}]: query refused: {}", c.plugin_id, c.instance->name, p.detail());
    return RELANCE_INVALID;
  } catch (const std::exception& ex) {
    spdlog::warn("plugin {} [{}]: query failed: {}", c.plugin_id, c.instance->name, ex.what());
    return RELANCE_RETRY;
  }
}

relance_status query_next(relance_query* q, const relance_row** row) {
  if (!q || !row) return RELANCE_INVALID;
  *row = nullptr;
  try {
    if (q->next == q->page.size()) {
      if (q->exhausted) return RELANCE_OK;
      if (!q->page.empty()) q->query.after_id = q->page.back().id;
      q->page = q->store.list(q->view.entity(), q->query);
      q->next = 0;
      q->exhausted = q->page.size() < q->query.limit;
      if (q->page.empty()) return RELANCE_OK;
    }
    *row = &q->view.convert(q->page[q->next++], false);
    return RELANCE_OK;
  } catch (const std::exception& e) {
    spdlog::warn("plugin query failed: {}", e.what());
    return RELANCE_RETRY;
  }
}

void query_close(relance_query* q) { delete q; }

const relance_host_query_v1 query_v1{sizeof(relance_host_query_v1), &query_open, &query_next, &query_close};

// --- get_service ----------------------------------------------------------------------

const void* get_service(const relance_host* h, const char* id) {
  if (!h || !id) return nullptr;
  const bool instance = ctx(h).instance != nullptr;
  if (std::strcmp(id, RELANCE_HOST_LOG_V1) == 0) return &log_v1;
  if (std::strcmp(id, RELANCE_HOST_CLOCK_V1) == 0) return &clock_v1;
  if (std::strcmp(id, RELANCE_HOST_OUTBOUND_V1) == 0) return &outbound_v1;
  if (!instance) return nullptr;
  if (std::strcmp(id, RELANCE_HOST_CONFIG_V1) == 0) return &config_v1;
  if (std::strcmp(id, RELANCE_HOST_STATE_V1) == 0) return &state_v1;
  if (std::strcmp(id, RELANCE_HOST_QUERY_V1) == 0) return &query_v1;
  if (std::strcmp(id, RELANCE_HOST_SUSPEND_V1) == 0) return &suspend_v1;
  if (std::strcmp(id, RELANCE_HOST_HTTP_V1) == 0) return &http_v1();
  return nullptr;
}

}  // namespace

// The operator reads here which address was refused and why, and the entry that would
// allow it; the plugin (and whoever reads its errors) learns only that it was refused.
bool outbound_allowed(const HostContext& c, std::string_view address, std::uint16_t port) {
  std::string_view a = address;
  if (a.size() > 64) a = a.substr(0, 64);  // no numeric address is longer
  const auto verdict = c.env->outbound.check(a, port);
  auto target = [&] {
    return a.find(':') == std::string_view::npos ? fmt::format("{}:{}", a, port) : fmt::format("[{}]:{}", a, port);
  };
  if (verdict.allowed) {
    if (spdlog::should_log(spdlog::level::debug))
      spdlog::debug("{}: connection to {} allowed: {}", who(c), target(), verdict.reason);
    return true;
  }
  if (!auth::parse_ip(a)) {  // a plugin's mistake: it must resolve the name and ask for each address
    spdlog::warn("{}: connection to {} refused: {}", who(c), target(), verdict.reason);
    return false;
  }
  spdlog::warn("{}: connection to {} refused by the outbound policy: {} (to allow it: [outbound] allow = [\"{}\"] "
               "in relance.toml)",
               who(c), target(), verdict.reason, target());
  return false;
}

std::unique_ptr<HostContext> make_host(HostEnv& env, std::string plugin_id, InstanceContext* instance) {
  auto c = std::make_unique<HostContext>();
  c->env = &env;
  c->plugin_id = std::move(plugin_id);
  c->instance = instance;
  c->raw = relance_host{sizeof(relance_host), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH,
                        c.get(), &get_service};
  return c;
}

void merge_writes(StateWrites& into, StateWrites& from) {
  for (auto& [k, v] : from) into[k] = std::move(v);
  from.clear();
}

}  // namespace relance::plugin_host
