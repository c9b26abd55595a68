// The reason an instance could not be created is that instance's own (issue 17): many
// instances of one plugin created at once, each refused with a reason naming it, each shown
// its own reason, never a neighbour's. A plugin of SDK 1.4 gives the reason back per call;
// one of 1.3 keeps one plugin-wide reason, read with last_error(NULL), and still works
// because the daemon creates its instances one at a time. Both are fixtures
// (tests/plugins/refuses.cpp, refuses_slowly.c).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct RefusingWorld {
  TempDir plugins;
  World w;
  RefusingWorld() : w(env(plugins)) {}
  static std::map<std::string, std::string> env(const TempDir& dir) {
    for (const char* name : {"refuses_14", "refuses_13", "refuses_slowly"})
      fs::copy_file(fs::path(RELANCE_FIXTURE_PLUGINS) / (std::string("fixture_") + name + ".so"),
                    dir.path() / (std::string(name) + ".so"));
    // Failed creations are retried every 4 x 5 ms: many calls at once, again and again.
    return {{"RELANCE_PLUGINS_DIRECTORIES", dir.path().string()}, {"RELANCE_PLUGINS_RETRY_INITIAL_MS", "5"}};
  }
};

void each_instance_shows_its_own_reason(const std::string& plugin) {
  RefusingWorld s;
  HttpClient& admin = s.w.alpha_admin;
  std::map<std::int64_t, std::string> names;  // id -> name
  for (int k = 0; k < 12; ++k) {
    const std::string name = "Agence n°" + std::to_string(k) + " 🚚";
    auto r = admin.post("/api/v1/plugin-instances", json::object{{"plugin", plugin}, {"name", name}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    names[r.json().at("id").as_int64()] = name;
  }
  // Every instance fails, and keeps failing, with its own reason: read many times while the
  // retries of all twelve run on their twelve threads.
  int checked = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (checked < 20 * 12 && std::chrono::steady_clock::now() < until) {
    for (const auto& [id, name] : names) {
      const json::value delivery = admin.get("/api/v1/plugin-instances/" + std::to_string(id)).json().at("delivery");
      if (delivery.at("state") != "failed") continue;
      INFO(name << ": " << json::serialize(delivery));
      CHECK(delivery.at("last_error") == ("create_instance failed (status 2): refused for " + name).c_str());
      ++checked;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(checked >= 20 * 12);
}

}  // namespace

TEST_CASE("instances of an SDK 1.4 plugin created at once are each refused with their own reason") {
  each_instance_shows_its_own_reason("org.relance.fixture.refuses-14");
}

TEST_CASE("instances of an SDK 1.3 plugin created at once are each refused with their own reason") {
  each_instance_shows_its_own_reason("org.relance.fixture.refuses-13");
}

// refuses_slowly.c waits between its failure and handing over its reason: without the
// daemon running its create_instance calls one at a time, neighbours' reasons would mix.
TEST_CASE("instances of an SDK 1.3 plugin slow to give its reason are each refused with their own reason") {
  each_instance_shows_its_own_reason("org.relance.fixture.refuses-slowly");
}
