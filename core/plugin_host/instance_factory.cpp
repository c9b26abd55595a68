#include "plugin_host/instance_factory.hpp"

#include <algorithm>
#include <array>
#include <mutex>

#include "plugin_host/loader.hpp"

namespace relance::plugin_host {
namespace {

std::string reason_text(const char* data, std::size_t size) {
  return data && size ? std::string(data, size) : std::string("no reason given");
}

}  // namespace

CreatedInstance create_instance(const PluginFile& plugin, const relance_host* host) {
  CreatedInstance made;
  const relance_plugin_entry& entry = plugin.entry;  // zero-filled past an older plugin's fields
  if (entry.create_instance_reporting) {
    std::array<char, 2000> buffer{};  // a reason longer than this is cut, as the daemon shows it
    relance_reason reason{buffer.data(), buffer.size(), 0};
    made.status = entry.create_instance_reporting(host, &made.instance, &reason);
    if (made.status != RELANCE_OK || !made.instance)
      made.error = reason_text(buffer.data(), std::min(reason.size, buffer.size()));
  } else {
    std::lock_guard lock(*plugin.create_lock);
    made.status = entry.create_instance(host, &made.instance);
    if (made.status != RELANCE_OK || !made.instance) {
      const relance_str e = entry.last_error(nullptr);
      made.error = reason_text(e.data, std::min<std::size_t>(e.size, 2000));
    }
  }
  if (made.status == RELANCE_OK && !made.instance) made.status = RELANCE_FATAL;  // OK without an instance
  return made;
}

}  // namespace relance::plugin_host
