// The host services of a plugin in a child process (isolated_instance.hpp): in the child, a
// relance_host whose service tables turn each call into a frame (frames.hpp); in the
// daemon, the answer, made by calling the same service of the instance's real handle
// (host_services.hpp). So a service's rules (grants, limits, redaction, the state written
// with the delivery) are written once, and the child only carries bytes.
//
// relance.host.config/1 and the monotonic clock are answered in the child (the settings
// travel with create); log is sent without waiting for an answer; the rest waits for one.
// An http request and its answer travel whole in one frame each: the answer's body is cut
// by the daemon (host_http.cpp) well below the frame's cap, and a request too large for a
// frame is refused in the child. A suspension is recorded by the daemon's own service, and
// the child delivers no further event of the batch once its service said yes.
//
// Adding a service (say "relance.host.http/1"): give it ServiceOp numbers, a table of
// stubs in the child (child_service) that write its arguments and read its answer, and a
// case in ServiceServer::serve that reads them, calls the real table and writes the
// answer. Both halves sit in proxied_services.cpp, next to each other.
//
// Thread safety: the child's stubs may be called from the thread in the plugin call (any
// service) or, for log and clock, from any thread; ServiceServer is used by the runner's
// or the export's thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugin_host/frames.hpp"
#include "relance/entry.h"
#include "relance/host/http.h"

struct relance_query;

namespace relance::plugin_host {

struct HostContext;

enum class ServiceOp : std::uint16_t {
  log = 1,
  now_ms = 2,
  outbound_check = 3,
  state_get = 4,
  state_put = 5,
  state_erase = 6,
  query_open = 7,
  query_next = 8,
  query_close = 9,
  http_request = 10,
  suspend = 11,
};

// The child's end of the channel, as the stubs use it.
class ChildLink {
 public:
  // Sends a service call (a `service` frame) and returns the answer's payload; throws
  // ChannelClosed. Only from the thread in the plugin call.
  virtual FrameReader call(const std::string& frame) = 0;
  // Sends a frame that gets no answer, from any thread.
  virtual void notice(const std::string& frame) = 0;
  // Which event of the batch is being delivered (-1: none), so that the daemon knows which
  // delivery a state write belongs to.
  virtual std::int32_t event_index() const = 0;
  // Whether this thread is the one inside the plugin call.
  virtual bool on_call_thread() const = 0;
  // The daemon's clock minus this machine's system clock, in ms (tests may shift it).
  virtual std::int64_t clock_offset_ms() const = 0;

 protected:
  ~ChildLink() = default;
};

// A handle the child gives the plugin: the plugin-wide one (init), or an instance's.
struct ChildHost {
  relance_host raw{};
  ChildLink* link = nullptr;
  bool instance = false;
  std::string settings = "{}", name;  // relance.host.config/1
  std::int64_t org_id = 0;
  std::string last_value;             // what the last state get returned points here
  // relance.host.suspend/1 said yes in the event in delivery: the batch stops after it.
  bool suspending = false;
  // The last answer of relance.host.http/1, which the plugin borrows.
  std::vector<std::string> http_texts;  // header names and values, in turn
  std::vector<relance_http_header> http_headers;
  std::string http_body, http_error;
};
std::unique_ptr<ChildHost> make_child_host(ChildLink& link, bool instance);

// The daemon's side: answers the service calls of one child with the real services of
// `instance_host` (the instance's handle) and `plugin_host` (the plugin-wide one).
class ServiceServer {
 public:
  ServiceServer(HostContext& instance_host, HostContext& plugin_host)
      : instance_(instance_host), plugin_(plugin_host) {}
  ~ServiceServer();
  ServiceServer(const ServiceServer&) = delete;
  ServiceServer& operator=(const ServiceServer&) = delete;

  // Answers `frame` (a service or notice frame, past its kind). Returns whether `out` holds
  // an answer to send. `event_index` is set to the event the call was made in.
  bool serve(FrameReader in, FrameWriter& out, std::int32_t& event_index);
  // Closes the queries the child left open (it died, or the instance is destroyed).
  void close_queries();

 private:
  HostContext& instance_;
  HostContext& plugin_;
  std::map<std::uint32_t, relance_query*> queries_;
  std::uint32_t next_query_ = 1;
};

}  // namespace relance::plugin_host
