// What the plugin tests share: a plugin folder of fixtures for the daemon to load, and the
// daemon settings that make their retries quick. For test targets built with
// RELANCE_FIXTURE_PLUGINS (the folder of the fixture_*.so files).
#pragma once

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>

#include "temp_dir.hpp"

namespace relance::test {

// A plugin folder holding copies of the named fixtures ("journal" -> fixture_journal.so).
struct PluginDir {
  TempDir dir;
  explicit PluginDir(std::initializer_list<std::string> names) {
    for (const auto& n : names) add(std::filesystem::path(RELANCE_FIXTURE_PLUGINS) / ("fixture_" + n + ".so"), n + ".so");
  }
  void add(const std::filesystem::path& from, const std::string& as) const {
    std::filesystem::copy_file(from, dir.path() / as, std::filesystem::copy_options::overwrite_existing);
  }
  void write(const std::string& as, const std::string& bytes) const {
    std::ofstream(dir.path() / as, std::ios::binary) << bytes;
  }
  std::string path() const { return dir.path().string(); }
};

// Daemon settings that make retries quick enough for a test; each plugin call may take
// `call_budget_ms`; the plugins run where `isolation` says ("in-process", "process").
inline std::map<std::string, std::string> delivery_env(const PluginDir& plugins, int call_budget_ms = 1000,
                                                       const std::string& isolation = "in-process") {
  return {{"RELANCE_PLUGINS_DIRECTORIES", plugins.path()},
          {"RELANCE_PLUGINS_ISOLATION", isolation},
          {"RELANCE_PLUGINS_RETRY_INITIAL_MS", "20"},
          {"RELANCE_PLUGINS_RETRY_MAX_MS", "100"},
          {"RELANCE_PLUGINS_MAX_ATTEMPTS", "3"},
          {"RELANCE_PLUGINS_CALL_BUDGET_MS", std::to_string(call_budget_ms)}};
}

}  // namespace relance::test
