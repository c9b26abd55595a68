// A plugin's settings as an administrator meets them: each documented with its type and
// whether it is required (SDK 1.3, relance.settings-doc/2), checked by the daemon before an
// instance is stored, so that a wrong type or a missing setting is a clear 422 naming it and
// nothing half-configured starts; a plugin of SDK 1.2 documenting them in words is read as
// its words say and checked by itself alone. The plugins are fixtures built against the
// frozen 1.2 and 1.3 headers (tests/plugins/settings_*.c) and the bundled email reminder.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// A daemon whose plugin folders hold the two settings fixtures and the bundled plugins.
struct SettingsWorld {
  TempDir plugins;
  World w;
  SettingsWorld() : w(env(plugins)) {}
  static std::map<std::string, std::string> env(const TempDir& dir) {
    for (const char* name : {"settings_words", "settings_typed"})
      fs::copy_file(fs::path(RELANCE_FIXTURE_PLUGINS) / (std::string("fixture_") + name + ".so"),
                    dir.path() / (std::string(name) + ".so"));
    return {{"RELANCE_PLUGINS_DIRECTORIES", dir.path().string() + ":" + RELANCE_BUNDLED_PLUGINS}};
  }
};

// name -> the setting as GET /plugins/{plugin}/settings documents it.
std::map<std::string, json::object> documented(HttpClient& as, const std::string& plugin) {
  auto r = as.get("/api/v1/plugins/" + plugin + "/settings");
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::map<std::string, json::object> out;
  const json::value doc = r.json();
  for (const auto& s : doc.at("settings").as_array())
    out[std::string(s.at("name").as_string())] = json::object(s.as_object(), json::storage_ptr());
  return out;
}

std::int64_t instance_count(HttpClient& as) {
  auto r = as.get("/api/v1/plugin-instances");
  REQUIRE(r.status == 200);
  return static_cast<std::int64_t>(r.json().at("items").as_array().size());
}

const std::string typed = "org.relance.fixture.settings-typed";

json::object good_typed() {
  return {{"endpoint", "https://hooks.example.org/relance"},
          {"retries", 5},
          {"ratio", 0.25},
          {"notify", "Équipe Ops <ops@example.org>"},
          {"dry_run", true},
          {"mode", "safe"},
          {"api_token", "tok-Ünïcode-42"}};
}

}  // namespace

TEST_CASE("a plugin of SDK 1.3 documents each setting with the type and need it declares, and one of a later SDK reads as text") {
  SettingsWorld s;
  auto d = documented(s.w.alpha_admin, typed);
  REQUIRE(d.size() == 8);
  const std::map<std::string, std::pair<std::string, bool>> expected{
      {"endpoint", {"url", true}},  {"retries", {"integer", false}}, {"ratio", {"number", false}},
      {"notify", {"email", false}}, {"dry_run", {"boolean", false}}, {"mode", {"text", false}},
      {"api_token", {"text", true}}, {"colour", {"text", false}}};
  for (const auto& [name, want] : expected) {
    INFO(name);
    CHECK(d[name].at("type") == want.first.c_str());
    CHECK(d[name].at("required").as_bool() == want.second);
    CHECK(d[name].at("declared").as_bool());
  }
  CHECK(d["api_token"].at("secret").as_bool());
  CHECK(d["retries"].at("default") == "3");
  CHECK(d["mode"].at("choices") == json::array{"fast", "safe"});
}

TEST_CASE("a plugin of SDK 1.2 has its settings' types read from its words and the daemon leaves checking them to it") {
  SettingsWorld s;
  auto d = documented(s.w.alpha_admin, "org.relance.fixture.settings-words");
  REQUIRE(d.size() == 4);
  CHECK(d["endpoint"].at("required").as_bool());
  CHECK(d["endpoint"].at("type") == "text");
  CHECK(d["verbose"].at("type") == "boolean");
  CHECK(d["batch"].at("type") == "number");
  CHECK(d["mode"].at("type") == "text");
  for (auto& [name, setting] : d) CHECK_FALSE(setting.at("declared").as_bool());
  // Nothing given, not even the setting its words call required: the plugin decides (this
  // fixture accepts anything).
  auto r = s.w.alpha_admin.post("/api/v1/plugin-instances",
                                {{"plugin", "org.relance.fixture.settings-words"}, {"name", "words"},
                                 {"settings", {{"batch", "lots"}}}});
  INFO(r.body);
  CHECK(r.status == 201);
}

TEST_CASE("an instance whose settings break the plugin's declared types is refused with 422 naming the setting and nothing is stored") {
  SettingsWorld s;
  auto& admin = s.w.alpha_admin;
  struct Bad {
    std::string setting;
    json::value value;  // null: the setting left out
    std::string words;
  };
  const Bad cases[] = {
      {"endpoint", nullptr, "is required"},
      {"api_token", nullptr, "is required"},
      {"endpoint", "hooks.example.org", "must be a URL"},
      {"endpoint", "https://hooks example.org", "must be a URL"},
      {"retries", "5", "must be an integer"},
      {"retries", 2.5, "must be an integer"},
      {"ratio", "a quarter", "must be a number"},
      {"notify", "ops at example.org", "must be an email address"},
      {"dry_run", "yes", "must be true or false"},
      {"mode", "slow", "must be one of fast, safe"},
      {"mode", 1, "must be a string"},
  };
  for (const Bad& c : cases) {
    json::object settings = good_typed();
    if (c.value.is_null()) settings.erase(c.setting);
    else settings[c.setting] = c.value;
    INFO(c.setting << " = " << json::serialize(c.value));
    auto r = admin.post("/api/v1/plugin-instances", {{"plugin", typed}, {"name", "hooks"}, {"settings", settings}});
    INFO(r.body);
    CHECK(r.status == 422);
    CHECK(r.json().at("field") == ("settings/" + c.setting).c_str());
    CHECK(std::string(r.json().at("detail").as_string()).find(c.words) != std::string::npos);
  }
  CHECK(instance_count(admin) == 0);

  // Right types, a setting it does not document, the secret's value never shown back.
  json::object settings = good_typed();
  settings["extra"] = json::object{{"kept", true}};
  auto created = admin.post("/api/v1/plugin-instances", {{"plugin", typed}, {"name", "hooks"}, {"settings", settings}});
  INFO(created.body);
  REQUIRE(created.status == 201);
  const auto id = created.json().at("id").as_int64();
  CHECK(created.json().at("settings").at("api_token") == "(set)");
  CHECK(created.body.find("tok-") == std::string::npos);

  // A change of settings is checked the same way; the refused one leaves the stored ones.
  const std::string one = "/api/v1/plugin-instances/" + std::to_string(id);
  const auto etag = admin.get(one).header("etag");
  json::object worse = good_typed();
  worse["api_token"] = "(set)";
  worse["retries"] = "many";
  auto refused = admin.patch(one, {{"settings", worse}}, {{"If-Match", etag}});
  INFO(refused.body);
  CHECK(refused.status == 422);
  CHECK(refused.json().at("field") == "settings/retries");
  CHECK(admin.get(one).json().at("settings").at("retries") == 5);
  // "(set)" keeps the stored secret, and counts as given for a required one.
  worse["retries"] = 7;
  auto changed = admin.patch(one, {{"settings", worse}}, {{"If-Match", etag}});
  INFO(changed.body);
  CHECK(changed.status == 200);
  CHECK(admin.get(one).json().at("settings").at("retries") == 7);
}

TEST_CASE("the email reminder declares its server as a required URL, its sender as a required address and its timeouts as integers") {
  SettingsWorld s;
  auto d = documented(s.w.admin, "org.relance.email-reminder");
  CHECK(d["smtp_url"].at("type") == "url");
  CHECK(d["smtp_url"].at("required").as_bool());
  CHECK(d["from"].at("type") == "email");
  CHECK(d["from"].at("required").as_bool());
  CHECK(d["timeout_ms"].at("type") == "integer");
  CHECK(d["insecure_tls"].at("type") == "boolean");
  CHECK(d["password"].at("secret").as_bool());
  CHECK(d["starttls"].at("choices") == json::array{"required", "try", "no"});

  auto r = s.w.alpha_admin.post("/api/v1/plugin-instances",
                                {{"plugin", "org.relance.email-reminder"},
                                 {"name", "mail"},
                                 {"settings", {{"from", "Relance <relance@alpha.test>"}, {"timeout_ms", "8s"}}}});
  INFO(r.body);
  CHECK(r.status == 422);
  CHECK(r.json().at("field") == "settings/smtp_url");
  CHECK(instance_count(s.w.alpha_admin) == 0);
}
