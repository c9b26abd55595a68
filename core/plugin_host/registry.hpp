// PluginRegistry: the plugins this daemon found. Loads every file of the configured
// directories at start (sorted by name, so the order is stable), calls each plugin's init
// once, and refuses a file that cannot be a plugin, that fails init or whose id another
// file already took. Refused files stay listed with their reason.
//
// Thread safety: load() and shutdown() run on the main thread; after load() the list is
// read-only and may be read from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plugin_host/host_services.hpp"
#include "plugin_host/loader.hpp"

namespace relance::plugin_host {

class PluginRegistry {
 public:
  explicit PluginRegistry(HostEnv& env) : env_(env) {}
  ~PluginRegistry();

  // Loads the plugins of `directories` (files ending in .so). A directory that does not
  // exist is logged and skipped.
  // `policy` says which plugins run in a child process (isolation.hpp); their init runs
  // there, not here.
  void load(const std::vector<std::string>& directories, const IsolationPolicy& policy = {});
  // Calls every loaded plugin's deinit. The libraries stay mapped.
  void shutdown();

  const std::vector<PluginFile>& files() const { return files_; }
  // The loaded plugin of that id, or nullptr.
  const PluginFile* find(std::string_view id) const;
  // The plugin-wide host handle given to init (log and clock only).
  const relance_host* plugin_host(std::string_view id) const;

 private:
  void load_file(const std::string& path, const IsolationPolicy& policy);

  HostEnv& env_;
  std::vector<PluginFile> files_;
  std::vector<std::unique_ptr<HostContext>> hosts_;  // aligned with files_, null if refused
  bool shut_down_ = false;
};

}  // namespace relance::plugin_host
