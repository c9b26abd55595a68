// CallWatch: the plugin call an instance is in, for a watchdog on another thread: when it
// began (steady-clock nanoseconds, 0 when none) and which step it is. The start lives in a
// page of shared memory, so that a child process running the plugin (isolated_instance.hpp)
// writes it itself, call by call, without a message; the watchdog reads it the same way in
// both cases, and interrupt() ends a call that overran when a child runs it.
//
// Thread safety: begin/end on the calling thread; started(), step and interrupt() from any.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>

namespace relance::plugin_host {

class CallWatch {
  int fd_ = -1;  // first: the page is made before `started` refers to it

 public:
  CallWatch();
  ~CallWatch();
  CallWatch(const CallWatch&) = delete;
  CallWatch& operator=(const CallWatch&) = delete;

  // A call in this process.
  void begin(const char* call);
  void end();

  // The memory file holding `started`, which a child maps (-1 when none could be made: the
  // watch then works in this process only).
  int shared_fd() const { return fd_; }
  // The child that runs the calls (0: none); interrupt() kills it.
  void set_child(pid_t pid) {
    child_.store(pid);
    interrupted_.store(false);
  }
  // Ends the call in progress by killing the child that runs it; false when the calls run
  // in this process (nothing can end them).
  bool interrupt();
  // Whether interrupt() killed the current child (cleared by set_child).
  bool interrupted() const { return interrupted_.load(); }

  std::atomic<std::int64_t>& started;  // in the shared page
  // Also in the page: the id of the event a child is delivering, so that the daemon knows
  // which event of a batch the child died in (0: none).
  std::atomic<std::int64_t>& event;
  std::atomic<const char*> step{""};

 private:
  std::atomic<pid_t> child_{0};
  std::atomic<bool> interrupted_{false};
};

// Steady-clock nanoseconds (CLOCK_MONOTONIC: the same in every process of the machine).
std::int64_t steady_now_ns();

}  // namespace relance::plugin_host
