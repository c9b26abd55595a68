// The plugin host and event delivery, as an integrator and an admin meet them: plugin files
// found in a folder (good ones loaded, bad ones refused with a reason), instances enabled
// per organisation, events delivered in order and at least once through faults, dead
// letters an admin can list, replay and drop, and a stuck plugin suspended rather than
// allowed to hold anything up. The plugins are real shared libraries: fixtures built
// against the frozen SDK 1.0 headers (tests/plugins/) and the SDK examples built out of
// tree against the installed SDK.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

const fs::path fixtures = RELANCE_FIXTURE_PLUGINS;
const fs::path examples = RELANCE_SDK_EXAMPLES;


struct JournalLine {
  std::int64_t event_id;
  std::string type;
  int attempt;
  std::int64_t entity_id;
};

std::vector<JournalLine> journal(const std::string& path) {
  std::vector<JournalLine> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    JournalLine j{};
    f >> j.event_id >> j.type >> j.attempt >> j.entity_id;
    out.push_back(j);
  }
  return out;
}

std::int64_t contact(HttpClient& as, const std::string& name) {
  return World::create(as, "contacts", {{"first_name", name}, {"last_name", "Test"}}).at("id").as_int64();
}

std::map<std::string, json::object> plugins_by_file(HttpClient& as) {
  auto r = as.get("/api/v1/plugins");
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::map<std::string, json::object> out;
  const json::value body = r.json();
  for (const auto& p : body.at("items").as_array())
    out[fs::path(std::string(p.at("file").as_string())).filename().string()] = p.as_object();
  return out;
}


}  // namespace

TEST_CASE(
    "plugin files that are garbage, truncated, text, for another architecture or epoch, a "
    "duplicate or failing their init are refused with a reason, and the daemon serves") {
  PluginDir plugins{"journal", "init_fails", "epoch2"};
  static constexpr char garbage[] = "\x13\x37\xfe\xed not a library at all \x00\x01";
  plugins.write("garbage.so", std::string(garbage, sizeof garbage - 1));
  plugins.write("notes.so", "hello, I am a text file\n");
  std::ifstream whole(fixtures / "fixture_journal.so", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(whole)), {});
  plugins.write("truncated.so", bytes.substr(0, bytes.size() / 3));
  std::string arm = bytes;
  arm[18] = static_cast<char>(183);  // e_machine = EM_AARCH64
  arm[19] = 0;
  plugins.write("arm64.so", arm);
  plugins.add(fixtures / "fixture_journal.so", "zz_duplicate.so");

  World w(delivery_env(plugins));
  auto found = plugins_by_file(w.admin);
  REQUIRE(found.size() == 8);
  CHECK(text_of(found["journal.so"].at("state")) == "loaded");
  CHECK(text_of(found["journal.so"].at("id")) == "org.relance.fixture.journal");
  CHECK(text_of(found["journal.so"].at("sdk_version")) == "1.0.0");
  CHECK(json::serialize(found["journal.so"].at("interfaces")) ==
        R"(["relance.event-sink/1","relance.exporter/1"])");
  auto refused = [&](const std::string& file, const std::string& why) {
    INFO(file << ": " << json::serialize(found[file]));
    CHECK(text_of(found[file].at("state")) == "refused");
    CHECK(text_of(found[file].at("error")).find(why) != std::string::npos);
  };
  refused("garbage.so", "not an ELF shared library");
  refused("notes.so", "not an ELF shared library");
  refused("truncated.so", "truncated");
  refused("arm64.so", "built for AArch64");
  refused("epoch2.so", "SDK epoch 2");
  refused("init_fails.so", "init failed");
  refused("init_fails.so", "no licence file found");
  refused("zz_duplicate.so", "duplicate id org.relance.fixture.journal");

  CHECK(w.daemon.client().get("/readyz").status == 200);
  contact(w.alpha_member, "Still");  // the API works
  // Plugins are for administrators: an org-admin sees them, a member does not.
  CHECK(w.alpha_admin.get("/api/v1/plugins").status == 200);
  CHECK(w.alpha_member.get("/api/v1/plugins").status == 403);
  CHECK(w.staff.get("/api/v1/plugin-instances").status == 403);
  // A refused plugin cannot be enabled.
  auto r = w.alpha_admin.post("/api/v1/plugin-instances",
                              {{"plugin", "org.relance.fixture.init-fails"}, {"name", "x"}});
  CHECK(r.status == 422);
  CHECK(r.body.find("no loaded plugin") != std::string::npos);
}

TEST_CASE(
    "a well-behaved sink receives the subscribed events of its organisation in order, once, "
    "with the outbox's ids, and its state commits with them across a restart") {
  PluginDir plugins{"journal"};
  TempDir out;
  const std::string path = out.file("journal.log");
  World w(delivery_env(plugins));
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                 {"name", "journal"},
                                                 {"settings", {{"journal", path}}},
                                                 {"events", json::array{"contact.*", "lead.*"}}});
  CHECK(text_of(instance(w.alpha_admin, id).at("source")) == "api");
  // Beta's events and Alpha's company events are not for this instance.
  std::vector<std::int64_t> contacts;
  for (int i = 0; i < 5; ++i) contacts.push_back(contact(w.alpha_member, "C" + std::to_string(i)));
  contact(w.beta_member, "Other");
  World::create(w.alpha_member, "companies", {{"name", "Acme"}});
  auto lead = World::create(w.alpha_member, "leads", {{"title", "Seed round"}, {"contact_id", contacts[0]}});
  const auto lead_id = lead.at("id").as_int64();
  auto moved = w.alpha_member.patch("/api/v1/leads/" + std::to_string(lead_id), {{"stage", "contacted"}});
  REQUIRE(moved.status == 200);
  caught_up(w.alpha_admin, id);

  const std::string alpha = std::to_string(w.alpha_id);
  const std::string expected = sqlite(w.daemon.database(),
      "SELECT group_concat(id || ' ' || type, ',') FROM (SELECT id, type FROM outbox WHERE org_id = " +
          alpha + " AND (type LIKE 'contact.%' OR type LIKE 'lead.%') ORDER BY id)");
  std::string got;
  for (const auto& j : journal(path)) got += (got.empty() ? "" : ",") + std::to_string(j.event_id) + " " + j.type;
  CHECK(got == expected);
  const auto lines = journal(path);
  REQUIRE(lines.size() == 7);  // 5 contacts, lead created, stage changed
  CHECK(lines[5].type == "lead.created");
  CHECK(lines[6].type == "lead.stage_changed");
  CHECK(lines[6].entity_id == lead_id);
  for (const auto& j : lines) CHECK(j.attempt == 1);
  CHECK(sqlite(w.daemon.database(), "SELECT value FROM plugin_state WHERE instance_id = " + std::to_string(id) +
                                        " AND key = 'count'") == "7");
  CHECK(delivery(w.alpha_admin, id).at("delivered_since_start").as_int64() == 7);

  // After a restart: nothing delivered twice, and delivery goes on.
  w.daemon.stop();
  w.daemon.start();
  HttpClient admin = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  HttpClient member = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  contact(member, "After");
  caught_up(admin, id);
  CHECK(journal(path).size() == 8);
  CHECK(sqlite(w.daemon.database(), "SELECT value FROM plugin_state WHERE instance_id = " + std::to_string(id) +
                                        " AND key = 'count'") == "8");
  // Another organisation's admin does not see the instance.
  HttpClient beta = login(w.daemon.port(), "admin@beta.test", "password-of-admin@beta.test");
  CHECK(beta.get("/api/v1/plugin-instances/" + std::to_string(id)).status == 404);
}

TEST_CASE(
    "a plugin that throws in every call: each event is retried, then dead-lettered with the "
    "exception's message, and an admin lists, replays and drops dead letters") {
  PluginDir plugins{"thrower"};
  World w(delivery_env(plugins));
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.thrower"}, {"name", "thrower"}});
  for (int i = 0; i < 3; ++i) contact(w.alpha_member, "T" + std::to_string(i));
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 3; }));
  caught_up(w.alpha_admin, id);

  const std::string letters = "/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters";
  auto r = w.alpha_admin.get(letters);
  REQUIRE(r.status == 200);
  const auto items = r.json().at("items").as_array();
  REQUIRE(items.size() == 3);
  for (const auto& d : items) {
    CHECK(text_of(d.at("status")) == "retry");
    CHECK(d.at("attempts").as_int64() == 3);
    CHECK(text_of(d.at("error")).find("thrower fails on purpose") != std::string::npos);
    CHECK(text_of(d.at("type")) == "contact.created");
  }
  const std::int64_t first = items[0].at("event_id").as_int64();
  CHECK(text_of(delivery(w.alpha_admin, id).at("last_error")).find("thrower fails on purpose") != std::string::npos);

  // A replay of a plugin that still throws ends in the dead letters again.
  auto replay = w.alpha_admin.post(letters + "/" + std::to_string(first) + "/replay", json::object{});
  CHECK(replay.status == 202);
  CHECK(w.alpha_admin.post(letters + "/999999/replay", json::object{}).status == 404);
  CHECK(w.alpha_member.post(letters + "/replay", json::object{}).status == 403);
  std::this_thread::sleep_for(500ms);
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 3);

  // Dropping one is recorded in the audit log.
  CHECK(w.alpha_admin.del(letters + "/" + std::to_string(first)).status == 204);
  CHECK(w.alpha_admin.del(letters + "/" + std::to_string(first)).status == 404);
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 2);
  auto audit = w.alpha_admin.get("/api/v1/audit?limit=1").json().at("items").as_array();
  REQUIRE(!audit.empty());
  CHECK(text_of(audit[0].at("action")) == "drop-dead-letter");
  // Beta cannot see Alpha's dead letters.
  CHECK(w.beta_admin.get(letters).status == 404);
}

TEST_CASE(
    "INVALID dead-letters an event at once without holding up the next ones, and after the "
    "settings change, a replay delivers it") {
  PluginDir plugins{"journal"};
  TempDir out;
  const std::string path = out.file("journal.log");
  World w(delivery_env(plugins));
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                 {"name", "picky"},
                                                 {"settings", {{"journal", path}, {"reject", "company.created"}}}});
  World::create(w.alpha_member, "companies", {{"name", "Rejected Inc"}});
  contact(w.alpha_member, "Fine");
  caught_up(w.alpha_admin, id);
  const std::string letters = "/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters";
  auto items = w.alpha_admin.get(letters).json().at("items").as_array();
  REQUIRE(items.size() == 1);
  CHECK(text_of(items[0].at("status")) == "invalid");
  CHECK(items[0].at("attempts").as_int64() == 1);
  CHECK(text_of(items[0].at("error")).find("rejected by setting") != std::string::npos);
  REQUIRE(journal(path).size() == 1);
  CHECK(journal(path)[0].type == "contact.created");

  auto changed = w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(id),
                                     {{"settings", {{"journal", path}}}});
  REQUIRE(changed.status == 200);
  REQUIRE(eventually([&] { return text_of(delivery(w.alpha_admin, id).at("state")) == "idle"; }));
  CHECK(w.alpha_admin.post(letters + "/replay", json::object{}).status == 202);
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0; }));
  const auto lines = journal(path);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].type == "company.created");
}

TEST_CASE("a plugin answering FATAL is recreated and retried, then its events are dead-lettered, and the next ones still flow") {
  PluginDir plugins{"fatal"};
  World w(delivery_env(plugins));
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.fatal"}, {"name", "fatal"}});
  contact(w.alpha_member, "F1");
  contact(w.alpha_member, "F2");
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 2; }));
  caught_up(w.alpha_admin, id);
  auto items = w.alpha_admin.get("/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters")
                   .json().at("items").as_array();
  REQUIRE(items.size() == 2);
  for (const auto& d : items) {
    CHECK(text_of(d.at("status")) == "fatal");
    CHECK(d.at("attempts").as_int64() == 3);
    CHECK(text_of(d.at("error")).find("broken on purpose") != std::string::npos);
  }
}

TEST_CASE(
    "a call that overruns its time budget suspends the instance, reported in the API and kept "
    "across a restart, while the API and other instances go on, and resume continues delivery") {
  PluginDir plugins{"slow", "journal"};
  TempDir out;
  const std::string path = out.file("journal.log");
  World w(delivery_env(plugins));
  const std::int64_t slow = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.slow"},
                                                   {"name", "slow"},
                                                   {"settings", {{"sleep_ms", 2500}}}});
  const std::int64_t fast = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                   {"name", "fast"},
                                                   {"settings", {{"journal", path}}}});
  contact(w.alpha_member, "S1");
  contact(w.alpha_member, "S2");
  // The other instance is not held up by the slow one.
  caught_up(w.alpha_admin, fast);
  CHECK(journal(path).size() == 2);
  REQUIRE(eventually([&] { return text_of(delivery(w.alpha_admin, slow).at("state")) == "suspended"; }, 5s));
  CHECK(text_of(delivery(w.alpha_admin, slow).at("last_error")).find("budget of 1000 ms") != std::string::npos);
  // The API answers at once meanwhile.
  const auto t0 = std::chrono::steady_clock::now();
  contact(w.alpha_member, "S3");
  CHECK(std::chrono::steady_clock::now() - t0 < 500ms);

  // Suspended it stays, also after a restart, until an admin resumes it.
  w.daemon.stop();
  w.daemon.start();
  HttpClient admin = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  std::this_thread::sleep_for(300ms);
  CHECK(text_of(delivery(admin, slow).at("state")) == "suspended");
  CHECK(delivery(admin, slow).at("pending").as_int64() >= 2);
  auto quick = admin.patch("/api/v1/plugin-instances/" + std::to_string(slow), {{"settings", {{"sleep_ms", 0}}}});
  REQUIRE(quick.status == 200);
  auto resumed = admin.post("/api/v1/plugin-instances/" + std::to_string(slow) + "/resume", json::object{});
  INFO(resumed.body);
  REQUIRE(resumed.status == 200);
  caught_up(admin, slow);
  CHECK(text_of(delivery(admin, slow).at("state")) == "idle");
  CHECK(delivery(admin, slow).at("dead_letters").as_int64() == 0);
}

TEST_CASE(
    "kill -9 during delivery: after restart every event is delivered, and only events whose "
    "delivery was not yet recorded come twice") {
  PluginDir plugins{"journal"};
  TempDir out;
  const std::string path = out.file("journal.log");
  World w(delivery_env(plugins));
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                 {"name", "crash"},
                                                 {"settings", {{"journal", path}}},
                                                 {"events", json::array{"contact.*"}}});
  // Stop delivery while the events pile up, so that the kill lands in mid-delivery.
  REQUIRE(w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(id), {{"enabled", false}}).status == 200);
  constexpr int n = 1500;
  for (int i = 0; i < n; ++i) contact(w.alpha_member, "K" + std::to_string(i));
  REQUIRE(w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(id), {{"enabled", true}}).status == 200);
  REQUIRE(eventually([&] { return journal(path).size() >= 200; }));
  w.daemon.kill9();
  const std::int64_t recorded = std::stoll(sqlite(w.daemon.database(),
      "SELECT event_id FROM plugin_cursors WHERE instance_id = " + std::to_string(id)));
  const std::size_t before = journal(path).size();
  INFO("delivered before the kill: " << before << ", recorded: " << recorded);
  CHECK(before < static_cast<std::size_t>(n));

  w.daemon.start();
  HttpClient admin = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  caught_up(admin, id);
  const auto lines = journal(path);
  std::map<std::int64_t, int> seen;
  for (const auto& j : lines) ++seen[j.event_id];
  const std::string all = sqlite(w.daemon.database(),
      "SELECT count(*) FROM outbox WHERE org_id = " + std::to_string(w.alpha_id) + " AND type = 'contact.created'");
  CHECK(seen.size() == std::stoul(all));  // none skipped
  for (const auto& [event, times] : seen) {
    if (times > 1) {
      INFO("event " << event << " delivered " << times << " times");
      CHECK(event > recorded);  // a duplicate only where the delivery was not recorded
    }
  }
  // In order: the journal never goes back except where a redelivery restarts.
  std::int64_t last = 0;
  int restarts = 0;
  for (const auto& j : lines) {
    if (j.event_id <= last) ++restarts;
    last = j.event_id;
  }
  CHECK(restarts <= 1);
}

TEST_CASE(
    "a plugin built with a newer minor SDK loads into today's daemon, runs, and reads no field "
    "and no service the daemon did not give it") {
  PluginDir plugins{"future"};
  World w(delivery_env(plugins));
  auto found = plugins_by_file(w.admin);
  CHECK(text_of(found["future.so"].at("state")) == "loaded");
  CHECK(text_of(found["future.so"].at("sdk_version")) == "1.9.0");
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.future"}, {"name", "future"}});
  contact(w.alpha_member, "Next");
  caught_up(w.alpha_admin, id);
  const std::string where = "FROM plugin_state WHERE instance_id = " + std::to_string(id);
  CHECK(sqlite(w.daemon.database(), "SELECT value " + where + " AND key = 'trace'") == "absent");
  CHECK(sqlite(w.daemon.database(), "SELECT value " + where + " AND key = 'secrets'") == "not offered");
}

TEST_CASE("instances declared in the configuration file are applied at start and cannot be changed through the API") {
  PluginDir plugins{"journal"};
  TempDir out;
  World w(delivery_env(plugins));
  std::ofstream(w.daemon.data_dir() / "relance.toml")
      << "[[plugins.instance]]\n"
         "organisation = \"Alpha Robotics\"\n"
         "name = \"from-config\"\n"
         "plugin = \"org.relance.fixture.journal\"\n"
         "events = [\"contact.created\"]\n"
         "datasets = [\"contacts\"]\n"
         "settings = { journal = \""
      << out.file("journal.log") << "\" }\n";
  w.daemon.stop();
  w.daemon.start();
  HttpClient admin = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  HttpClient member = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  auto list = admin.get("/api/v1/plugin-instances").json().at("items").as_array();
  REQUIRE(list.size() == 1);
  const auto& i = list[0].as_object();
  CHECK(text_of(i.at("source")) == "config");
  CHECK(json::serialize(i.at("events")) == R"(["contact.created"])");
  const std::int64_t id = i.at("id").as_int64();
  contact(member, "Configured");
  caught_up(admin, id);
  CHECK(journal(out.file("journal.log")).size() == 1);
  CHECK(admin.patch("/api/v1/plugin-instances/" + std::to_string(id), {{"enabled", false}}).status == 409);
  CHECK(admin.del("/api/v1/plugin-instances/" + std::to_string(id)).status == 409);

  // Taken out of the file: disabled and handed to the API, where it can be deleted.
  std::ofstream(w.daemon.data_dir() / "relance.toml") << "# no plugin instances\n";
  w.daemon.stop();
  w.daemon.start();
  HttpClient again = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  const auto left = instance(again, id);
  CHECK(left.at("enabled") == false);
  CHECK(text_of(left.at("source")) == "api");
  CHECK(again.del("/api/v1/plugin-instances/" + std::to_string(id)).status == 204);
}

TEST_CASE("the SDK examples, built out of tree against the installed SDK, load into the daemon and receive events") {
  PluginDir plugins{};
  plugins.add(examples / "example_c.so", "example_c.so");
  plugins.add(examples / "example_cpp.so", "example_cpp.so");
  World w(delivery_env(plugins));
  auto found = plugins_by_file(w.admin);
  REQUIRE(found.size() == 2);
  std::vector<std::int64_t> ids;
  for (auto& [file, p] : found) {
    INFO(json::serialize(p));
    REQUIRE(text_of(p.at("state")) == "loaded");
    ids.push_back(enable(w.alpha_admin, {{"plugin", p.at("id")}, {"name", file}}));
  }
  contact(w.alpha_member, "Example");
  World::create(w.alpha_member, "companies", {{"name", "Example Co"}});
  for (std::int64_t id : ids) {
    caught_up(w.alpha_admin, id);
    CHECK(delivery(w.alpha_admin, id).at("delivered_since_start").as_int64() == 2);
    CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0);
    CHECK(std::stoi(sqlite(w.daemon.database(), "SELECT count(*) FROM plugin_state WHERE instance_id = " +
                                                    std::to_string(id))) > 0);
  }
}

TEST_CASE("relance plugin list shows files, states, refusals and instances, with exit codes for a bad token or no daemon") {
  PluginDir plugins{"journal"};
  plugins.write("garbage.so", "garbage");
  World w(delivery_env(plugins));
  enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"}, {"name", "crm-sync"}});
  const std::string url = "http://127.0.0.1:" + std::to_string(w.daemon.port());
  auto [code, out] = Daemon::run_cli({"plugin", "list"}, {{"RELANCE_URL", url}, {"RELANCE_TOKEN", w.admin.token()}});
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("org.relance.fixture.journal") != std::string::npos);
  CHECK(out.find("relance.event-sink/1, relance.exporter/1") != std::string::npos);
  CHECK(out.find("garbage.so") != std::string::npos);
  CHECK(out.find("not an ELF shared library") != std::string::npos);
  CHECK(out.find("crm-sync") != std::string::npos);

  auto [json_code, json_out] =
      Daemon::run_cli({"plugin", "list", "--json"}, {{"RELANCE_URL", url}, {"RELANCE_TOKEN", w.alpha_admin.token()}});
  CHECK(json_code == 0);
  const auto doc = json::parse(json_out);
  REQUIRE(doc.at("items").as_array().size() == 1);  // an org-admin sees loaded plugins only
  CHECK(doc.at("items").as_array()[0].at("file") == "journal.so");

  CHECK(Daemon::run_cli({"plugin", "list"}, {{"RELANCE_URL", url}, {"RELANCE_TOKEN", "rl_wrong"}}).first == 4);
  // A member is logged in but may not see plugins: refused (1), not "not logged in" (4).
  CHECK(Daemon::run_cli({"plugin", "list"}, {{"RELANCE_URL", url}, {"RELANCE_TOKEN", w.alpha_member.token()}}).first == 1);
  auto [down, down_out] = Daemon::run_cli({"plugin", "list"}, {{"RELANCE_URL", "http://127.0.0.1:1"}, {"RELANCE_TOKEN", "x"}});
  CHECK(down == 3);
  CHECK(down_out.find("cannot reach the daemon") != std::string::npos);
  TempDir home;
  auto [none, none_out] = Daemon::run_cli(
      {"plugin", "list"}, {{"HOME", home.path().string()}, {"XDG_CONFIG_HOME", home.file("config")}, {"RELANCE_URL", url}});
  CHECK(none == 4);
  CHECK(none_out.find("not logged in") != std::string::npos);
}

TEST_CASE(
    "through relance.host.query/1 an instance reads the granted datasets of its own "
    "organisation, page after page, and nothing else") {
  PluginDir plugins{"journal"};
  World w(delivery_env(plugins));
  for (int i = 0; i < 600; ++i)  // more than one page of the query service
    contact(w.alpha_member, "Q" + std::to_string(i));
  World::create(w.alpha_member, "contacts", {{"first_name", "Zoé"}, {"last_name", "Châteauneuf-Müller"}});
  World::create(w.beta_member, "contacts", {{"first_name", "B"}, {"last_name", "Beta-Organisation"}});
  const std::int64_t granted = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                      {"name", "reader"},
                                                      {"settings", {{"query", "contacts"}}},
                                                      {"events", json::array{"company.created"}},
                                                      {"datasets", json::array{"contacts"}}});
  const std::int64_t refused = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                                                      {"name", "not-granted"},
                                                      {"settings", {{"query", "contacts"}}},
                                                      {"events", json::array{"company.created"}},
                                                      {"datasets", json::array{"leads"}}});
  World::create(w.alpha_member, "companies", {{"name", "Trigger"}});
  caught_up(w.alpha_admin, granted);
  caught_up(w.alpha_admin, refused);
  auto state = [&](std::int64_t id, const std::string& key) {
    return sqlite(w.daemon.database(), "SELECT value FROM plugin_state WHERE instance_id = " + std::to_string(id) +
                                           " AND key = '" + key + "'");
  };
  CHECK(state(granted, "rows") == "601");
  const std::string names = state(granted, "names");
  CHECK(names.find("Châteauneuf-Müller;") != std::string::npos);
  CHECK(names.find("Beta-Organisation") == std::string::npos);
  CHECK(state(refused, "rows") == "refused " + std::to_string(3));
}

namespace {

// Every byte of every file under `dir` (the database, its WAL, the log...).
std::string every_byte_under(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string instant_in(std::chrono::seconds from_now) {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  char buf[32];
  std::tm tm{};
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
  return buf;
}

}  // namespace

TEST_CASE(
    "secret settings are write-only: the API shows (set), the plugin gets them in clear, and neither the log, "
    "last_error nor any file of the data directory holds them") {
  PluginDir plugins{"journal"};
  plugins.add(fs::path(RELANCE_BUNDLED_PLUGINS) / "relance_email_reminder.so", "email_reminder.so");
  auto env = delivery_env(plugins);
  env["RELANCE_OUTBOUND_ALLOW"] = "127.0.0.1:1";  // the closed port the email plugin tries
  World w(env);
  TempDir out;
  const std::string url_password = "Url-pass-4217-q", smtp_password = "Smtp-S3cret-9051";
  const std::string api_key = "key-7c1e5a0b93fe", client_secret = "Nested/Secret+88";
  const std::vector<std::string> secrets{url_password, smtp_password, api_key, client_secret};
  auto holds_a_secret = [&](const std::string& text) {
    for (const auto& s : secrets)
      if (text.find(s) != std::string::npos) return true;
    return false;
  };

  // The email plugin, pointed at a closed port with the password in its URL too: each
  // delivery fails, and the plugin logs curl's error, which quotes the URL.
  auto mail = w.alpha_admin.post(
      "/api/v1/plugin-instances",
      {{"plugin", "org.relance.email-reminder"},
       {"name", "mail"},
       {"events", json::array{"followup.due"}},
       {"settings", {{"smtp_url", "smtp://relance:" + url_password + "@127.0.0.1:1"}, {"username", "relance"},
                     {"password", smtp_password}, {"from", "Relance <relance@alpha.test>"}, {"starttls", "no"},
                     {"connect_timeout_ms", 500}}}});
  INFO(mail.body);
  REQUIRE(mail.status == 201);
  CHECK_FALSE(holds_a_secret(mail.body));
  const auto mail_settings = mail.json().at("settings");
  CHECK(mail_settings.at("password") == "(set)");
  CHECK(mail_settings.at("smtp_url") == "smtp://relance:(set)@127.0.0.1:1");
  CHECK(mail_settings.at("username") == "relance");
  const std::int64_t mail_id = mail.json().at("id").as_int64();

  // The journal fixture writes the settings it was given to a file, and logs them.
  const std::string echo = out.file("settings.json");
  const std::int64_t journal_id = enable(
      w.alpha_admin, {{"plugin", "org.relance.fixture.journal"},
                      {"name", "journal"},
                      {"settings", {{"echo", echo}, {"reject", "followup.created"}, {"api_key", api_key},
                                    {"oauth", {{"client_secret", client_secret}}}}}});
  REQUIRE(eventually([&] { return fs::exists(echo); }));
  const auto given = json::parse(read_text(echo));
  CHECK(given.at("api_key") == api_key.c_str());
  CHECK(given.at("oauth").at("client_secret") == client_secret.c_str());

  // A reminder the email plugin cannot send: its last_error names the server, not the
  // password. The journal rejects the follow-up's creation quoting its whole settings:
  // last_error and the dead letter carry them redacted.
  World::create(w.alpha_member, "followups", {{"title", "Call back"}, {"due_at", instant_in(-60s)}});
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, mail_id).at("dead_letters").as_int64() == 1; }, 60s));
  const std::string mail_error = text_of(delivery(w.alpha_admin, mail_id).at("last_error"));
  INFO(mail_error);
  CHECK(mail_error.find("127.0.0.1:1") != std::string::npos);
  CHECK_FALSE(holds_a_secret(mail_error));
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, journal_id).at("dead_letters").as_int64() >= 1; }, 60s));
  const std::string last_error = text_of(delivery(w.alpha_admin, journal_id).at("last_error"));
  INFO(last_error);
  CHECK(last_error.find("\"api_key\":\"(secret)\"") != std::string::npos);
  CHECK_FALSE(holds_a_secret(last_error));
  for (const std::int64_t id : {mail_id, journal_id}) {
    const auto letters = w.alpha_admin.get("/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters");
    INFO(letters.body);
    CHECK(letters.status == 200);
    CHECK_FALSE(holds_a_secret(letters.body));
  }

  // Nowhere in the API: one instance, the list, the plugins with their instances.
  for (const std::string& path : {"/api/v1/plugin-instances/" + std::to_string(mail_id),
                                 "/api/v1/plugin-instances/" + std::to_string(journal_id),
                                 std::string("/api/v1/plugin-instances"), std::string("/api/v1/plugins")}) {
    for (HttpClient* as : {&w.alpha_admin, &w.admin}) {
      const auto r = as->get(path);
      INFO(path << ": " << r.body);
      CHECK(r.status == 200);
      CHECK(r.body.find("(set)") != std::string::npos);
      CHECK_FALSE(holds_a_secret(r.body));
    }
  }

  // A settings object read from the API and sent back keeps the stored secrets.
  auto shown = instance(w.alpha_admin, journal_id).at("settings").as_object();
  CHECK(shown.at("api_key") == "(set)");
  CHECK(shown.at("oauth").at("client_secret") == "(set)");
  shown["region"] = "north";
  fs::remove(echo);
  auto patched = w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(journal_id), {{"settings", shown}});
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  CHECK(patched.json().at("settings").at("api_key") == "(set)");
  CHECK_FALSE(holds_a_secret(patched.body));
  REQUIRE(eventually([&] { return fs::exists(echo); }));
  const auto kept = json::parse(read_text(echo));
  CHECK(kept.at("api_key") == api_key.c_str());
  CHECK(kept.at("oauth").at("client_secret") == client_secret.c_str());
  CHECK(kept.at("region") == "north");

  // The same for the URL's password: the email instance's settings sent back unchanged.
  auto mail_patch = w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(mail_id),
                                        {{"settings", instance(w.alpha_admin, mail_id).at("settings")}});
  INFO(mail_patch.body);
  CHECK(mail_patch.status == 200);
  CHECK(mail_patch.json().at("settings").at("smtp_url") == "smtp://relance:(set)@127.0.0.1:1");

  // A new value replaces the secret; "(set)" where nothing is stored is refused.
  shown["api_key"] = "key-replaced-5521";
  fs::remove(echo);
  REQUIRE(w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(journal_id), {{"settings", shown}}).status == 200);
  REQUIRE(eventually([&] { return fs::exists(echo); }));
  CHECK(json::parse(read_text(echo)).at("api_key") == "key-replaced-5521");
  shown["smtp_password"] = "(set)";
  auto refused = w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(journal_id), {{"settings", shown}});
  CHECK(refused.status == 422);
  CHECK(refused.body.find("settings/smtp_password") != std::string::npos);

  // The plugins logged them (the email plugin its URL, the journal its settings): redacted.
  const std::string log = w.daemon.log();
  CHECK(log.find("smtp://relance:(secret)@127.0.0.1:1") != std::string::npos);
  CHECK_FALSE(holds_a_secret(log));

  // At rest, sealed: not in the database, its WAL, the log file, anywhere in the data
  // directory; the key beside the database is private.
  w.daemon.stop();
  CHECK_FALSE(holds_a_secret(every_byte_under(w.daemon.data_dir())));
  const fs::path key = w.daemon.data_dir() / "secrets.key";
  REQUIRE(fs::exists(key));
  CHECK(fs::file_size(key) == 32);
  CHECK((fs::status(key).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("secret settings a database holds in clear are sealed at start, and still reach the plugin") {
  PluginDir plugins{"journal"};
  World w(delivery_env(plugins));
  TempDir out;
  const std::string echo = out.file("settings.json");
  const std::int64_t id = enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"}, {"name", "journal"},
                                                 {"settings", {{"echo", echo}}}});
  w.daemon.stop();
  // As a daemon from before sealing wrote them.
  const std::string clear = json::serialize(json::object{{"echo", echo}, {"api_token", "tok-in-clear-2231"},
                                                         {"url", "https://bot:in-clear-url-77@crm.example/"}});
  sqlite(w.daemon.database(), "UPDATE plugin_instances SET settings = '" + clear + "' WHERE id = " + std::to_string(id));
  fs::remove(echo);
  w.daemon.start();
  HttpClient admin = login(w.daemon.port(), "admin@alpha.test", "password-of-admin@alpha.test");
  const auto shown = instance(admin, id).at("settings");
  CHECK(shown.at("api_token") == "(set)");
  CHECK(shown.at("url") == "https://bot:(set)@crm.example/");
  REQUIRE(eventually([&] { return fs::exists(echo); }));
  const auto given = json::parse(read_text(echo));
  CHECK(given.at("api_token") == "tok-in-clear-2231");
  CHECK(given.at("url") == "https://bot:in-clear-url-77@crm.example/");
  w.daemon.stop();
  const std::string bytes = every_byte_under(w.daemon.data_dir());
  CHECK(bytes.find("tok-in-clear-2231") == std::string::npos);
  CHECK(bytes.find("in-clear-url-77") == std::string::npos);
}

TEST_CASE("serve refuses to start without secrets.key when the database holds secrets sealed under it") {
  PluginDir plugins{"journal"};
  World w(delivery_env(plugins));
  enable(w.alpha_admin, {{"plugin", "org.relance.fixture.journal"}, {"name", "journal"},
                         {"settings", {{"password", "sealed-away-1"}}}});
  w.daemon.stop();
  fs::remove(w.daemon.data_dir() / "secrets.key");
  CHECK_THROWS(w.daemon.start());
  CHECK(w.daemon.log().find("secrets.key is missing") != std::string::npos);
  CHECK_FALSE(fs::exists(w.daemon.data_dir() / "secrets.key"));
}
