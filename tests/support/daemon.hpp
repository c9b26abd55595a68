// Daemon: the real `relance` binary, started by a test on a free loopback port with its
// own data directory, and stopped (SIGTERM, or SIGKILL to simulate a crash) by it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "temp_dir.hpp"

namespace relance::test {

// The instance admin every test daemon starts with.
inline constexpr const char* admin_email = "admin@relance.test";
inline constexpr const char* admin_password = "admin-password-for-tests";

class Daemon {
 public:
  // Extra environment variables (RELANCE_STORAGE_MAX_DATABASE_BYTES=..., ...) for the daemon.
  // Digests are off unless RELANCE_FOLLOWUPS_DIGEST_TIME is given.
  explicit Daemon(std::map<std::string, std::string> env = {});
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts the daemon and waits until /healthz answers. Throws if it exits or times out.
  void start();
  // SIGTERM, then waits for the exit; returns the exit status (or -signal).
  int stop();
  // SIGKILL: a crash.
  void kill9();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Changes an environment variable for the next start() (a setting an operator edits
  // between two runs).
  void set_env(const std::string& name, const std::string& value) { env_[name] = value; }

  std::uint16_t port() const { return port_; }
  const std::filesystem::path& data_dir() const { return dir_.path(); }
  std::string database() const { return (dir_.path() / "relance.db").string(); }
  std::string log() const;  // everything the daemon printed

  HttpClient client() const { return HttpClient(port_); }
  // A client logged in as the instance admin.
  HttpClient admin() const;

  // Runs `relance ARGS...` on this data directory; returns {exit code, output}.
  static std::pair<int, std::string> run_cli(const std::vector<std::string>& args,
                                             const std::map<std::string, std::string>& env = {});

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  int starts_ = 0;
};

// The first AddressSanitizer, LeakSanitizer or UBSan report in a daemon's output, or "".
// Daemon::stop() and the destructor fail the running test when there is one.
std::string sanitizer_report(const std::string& log);

// A client logged in as `email`.
HttpClient login(std::uint16_t port, const std::string& email, const std::string& password);

}  // namespace relance::test
