#include "app/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>

namespace relance::app {
namespace {

// One setting: where it lives in the file, and how to apply a value read as text (the
// environment) or from TOML.
struct Setting {
  const char* section;
  const char* key;
  std::function<void(Config&, const std::string&)> apply;
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
      {"server", "idle_timeout_seconds", [](Config& c, const std::string& v) { c.server.idle_timeout = std::chrono::seconds(to_int(v, "idle_timeout_seconds")); }},
      {"server", "request_timeout_seconds", [](Config& c, const std::string& v) { c.server.request_timeout = std::chrono::seconds(to_int(v, "request_timeout_seconds")); }},
      {"server", "drain_timeout_seconds", [](Config& c, const std::string& v) { c.server.drain_timeout = std::chrono::seconds(to_int(v, "drain_timeout_seconds")); }},
      {"api", "max_json_depth", [](Config& c, const std::string& v) { c.api.max_json_depth = static_cast<std::size_t>(to_int(v, "max_json_depth")); }},
      {"storage", "synchronous", [](Config& c, const std::string& v) {
         if (v != "FULL" && v != "NORMAL") throw std::runtime_error("setting synchronous: FULL or NORMAL, not " + v);
         c.storage.synchronous = v; }},
      {"storage", "readers", [](Config& c, const std::string& v) { c.storage.readers = static_cast<std::size_t>(to_int(v, "readers")); }},
      {"storage", "max_database_bytes", [](Config& c, const std::string& v) { c.storage.max_bytes = to_int(v, "max_database_bytes"); }},
      {"log", "level", [](Config& c, const std::string& v) { c.log.level = v; }},
      {"log", "file", [](Config& c, const std::string& v) { c.log.file = v; }},
      {"log", "json", [](Config& c, const std::string& v) { c.log.json = to_bool(v, "json"); }},
      {"log", "max_file_bytes", [](Config& c, const std::string& v) { c.log.max_file_bytes = static_cast<std::size_t>(to_int(v, "max_file_bytes")); }},
      {"log", "max_files", [](Config& c, const std::string& v) { c.log.max_files = static_cast<std::size_t>(to_int(v, "max_files")); }},
  };
  return all;
}

std::string env_name(const Setting& s) {
  std::string n = std::string("RELANCE_") + s.section + "_" + s.key;
  for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return n;
}

}  // namespace

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
        else throw std::runtime_error(path + ": " + std::string(key.str()) + " has an unsupported type");
        found->apply(c, text);
      }
    }
  } else if (!file.empty()) {
    throw std::runtime_error("configuration file not found: " + file);
  }
  for (const auto& s : settings())
    if (const char* v = std::getenv(env_name(s).c_str())) s.apply(c, v);
}

}  // namespace relance::app
