// The entry of one plugin file, loaded as the daemon loads it (dlopen with RTLD_NOW |
// RTLD_LOCAL, then relance_plugin_entry_v1 of this SDK's epoch), for the test drivers that
// run a plugin without a daemon (tests/exports/export_driver, tests/email/sink_driver).
#pragma once

#include <dlfcn.h>

#include <iostream>

#include "relance/relance.h"

namespace relance::test {

// The plugin's entry, or nullptr after saying why on standard error.
inline const relance_plugin_entry* load_plugin_entry(const char* path) {
  void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    std::cerr << "cannot load " << path << ": " << dlerror() << "\n";
    return nullptr;
  }
  auto* entry = static_cast<const relance_plugin_entry*>(dlsym(lib, RELANCE_ENTRY_SYMBOL));
  if (!entry || entry->sdk_epoch != RELANCE_SDK_EPOCH) {
    std::cerr << "no entry of epoch " << RELANCE_SDK_EPOCH << " in " << path << "\n";
    return nullptr;
  }
  return entry;
}

}  // namespace relance::test
