// The region dashboard and the admin screens in a real browser (issue 16):
// web/tests/browser/dashboard_test.mjs drives headless Chromium against this daemon, seeded
// here through the API as a mission's start-ups would log it: two start-ups, a region
// mission, leads in several stages (one shared with the region, one not, whose contact's
// name and email hold words found nowhere else), outcomes in EUR and in USD with the
// region's rate. The script's checks (the dashboard's tables against the API's JSON, no
// personal data in the page or its network answers, the CSV export, French figures, the
// generated plugin settings form, a dead letter replayed, creating an organisation and a
// user, axe-core) are
// listed in its header; screenshots land in tests/artifacts/web/.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "browser_script.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::string day_of(std::chrono::system_clock::time_point at) { return utc_instant(at).substr(0, 10); }

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

// The daemon's plugins: the bundled ones, and the journal fixture (tests/plugins/journal.cpp),
// whose instances refuse the events their settings name: dead letters on demand.
std::map<std::string, std::string> daemon_env(const TempDir& plugins) {
  std::filesystem::copy_file(std::filesystem::path(RELANCE_FIXTURE_PLUGINS) / "fixture_journal.so",
                             plugins.path() / "fixture_journal.so");
  return {{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR},
          {"RELANCE_PLUGINS_DIRECTORIES", std::string(RELANCE_BUNDLED_PLUGINS) + ":" + plugins.path().string()}};
}

}  // namespace

TEST_CASE("Region staff read the mission's funnel and outcomes on the dashboard without an unshared contact's personal data, export them, and administrators configure a plugin and add an organisation and a user, in headless Chromium") {
  TempDir plugins;
  World w(daemon_env(plugins));
  const auto now = std::chrono::system_clock::now();
  const auto days = [](int n) { return std::chrono::hours(24 * n); };

  const std::int64_t mission = id_of(World::create(
      w.staff, "events", {{"name", "Mission Silicon Valley été"}, {"kind", "trade-mission"},
                          {"starts_on", day_of(now - days(12))}, {"ends_on", day_of(now - days(8))}}));
  World::create(w.staff, "exchange-rates",
                {{"currency", "USD"}, {"rate", "0.9"}, {"valid_from", day_of(now - days(400))}, {"source", "BCE"}});

  // Alpha: a fund met at the mission, through a contact whose lead stays private.
  const std::int64_t fund = id_of(World::create(
      w.alpha_member, "companies", {{"name", "Fonds Horizon Capital"}, {"kind", "vc-fund"}, {"sector", "Fintech"}}));
  const std::int64_t secret_contact = id_of(World::create(
      w.alpha_member, "contacts",
      {{"first_name", "Zorblatt"}, {"last_name", "Quimperlé-Vexxon"},
       {"emails", json::array{"zorblatt.vexxon@horizon.example"}}, {"phones", json::array{"+33 6 98 76 54 32"}},
       {"notes", "Rencontré au dîner 🍷\r\nGlimmerwort"}, {"company_id", fund}}));
  const std::int64_t shared_contact = id_of(World::create(
      w.alpha_member, "contacts", {{"first_name", "Ana"}, {"last_name", "Souza"}, {"company_id", fund}}));
  const std::int64_t alpha_won = id_of(World::create(
      w.alpha_member, "leads", {{"title", "Tour d'amorçage"}, {"contact_id", secret_contact}, {"company_id", fund},
                                {"stage", "new"}, {"source_event_id", mission}}));
  for (const char* stage : {"meeting", "won"})
    REQUIRE(w.alpha_member.patch("/api/v1/leads/" + std::to_string(alpha_won), json::object{{"stage", stage}}).status ==
            200);
  World::create(w.alpha_member, "leads",
                {{"title", "Pilote banque"}, {"contact_id", shared_contact}, {"company_id", fund}, {"stage", "contacted"},
                 {"source_event_id", mission}, {"shared_with_region", true}});

  // Beta: a retailer in the United States, a contract signed in dollars.
  const std::int64_t retailer = id_of(World::create(
      w.beta_member, "companies", {{"name", "Grocer & Co"}, {"kind", "corporate"}, {"sector", "Retail"}}));
  const std::int64_t beta_lead = id_of(World::create(
      w.beta_member, "leads", {{"title", "Distribution Californie"}, {"company_id", retailer}, {"stage", "new"},
                               {"source_event_id", mission}}));
  REQUIRE(w.beta_member.patch("/api/v1/leads/" + std::to_string(beta_lead), json::object{{"stage", "proposal"}}).status ==
          200);
  World::create(w.beta_member, "leads", {{"title", "Salon Expo West"}, {"stage", "new"}, {"source_event_id", mission}});

  World::create(w.alpha_member, "outcomes",
                {{"lead_id", alpha_won}, {"event_id", mission}, {"partner_company_id", fund}, {"kind", "investment"},
                 {"amount", "1234.56"}, {"currency", "EUR"}, {"jobs", 2}, {"occurred_on", day_of(now - days(3))}});
  const auto contract = World::create(
      w.beta_member, "outcomes",
      {{"lead_id", beta_lead}, {"event_id", mission}, {"partner_company_id", retailer}, {"kind", "customer-contract"},
       {"amount", "20000"}, {"currency", "USD"}, {"occurred_on", day_of(now - days(2))}});
  REQUIRE(contract.at("amount_eur") == "18000.00");  // the region's rate, 0.9

  // The settings form is generated from this list: the daemon says which settings it seals.
  const auto settings = w.alpha_admin.get("/api/v1/plugins/org.relance.email-reminder/settings").json();
  std::map<std::string, bool> secret;
  for (const auto& s : settings.at("settings").as_array())
    secret[json::value_to<std::string>(s.at("name"))] = s.at("secret").as_bool();
  CHECK(secret.at("password"));
  CHECK_FALSE(secret.at("smtp_url"));
  CHECK_FALSE(secret.at("username"));

  // A plugin instance of Beta with a dead letter: the company it refused.
  const std::int64_t journal = id_of(World::create(
      w.admin, "plugin-instances",
      {{"plugin", "org.relance.fixture.journal"}, {"name", "Journal Beta"}, {"org_id", w.beta_id},
       {"events", json::array{"company.created"}}, {"settings", {{"reject", "company.created"}}}}));
  World::create(w.beta_member, "companies", {{"name", "Refusée par le journal"}});
  const std::string letters = "/api/v1/plugin-instances/" + std::to_string(journal) + "/dead-letters";
  for (int i = 0; i < 100 && w.admin.get(letters).json().at("items").as_array().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(w.admin.get(letters).json().at("items").as_array().size() == 1);

  run_browser_script("dashboard_test.mjs", w.daemon.port(),
                     {{"RELANCE_STAFF_EMAIL", "staff@region.test"},
                      {"RELANCE_STAFF_PASSWORD", "password-of-staff@region.test"},
                      {"RELANCE_ORG_ADMIN_EMAIL", "admin@alpha.test"},
                      {"RELANCE_ORG_ADMIN_PASSWORD", "password-of-admin@alpha.test"},
                      {"RELANCE_ADMIN_EMAIL", admin_email},
                      {"RELANCE_ADMIN_PASSWORD", admin_password},
                      {"RELANCE_MISSION_ID", std::to_string(mission)},
                      {"RELANCE_SECRET_WORDS", "Zorblatt,Vexxon,zorblatt.vexxon,698765432,Glimmerwort"}});
}
