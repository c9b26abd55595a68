// The bundled chat connector (plugins/chat) against a chat's incoming webhook played by
// tests/chat/receiver.py: the JSON it receives for each alerted kind, in French and English,
// from the defaults or an administrator's template; a chat answering 500 gets the alert
// again; one answering 410 suspends the instance (both in the daemon and isolated in a
// process of its own); and the webhook URL, a secret by the
// plugin's declaration (its name does not say so), appears in no API answer or log line.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// What makes a URL a secret: the token in its path.
const std::string token = "T0KEN-b9f1c2d3e4";

class Chat {
 public:
  Chat() {
    const std::string ready = dir_.file("ready");
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const std::string script = std::string(RELANCE_SOURCE_DIR) + "/tests/chat/receiver.py",
                        results = dir_.file("results.jsonl");
      execl(RELANCE_TEST_PYTHON, RELANCE_TEST_PYTHON, script.c_str(), "--results", results.c_str(), "--ready",
            ready.c_str(), "--lifetime-s", "300", static_cast<char*>(nullptr));
      _exit(127);
    }
    REQUIRE(eventually([&] { return fs::exists(ready); }, 30s));
    std::ifstream(ready) >> port_;
    REQUIRE(port_ > 0);
  }
  ~Chat() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Chat(const Chat&) = delete;
  Chat& operator=(const Chat&) = delete;

  // A webhook URL answered as `behaviour` (ok, flaky, gone) says.
  std::string url(const std::string& behaviour, const std::string& channel) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + behaviour + "/" + channel + "/" + token;
  }
  int port() const { return port_; }

  // The bodies posted to `url`, in order.
  std::vector<json::object> posted(const std::string& url) const {
    const std::string path = url.substr(url.find('/', std::string("http://").size()));
    std::vector<json::object> out;
    std::ifstream in(dir_.file("results.jsonl"));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      auto r = json::parse(line).as_object();
      if (r.at("path").as_string() != path) continue;
      CHECK(r.at("content_type").as_string() == "application/json");
      out.push_back(r.at("body").as_object());
    }
    return out;
  }

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The plugins run where `isolation` says: "in-process", or "process" as a third party's
// connector does by default.
std::map<std::string, std::string> env(const Chat& c, const std::string& isolation = "in-process") {
  return {{"RELANCE_PLUGINS_ISOLATION", isolation},
          {"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS},
          {"RELANCE_PLUGINS_RETRY_INITIAL_MS", "20"},
          {"RELANCE_PLUGINS_RETRY_MAX_MS", "100"},
          {"RELANCE_PLUGINS_MAX_ATTEMPTS", "5"},
          {"RELANCE_FOLLOWUPS_TICK_MS", "100"},
          {"RELANCE_OUTBOUND_ALLOW", "127.0.0.1:" + std::to_string(c.port())}};
}

// Now plus an offset, in UTC, as the API takes it.
std::string in(std::chrono::seconds from_now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

json::object instance(HttpClient& as, std::int64_t id) {
  auto r = as.get("/api/v1/plugin-instances/" + std::to_string(id));
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(r.body.find(token) == std::string::npos);
  return r.json().as_object();
}
json::object delivery(HttpClient& as, std::int64_t id) { return instance(as, id).at("delivery").as_object(); }

std::int64_t chat(HttpClient& as, const std::string& name, json::object settings) {
  auto r = as.post("/api/v1/plugin-instances", {{"plugin", "org.relance.chat"},
                                                {"name", name},
                                                {"settings", std::move(settings)},
                                                {"events", json::array{"followup.*", "outcome.*"}}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.body.find(token) == std::string::npos);
  return r.json().at("id").as_int64();
}

std::int64_t my_id(HttpClient& as) { return as.get("/api/v1/me").json().at("id").as_int64(); }

// A follow-up already due (so followup.created then followup.due) and an outcome.
std::int64_t followup_and_outcome(World& w) {
  const auto f = World::create(w.alpha_member, "followups",
                               {{"title", "Appeler Pat"}, {"due_at", in(-3600s)}, {"time_zone", "Europe/Paris"},
                                {"assignee_id", my_id(w.alpha_member)}});
  World::create(w.alpha_member, "outcomes", {{"kind", "pilot"}, {"amount", "12000"}, {"currency", "EUR"}});
  return f.at("id").as_int64();
}

std::vector<std::string> texts(const std::vector<json::object>& bodies) {
  std::vector<std::string> out;
  for (const auto& b : bodies) out.emplace_back(b.at("text").as_string());
  return out;
}

bool has(const std::vector<std::string>& texts, const std::string& part) {
  for (const auto& t : texts)
    if (t.find(part) != std::string::npos) return true;
  return false;
}

// The plugins ran where the test asked (the registry says so in the log when isolated).
void ran_as(World& w, const std::string& isolation) {
  CHECK((w.daemon.log().find("isolated in a process of its own") != std::string::npos) == (isolation == "process"));
}

void url_kept(World& w, std::int64_t id) {
  CHECK(w.daemon.log().find(token) == std::string::npos);
  auto letters = w.alpha_admin.get("/api/v1/plugin-instances/" + std::to_string(id) + "/dead-letters");
  REQUIRE(letters.status == 200);
  CHECK(letters.body.find(token) == std::string::npos);
  auto list = w.alpha_admin.get("/api/v1/plugin-instances");
  REQUIRE(list.status == 200);
  CHECK(list.body.find(token) == std::string::npos);
}

}  // namespace

TEST_CASE("follow-ups created and falling due, and outcomes, reach the chat as {\"text\"} in French by default and "
          "in English when asked, and the webhook URL is shown to no one") {
  Chat c;
  World w(env(c));
  const std::string fr = c.url("ok", "fr"), en = c.url("ok", "en");
  const std::int64_t fr_id = chat(w.alpha_admin, "fr", {{"webhook_url", fr}});
  const std::int64_t en_id = chat(w.alpha_admin, "en", {{"webhook_url", en}, {"language", "en"}});
  CHECK(instance(w.alpha_admin, fr_id).at("settings").at("webhook_url") == "(set)");
  followup_and_outcome(w);
  REQUIRE(eventually([&] { return c.posted(fr).size() == 3 && c.posted(en).size() == 3; }, 20s));

  const auto french = texts(c.posted(fr));
  INFO(json::serialize(json::value_from(french)));
  CHECK(has(french, "Nouvelle relance\u00a0: *Appeler Pat*, prévue le "));
  CHECK(has(french, "Relance à faire\u00a0: *Appeler Pat* le "));
  CHECK(has(french, "Nouveau résultat\u00a0: pilot 12000"));
  const auto english = texts(c.posted(en));
  INFO(json::serialize(json::value_from(english)));
  CHECK(has(english, "New follow-up: *Appeler Pat*, due "));
  CHECK(has(english, "Follow-up due: *Appeler Pat* at "));
  CHECK(has(english, "New outcome: pilot 12000"));
  for (const auto& b : c.posted(en)) CHECK_FALSE(b.contains("username"));
  url_kept(w, fr_id);
  url_kept(w, en_id);
}

TEST_CASE("the plugin's settings are served with their French descriptions, webhook_url flagged secret although "
          "its name says nothing of it") {
  Chat c;
  World w(env(c));
  auto r = w.alpha_admin.get("/api/v1/plugins/org.relance.chat/settings");
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::map<std::string, json::object> by_name;
  const json::value doc = r.json();
  for (const auto& s : doc.at("settings").as_array()) by_name[std::string(s.at("name").as_string())] = s.as_object();
  REQUIRE(by_name.count("webhook_url"));
  CHECK(by_name["webhook_url"].at("secret") == true);
  CHECK(by_name["language"].at("secret") == false);
  CHECK(std::string(by_name["webhook_url"].at("description_fr").as_string()).starts_with("L'URL du webhook entrant"));
  CHECK(std::string(by_name["language"].at("description_fr").as_string()) == "La langue des messages par défaut");
  // The webhook plugin's secret, flagged too, and described in French.
  auto hook = w.alpha_admin.get("/api/v1/plugins/org.relance.webhook/settings");
  INFO(hook.body);
  REQUIRE(hook.status == 200);
  const json::value hook_doc = hook.json();
  for (const auto& s : hook_doc.at("settings").as_array())
    if (s.at("name") == "secret") {
      CHECK(s.at("secret") == true);
      CHECK(std::string(s.at("description_fr").as_string()).starts_with("Le secret de signature"));
    }
}

TEST_CASE("an administrator's template fills its placeholders, sets the sender's name, and only the kinds chosen "
          "are alerted") {
  Chat c;
  World w(env(c));
  const std::string url = c.url("ok", "templated");
  chat(w.alpha_admin, "templated",
       {{"webhook_url", url}, {"kinds", "followup.created"}, {"username", "Relance"},
        {"template_followup_created", "{title} pour le {due_at} (#{id}) {unknown}"}});
  const std::string due = in(-3600s);
  const std::int64_t id = followup_and_outcome(w);
  REQUIRE(eventually([&] { return c.posted(url).size() == 1; }, 10s));
  std::this_thread::sleep_for(500ms);  // the due and outcome events pass, not alerted
  const auto got = c.posted(url);
  REQUIRE(got.size() == 1);
  CHECK(std::string(got[0].at("text").as_string()) == "Appeler Pat pour le " + due.substr(0, 10) + " " + due.substr(11, 5) + " UTC (#" +
                                 std::to_string(id) + ") {unknown}");
  CHECK(got[0].at("username") == "Relance");
}

TEST_CASE("a chat answering 500 gets the same alert again until it takes it, in process or isolated") {
  const std::string isolation = GENERATE("in-process", "process");
  INFO("isolation: " << isolation);
  Chat c;
  World w(env(c, isolation));
  const std::string url = c.url("flaky", "retry");
  const std::int64_t id = chat(w.alpha_admin, "retry", {{"webhook_url", url}, {"kinds", "outcome.recorded"}});
  World::create(w.alpha_member, "outcomes", {{"kind", "hire"}});
  REQUIRE(eventually([&] { return c.posted(url).size() == 3; }, 10s));
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("pending").as_int64() == 0; }));
  const auto got = c.posted(url);
  CHECK(got[0] == got[1]);
  CHECK(got[1] == got[2]);
  CHECK(delivery(w.alpha_admin, id).at("dead_letters").as_int64() == 0);
  url_kept(w, id);
  ran_as(w, isolation);
}

TEST_CASE("a chat answering 410 (the webhook was deleted) suspends the instance, the alert kept, the URL in no "
          "error, in process or isolated") {
  const std::string isolation = GENERATE("in-process", "process");
  INFO("isolation: " << isolation);
  Chat c;
  World w(env(c, isolation));
  const std::string url = c.url("gone", "deleted");
  const std::int64_t id = chat(w.alpha_admin, "deleted", {{"webhook_url", url}, {"kinds", "outcome.recorded"}});
  World::create(w.alpha_member, "outcomes", {{"kind", "hire"}});
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("state").as_string() == "suspended"; }));
  const auto d = delivery(w.alpha_admin, id);
  CHECK(std::string(d.at("last_error").as_string()).find("410") != std::string::npos);
  CHECK(d.at("pending").as_int64() == 1);
  CHECK(d.at("dead_letters").as_int64() == 0);
  CHECK(c.posted(url).size() == 1);
  url_kept(w, id);
  ran_as(w, isolation);
}

TEST_CASE("settings a chat instance cannot work with are refused, naming the setting: by the API where the "
          "declared types tell, else by the plugin in the instance's last error") {
  Chat c;
  World w(env(c));
  for (const auto& [settings, named] : std::vector<std::pair<json::object, std::string>>{
           {{{"webhook_url", "not a url"}}, "settings/webhook_url"},
           {{{"webhook_url", c.url("ok", "x")}, {"language", "de"}}, "settings/language"},
           {{{"language", "fr"}}, "settings/webhook_url"}}) {
    auto r = w.alpha_admin.post("/api/v1/plugin-instances",
                                {{"plugin", "org.relance.chat"}, {"name", "bad"}, {"settings", settings}});
    INFO(r.body);
    CHECK(r.status == 422);
    CHECK(r.body.find(named) != std::string::npos);
    CHECK(r.body.find(token) == std::string::npos);
  }
  const std::int64_t id = chat(w.alpha_admin, "bad kinds", {{"webhook_url", c.url("ok", "x")}, {"kinds", "lead.created"}});
  REQUIRE(eventually([&] { return delivery(w.alpha_admin, id).at("state") == "failed"; }));
  const std::string why(delivery(w.alpha_admin, id).at("last_error").as_string());
  CHECK(why.find("the setting kinds names \"lead.created\"") != std::string::npos);
  CHECK(why.find("status 2") != std::string::npos);  // RELANCE_INVALID
  url_kept(w, id);
}
