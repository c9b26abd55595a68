// Isolated plugins (isolation = "process"): each instance runs in a child process,
// `relance plugin-host`, which loads the same file through the same C ABI. A plugin that
// crashes (SIGSEGV, abort), hangs past its budget, runs out of memory or answers a status
// the host does not know, costs its events' attempts and a dead letter, never the daemon:
// the real daemon keeps serving, the other instances get every event, and the instance
// goes on with the next events in a new child. A child killed from outside in the middle
// of a delivery loses nothing. The frozen 1.0 fixtures (journal, crasher) run isolated, and
// an isolated exporter streams the same file as in process.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "daemon.hpp"
#include "plugin_dir.hpp"
#include "plugin_instances.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {


std::int64_t contact(HttpClient& as, const std::string& first, const std::string& last) {
  return World::create(as, "contacts", {{"first_name", first}, {"last_name", last}}).at("id").as_int64();
}

json::array dead_letters(HttpClient& as, std::int64_t id) {
  return as.get(instance_path(id) + "/dead-letters").json().at("items").as_array();
}

// Event id -> attempts, of the journal fixture's file.
std::map<std::int64_t, std::set<int>> journal_events(const std::string& path) {
  std::map<std::int64_t, std::set<int>> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::int64_t id = 0;
    std::string type;
    int attempt = 0;
    f >> id >> type >> attempt;
    out[id].insert(attempt);
  }
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The daemon's `relance plugin-host` children.
std::vector<pid_t> plugin_hosts(pid_t daemon) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string status = read_all(e.path() / "status");
    const auto at = status.find("PPid:\t");
    if (at == std::string::npos || std::stol(status.substr(at + 6)) != daemon) continue;
    if (read_all(e.path() / "cmdline").find("plugin-host") != std::string::npos) out.push_back(std::stoi(name));
  }
  return out;
}

// The plugin tests' settings with every plugin isolated, a call budget of `budget_ms`.
std::map<std::string, std::string> isolated_env(const PluginDir& plugins, int budget_ms = 2000) {
  return delivery_env(plugins, budget_ms, "process");
}

bool healthy(const Daemon& d) { return d.client().request_unchecked("GET", "/healthz").status == 200; }

// The dead letter of `event` of instance `id`, after 3 attempts (the tests' max), with
// reason crash and an error that says `why`.
void crashed_on(HttpClient& as, std::int64_t id, std::int64_t event_entity, const std::string& why) {
  REQUIRE(eventually([&] { return delivery(as, id).at("dead_letters").as_int64() == 1; }, 40s));
  const auto letters = dead_letters(as, id);
  REQUIRE(letters.size() == 1);
  INFO(json::serialize(letters));
  CHECK(text_of(letters[0].at("status")) == "crash");
  CHECK(letters[0].at("attempts").as_int64() == 3);
  CHECK(letters[0].at("entity_id").as_int64() == event_entity);
  CHECK(text_of(letters[0].at("error")).find(why) != std::string::npos);
}

}  // namespace

TEST_CASE(
    "isolated plugins that segfault or abort on an event cost that event a dead letter with reason crash: the "
    "daemon keeps serving, the other events and instances are delivered, the 1.0 fixtures run isolated") {
  PluginDir plugins{"crasher", "journal"};
  TempDir out;
  const std::string journal = out.file("journal.log");
  World w(isolated_env(plugins));
  const std::int64_t segv = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                   {"name", "Segfaults"},
                                                   {"settings", {{"when", "Crash-me"}, {"how", "segv"}}}});
  const std::int64_t aborts = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                     {"name", "Aborts"},
                                                     {"settings", {{"when", "Crash-me"}, {"how", "abort"}}}});
  const std::int64_t witness = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                      {"name", "Journal"},
                                                      {"settings", {{"journal", journal}}}});
  contact(w.alpha_member, "Zoé", "Avant");
  const std::int64_t bad = contact(w.alpha_member, "Crash-me 💥", "Lefèvre");
  const std::int64_t after = contact(w.alpha_member, "Après", "Crash");

  crashed_on(w.alpha_admin, segv, bad, "SIGSEGV");
  crashed_on(w.alpha_admin, aborts, bad, "SIGABRT");
  caught_up(w.alpha_admin, segv);
  caught_up(w.alpha_admin, aborts);
  caught_up(w.alpha_admin, witness);

  // The daemon never stopped; the instances go on with new children, not quarantined.
  CHECK(w.daemon.running());
  CHECK(healthy(w.daemon));
  for (const std::int64_t id : {segv, aborts}) {
    const json::object d = delivery(w.alpha_admin, id);
    INFO(json::serialize(d));
    CHECK(text_of(d.at("state")) == "idle");
    CHECK(d.at("crash").is_null());
    CHECK(d.at("delivered_since_start").as_int64() >= 2);
  }
  // The journal (a 1.0 fixture, isolated too) got every event, the crashing one included,
  // its state proxied to the daemon's database.
  const auto seen = journal_events(journal);
  CHECK(seen.size() >= 3);
  CHECK(w.alpha_member.get("/api/v1/contacts/" + std::to_string(after)).status == 200);
  CHECK(w.daemon.log().find("its process died of SIGSEGV") != std::string::npos);

  // And the next event is delivered by a new child.
  contact(w.alpha_member, "Encore", "Vivant");
  caught_up(w.alpha_admin, segv);
  CHECK(delivery(w.alpha_admin, segv).at("dead_letters").as_int64() == 1);
}

TEST_CASE("an isolated plugin that hangs past its budget is killed and restarted, and the event becomes a dead letter") {
  PluginDir plugins{"crasher"};
  World w(isolated_env(plugins, 600));
  const std::int64_t hangs = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                    {"name", "Hangs"},
                                                    {"settings", {{"when", "Hang-me"}, {"how", "hang"}}}});
  const std::int64_t bad = contact(w.alpha_member, "Hang-me", "Forever");
  crashed_on(w.alpha_admin, hangs, bad, "ran longer than its budget");
  contact(w.alpha_member, "Then", "Fine");
  caught_up(w.alpha_admin, hangs);
  const json::object d = delivery(w.alpha_admin, hangs);
  INFO(json::serialize(d));
  CHECK(text_of(d.at("state")) == "idle");  // not suspended: the stuck call was ended
  CHECK(healthy(w.daemon));
  // No child left behind in the plugin's loop: at most the one of the next event.
  CHECK(plugin_hosts(w.daemon.pid()).size() <= 1);
}

TEST_CASE("an isolated plugin that leaks memory past its limit is a dead letter saying it ran out of memory") {
  PluginDir plugins{"crasher"};
  auto env = isolated_env(plugins, 10000);  // a loaded machine is slow to use 256 MiB up
  env["RELANCE_PLUGINS_MEMORY_LIMIT_MB"] = "256";
  World w(env);
  const std::int64_t leaks = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                    {"name", "Leaks"},
                                                    {"settings", {{"when", "Leak-me"}, {"how", "leak"}}}});
  const std::int64_t bad = contact(w.alpha_member, "Leak-me", "Greedy");
#if defined(__SANITIZE_ADDRESS__)
  crashed_on(w.alpha_admin, leaks, bad, "its process died");  // no address space limit under the sanitizer
#else
  crashed_on(w.alpha_admin, leaks, bad, "out of memory (its address space is limited to 256 MiB)");
#endif
  contact(w.alpha_member, "Then", "Fine");
  caught_up(w.alpha_admin, leaks);
  CHECK(healthy(w.daemon));
}

TEST_CASE("a status an isolated plugin returns that the host does not know is treated as FATAL and logged") {
  PluginDir plugins{"odd_status"};
  World w(isolated_env(plugins));
  const std::int64_t odd = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.odd-status"},
                                                  {"name", "Odd"},
                                                  {"settings", {{"status", 42}}}});
  contact(w.alpha_member, "Inès", "Statut");
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, odd).at("dead_letters").as_int64() == 1; }));
  auto letters = dead_letters(w.alpha_admin, odd);
  REQUIRE(letters.size() == 1);
  CHECK(text_of(letters[0].at("status")) == "fatal");
  CHECK(letters[0].at("attempts").as_int64() == 3);
  CHECK(w.daemon.log().find("returned status 42, which this host does not know; treated as FATAL") != std::string::npos);
}

TEST_CASE("kill -9 of an isolated plugin's process in the middle of a delivery loses nothing: the event is "
          "delivered again by a new process") {
  PluginDir plugins{"journal"};
  TempDir out;
  const std::string journal = out.file("journal.log");
  World w(isolated_env(plugins));
  const std::int64_t slow = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                   {"name", "Slow journal"},
                                                   {"settings", {{"journal", journal}, {"sleep_ms", "400"}}}});
  std::set<std::int64_t> made;
  for (int i = 0; i < 6; ++i) made.insert(contact(w.alpha_member, "Contact", "n°" + std::to_string(i)));
  REQUIRE(eventually([&] { return journal_events(journal).size() >= 2; }));
  std::vector<pid_t> hosts;
  REQUIRE(eventually([&] { return !(hosts = plugin_hosts(w.daemon.pid())).empty(); }));
  for (pid_t p : hosts) ::kill(p, SIGKILL);  // inside a delivery: each takes 400 ms

  caught_up(w.alpha_admin, slow);
  const json::object d = delivery(w.alpha_admin, slow);
  INFO(json::serialize(d));
  CHECK(d.at("dead_letters").as_int64() == 0);
  CHECK(text_of(d.at("state")) == "idle");
  // Every contact's creation reached the plugin, one of them at a second attempt.
  std::ifstream in(journal);
  std::set<std::int64_t> entities;
  bool again = false;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::int64_t id = 0, entity = 0;
    std::string type;
    int attempt = 0;
    f >> id >> type >> attempt >> entity;
    if (type == "contact.created") entities.insert(entity);
    again = again || attempt == 2;
  }
  CHECK(entities == made);
  CHECK(again);
  CHECK(healthy(w.daemon));
}

TEST_CASE("plugins outside the bundled folder run isolated by default, the bundled ones in the daemon") {
  PluginDir plugins{"journal"};
  World w({{"RELANCE_PLUGINS_DIRECTORIES", plugins.path() + ":" + RELANCE_BUNDLED_PLUGINS},
           {"RELANCE_PLUGINS_ISOLATION", "auto"}});
  const std::string log = w.daemon.log();
  INFO(log);
  CHECK(log.find("loaded from " + plugins.path() + "/journal.so, isolated in a process of its own") != std::string::npos);
  const auto csv = log.find("loaded from " + std::string(RELANCE_BUNDLED_PLUGINS));
  REQUIRE(csv != std::string::npos);
  CHECK(log.substr(csv, log.find('\n', csv) - csv).find("isolated") == std::string::npos);
}

TEST_CASE("an isolated CSV exporter streams the same file as in process") {
  World w({{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}, {"RELANCE_PLUGINS_ISOLATION", "in-process"}});
  // Rows enough for several frames of rows to the child and of bytes back.
  const std::string notes(1500, 'n');
  for (int i = 0; i < 400; ++i)
    World::create(w.alpha_member, "contacts",
                  {{"first_name", "Zoé " + std::to_string(i)}, {"last_name", "Ørsted, \"quoted\""}, {"notes", notes}});
  const std::string path = "/api/v1/exports/csv?dataset=contacts";
  auto in_process = w.alpha_member.get(path);
  REQUIRE(in_process.status == 200);
  REQUIRE(in_process.body.size() > 600000);

  w.daemon.stop();
  w.daemon.set_env("RELANCE_PLUGINS_ISOLATION", "process");
  w.daemon.start();
  HttpClient member = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  auto isolated = member.get(path);
  REQUIRE(isolated.status == 200);
  CHECK(isolated.body.size() == in_process.body.size());
  CHECK(isolated.body == in_process.body);
  CHECK(w.daemon.log().find("isolated in a process of its own") != std::string::npos);
}
