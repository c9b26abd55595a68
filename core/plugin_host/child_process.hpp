// ChildProcess: `relance plugin-host` started for one plugin instance, with the daemon's end
// of their socketpair. The child gets a restricted environment: only the socket (fd 3), the
// call watch's page (fd 4, mapped then closed by the child) and stderr stay open, stdin and
// stdout are /dev/null, nothing of the daemon's (its database, its listening socket) is
// inherited; it runs in a working directory of its own, with a minimal environment, under
// address space, CPU time and open file limits, no core file, no new privileges, and dies
// with the daemon (PR_SET_PDEATHSIG: strictly, with the thread that started it, so a
// ChildProcess is destroyed before its thread ends).
//
// Thread safety: used by the thread of its instance.
#pragma once

#include <sys/types.h>

#include <string>

#include "plugin_host/frames.hpp"
#include "plugin_host/isolation.hpp"

namespace relance::plugin_host {

class ChildProcess {
 public:
  // Throws std::runtime_error when the child cannot be started.
  ChildProcess(const IsolationLimits& limits, const std::string& work_dir, int watch_fd);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  Channel& channel() { return channel_; }
  pid_t pid() const { return pid_; }
  // Waits for the child to end (it has died, or is killed now when `kill`) and says how:
  // "SIGSEGV", "exit status 3".
  std::string reap(bool kill);

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  Channel channel_{-1};
  bool reaped_ = false;
};

}  // namespace relance::plugin_host
