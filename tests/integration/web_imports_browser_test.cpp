// Imports with a column mapping in a real browser (issue 16): web/tests/browser/imports_test.mjs
// drives Debian's headless Chromium against this daemon, seeded here through the API (a
// start-up, its founder, the region's mission). The script's checks (the columns read from
// a `;` CSV with a BOM and accents, each preset as the server reads it, two columns on one
// field flagged, an unknown column mapped by keyboard, the dry run's report, the import
// followed to its result, a broken file's and a too large file's error with the mapping
// kept, the screen in English, axe-core) are listed in its header. Afterwards, through the
// API: the imported contacts, each once, with the mapped column in met_where, the tag and
// the mission.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "browser_script.hpp"
#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

TEST_CASE("A founder maps an unknown column of a CSV, reads the dry run's report, imports it and follows it to its result, in headless Chromium") {
  // Files over 4000 bytes are refused: the script sends one.
  Daemon d(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR},
                                              {"RELANCE_IMPORTS_MAX_BYTES", "4000"}});
  d.start();
  auto admin = d.admin();
  const std::string mission = "Mission VivaTech — printemps";
  const std::string starts_on =
      utc_instant(std::chrono::system_clock::now() - std::chrono::hours(24 * 3)).substr(0, 10);
  const std::int64_t event = created(admin, "events", json::object{{"name", mission}, {"starts_on", starts_on}});
  const Founder ines = new_founder(admin, json::object{{"time_zone", "Europe/Paris"}});

  run_browser_script("imports_test.mjs", d.port(),
                     {{"RELANCE_FOUNDER_EMAIL", ines.email},
                      {"RELANCE_FOUNDER_PASSWORD", ines.password},
                      {"RELANCE_MISSION_NAME", mission}});

  auto founder = login(d.port(), ines.email, ines.password);
  auto r = founder.get("/api/v1/contacts?limit=100&sort=last_name");
  REQUIRE(r.status == 200);
  std::map<std::string, json::object> by_name;
  const json::value page = r.json();
  for (const auto& c : page.at("items").as_array())
    by_name[std::string(c.at("last_name").as_string())] = c.as_object();
  REQUIRE(by_name.size() == 3);
  REQUIRE(by_name.count("Dupré-Lefèvre") == 1);
  REQUIRE(by_name.count("Åkesson") == 1);
  REQUIRE(by_name.count("Marchand") == 1);
  const json::object& eloise = by_name.at("Dupré-Lefèvre");
  CHECK(eloise.at("first_name") == "Éloïse");
  CHECK(eloise.at("met_where") == "VivaTech 2026 — stand B12");
  CHECK(by_name.at("Åkesson").at("met_where") == "Salon de Lyon");
  CHECK(eloise.at("source_event_id").as_int64() == event);
  const auto& tags = eloise.at("tags").as_array();
  CHECK(std::find(tags.begin(), tags.end(), json::value("vivatech-2026")) != tags.end());
  // The quoted company name kept its ';'.
  auto company = founder.get("/api/v1/companies/" + std::to_string(eloise.at("company_id").as_int64()));
  REQUIRE(company.status == 200);
  CHECK(company.json().at("name") == "Lumière; Fils SAS");
}
