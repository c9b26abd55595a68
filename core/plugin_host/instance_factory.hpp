// Creating a plugin's instance, with the reason of a failure that belongs to that call.
// A plugin of SDK 1.4 gives it back per call (create_instance_reporting); an older one keeps
// it in one plugin-wide text read with last_error(NULL), so its create_instance calls are
// run one at a time, each failure read before the next call can overwrite it.
//
// Thread safety: from any thread; calls for one plugin file are serialised only when the
// plugin predates SDK 1.4.
#pragma once

#include <string>

#include "relance/entry.h"

namespace relance::plugin_host {

struct PluginFile;

struct CreatedInstance {
  relance_instance* instance = nullptr;  // set when status is RELANCE_OK
  relance_status status = RELANCE_OK;
  std::string error;  // the plugin's reason when status is not OK ("no reason given" if none)
};

// Calls the plugin's create_instance with `host`, the new instance's handle.
CreatedInstance create_instance(const PluginFile& plugin, const relance_host* host);

}  // namespace relance::plugin_host
