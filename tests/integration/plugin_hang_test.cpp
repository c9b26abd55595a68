// A plugin stuck in a call (a loop that spins on the CPU) is suspended when it overruns its
// budget; what an admin then does while the call is still running, resuming it (twice,
// impatiently) or changing its settings, must not start more calls into the stuck plugin:
// the daemon's threads are counted in /proc, and the CPU they burn.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "daemon.hpp"
#include "plugin_instances.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const fs::path fixtures = RELANCE_FIXTURE_PLUGINS;


std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The daemon serving `data_dir` (its command line names it).
pid_t daemon_pid(const Daemon& d) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = read_all(e.path() / "cmdline");
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(" serve ") != std::string::npos && cmd.find(d.data_dir().string()) != std::string::npos)
      return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

// The daemon's threads that are on a CPU or ready for one (state R).
int running_threads(pid_t pid) {
  int n = 0;
  for (const auto& t : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    const std::string stat = read_all(t.path() / "stat");
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'R') ++n;
  }
  return n;
}

// The most threads seen running over `span`, sampled: a thread spinning in a plugin is always R.
int spinning(pid_t pid, std::chrono::milliseconds span = 600ms) {
  int least = 1000;
  for (auto until = std::chrono::steady_clock::now() + span; std::chrono::steady_clock::now() < until;) {
    least = std::min(least, running_threads(pid));
    std::this_thread::sleep_for(20ms);
  }
  return least;  // threads R in every sample: the spinning ones
}

int thread_count(pid_t pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& t : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task")) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "resuming twice or changing the settings of an instance whose call still spins past its "
    "budget starts no other call into it: one spinning thread, no more threads") {
  TempDir plugins;
  fs::copy_file(fixtures / "fixture_slow.so", plugins.path() / "slow.so");
  World w({{"RELANCE_PLUGINS_DIRECTORIES", plugins.path().string()}, {"RELANCE_PLUGINS_CALL_BUDGET_MS", "500"}});
  const pid_t pid = daemon_pid(w.daemon);
  REQUIRE(pid > 0);
  auto r = w.alpha_admin.post("/api/v1/plugin-instances",
                              json::object{{"plugin", "org.relance.fixture.slow"},
                                           {"name", "Spinner"},
                                           {"settings", {{"sleep_ms", 16000}, {"spin", 1}}}});
  REQUIRE(r.status == 201);
  const std::string path = "/api/v1/plugin-instances/" + std::to_string(r.json().at("id").as_int64());
  auto state = [&] { return text_of(w.alpha_admin.get(path).json().at("delivery").at("state")); };
  World::create(w.alpha_member, "contacts", {{"first_name", "Boucle"}, {"last_name", "Infinie"}});
  REQUIRE(eventually([&] { return state() == "suspended"; }, 5s));
  const int threads = thread_count(pid);
  CHECK(spinning(pid) == 1);

  for (int i = 0; i < 2; ++i) {
    auto resumed = w.alpha_admin.post(path + "/resume", json::object{});
    INFO(resumed.body);
    CHECK(resumed.status == 200);
    std::this_thread::sleep_for(300ms);
  }
  // Still in the same call: suspended again, with the one thread spinning.
  CHECK(eventually([&] { return state() == "suspended"; }, 3s));
  CHECK(spinning(pid) == 1);
  CHECK(thread_count(pid) == threads);

  // A change of settings restarts the instance, leaving the old call behind; resuming the
  // new run does not call the plugin while that call runs.
  auto quiet = w.alpha_admin.patch(path, json::object{{"settings", {{"sleep_ms", 0}, {"note", "é"}}}});
  REQUIRE(quiet.status == 200);
  std::this_thread::sleep_for(5500ms);  // past the 5 s a restart waits for the old call
  for (int i = 0; i < 2; ++i) {
    auto resumed = w.alpha_admin.post(path + "/resume", json::object{});
    INFO(resumed.body);
    CHECK(resumed.status == 200);
    std::this_thread::sleep_for(200ms);
  }
  CHECK(state() == "waiting");
  CHECK(spinning(pid) == 1);
  CHECK(thread_count(pid) <= threads + 1);  // the new runner's thread, waiting
  // Once the old call returns, the new run delivers (its settings: no sleep).
  CHECK(eventually([&] {
    const auto d = w.alpha_admin.get(path).json().at("delivery");
    return text_of(d.at("state")) == "idle" && d.at("pending").as_int64() == 0;
  }, 25s));
  CHECK(spinning(pid) == 0);
}
