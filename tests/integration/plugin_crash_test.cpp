// A plugin that takes the daemon down (a NULL dereference, a failed assertion) costs one
// quarantined instance and a dead letter, never a crash loop: the real daemon is run with
// the crasher fixture (tests/plugins/crasher.c), dies on the chosen event, and is started
// again as an operator's service manager would; the API and the CLI then say which
// instance crashed on which event and how to go on, and everything else is as it was.
// Also: a status the host does not know counts as FATAL.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>

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
using namespace std::chrono_literals;

namespace {

// A sanitized daemon (the asan preset) lets a plugin's SIGSEGV reach the daemon's own
// handler and end the process by the signal, as an unsanitized one does: AddressSanitizer
// would report it itself and exit with 1.
std::string asan_options() {
  const char* given = std::getenv("ASAN_OPTIONS");
  const std::string before = given ? given : "";
  return before + (before.empty() ? "" : ":") + "handle_segv=0";
}

// The plugin tests' settings, with a budget of 2 s and the sanitizers' SIGSEGV handling off.
std::map<std::string, std::string> crash_env(const PluginDir& plugins) {
  auto env = delivery_env(plugins, 2000);
  env["ASAN_OPTIONS"] = asan_options();
  return env;
}


std::int64_t contact(HttpClient& as, const std::string& first, const std::string& last) {
  return World::create(as, "contacts", {{"first_name", first}, {"last_name", last}}).at("id").as_int64();
}

// Waits for the daemon to die on its own; returns how it ended (-signal).
int died(Daemon& d) {
  const bool gone = eventually([&] {
    try {
      d.client().request_unchecked("GET", "/healthz");
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }, 15s);
  REQUIRE(gone);
  return d.stop();  // reaps it (the signal it died of)
}

std::set<std::int64_t> journal_events(const std::string& path) {
  std::set<std::int64_t> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::int64_t id = 0;
    f >> id;
    out.insert(id);
  }
  return out;
}

HttpClient alpha_admin(const Daemon& d) { return login(d.port(), "admin@alpha.test", "password-of-admin@alpha.test"); }

std::map<std::string, std::string> cli_env(const Daemon& d, const HttpClient& as) {
  return {{"RELANCE_URL", "http://127.0.0.1:" + std::to_string(d.port())}, {"RELANCE_TOKEN", as.token()}};
}

}  // namespace

TEST_CASE(
    "a plugin that segfaults on an event is quarantined at the next start: the daemon serves, "
    "the API and plugin list name the event and the signal, the event is a dead letter with "
    "reason crash, other instances and the data are intact, and resume goes on after the event") {
  PluginDir plugins{"crasher", "journal"};
  TempDir out;
  const std::string journal = out.file("journal.log");
  World w(crash_env(plugins));
  const std::int64_t crasher = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                      {"name", "Partner sync ✨"},
                                                      {"events", {"contact.*"}},
                                                      {"settings", {{"when", "Crash-me"}, {"how", "segv"}, {"delay_ms", 300}}}});
  const std::int64_t witness = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                      {"name", "Journal"},
                                                      {"settings", {{"journal", journal}}}});
  const std::int64_t zoe = contact(w.alpha_member, "Zoé", "Ørsted");
  caught_up(w.alpha_admin, crasher);
  const std::int64_t bad = contact(w.alpha_member, "Crash-me 💥", "Lefèvre");
  CHECK(died(w.daemon) == -SIGSEGV);

  w.daemon.start();  // what systemd's Restart=on-failure does
  HttpClient admin = alpha_admin(w.daemon);
  json::object d = delivery(admin, crasher);
  INFO(json::serialize(d));
  CHECK(text_of(d.at("state")) == "crashed");
  REQUIRE(d.at("crash").is_object());
  const std::int64_t event_id = d.at("crash").at("event_id").as_int64();
  CHECK(text_of(d.at("crash").at("signal")) == "SIGSEGV");
  CHECK(text_of(d.at("crash").at("call")) == "deliver");
  const std::string why = text_of(d.at("last_error"));
  CHECK(why.find("relance plugin instance resume " + std::to_string(crasher)) != std::string::npos);

  // The dead letter is the event that crashed it: the new contact's creation.
  auto letters = admin.get(instance_path(crasher) + "/dead-letters").json().at("items").as_array();
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].at("event_id").as_int64() == event_id);
  CHECK(text_of(letters[0].at("status")) == "crash");
  CHECK(text_of(letters[0].at("type")) == "contact.created");
  CHECK(letters[0].at("entity_id").as_int64() == bad);
  CHECK(text_of(letters[0].at("error")).find("SIGSEGV") != std::string::npos);

  // The log says which plugin crashed and how to go on.
  const std::string log = w.daemon.log();
  CHECK(log.find("org.relance.fixture.crasher [Partner sync ✨#" + std::to_string(crasher) + "] crashed in deliver of event " +
                 std::to_string(event_id) + " with signal " + std::to_string(SIGSEGV) + " (SIGSEGV)") != std::string::npos);

  // So does `relance plugin list`.
  auto [code, listed] = Daemon::run_cli({"plugin", "list"}, cli_env(w.daemon, admin));
  INFO(listed);
  CHECK(code == 0);
  CHECK(listed.find("crashed") != std::string::npos);
  CHECK(listed.find("Partner sync ✨ (instance " + std::to_string(crasher) + ") crashed on event " +
                    std::to_string(event_id) + " (SIGSEGV)") != std::string::npos);
  CHECK(listed.find("relance plugin instance resume " + std::to_string(crasher)) != std::string::npos);

  // Nothing else is lost: the contacts, the other instance, which gets every event.
  CHECK(admin.get("/api/v1/contacts/" + std::to_string(zoe)).status == 200);
  auto kept = admin.get("/api/v1/contacts/" + std::to_string(bad));
  REQUIRE(kept.status == 200);
  CHECK(text_of(kept.json().at("first_name")) == "Crash-me 💥");
  caught_up(admin, witness);
  CHECK(journal_events(journal).count(event_id) == 1);
  CHECK(text_of(delivery(admin, witness).at("state")) == "idle");

  // Quarantined it stays while events come; resume goes on after the crashing event.
  contact(admin, "Après", "Crash");
  std::this_thread::sleep_for(200ms);
  CHECK(text_of(delivery(admin, crasher).at("state")) == "crashed");
  auto [resume_code, resumed] = Daemon::run_cli({"plugin", "instance", "resume", std::to_string(crasher)},
                                                cli_env(w.daemon, admin));
  INFO(resumed);
  CHECK(resume_code == 0);
  caught_up(admin, crasher);
  d = delivery(admin, crasher);
  CHECK(text_of(d.at("state")) == "idle");
  CHECK(d.at("crash").is_null());
  CHECK(d.at("dead_letters").as_int64() == 1);
  CHECK(w.daemon.client().request_unchecked("GET", "/healthz").status == 200);
}

TEST_CASE(
    "a plugin that aborts is quarantined with SIGABRT, and skip moves it past events an admin "
    "chooses, refusing an event id that is not one") {
  PluginDir plugins{"crasher"};
  World w(crash_env(plugins));
  const std::int64_t crasher = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.crasher"},
                                                      {"name", "Asserting"},
                                                      {"settings", {{"when", "Abort-me"}, {"how", "abort"}, {"delay_ms", 300}}}});
  contact(w.alpha_member, "Abort-me", "Now");
  CHECK(died(w.daemon) == -SIGABRT);
  w.daemon.start();
  HttpClient admin = alpha_admin(w.daemon);
  json::object d = delivery(admin, crasher);
  INFO(json::serialize(d));
  CHECK(text_of(d.at("state")) == "crashed");
  CHECK(text_of(d.at("crash").at("signal")) == "SIGABRT");

  // Two more events that would crash it again: the admin moves it past both.
  HttpClient member = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  contact(member, "Abort-me", "Again");
  contact(member, "Abort-me", "Too");
  const std::int64_t to = 1000000000;  // no such event yet
  const auto env = cli_env(w.daemon, admin);
  auto [bad_code, bad_out] = Daemon::run_cli({"plugin", "instance", "skip", std::to_string(crasher), "--to", std::to_string(to)}, env);
  INFO(bad_out);
  CHECK(bad_code != 0);
  CHECK(bad_out.find("no event " + std::to_string(to)) != std::string::npos);
  auto zero = admin.post(instance_path(crasher) + "/skip", json::object{{"to", 0}});
  CHECK(zero.status == 422);
  CHECK(zero.body.find("\"to\"") != std::string::npos);

  // The refusal names the last event there is: skip to it.
  const auto last_at = bad_out.find("the last one is ");
  REQUIRE(last_at != std::string::npos);
  const std::int64_t last_event = std::stoll(bad_out.substr(last_at + 16));
  REQUIRE(delivery(admin, crasher).at("pending").as_int64() >= 2);
  auto [skip_code, skipped] =
      Daemon::run_cli({"plugin", "instance", "skip", std::to_string(crasher), "--to", std::to_string(last_event)}, env);
  INFO(skipped);
  REQUIRE(skip_code == 0);
  CHECK(skipped.find("moved past event " + std::to_string(last_event)) != std::string::npos);
  CHECK(delivery(admin, crasher).at("pending").as_int64() == 0);
  CHECK(text_of(delivery(admin, crasher).at("state")) == "crashed");  // skipping is not resuming

  auto [resume_code, resumed] = Daemon::run_cli({"plugin", "instance", "resume", std::to_string(crasher)}, env);
  INFO(resumed);
  CHECK(resume_code == 0);
  contact(member, "Calme", "Enfin");
  caught_up(admin, crasher);
  CHECK(text_of(delivery(admin, crasher).at("state")) == "idle");
  CHECK(w.daemon.running());
}

TEST_CASE("a status the host does not know is treated as FATAL and logged") {
  PluginDir plugins{"odd_status"};
  World w(crash_env(plugins));
  const std::int64_t odd = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.odd-status"},
                                                  {"name", "Odd"},
                                                  {"settings", {{"status", 42}}}});
  contact(w.alpha_member, "Inès", "Statut");
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, odd).at("dead_letters").as_int64() == 1; }));
  auto letters = w.alpha_admin.get(instance_path(odd) + "/dead-letters").json().at("items").as_array();
  REQUIRE(letters.size() == 1);
  CHECK(text_of(letters[0].at("status")) == "fatal");
  CHECK(letters[0].at("attempts").as_int64() == 3);
  CHECK(w.daemon.log().find("returned status 42, which this host does not know; treated as FATAL") != std::string::npos);
}
