// The secret settings of plugin instances: sealed at rest, "(set)" through the API, in
// clear for the plugin only, and redacted from what a plugin says.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "auth/secret_box.hpp"
#include "auth/secrets.hpp"
#include "plugin_host/secret_settings.hpp"
#include "domain/problem.hpp"
#include "temp_dir.hpp"

using namespace relance;
namespace json = boost::json;

namespace {

auth::SecretBox test_box(const relance::test::TempDir& dir) {
  auth::init_crypto();
  return auth::SecretBox::load_or_create(dir.file("secrets.key"));
}

}  // namespace

TEST_CASE("a sealed value opens to what was sealed, with a new nonce each time, and only under its key") {
  relance::test::TempDir dir, other;
  const auto box = test_box(dir);
  const std::string a = box.seal("p@ss:word/with spaces"), b = box.seal("p@ss:word/with spaces");
  CHECK(a != b);
  CHECK(auth::SecretBox::is_sealed(a));
  CHECK(a.find("p@ss") == std::string::npos);
  CHECK(box.open(a) == "p@ss:word/with spaces");
  CHECK(auth::SecretBox::load_or_create(dir.file("secrets.key")).open(b) == "p@ss:word/with spaces");
  CHECK_THROWS(test_box(other).open(a));
  CHECK((std::filesystem::status(dir.file("secrets.key")).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("settings named like a password, secret, token or key, and URL passwords, are sealed and shown as (set)") {
  relance::test::TempDir dir;
  const auto box = test_box(dir);
  for (const char* key : {"password", "smtp_password", "API_KEY", "clientSecret", "access_token", "passwd"})
    CHECK(plugin_host::secret_key(key));
  for (const char* key : {"username", "smtp_url", "from", "timeout_ms", "starttls"}) CHECK_FALSE(plugin_host::secret_key(key));

  const auto given = json::parse(R"({"smtp_url":"smtp://bob:b%40d:pw@mail.test:587","password":"hunter22",
    "username":"bob","oauth":{"client_id":"abc","client_secret":"s3"},"keys":["key.one","key.two"],"port":25,"empty_token":""})")
                         .as_object();
  const auto stored = plugin_host::seal_settings(given, {}, box);
  const std::string text = json::serialize(stored);
  for (const char* clear : {"hunter22", "b%40d:pw", "\"s3\"", "key.one", "key.two"}) CHECK(text.find(clear) == std::string::npos);
  CHECK(plugin_host::holds_sealed_secrets(stored));

  const auto shown = plugin_host::shown_settings(stored);
  CHECK(shown.at("password") == "(set)");
  CHECK(shown.at("smtp_url") == "smtp://bob:(set)@mail.test:587");
  CHECK(shown.at("oauth").at("client_id") == "abc");
  CHECK(shown.at("oauth").at("client_secret") == "(set)");
  CHECK(shown.at("keys") == json::array{"(set)", "(set)"});  // every string below a secret key
  CHECK(shown.at("username") == "bob");
  CHECK(shown.at("port") == 25);
  CHECK(shown.at("empty_token") == "");

  std::vector<std::string> secrets;
  const auto opened = plugin_host::opened_settings(stored, box, secrets);
  CHECK(json::value(opened) == json::value(given));
  CHECK(std::find(secrets.begin(), secrets.end(), "b%40d:pw") != secrets.end());
}

TEST_CASE("(set) sent back keeps the stored secret, a new value replaces it, and (set) over nothing is refused") {
  relance::test::TempDir dir;
  const auto box = test_box(dir);
  const auto stored = plugin_host::seal_settings(
      json::parse(R"({"url":"https://u:old-pw@h/","api_key":"old-key"})").as_object(), {}, box);
  auto round = plugin_host::shown_settings(stored);
  round["api_key"] = "(set)";
  std::vector<std::string> secrets;
  auto kept = plugin_host::opened_settings(plugin_host::seal_settings(round, stored, box), box, secrets);
  CHECK(kept.at("url") == "https://u:old-pw@h/");
  CHECK(kept.at("api_key") == "old-key");

  round["api_key"] = "new-key";
  round["url"] = "https://u:new-pw@h/";
  auto replaced = plugin_host::opened_settings(plugin_host::seal_settings(round, stored, box), box, secrets);
  CHECK(replaced.at("api_key") == "new-key");
  CHECK(replaced.at("url") == "https://u:new-pw@h/");

  round["other_token"] = "(set)";
  CHECK_THROWS_AS(plugin_host::seal_settings(round, stored, box), Problem);
}

TEST_CASE("a database's settings in clear are sealed once, and stay what the plugin gets") {
  relance::test::TempDir dir;
  const auto box = test_box(dir);
  auto stored = json::parse(R"({"password":"clear-pw","url":"smtp://a:clear-url@h"})").as_object();
  CHECK(plugin_host::seal_clear_secrets(stored, box));
  CHECK(json::serialize(stored).find("clear") == std::string::npos);
  auto again = stored;
  CHECK_FALSE(plugin_host::seal_clear_secrets(again, box));
  CHECK(again == stored);
  std::vector<std::string> secrets;
  CHECK(plugin_host::opened_settings(stored, box, secrets).at("url") == "smtp://a:clear-url@h");
}

TEST_CASE("a setting the plugin flags secret is sealed whatever its name, shown as (set), kept on (set), and "
          "handed to the plugin in clear") {
  relance::test::TempDir dir;
  const auto box = test_box(dir);
  const std::vector<std::string> declared{"webhook_url"};
  const auto given = json::parse(R"({"webhook_url":"https://chat.example/hooks/T0KEN","language":"fr"})").as_object();
  const auto stored = plugin_host::seal_settings(given, {}, box, declared);
  CHECK(json::serialize(stored).find("T0KEN") == std::string::npos);
  CHECK(stored.at("language") == "fr");
  auto shown = plugin_host::shown_settings(stored);  // no schema needed: a sealed value stays secret
  CHECK(shown.at("webhook_url") == "(set)");
  CHECK(shown.at("language") == "fr");
  std::vector<std::string> secrets;
  const auto kept = plugin_host::seal_settings(shown, stored, box, declared);
  CHECK(plugin_host::opened_settings(kept, box, secrets).at("webhook_url") == "https://chat.example/hooks/T0KEN");
  CHECK(plugin_host::redact("posting to https://chat.example/hooks/T0KEN failed", secrets) == "posting to (secret) failed");
  // Without the flag, the name alone would not make it secret.
  CHECK(plugin_host::seal_settings(given, {}, box).at("webhook_url") == "https://chat.example/hooks/T0KEN");
}

TEST_CASE("redaction removes a secret as given, percent-encoded or decoded, JSON-escaped, and any URL password") {
  const std::vector<std::string> secrets{"p@ss\"word", "tok%2Fen"};
  CHECK(plugin_host::redact("login p@ss\"word refused", secrets) == "login (secret) refused");
  CHECK(plugin_host::redact("smtp://u:p%40ss%22word@h: refused", secrets) == "smtp://u:(secret)@h: refused");
  CHECK(plugin_host::redact(R"j({"password":"p@ss\"word"})j", secrets) == R"j({"password":"(secret)"})j");
  CHECK(plugin_host::redact("token tok/en and tok%2Fen", secrets) == "token (secret) and (secret)");
  CHECK(plugin_host::redact("https://someone:other@host/x", {}) == "https://someone:(secret)@host/x");
  CHECK(plugin_host::redact("nothing to hide: https://host/x", secrets) == "nothing to hide: https://host/x");
}
