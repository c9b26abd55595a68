// The bundled webhook connector (plugins/webhook) against a partner built on the npm package
// standardwebhooks (tests/webhook/receiver.mjs): every message the real daemon sends must
// pass that implementation's verify(); retries carry the same webhook-id; a 410 suspends the
// instance without losing the event; failures, a partner down, too slow, answering garbage or
// redirecting to an address the outbound policy refuses end in dead letters after their
// retries, and nothing ever reaches a refused address (a canary listener counts the
// connections it gets). The secret appears in no API answer, log line or last error. The
// delivery, retry and 410 cases run with the plugin in the daemon and isolated in a process
// of its own (relance.host.http/1 and relance.host.suspend/1 proxied).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// 32 bytes, base64: the secret the partner and the instance share.
const std::string key_base64 = "cGFydG5lci1zaGFyZWQtc2VjcmV0LW9mLTMyLWJ5dGU=";
const std::string secret = "whsec_" + key_base64;

// The receiver, run by node from a folder whose node_modules holds standardwebhooks.
class Partner {
 public:
  explicit Partner(int slow_ms = 1500) {
    fs::copy_file(fs::path(RELANCE_SOURCE_DIR) / "tests/webhook/receiver.mjs", dir_.path() / "receiver.mjs");
    fs::create_directory_symlink(RELANCE_WEB_NODE_MODULES, dir_.path() / "node_modules");
    const std::string ready = dir_.file("ready");
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const std::string script = dir_.file("receiver.mjs"), results = dir_.file("results.jsonl"),
                        slow = std::to_string(slow_ms);
      execl(RELANCE_NODE, RELANCE_NODE, script.c_str(), "--secret", secret.c_str(), "--results", results.c_str(),
            "--ready", ready.c_str(), "--slow-ms", slow.c_str(), "--lifetime-s", "300", static_cast<char*>(nullptr));
      _exit(127);
    }
    REQUIRE(eventually([&] { return fs::exists(ready) && fs::file_size(ready) > 0; }, 30s));
    std::ifstream(ready) >> port_ >> canary_;
    REQUIRE(port_ > 0);
  }
  ~Partner() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  Partner(const Partner&) = delete;
  Partner& operator=(const Partner&) = delete;

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::string canary_url() const { return "http://127.0.0.1:" + std::to_string(canary_) + "/direct"; }
  int port() const { return port_; }

  // Every request received so far, in order.
  std::vector<json::object> requests() const {
    std::vector<json::object> out;
    std::ifstream in(dir_.file("results.jsonl"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(json::parse(line).as_object());
    return out;
  }
  std::vector<json::object> requests(const std::string& path) const {
    std::vector<json::object> out;
    for (auto& r : requests())
      if (r.at("path").as_string() == path) out.push_back(r);
    return out;
  }
  int canary_hits() const {
    std::ifstream in(dir_.file("results.jsonl.canary"));
    int n = 0;
    in >> n;
    return n;
  }

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0, canary_ = 0;
};

// A loopback port nothing listens on: a partner that is down.
int closed_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t size = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &size);
  close(s);
  return ntohs(a.sin_port);
}

// A daemon with the bundled plugins, quick retries, and an outbound policy that allows the
// partner's port (and `more` ports) on loopback, nothing else of loopback: not the canary.
// The plugins run where `isolation` says: "in-process", or "process" as a third party's
// connector does by default (its HTTP requests and suspension then cross the process).
std::map<std::string, std::string> env(const Partner& p, const std::vector<int>& more = {}, int attempts = 3,
                                       const std::string& isolation = "in-process") {
  std::string allow = "127.0.0.1:" + std::to_string(p.port());
  for (int port : more) allow += ",127.0.0.1:" + std::to_string(port);
  return {{"RELANCE_PLUGINS_ISOLATION", isolation},
          {"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS},
          {"RELANCE_PLUGINS_RETRY_INITIAL_MS", "20"},
          {"RELANCE_PLUGINS_RETRY_MAX_MS", "100"},
          {"RELANCE_PLUGINS_MAX_ATTEMPTS", std::to_string(attempts)},
          {"RELANCE_PLUGINS_CALL_BUDGET_MS", "4000"},
          {"RELANCE_OUTBOUND_ALLOW", allow}};
}

json::object instance(HttpClient& as, std::int64_t id) {
  auto r = as.get("/api/v1/plugin-instances/" + std::to_string(id));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.body.find(key_base64) == std::string::npos);
  return r.json().as_object();
}
json::object delivery(HttpClient& as, std::int64_t id) { return instance(as, id).at("delivery").as_object(); }

std::int64_t webhook(HttpClient& as, const std::string& name, const std::string& url, json::array events,
                     bool follow_redirects = false) {
  auto r = as.post("/api/v1/plugin-instances",
                   {{"plugin", "org.relance.webhook"},
                    {"name", name},
                    {"settings", {{"url", url}, {"secret", secret}, {"timeout_ms", 500},
                                  {"follow_redirects", follow_redirects}}},
                    {"events", std::move(events)}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.body.find(key_base64) == std::string::npos);
  return r.json().at("id").as_int64();
}

void caught_up(HttpClient& as, std::int64_t id) {
  const bool done = eventually([&] { return delivery(as, id).at("pending").as_int64() == 0; });
  INFO(json::serialize(instance(as, id)));
  REQUIRE(done);
}

std::int64_t contact(HttpClient& as, const std::string& name) {
  return World::create(as, "contacts", {{"first_name", name}, {"last_name", "Partner"}}).at("id").as_int64();
}

// The secret appears nowhere the daemon shows or writes: its log, the instance's last error
// and dead letters (the API answers are checked as they come, above).
void secret_kept(World& w, std::int64_t id) {
  const std::string log = w.daemon.log();
  CHECK(log.find(key_base64) == std::string::npos);
  CHECK(log.find(secret) == std::string::npos);
  auto letters = w.alpha_admin.get("/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters");
  REQUIRE(letters.status == 200);
  CHECK(letters.body.find(key_base64) == std::string::npos);
}

// The plugins ran where the test asked (the registry says so in the log when isolated).
void ran_as(World& w, const std::string& isolation) {
  CHECK((w.daemon.log().find("isolated in a process of its own") != std::string::npos) == (isolation == "process"));
}

std::vector<std::string> ids_of(const std::vector<json::object>& requests) {
  std::vector<std::string> ids;
  for (const auto& r : requests) ids.emplace_back(r.at("id").as_string());
  return ids;
}

}  // namespace

TEST_CASE("every subscribed event reaches the partner once, signed so that standardwebhooks verifies it, with "
          "the event's id as webhook-id, and the secret is shown to no one, in process or isolated") {
  const std::string isolation = GENERATE("in-process", "process");
  INFO("isolation: " << isolation);
  Partner partner;
  World w(env(partner, {}, 3, isolation));
  const std::int64_t id = webhook(w.alpha_admin, "crm", partner.url("/ok"), json::array{"contact.*"});
  auto shown = instance(w.alpha_admin, id);
  CHECK(shown.at("settings").at("secret").as_string() == "(set)");

  for (int i = 0; i < 5; ++i) contact(w.alpha_member, "C" + std::to_string(i));
  World::create(w.alpha_member, "companies", {{"name", "Not subscribed SAS"}});
  contact(w.beta_member, "Another start-up's");
  caught_up(w.alpha_admin, id);

  const auto got = partner.requests("/ok");
  REQUIRE(got.size() == 5);
  for (const auto& r : got) {
    INFO(json::serialize(r));
    CHECK(r.at("verified").as_bool());
  }
  const std::string expected = sqlite(w.daemon.database(),
      "SELECT group_concat('evt_' || id, ',') FROM (SELECT id FROM outbox WHERE org_id = " +
          std::to_string(w.alpha_id) + " AND type = 'contact.created' ORDER BY id)");
  std::string ids;
  for (const auto& i : ids_of(got)) ids += (ids.empty() ? "" : ",") + i;
  CHECK(ids == expected);
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0);

  // The administrator's test sends one signed message, which verifies too.
  auto test = w.alpha_admin.post("/api/v1/plugin-instances/" + std::to_string(id) + "/test", json::object{});
  INFO(test.body);
  REQUIRE(test.status == 200);
  CHECK(test.json().at("passed").as_bool());
  CHECK(test.body.find("HTTP 204") != std::string::npos);
  const auto after = partner.requests("/ok");
  REQUIRE(after.size() == 6);
  CHECK(std::string(after.back().at("id").as_string()).starts_with("test_"));
  CHECK(after.back().at("verified").as_bool());
  secret_kept(w, id);
  ran_as(w, isolation);
}

TEST_CASE("a partner failing twice then accepting gets the same webhook-id on each attempt, each signature "
          "verified, and the event is delivered, in process or isolated") {
  const std::string isolation = GENERATE("in-process", "process");
  INFO("isolation: " << isolation);
  Partner partner;
  World w(env(partner, {}, 5, isolation));
  const std::int64_t id = webhook(w.alpha_admin, "flaky", partner.url("/flaky"), json::array{"contact.created"});
  contact(w.alpha_member, "A");
  contact(w.alpha_member, "B");
  caught_up(w.alpha_admin, id);

  const auto got = partner.requests("/flaky");
  std::map<std::string, int> attempts;
  for (const auto& r : got) {
    INFO(json::serialize(r));
    CHECK(r.at("verified").as_bool());
    ++attempts[std::string(r.at("id").as_string())];
  }
  REQUIRE(attempts.size() == 2);
  for (const auto& [webhook_id, n] : attempts) CHECK(n == 3);
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0);
  ran_as(w, isolation);
}

TEST_CASE("a partner answering 500 gets the event again with backoff, then it is dead-lettered with the reason") {
  Partner partner;
  World w(env(partner));
  const std::int64_t id = webhook(w.alpha_admin, "failing", partner.url("/fail"), json::array{"contact.created"});
  contact(w.alpha_member, "A");
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 1; }));

  const auto got = partner.requests("/fail");
  REQUIRE(got.size() == 3);
  const auto ids = ids_of(got);
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 1);
  for (const auto& r : got) CHECK(r.at("verified").as_bool());
  const auto d = delivery(w.alpha_admin, id);
  CHECK(std::string(d.at("last_error").as_string()).find("HTTP 500") != std::string::npos);
  secret_kept(w, id);
}

TEST_CASE("a partner answering 410 suspends the instance: the event waits, undelivered, and goes out with the "
          "same webhook-id once an admin points the instance elsewhere and resumes it, in process or isolated") {
  const std::string isolation = GENERATE("in-process", "process");
  INFO("isolation: " << isolation);
  Partner partner;
  World w(env(partner, {}, 3, isolation));
  const std::int64_t id = webhook(w.alpha_admin, "gone", partner.url("/gone"), json::array{"contact.created"});
  // Two events at once (isolated, likely one batch): the second is not sent after the 410.
  contact(w.alpha_member, "A");
  contact(w.alpha_member, "B");
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("state").as_string() == "suspended"; }));
  auto d = delivery(w.alpha_admin, id);
  CHECK(std::string(d.at("last_error").as_string()).find("410") != std::string::npos);
  CHECK(d.at("dead_letters").as_int64() == 0);
  CHECK(d.at("pending").as_int64() == 2);
  // Suspended, it sends nothing more, whatever happens.
  contact(w.alpha_member, "C");
  std::this_thread::sleep_for(300ms);
  REQUIRE(partner.requests("/gone").size() == 1);

  auto changed = w.alpha_admin.patch("/api/v1/plugin-instances/" + std::to_string(id),
                                     {{"settings", {{"url", partner.url("/ok")}, {"secret", "(set)"}, {"timeout_ms", 500}}}});
  INFO(changed.body);
  REQUIRE(changed.status == 200);
  REQUIRE(w.alpha_admin.post("/api/v1/plugin-instances/" + std::to_string(id) + "/resume", json::object{}).status == 200);
  caught_up(w.alpha_admin, id);
  const auto ok = partner.requests("/ok");
  REQUIRE(ok.size() == 3);
  CHECK(ok[0].at("id") == partner.requests("/gone")[0].at("id"));
  for (const auto& r : ok) CHECK(r.at("verified").as_bool());
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0);
  secret_kept(w, id);
  ran_as(w, isolation);
}

TEST_CASE("a partner down, too slow, answering garbage or redirecting to a refused address: nothing is lost, each "
          "event is dead-lettered after its retries, and no connection reaches an address the policy refuses") {
  Partner partner(1500);
  const int down = closed_port();
  World w(env(partner, {down}));
  auto& as = w.alpha_admin;
  const json::array events{"contact.created"};
  const std::map<std::string, std::int64_t> instances{
      {"down", webhook(as, "down", "http://127.0.0.1:" + std::to_string(down) + "/hooks", events)},
      {"slow", webhook(as, "slow", partner.url("/slow"), events)},
      {"garbage", webhook(as, "garbage", partner.url("/garbage"), events)},
      {"redirect-loopback", webhook(as, "redirect-loopback", partner.url("/redirect-loopback"), events)},
      {"redirect-metadata", webhook(as, "redirect-metadata", partner.url("/redirect-metadata"), events)},
      {"followed-loopback", webhook(as, "followed-loopback", partner.url("/redirect-loopback"), events, true)},
      {"followed-metadata", webhook(as, "followed-metadata", partner.url("/redirect-metadata"), events, true)},
      {"canary", webhook(as, "canary", partner.canary_url(), events)},
  };
  contact(w.alpha_member, "A");

  for (const auto& [name, id] : instances) {
    INFO(name);
    const bool dead = eventually([&] { return delivery(as, id).at("dead_letters").as_int64() == 1; }, 30s);
    INFO(json::serialize(instance(as, id)));
    REQUIRE(dead);
    auto letters = as.get("/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters");
    REQUIRE(letters.status == 200);
    CHECK(letters.json().at("items").as_array().size() == 1);
    secret_kept(w, id);
  }
  // Retried where a retry may help: the partner saw three attempts, always the same id.
  for (const char* path : {"/slow", "/garbage", "/redirect-loopback", "/redirect-metadata"}) {
    INFO(path);
    const auto got = partner.requests(path);
    CHECK(got.size() == 3 + (std::string(path).starts_with("/redirect") ? 1 : 0));
    for (const auto& r : got) CHECK(r.at("verified").as_bool());
  }
  const auto last_error = [&](const char* name) {
    return std::string(delivery(as, instances.at(name)).at("last_error").as_string());
  };
  CHECK(last_error("slow").find("no answer within 500 ms") != std::string::npos);
  CHECK(last_error("redirect-loopback").find("HTTP 302") != std::string::npos);
  CHECK(last_error("followed-metadata").find("refused by the daemon's outbound policy") != std::string::npos);
  CHECK(last_error("canary").find("refused by the daemon's outbound policy") != std::string::npos);
  CHECK(partner.canary_hits() == 0);
  const std::string log = w.daemon.log();
  CHECK(log.find("169.254.169.254:80 refused by the outbound policy") != std::string::npos);
}
