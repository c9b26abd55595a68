// Loads one plugin file: checks that it is a shared library for this machine, opens it with
// Boost.DLL (RTLD_NOW | RTLD_LOCAL), finds relance_plugin_entry_v1, checks the epoch and
// the entry, and copies the entry (zero-filled past what an older plugin declares). A bad
// file is refused with a sentence that says why; nothing about it can crash the daemon
// short of code that crashes when the library's constructors run.
//
// Loaded libraries are never unloaded (DESIGN.md, "The SDK contract").
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_host/isolation.hpp"
#include "relance/entry.h"

namespace relance::plugin_host {

struct PluginFile {
  std::string file;    // absolute path
  bool loaded = false; // false: refused, `error` says why
  std::string error;
  // From the entry, when one was found:
  std::string id, name, vendor, version;
  std::string sdk_version;  // "1.0.0": the SDK the plugin was built with
  std::vector<std::string> interfaces;
  relance_plugin_entry entry{};  // the daemon's view of the entry, valid when loaded
  // Held around create_instance and last_error(NULL) for a plugin older than SDK 1.4
  // (plugin_host/instance_factory.hpp).
  std::shared_ptr<std::mutex> create_lock = std::make_shared<std::mutex>();
  // Where its instances run (plugin_instance.hpp); chosen by the registry.
  Isolation isolation = Isolation::in_process;
};

// Never throws: a failure is a PluginFile with loaded == false.
PluginFile load_plugin_file(const std::string& path);

}  // namespace relance::plugin_host
