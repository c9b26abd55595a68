#include "app/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <functional>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "domain/text.hpp"

namespace relance::app {
namespace {

// One setting: where it lives in the file, and how to apply a value read as text (the
// environment) or from TOML. A TOML array reaches `apply` as its strings joined by
// `separator`, the environment's form of that list.
struct Setting {
  const char* section;
  const char* key;
  std::function<void(Config&, const std::string&)> apply;
  char separator = ':';
};

std::int64_t to_int(const std::string& v, const char* key) {
  try {
    std::size_t used = 0;
    const long long n = std::stoll(v, &used);
    if (used != v.size() || n < 0) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    throw std::runtime_error(std::string("setting ") + key + ": not a non-negative integer: " + v);
  }
}

bool to_bool(const std::string& v, const char* key) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw std::runtime_error(std::string("setting ") + key + ": not true or false: " + v);
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all{
      {"server", "listen", [](Config& c, const std::string& v) { set_listen(c, v); }},
      {"server", "threads", [](Config& c, const std::string& v) { c.server.threads = static_cast<std::size_t>(to_int(v, "threads")); }},
      {"server", "max_body_bytes", [](Config& c, const std::string& v) { c.server.max_body_bytes = static_cast<std::size_t>(to_int(v, "max_body_bytes")); }},
      {"server", "max_header_bytes", [](Config& c, const std::string& v) { c.server.max_header_bytes = static_cast<std::size_t>(to_int(v, "max_header_bytes")); }},
      {"server", "max_connections", [](Config& c, const std::string& v) { c.server.max_connections = static_cast<std::size_t>(to_int(v, "max_connections")); }},
      {"server", "max_connections_per_client", [](Config& c, const std::string& v) { c.server.max_connections_per_client = static_cast<std::size_t>(to_int(v, "max_connections_per_client")); }},
      {"server", "idle_timeout_seconds", [](Config& c, const std::string& v) { c.server.idle_timeout = std::chrono::seconds(to_int(v, "idle_timeout_seconds")); }},
      {"server", "request_timeout_seconds", [](Config& c, const std::string& v) { c.server.request_timeout = std::chrono::seconds(to_int(v, "request_timeout_seconds")); }},
      {"server", "drain_timeout_seconds", [](Config& c, const std::string& v) { c.server.drain_timeout = std::chrono::seconds(to_int(v, "drain_timeout_seconds")); }},
      {"api", "max_json_depth", [](Config& c, const std::string& v) { c.api.max_json_depth = static_cast<std::size_t>(to_int(v, "max_json_depth")); }},
      {"api", "max_attachment_bytes", [](Config& c, const std::string& v) { c.api.max_attachment_bytes = static_cast<std::size_t>(to_int(v, "max_attachment_bytes")); }},
      {"storage", "synchronous", [](Config& c, const std::string& v) {
         if (v != "FULL" && v != "NORMAL") throw std::runtime_error("setting synchronous: FULL or NORMAL, not " + v);
         c.storage.synchronous = v; }},
      {"storage", "readers", [](Config& c, const std::string& v) { c.storage.readers = static_cast<std::size_t>(to_int(v, "readers")); }},
      {"storage", "max_database_bytes", [](Config& c, const std::string& v) { c.storage.max_bytes = to_int(v, "max_database_bytes"); }},
      {"storage", "wal_limit_bytes", [](Config& c, const std::string& v) { c.storage.wal_limit_bytes = std::max<std::int64_t>(0, to_int(v, "wal_limit_bytes")); }},
      {"imports", "max_bytes", [](Config& c, const std::string& v) { c.imports.max_bytes = static_cast<std::uint64_t>(to_int(v, "max_bytes")); }},
      {"imports", "report_retention_seconds", [](Config& c, const std::string& v) { c.imports.report_retention_seconds = std::clamp<std::int64_t>(to_int(v, "report_retention_seconds"), 1, 365LL * 24 * 3600); }},
      {"imports", "batch", [](Config& c, const std::string& v) { c.imports.batch = static_cast<std::size_t>(std::clamp<std::int64_t>(to_int(v, "batch"), 1, 100000)); }},
      {"log", "level", [](Config& c, const std::string& v) { c.log.level = v; }},
      {"log", "file", [](Config& c, const std::string& v) { c.log.file = v; }},
      {"log", "json", [](Config& c, const std::string& v) { c.log.json = to_bool(v, "json"); }},
      {"log", "max_file_bytes", [](Config& c, const std::string& v) { c.log.max_file_bytes = static_cast<std::size_t>(to_int(v, "max_file_bytes")); }},
      {"plugins", "directories", [](Config& c, const std::string& v) { c.plugins.directories = domain::split(v, ':', true); }},
      {"plugins", "call_budget_ms", [](Config& c, const std::string& v) { c.plugins.delivery.call_budget = std::chrono::milliseconds(std::max<std::int64_t>(1, to_int(v, "call_budget_ms"))); }},
      {"plugins", "max_attempts", [](Config& c, const std::string& v) { c.plugins.delivery.max_attempts = static_cast<int>(std::clamp<std::int64_t>(to_int(v, "max_attempts"), 1, 1000)); }},
      {"plugins", "retry_initial_ms", [](Config& c, const std::string& v) { c.plugins.delivery.retry_initial = std::chrono::milliseconds(std::max<std::int64_t>(1, to_int(v, "retry_initial_ms"))); }},
      {"plugins", "retry_max_ms", [](Config& c, const std::string& v) { c.plugins.delivery.retry_max = std::chrono::milliseconds(std::max<std::int64_t>(1, to_int(v, "retry_max_ms"))); }},
      {"plugins", "export_threads", [](Config& c, const std::string& v) { c.plugins.export_threads = static_cast<std::size_t>(std::clamp<std::int64_t>(to_int(v, "export_threads"), 1, 64)); }},
      {"plugins", "isolation", [](Config& c, const std::string& v) {
         if (v != "auto" && v != "process" && v != "in-process")
           throw std::runtime_error("setting plugins.isolation: auto, process or in-process, not " + v);
         c.plugins.isolation = v; }},
      {"plugins", "isolated", [](Config& c, const std::string& v) { c.plugins.isolated = domain::split(v, ':', true); }},
      {"plugins", "in_process", [](Config& c, const std::string& v) { c.plugins.in_process = domain::split(v, ':', true); }},
      {"plugins", "memory_limit_mb", [](Config& c, const std::string& v) { c.plugins.limits.memory_mb = static_cast<std::uint64_t>(to_int(v, "memory_limit_mb")); }},
      {"plugins", "cpu_limit_seconds", [](Config& c, const std::string& v) { c.plugins.limits.cpu_seconds = static_cast<std::uint64_t>(to_int(v, "cpu_limit_seconds")); }},
      {"plugins", "open_files_limit", [](Config& c, const std::string& v) { c.plugins.limits.open_files = static_cast<std::uint64_t>(std::clamp<std::int64_t>(to_int(v, "open_files_limit"), 16, 65536)); }},
      {"plugins", "batch", [](Config& c, const std::string& v) { c.plugins.delivery.batch = static_cast<std::size_t>(std::clamp<std::int64_t>(to_int(v, "batch"), 1, 100000)); }},
      {"web", "root", [](Config& c, const std::string& v) { c.web.root = v; }},
      {"server", "public_url", [](Config& c, const std::string& v) {
         if (!v.starts_with("http://") && !v.starts_with("https://")) throw std::runtime_error("setting public_url: an http(s) URL, not " + v);
         c.followups.public_url = v;
         while (!c.followups.public_url.empty() && c.followups.public_url.back() == '/') c.followups.public_url.pop_back(); }},
      {"followups", "tick_ms", [](Config& c, const std::string& v) { c.followups.scheduler.tick = std::chrono::milliseconds(std::clamp<std::int64_t>(to_int(v, "tick_ms"), 10, 60000)); }},
      {"followups", "digest_time", [](Config& c, const std::string& v) {
         if (v == "off") {
           c.followups.scheduler.digest_minutes = -1;
           return;
         }
         int h = -1, m = -1;
         if (v.size() != 5 || v[2] != ':' || std::sscanf(v.c_str(), "%2d:%2d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
           throw std::runtime_error("setting digest_time: HH:MM, not " + v);
         c.followups.scheduler.digest_minutes = h * 60 + m; }},
      {"followups", "region_digest", [](Config& c, const std::string& v) {
         auto& o = c.followups.scheduler;
         if (v == "off") {
           o.region_digest_minutes = -1;
           return;
         }
         static constexpr const char* days[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
         const auto space = v.find(' ');
         const std::string day = space == std::string::npos ? std::string() : domain::fold_ascii_case(v.substr(0, space));
         const auto named = std::find(std::begin(days), std::end(days), day);
         int h = -1, m = -1;
         const std::string time = space == std::string::npos ? std::string() : v.substr(space + 1);
         if (named == std::end(days) || time.size() != 5 || time[2] != ':' ||
             std::sscanf(time.c_str(), "%2d:%2d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
           throw std::runtime_error("setting region_digest: a weekday and HH:MM (\"monday 08:00\"), or off, not " + v);
         o.region_digest_weekday = static_cast<int>(named - std::begin(days));
         o.region_digest_minutes = h * 60 + m; }},
      {"followups", "quiet_days", [](Config& c, const std::string& v) { c.followups.scheduler.quiet_days = static_cast<int>(std::clamp<std::int64_t>(to_int(v, "quiet_days"), 1, 3650)); }},
      {"followups", "stale_days", [](Config& c, const std::string& v) { c.followups.scheduler.stale_days = static_cast<int>(std::clamp<std::int64_t>(to_int(v, "stale_days"), 1, 3650)); }},
      {"followups", "default_time_zone", [](Config& c, const std::string& v) { c.followups.scheduler.default_time_zone = v; }},
      {"followups", "link_hours", [](Config& c, const std::string& v) { c.followups.link_hours = static_cast<int>(std::clamp<std::int64_t>(to_int(v, "link_hours"), 0, 24 * 365)); }},
      {"accounts", "invite_link_seconds", [](Config& c, const std::string& v) { c.accounts.invite_link_seconds = std::clamp<std::int64_t>(to_int(v, "invite_link_seconds"), 1, 30LL * 24 * 3600); }},
      {"accounts", "default_locale", [](Config& c, const std::string& v) {
         if (v != "fr" && v != "en") throw std::runtime_error("setting default_locale: fr or en, not " + v);
         c.accounts.default_locale = v;
       }},
      {"accounts", "reset_link_seconds", [](Config& c, const std::string& v) { c.accounts.reset_link_seconds = std::clamp<std::int64_t>(to_int(v, "reset_link_seconds"), 1, 7LL * 24 * 3600); }},
      {"mail", "smtp_url", [](Config& c, const std::string& v) { c.mail.url = v; }},
      {"mail", "from", [](Config& c, const std::string& v) { c.mail.from = v; }},
      {"mail", "username", [](Config& c, const std::string& v) { c.mail.username = v; }},
      {"mail", "password", [](Config& c, const std::string& v) { c.mail.password = v; }},  // a secret: never echoed
      {"mail", "starttls", [](Config& c, const std::string& v) { c.mail.starttls = to_bool(v, "starttls"); }},
      {"mail", "timeout_ms", [](Config& c, const std::string& v) { c.mail.timeout = std::chrono::milliseconds(std::clamp<std::int64_t>(to_int(v, "timeout_ms"), 100, 120000)); }},
      {"log", "max_files", [](Config& c, const std::string& v) { c.log.max_files = static_cast<std::size_t>(to_int(v, "max_files")); }},
      // Comma-separated in the environment: an IPv6 entry holds colons.
      {"outbound", "allow", [](Config& c, const std::string& v) {
         try {
           c.outbound = auth::OutboundPolicy(domain::split(v, ',', true));
         } catch (const std::invalid_argument& e) {
           throw std::runtime_error(std::string("setting outbound.allow: ") + e.what());
         } }, ','},
  };
  return all;
}

std::vector<std::string> strings_of(const toml::node* n, const std::string& where) {
  std::vector<std::string> out;
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) throw std::runtime_error(where + " must be an array of strings");
  for (const auto& item : *a) {
    auto v = item.value<std::string>();
    if (!v) throw std::runtime_error(where + " must be an array of strings");
    out.push_back(*v);
  }
  return out;
}

// [[plugins.instance]] tables: an instance of a plugin for an organisation.
services::ConfiguredInstance configured_instance(const toml::table& t, const std::string& where) {
  services::ConfiguredInstance i;
  for (const auto& [key, value] : t) {
    const std::string k(key.str());
    if (k == "organisation" || k == "name" || k == "plugin" || k == "start") {
      std::string text;
      if (auto s = value.value<std::string>()) text = *s;
      else if (auto n = value.value<std::int64_t>(); n && k == "organisation") text = std::to_string(*n);
      else throw std::runtime_error(where + "." + k + " must be a string");
      if (k == "organisation") i.organisation = text;
      else if (k == "name") i.name = text;
      else if (k == "plugin") i.plugin = text;
      else if (text == "beginning" || text == "now") i.from_beginning = text == "beginning";
      else throw std::runtime_error(where + ".start must be \"now\" or \"beginning\"");
    } else if (k == "enabled") {
      auto b = value.value<bool>();
      if (!b) throw std::runtime_error(where + ".enabled must be true or false");
      i.enabled = *b;
    } else if (k == "events") {
      i.events = strings_of(&value, where + ".events");
    } else if (k == "datasets") {
      i.datasets = strings_of(&value, where + ".datasets");
    } else if (k == "settings") {
      if (!value.is_table()) throw std::runtime_error(where + ".settings must be a table");
      std::ostringstream json;
      json << toml::json_formatter{*value.as_table(), toml::format_flags::none};
      i.settings = json.str();
    } else {
      throw std::runtime_error(where + ": unknown key " + k);
    }
  }
  if (i.organisation.empty() || i.name.empty() || i.plugin.empty())
    throw std::runtime_error(where + " needs organisation, name and plugin");
  return i;
}

std::string env_name(const Setting& s) {
  std::string n = std::string("RELANCE_") + s.section + "_" + s.key;
  for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return n;
}

}  // namespace

std::string Config::web_root() const {
  if (!web.root.empty()) return web.root;
  // The installed app, or the build tree's when the daemon runs from there (as the bundled
  // plugins); the installed one when neither was built, for the page that says so.
  for (const char* built : {RELANCE_INSTALLED_WEB_APP, RELANCE_BUILT_WEB_APP})
    if (std::filesystem::is_regular_file(std::filesystem::path(built) / "index.html")) return built;
  return RELANCE_INSTALLED_WEB_APP;
}

std::vector<std::string> Config::plugin_directories() const {
  if (!plugins.directories.empty()) return plugins.directories;
  // The bundled plugins (installed, or in the build tree when run from there), then the
  // data directory's own.
  std::vector<std::string> dirs;
  for (const char* bundled : {RELANCE_INSTALLED_PLUGINS, RELANCE_BUNDLED_PLUGINS})
    if (std::filesystem::is_directory(bundled)) {
      dirs.emplace_back(bundled);
      break;
    }
  dirs.push_back((std::filesystem::path(data_dir) / "plugins").string());
  return dirs;
}

plugin_host::IsolationPolicy Config::isolation_policy() const {
  plugin_host::IsolationPolicy p;
  p.isolation = plugins.isolation;
  p.isolated = plugins.isolated;
  p.in_process = plugins.in_process;
  p.bundled_dirs = {RELANCE_INSTALLED_PLUGINS, RELANCE_BUNDLED_PLUGINS};
  return p;
}

std::string Config::database_path() const {
  return (std::filesystem::path(data_dir) / "relance.db").string();
}

void set_listen(Config& c, const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::runtime_error("listen address must be HOST:PORT, not " + host_port);
  const auto port = to_int(host_port.substr(colon + 1), "listen port");
  if (port > 65535) throw std::runtime_error("listen port out of range: " + host_port);
  std::string host = host_port.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  c.server.host = host;
  c.server.port = static_cast<std::uint16_t>(port);
}

void load_config(Config& c, const std::string& file) {
  const std::string path =
      file.empty() ? (std::filesystem::path(c.data_dir) / "relance.toml").string() : file;
  if (std::filesystem::exists(path)) {
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error(path + ": " + std::string(e.description()));
    }
    for (const auto& [section, table] : t) {
      if (!table.is_table()) throw std::runtime_error(path + ": unknown setting " + std::string(section.str()));
      for (const auto& [key, value] : *table.as_table()) {
        if (section.str() == "plugins" && key.str() == "instance") {
          const toml::array* list = value.as_array();
          if (!list) throw std::runtime_error(path + ": plugins.instance must be [[plugins.instance]] tables");
          for (std::size_t n = 0; n < list->size(); ++n) {
            const std::string where = path + ": plugins.instance[" + std::to_string(n) + "]";
            const toml::table* item = (*list)[n].as_table();
            if (!item) throw std::runtime_error(where + " must be a table");
            c.plugins.instances.push_back(configured_instance(*item, where));
          }
          continue;
        }
        const Setting* found = nullptr;
        for (const auto& s : settings())
          if (section.str() == s.section && key.str() == s.key) found = &s;
        if (!found)
          throw std::runtime_error(path + ": unknown setting " + std::string(section.str()) + "." +
                                   std::string(key.str()));
        std::string text;
        if (auto v = value.value<std::string>()) text = *v;
        else if (auto i = value.value<std::int64_t>()) text = std::to_string(*i);
        else if (auto b = value.value<bool>()) text = *b ? "true" : "false";
        else if (value.is_array()) {
          for (const auto& d : strings_of(&value, std::string(section.str()) + "." + std::string(key.str())))
            text += (text.empty() ? "" : std::string(1, found->separator)) + d;
        }
        else throw std::runtime_error(path + ": " + std::string(key.str()) + " has an unsupported type");
        found->apply(c, text);
      }
    }
  } else if (!file.empty()) {
    throw std::runtime_error("configuration file not found: " + file);
  }
  for (const auto& s : settings())
    if (const char* v = std::getenv(env_name(s).c_str())) s.apply(c, v);
  try {
    mail::check_settings(c.mail);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("setting ") + e.what());
  }
}

}  // namespace relance::app
