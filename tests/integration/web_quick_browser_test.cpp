// Quick add on a phone, imports and exports in a real browser (issue 16):
// web/tests/browser/quick_test.mjs drives Debian's headless Chromium on a 390x844 viewport
// against this daemon, seeded here through the API: a start-up, its founder, a company for
// the type-ahead, and the region's missions (the latest one is the quick add's preset). The
// script's checks (a quick add with a card photo, the offline queue without a duplicate even
// when an answer is lost, logout forgetting the queue, an import with accents, a CSV export
// read by python3, axe-core) are listed in its header. Afterwards, through the API: the
// founder's contacts are exactly those the browser made, each once.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "browser_script.hpp"
#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

TEST_CASE("A founder quick-adds contacts on a phone with a card photo and through a dropped connection without a duplicate, imports a CSV and exports one, in headless Chromium") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR}});
  d.start();
  auto admin = d.admin();
  // The region's missions (the admin's organisation is the region's): the latest by date
  // is the current one, whatever order they were entered in.
  const std::string mission = "Mission Silicon Valley — juin";
  const auto day = [](int days_from_now) {
    return utc_instant(std::chrono::system_clock::now() + std::chrono::hours(24 * days_from_now)).substr(0, 10);
  };
  const std::int64_t current = created(admin, "events", json::object{{"name", mission}, {"starts_on", day(-10)}});
  created(admin, "events", json::object{{"name", "Salon de Lyon"}, {"starts_on", day(-90)}});
  const Founder ines = new_founder(admin, json::object{{"time_zone", "America/Los_Angeles"}});
  const std::string& email = ines.email;
  const std::string& password = ines.password;
  auto founder = login(d.port(), email, password);
  const std::string company_name = "Société Générale d'Électronique";
  const std::int64_t company = created(founder, "companies", json::object{{"name", company_name}});

  run_browser_script("quick_test.mjs", d.port(),
                     {{"RELANCE_FOUNDER_EMAIL", email},
                      {"RELANCE_FOUNDER_PASSWORD", password},
                      {"RELANCE_COMPANY_NAME", company_name},
                      {"RELANCE_COMPANY_ID", std::to_string(company)},
                      {"RELANCE_MISSION_ID", std::to_string(current)},
                      {"RELANCE_MISSION_NAME", mission}});

  // Through the API: each contact once, the quick-added one with its card photo.
  auto r = founder.get("/api/v1/contacts?limit=100&sort=last_name");
  REQUIRE(r.status == 200);
  std::multiset<std::string> names;
  std::int64_t zoe = 0;
  const json::value page = r.json();
  for (const auto& c : page.at("items").as_array()) {
    names.insert(std::string(c.at("last_name").as_string()));
    if (c.at("last_name") == "Lefèvre-Château") zoe = c.at("id").as_int64();
  }
  CHECK(names == std::multiset<std::string>{"Lefèvre-Château", "Dubois-Ferrand", "Quérard", "Ñúñez-Gaël", "Åkesson"});
  REQUIRE(zoe > 0);
  auto files = founder.get("/api/v1/contacts/" + std::to_string(zoe) + "/attachments");
  REQUIRE(files.status == 200);
  const json::value listed = files.json();
  REQUIRE(listed.at("items").as_array().size() == 1);
  CHECK(listed.at("items").at(0).at("content_type") == "image/png");
}
