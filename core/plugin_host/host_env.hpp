// HostEnv: what the plugin host needs from the daemon, handed to the registry, the
// dispatcher and the exporter sessions. Free of the SDK's headers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "auth/outbound_policy.hpp"
#include "auth/secret_box.hpp"
#include "plugin_host/isolation.hpp"
#include "relance/storage/store.hpp"

namespace relance::plugin_host {

// The filters a plugin gives relance.host.query/1, as name and value ("stage", "won").
using QueryFilters = std::vector<std::pair<std::string, std::string>>;

// Reads `filters` into the query of the rows of `entity` in organisation `org_id`: the
// rules of the lists (which filters exist, their values) belong to the services, which the
// host does not see, so the daemon supplies them. Throws Problem naming a bad filter.
using ListQueryRule =
    std::function<storage::ListQuery(const storage::Entity& entity, std::int64_t org_id, const QueryFilters& filters)>;

struct HostEnv {
  storage::Store& store;
  storage::EventLog& events;  // the outbox, cursors, plugin state and dead letters
  std::function<std::int64_t()> now_ms;      // the daemon's wall clock
  auth::OutboundPolicy outbound;             // what relance.host.outbound/1 allows
  const auth::SecretBox* secrets = nullptr;  // opens the secret settings (plugin_host/secret_settings.hpp)
  ListQueryRule list_query;                  // the filters of relance.host.query/1
  std::string marker_dir;                    // crash markers (crash_marker.hpp); "" turns them off
  IsolationLimits isolation = {};            // the child processes of isolated plugins
};

}  // namespace relance::plugin_host
