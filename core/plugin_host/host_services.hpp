// The host services a plugin reaches through relance_host::get_service: log, config,
// state, query, clock, outbound, suspend and http (sdk/include/relance/host/*.h; http's table
// is host_http.cpp). Each relance_host handle the
// daemon hands out is the first member of a HostContext, which says whose handle it is.
//
// Thread safety: the plugin-wide handle's services (log, clock, outbound) may be called from any
// thread. An instance's handle is used by the instance's thread only (SDK contract), so
// its InstanceContext needs no lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_host/host_env.hpp"
#include "relance/entry.h"

namespace relance::plugin_host {

struct HttpSession;  // relance.host.http/1's client and last answer (host_http.cpp)

// State writes not yet in the database: key -> value, or nullopt for an erase.
using StateWrites = std::map<std::string, std::optional<std::string>>;

// One configured instance, as its host handle sees it.
struct InstanceContext {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string name;
  std::string settings = "{}";        // in clear: the secret ones opened
  std::vector<std::string> secrets;   // the clear secrets of `settings`, kept out of logs and errors
  std::vector<std::string> datasets;  // what relance.host.query/1 may read

  // relance.host.state/1 inside a delivery (see relance/host/state.h): the writes of the
  // call in progress, then of the delivered events whose batch is not yet committed, then
  // of the batch being committed. A read looks at them in that order before the database.
  bool in_delivery = false;
  StateWrites call_writes;
  StateWrites batch_writes;
  StateWrites committing_writes;
  std::string last_value;  // what the last get returned points here

  // relance.host.suspend/1: why the instance asked, inside the delivery in progress, to be
  // suspended when it returns; "" when it did not.
  std::string suspension;
  std::shared_ptr<HttpSession> http;  // made at the first request
};

struct HostContext {
  relance_host raw{};       // first member: a relance_host* is a HostContext*
  HostEnv* env = nullptr;
  std::string plugin_id;
  InstanceContext* instance = nullptr;  // null for the plugin-wide handle given to init
};

// A handle for `plugin_id`, for one instance or (instance == nullptr) the plugin as a whole.
std::unique_ptr<HostContext> make_host(HostEnv& env, std::string plugin_id, InstanceContext* instance);

// relance.host.outbound/1's judgement of `address` (numeric) and `port` for `c`, logged for
// the operator when refused (with the entry that would allow it).
bool outbound_allowed(const HostContext& c, std::string_view address, std::uint16_t port);

// Applies `from` over `into` (later writes win).
void merge_writes(StateWrites& into, StateWrites& from);

}  // namespace relance::plugin_host
