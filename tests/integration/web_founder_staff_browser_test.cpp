// Issue 16's browser scenario from a founder to region staff, end to end:
// web/tests/browser/founder_to_staff_test.mjs drives two headless Chromium profiles against
// this daemon, seeded here through the API: the region's mission (created by staff), a
// start-up, Étoile Robotique, whose founder works in French, and one lead of hers from the
// mission already at "meeting" (so that the start-up's row is on the dashboard before the
// move). The script's checks (staff read the start-up's "meeting" figure, the founder
// quick-adds a contact met at the mission, makes it a lead from the board, drags it to
// meeting and logs the meeting, staff see the figure one higher, and no page, answer or
// export file of the dashboard holds the contact's words) are listed in its header.
// Afterwards this side checks, through the API as staff, that the contact stays out of
// their reach.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>

#include "browser_script.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::string day_of(std::chrono::system_clock::time_point at) { return utc_instant(at).substr(0, 10); }

}  // namespace

TEST_CASE("A founder's lead moved to meeting on the board shows in region staff's dashboard for the mission without the contact's personal data, in two headless Chromium profiles") {
  World w(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR}});
  const auto now = std::chrono::system_clock::now();
  const auto days = [](int n) { return std::chrono::hours(24 * n); };
  const std::string mission_name = "Mission Robotique Boston — automne";
  const std::int64_t mission = created(
      w.staff, "events", json::object{{"name", mission_name}, {"kind", "trade-mission"},
                                      {"starts_on", day_of(now - days(3))}, {"ends_on", day_of(now + days(2))}});

  const Founder ines = new_founder(w.admin, json::object{{"time_zone", "America/New_York"}, {"locale", "fr"}});
  auto founder = login(w.daemon.port(), ines.email, ines.password);
  const std::int64_t earlier_contact =
      created(founder, "contacts", json::object{{"first_name", "Marc"}, {"last_name", "Dupont"}});
  created(founder, "leads",
          json::object{{"title", "Intégrateur à Cambridge"}, {"contact_id", earlier_contact}, {"stage", "meeting"},
                       {"source_event_id", mission}});

  run_browser_script("founder_to_staff_test.mjs", w.daemon.port(),
                     {{"RELANCE_FOUNDER_EMAIL", ines.email},
                      {"RELANCE_FOUNDER_PASSWORD", ines.password},
                      {"RELANCE_STAFF_EMAIL", "staff@region.test"},
                      {"RELANCE_STAFF_PASSWORD", "password-of-staff@region.test"},
                      {"RELANCE_MISSION_ID", std::to_string(mission)},
                      {"RELANCE_MISSION_NAME", mission_name},
                      {"RELANCE_STARTUP_NAME", "Étoile Robotique"}});

  // What the clicks left: the founder's lead at meeting with its meeting; staff read neither
  // the new contact nor, through a search, its words.
  const auto leads = founder.get("/api/v1/leads?stage=meeting&source_event_id=" + std::to_string(mission));
  INFO(leads.body);
  REQUIRE(leads.status == 200);
  CHECK(leads.json().at("items").as_array().size() == 2);
  const auto found = w.staff.get("/api/v1/contacts?q=Zabrowitz");
  INFO(found.body);
  CHECK(found.status == 200);
  CHECK(found.body.find("Zabrowitz") == std::string::npos);
}
