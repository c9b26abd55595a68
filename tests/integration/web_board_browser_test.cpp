// A founder's pipeline in a real browser (issue 16): web/tests/browser/board_test.mjs drives
// headless Chromium against this daemon, seeded here through the API: a start-up whose
// founder works in French on San José's clock (the browser is on Paris time), a contact with
// an accented name at a company, a colleague's lead from a mission already at "contacted"
// worth 1 234,56 €, a
// follow-up two days late, and the cadence rule that schedules a follow-up a day after each
// meeting (the daemon's follow-up ticks are fast, so the engine acts within seconds). The
// script's checks (a new lead from the board, drag and drop by mouse and by finger, the
// filters, the keyboard, a conflict, a refused move, the lead's timeline, logging a meeting, My follow-ups
// with snoozes and a done, axe-core, a phone) are listed in its header. Afterwards this side
// checks, through the API, what the clicks left: every stage change logged as the stage
// change it is (and none for the refused and conflicting moves), the meeting, the follow-up
// done and the late one snoozed.
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

namespace {

json::array items(HttpClient& as, const std::string& target) {
  const auto r = as.get(target);
  INFO(target << ": " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return r.json().at("items").as_array();
}

}  // namespace

TEST_CASE("A founder turns a contact into a lead, drags it to meeting, moves another with the keyboard, logs the meeting and marks its follow-up done, in French in headless Chromium") {
  // Ticks of 50 ms: the cadence rules run every 60 ticks, every 3 seconds here.
  Daemon d(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR},
                                              {"RELANCE_FOLLOWUPS_TICK_MS", "50"}});
  d.start();
  auto admin = d.admin();
  const Founder ines = new_founder(admin, json::object{{"time_zone", "America/Los_Angeles"}, {"locale", "fr"}});
  const std::int64_t org = ines.org_id;  // her start-up, where a member joins her below
  const std::string& email = ines.email;
  const std::string& password = ines.password;
  auto founder = login(d.port(), email, password);
  const std::int64_t company = created(founder, "companies", json::object{{"name", "Fonds Horizon Pacifique 🌊"}});
  const std::int64_t contact = created(
      founder, "contacts",
      json::object{{"first_name", "Amélie"}, {"last_name", "Nguyễn-Laforêt"}, {"company_id", company},
                   {"title", "Associée"}, {"city", "San José"}, {"country", "US"},
                   {"notes", "Vue au salon 🚀\r\nIntéressée par la série A."}});
  const std::int64_t other_contact =
      created(founder, "contacts", json::object{{"first_name", "Théo"}, {"last_name", "Brûlé"}, {"company_id", company}});
  // The other lead is a colleague's, from the mission: what the board's filters pick.
  const std::int64_t colleague =
      created(admin, "users",
              json::object{{"org_id", org}, {"email", "lucas@etoile-robotique.test"}, {"role", "member"},
                           {"password", "mot-de-passe-du-collegue"}, {"display_name", "Lucas Ferré"}});
  const std::int64_t mission = created(founder, "events", json::object{{"name", "Mission Silicon Valley — juin"}, {"kind", "trade-mission"}});
  const std::int64_t other_lead =
      created(founder, "leads",
              json::object{{"title", "Pilote d'entrepôt à Fremont"}, {"contact_id", other_contact}, {"company_id", company},
                           {"stage", "contacted"}, {"value", "1234.56"}, {"currency", "EUR"}, {"owner_id", colleague},
                           {"source_event_id", mission}});
  // A follow-up two days late, which the founder snoozes a day from now.
  const std::int64_t late = created(
      founder, "followups",
      json::object{{"title", "Envoyer le dossier à Théo"}, {"lead_id", other_lead}, {"contact_id", other_contact},
                   {"due_at", utc_instant(std::chrono::system_clock::now() - std::chrono::hours(48))}});
  created(founder, "cadence_rules",
          json::object{{"kind", "after-meeting"}, {"days", 1}, {"title", "Relancer après le rendez-vous"}});

  run_browser_script("board_test.mjs", d.port(),
                     {{"RELANCE_FOUNDER_EMAIL", email},
                      {"RELANCE_FOUNDER_PASSWORD", password},
                      {"RELANCE_CONTACT_ID", std::to_string(contact)},
                      {"RELANCE_OTHER_LEAD_ID", std::to_string(other_lead)}});

  // What the browser's clicks left, read through the API.
  const json::array leads = items(founder, "/api/v1/leads?contact_id=" + std::to_string(contact));
  REQUIRE(leads.size() == 1);
  const std::int64_t lead = leads.front().at("id").as_int64();
  CHECK(leads.front().at("stage") == "proposal");
  CHECK(founder.get("/api/v1/leads/" + std::to_string(other_lead)).json().at("stage") == "meeting");

  const json::array dragged = items(founder, "/api/v1/activities?kind=stage-change&lead_id=" + std::to_string(lead));
  REQUIRE(dragged.size() == 2);  // by the mouse, then by a finger
  std::set<std::pair<std::string, std::string>> moves;
  for (const auto& a : dragged)
    moves.emplace(a.at("from_stage").as_string().c_str(), a.at("to_stage").as_string().c_str());
  CHECK(moves == std::set<std::pair<std::string, std::string>>{{"new", "meeting"}, {"meeting", "proposal"}});
  const json::array keyed = items(founder, "/api/v1/activities?kind=stage-change&lead_id=" + std::to_string(other_lead));
  REQUIRE(keyed.size() == 1);  // the refused and the conflicting moves left no stage change
  CHECK(keyed.front().at("from_stage") == "contacted");
  CHECK(keyed.front().at("to_stage") == "meeting");

  CHECK(items(founder, "/api/v1/activities?kind=meeting&lead_id=" + std::to_string(lead)).size() == 1);
  const json::array followups = items(founder, "/api/v1/followups?lead_id=" + std::to_string(lead));
  REQUIRE(followups.size() == 1);
  CHECK(followups.front().at("status") == "done");
  CHECK(followups.front().at("title") == "Relancer après le rendez-vous");

  const json::value snoozed = founder.get("/api/v1/followups/" + std::to_string(late)).json();
  CHECK(snoozed.at("status") == "snoozed");
  const std::string due = std::string(snoozed.at("due_at").as_string());
  const auto tomorrow = std::chrono::system_clock::now() + std::chrono::hours(23);
  INFO("snoozed until " << due);
  CHECK(due > utc_instant(tomorrow));  // a day from the click, not from its late due time
}
