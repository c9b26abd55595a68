#include "plugin_host/registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "plugin_host/isolated_instance.hpp"

namespace relance::plugin_host {

PluginRegistry::~PluginRegistry() { shutdown(); }

void PluginRegistry::load(const std::vector<std::string>& directories, const IsolationPolicy& policy) {
  for (const std::string& dir : directories) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      spdlog::warn("plugins: directory {} does not exist; skipped", dir);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& f : std::filesystem::directory_iterator(dir, ec))
      if (f.path().extension() == ".so" && !f.is_directory())
        found.push_back(std::filesystem::absolute(f.path()).lexically_normal().string());
    std::sort(found.begin(), found.end());
    for (const std::string& path : found) load_file(path, policy);
  }
  std::size_t loaded = 0;
  for (const PluginFile& f : files_) loaded += f.loaded ? 1 : 0;
  spdlog::info("plugins: {} loaded, {} refused", loaded, files_.size() - loaded);
}

void PluginRegistry::load_file(const std::string& path, const IsolationPolicy& policy) {
  PluginFile f = load_plugin_file(path);
  std::unique_ptr<HostContext> host;
  if (f.loaded) {
    if (const PluginFile* other = find(f.id)) {
      f.loaded = false;
      f.error = "duplicate id " + f.id + ": already loaded from " + other->file;
    }
  }
  if (f.loaded) f.isolation = policy.of(f.id, f.file);
  if (f.loaded) {
    host = make_host(env_, f.id, nullptr);
    // An isolated plugin's init runs in each of its child processes: tried in one now, so
    // that a plugin that cannot start is refused at load, as in the daemon.
    const bool here = f.isolation == Isolation::in_process;
    if (!here) {
      if (std::string why = init_in_child(env_, f); !why.empty()) {
        f.loaded = false;
        f.error = why;
      }
    }
    const relance_status s = here && f.entry.init ? f.entry.init(&host->raw) : RELANCE_OK;
    if (f.loaded && s != RELANCE_OK) {
      const relance_str why = f.entry.last_error(nullptr);
      f.loaded = false;
      f.error = "init failed (status " + std::to_string(s) + ")" +
                (why.data && why.size ? ": " + std::string(why.data, std::min<std::size_t>(why.size, 1000)) : "");
      // Not deinit: init did not succeed. The library stays mapped (never unloaded).
    }
  }
  if (f.loaded)
    spdlog::info("plugin {} {} ({}, SDK {}) loaded from {}{}", f.id, f.version, f.vendor, f.sdk_version, f.file,
                 f.isolation == Isolation::process ? ", isolated in a process of its own" : "");
  else
    spdlog::error("plugin file {} refused: {}", f.file, f.error);
  files_.push_back(std::move(f));
  hosts_.push_back(std::move(host));  // kept even after a failed init: the plugin may hold it
}

void PluginRegistry::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  for (const PluginFile& f : files_)
    if (f.loaded && f.isolation == Isolation::in_process && f.entry.deinit) f.entry.deinit();
}

const PluginFile* PluginRegistry::find(std::string_view id) const {
  for (const PluginFile& f : files_)
    if (f.loaded && f.id == id) return &f;
  return nullptr;
}

const relance_host* PluginRegistry::plugin_host(std::string_view id) const {
  for (std::size_t i = 0; i < files_.size(); ++i)
    if (files_[i].loaded && files_[i].id == id && hosts_[i]) return &hosts_[i]->raw;
  return nullptr;
}

}  // namespace relance::plugin_host
