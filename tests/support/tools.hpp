// Helpers the integration tests share: a shell, the sqlite3 command-line shell on a
// database file, and walking every page of a list.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http_client.hpp"

namespace relance::test {

// A UTC instant to the second as RFC 3339 ("2026-06-15T09:00:00Z"), for dates relative to now.
std::string utc_instant(std::chrono::system_clock::time_point at);

// `sh -c CMD` with stderr folded into stdout: {exit code, output}.
std::pair<int, std::string> shell(const std::string& cmd);
// `s` quoted for the shell.
std::string quoted(const std::string& s);
// `relance ARGS...` with `env` added to the environment and `input` on its standard input
// (a password, as a script gives it): {exit code, output with stderr}.
std::pair<int, std::string> relance_cli(const std::map<std::string, std::string>& env,
                                        const std::vector<std::string>& args, const std::string& input = "");
// Runs one statement with the sqlite3 command-line shell; REQUIREs success. Trailing
// newlines are trimmed from the output.
std::string sqlite(const std::string& db, const std::string& sql);
// Every item of /api/v1/<collection>, following next_cursor; REQUIREs each page is 200.
std::vector<boost::json::object> list_all(HttpClient& c, const std::string& collection);
// Unpadded base64url, for forging cursors.
std::string base64url(const std::string& bytes);

// Polls `done` every 25 ms until it holds (true) or `timeout` passes (false): for what the
// daemon does in the background (a delivery, a restart, a state change).
template <class F>
bool eventually(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

}  // namespace relance::test
