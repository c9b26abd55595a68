#include "plugin_host/plugin_instance.hpp"

#include <algorithm>
#include <filesystem>

#include "plugin_host/in_process_instance.hpp"
#include "plugin_host/isolated_instance.hpp"
#include "plugin_host/loader.hpp"

namespace relance::plugin_host {

std::unique_ptr<PluginInstance> make_instance(const PluginFile& plugin, HostContext& host, CallWatch& watch,
                                              CrashMarker* marker) {
  if (plugin.isolation == Isolation::process) return std::make_unique<IsolatedInstance>(plugin, host, watch);
  return std::make_unique<InProcessInstance>(plugin, host, watch, marker);
}

Isolation IsolationPolicy::of(const std::string& plugin_id, const std::string& file) const {
  auto listed = [&](const std::vector<std::string>& ids) { return std::find(ids.begin(), ids.end(), plugin_id) != ids.end(); };
  if (listed(in_process)) return Isolation::in_process;
  if (listed(isolated)) return Isolation::process;
  if (isolation == "process") return Isolation::process;
  if (isolation != "auto") return Isolation::in_process;
  // auto: the plugins shipped with the daemon run in it, every other one in a child.
  const std::filesystem::path folder = std::filesystem::path(file).parent_path().lexically_normal();
  for (const std::string& d : bundled_dirs) {
    std::error_code ec;
    if (std::filesystem::equivalent(folder, d, ec)) return Isolation::in_process;
  }
  return Isolation::process;
}

}  // namespace relance::plugin_host
