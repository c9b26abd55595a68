// How an administrator tests a plugin instance's settings (SDK 1.2,
// sdk/include/relance/settings.h): one run of the plugin's test (relance.self-test/1) on an
// instance made for the test, with the settings of a configured instance, destroyed
// afterwards. Plugins built before SDK 1.2 offer no test; they load and work as before. What a
// plugin documents of its settings: plugin_host/settings_doc.hpp.
//
// Thread safety: run_self_test on any thread: it makes
// its own instance, so it never shares one with the instance's delivery thread.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "plugin_host/host_env.hpp"
#include "relance/storage/delivery.hpp"

namespace relance::plugin_host {

struct PluginFile;


// The plugin offers no test, or could not start an instance with those settings.
class SelfTestUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SelfTestResult {
  bool passed = false;
  std::string status;  // "ok", "invalid", "retry", "fatal", "unsupported"
  std::string report;  // what the plugin said happened, secrets redacted
};

// Runs the plugin's test `request` (a JSON object in the plugin's terms) with the settings
// of `instance`. Throws SelfTestUnavailable.
SelfTestResult run_self_test(HostEnv& env, const PluginFile& plugin, const storage::PluginInstanceRecord& instance,
                             const std::string& request);

}  // namespace relance::plugin_host
