// Crash markers: which plugin instance, which call and which event are in flight, kept where
// a crash of the whole process cannot erase them, so that the next start can quarantine the
// instance that took the daemon down instead of feeding it the same event again.
//
// One small file per instance (data directory, plugin-markers/instance-ID.marker), mapped
// shared: marking a call is two stores to memory, no system call and no fsync. The stores
// land in the kernel's page cache, which outlives the process: after a SIGSEGV, an abort()
// or a kill -9 the file holds what the process last wrote. Only a crash of the machine
// itself loses it, and then the daemon did not crash-loop either. A marker is set before
// each call into the plugin and cleared when the call returns.
//
// A signal handler (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) adds the signal to the marker
// of the calling thread, if it is inside a plugin call: it only stores an integer to mapped
// memory (async-signal-safe), puts the previous handler back and raises the signal again.
//
// A marker without a signal is not proof: the daemon may have been killed from outside
// (kill -9, the OOM killer) in the middle of a call, and the plugin is not to blame. Such a
// marker is kept as a suspicion (CrashMarkers::suspect): the call is made again, and only
// if the daemon dies again in the same call of the same event is the instance quarantined.
// A crash the handler could not record (a stack overflow) thus costs two starts, not a loop.
//
// Nothing here assumes the plugin runs in this process: a host in a child process marks its
// calls the same way, and the daemon reads what the marker says after the child died.
//
// Thread safety: a CrashMarker is used by the one thread that calls its instance's plugin;
// CrashMarkers::left_behind() and clear() run at start, before any runner.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace relance::plugin_host {

// The plugin calls a marker names.
enum class PluginCallKind : std::int32_t { none = 0, create_instance, get_interface, deliver, destroy_instance };

const char* call_name(PluginCallKind call);

// What a marker left by a crash says.
struct CrashNote {
  std::int64_t instance_id = 0;
  std::int64_t event_id = 0;  // 0: the call was not about an event (create_instance...)
  PluginCallKind call = PluginCallKind::none;
  int signal = 0;             // 0: unknown (killed outright, or no handler ran)
  bool again = false;         // the same call of the same event was in flight at the last death too
};

// "SIGSEGV", "SIGABRT"...; "an unknown signal" for 0.
std::string signal_name(int signal);

// The suspension reason of a quarantined instance, which the API shows as state "crashed":
// kept in the instance's suspension text so that resuming it is the same as resuming any
// suspended instance. crash_of() reads it back (nullopt for any other reason).
std::string crash_reason(const CrashNote& note);
std::optional<CrashNote> crash_of(const std::string& reason);

struct MarkerSlot;  // the marker's bytes in its file

class CrashMarker {
 public:
  // A marker that records nothing (markers are off: no data directory).
  CrashMarker() = default;
  ~CrashMarker();
  CrashMarker(const CrashMarker&) = delete;
  CrashMarker& operator=(const CrashMarker&) = delete;

  // Before a call into the plugin, and after it.
  void enter(PluginCallKind call, std::int64_t event_id);
  void leave();

 private:
  friend class CrashMarkers;
  MarkerSlot* slot_ = nullptr;
};

class CrashMarkers {
 public:
  // `dir` "" turns markers off.
  explicit CrashMarkers(std::string dir);

  // The markers a crash left set, one per instance (in instance order).
  std::vector<CrashNote> left_behind() const;
  // Forgets the marker of an instance (once the crash is recorded, or the instance is gone).
  void clear(std::int64_t instance_id) const;
  // Keeps the call `note` names as a suspicion and clears the marker: if it is in flight at
  // the next death too, left_behind() says `again`.
  void suspect(const CrashNote& note) const;
  // The marker of an instance, its file created when missing. Installs the signal handler
  // on first use. A marker that cannot be mapped is logged and records nothing.
  std::unique_ptr<CrashMarker> open(std::int64_t instance_id) const;

 private:
  std::string file_of(std::int64_t instance_id) const;
  std::string dir_;
};

}  // namespace relance::plugin_host
