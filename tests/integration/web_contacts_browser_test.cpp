// The contacts screen in a real browser (issue 16): web/tests/browser/contacts_test.mjs
// drives Debian's headless Chromium, in French, against this daemon, seeded here through the
// API: a founder, two companies, the region's mission, and contacts met there, one of them
// typed twice (the duplicate) with a lead, an activity and a follow-up. The script's checks
// (search, filters, editing with a concurrent change refused and a refused phone shown
// beside its field, a delete, the duplicate compared, merged and the merge undone, axe-core,
// a phone's width) are listed in its header. Afterwards, through the API: both contacts are
// back as they were, each with its own activity.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>

#include "browser_script.hpp"
#include "daemon.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

TEST_CASE("A founder searches and filters her contacts, edits one and sees a concurrent change refused, merges its duplicate and undoes the merge, in French in headless Chromium") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_WEB_ROOT", RELANCE_WEB_APP_DIR}});
  d.start();
  auto admin = d.admin();
  const auto now = std::chrono::system_clock::now();
  const std::int64_t mission = created(admin, "events", json::object{{"name", "Mission Silicon Valley — juin"},
                                                                     {"starts_on", utc_instant(now - std::chrono::hours(24 * 10)).substr(0, 10)}});
  const Founder ines = new_founder(admin, json::object{{"time_zone", "Europe/Paris"}});
  auto founder = login(d.port(), ines.email, ines.password);
  const std::int64_t sge = created(founder, "companies", json::object{{"name", "Société Générale d'Électronique"}});
  const std::int64_t acme = created(founder, "companies", json::object{{"name", "Acmé Robotique"}});

  const std::int64_t zoe = created(
      founder, "contacts",
      json::object{{"first_name", "Zoé"}, {"last_name", "Lefèvre-Château"}, {"emails", json::array{"zoe@sge.example"}},
                   {"company_id", sge}, {"tags", json::array{"salon-lyon", "vc"}}, {"country", "FR"}, {"city", "Lyon"},
                   {"source_event_id", mission}, {"met_at", utc_instant(now - std::chrono::hours(24 * 9))},
                   {"notes", "Vue au stand 🚀\r\nRappeler après la mission."}});
  // The same person typed again at the stand: same email in other letters, a phone, a title.
  const std::int64_t twin = created(
      founder, "contacts",
      json::object{{"first_name", "Zoe"}, {"last_name", "Lefevre"}, {"emails", json::array{"ZOE@sge.example"}},
                   {"phones", json::array{"+33 4 72 00 00 09"}}, {"title", "Directrice des achats"}});
  created(founder, "contacts",
          json::object{{"first_name", "Hélène"}, {"last_name", "Dubois-Ferrand"}, {"company_id", acme},
                       {"tags", json::array{"vc"}}, {"country", "CH"}});
  const std::int64_t jean = created(founder, "contacts",
                                    json::object{{"first_name", "Jean"}, {"last_name", "Quérard"}, {"country", "US"}});

  const std::int64_t lead = created(founder, "leads", json::object{{"title", "Pilote robotique à Lyon"}, {"contact_id", zoe},
                                                                   {"company_id", sge}, {"stage", "meeting"},
                                                                   {"value", "1234.56"}, {"currency", "EUR"}});
  created(founder, "activities", json::object{{"kind", "meeting"}, {"lead_id", lead}, {"contact_id", zoe},
                                              {"occurred_at", utc_instant(now - std::chrono::hours(24 * 2))},
                                              {"subject", "Démo au stand"}});
  created(founder, "followups", json::object{{"title", "Envoyer la proposition"}, {"lead_id", lead}, {"contact_id", zoe},
                                             {"due_at", utc_instant(now + std::chrono::hours(24 * 3))}});
  const std::int64_t twin_note = created(
      founder, "activities", json::object{{"kind", "note"}, {"contact_id", twin},
                                          {"occurred_at", utc_instant(now - std::chrono::hours(24))},
                                          {"subject", "Carte de visite scannée"}});

  run_browser_script("contacts_test.mjs", d.port(),
                     {{"RELANCE_FOUNDER_EMAIL", ines.email},
                      {"RELANCE_FOUNDER_PASSWORD", ines.password},
                      {"RELANCE_CONTACT_ID", std::to_string(zoe)},
                      {"RELANCE_TWIN_ID", std::to_string(twin)},
                      {"RELANCE_JEAN_ID", std::to_string(jean)},
                      {"RELANCE_LEAD_ID", std::to_string(lead)}});

  // Through the API: the merge undone left both contacts, each with its own activity; the
  // edits the browser saved are there, the refused one is not; the deleted contact is gone.
  const auto kept = founder.get("/api/v1/contacts/" + std::to_string(zoe));
  REQUIRE(kept.status == 200);
  const json::value z = kept.json();
  CHECK(z.at("city") == "Dijon");  // the concurrent change, kept
  CHECK(z.at("title").is_null());  // the change refused with 412 never landed
  CHECK(z.at("phones").as_array() == json::array{"+16505550199"});
  CHECK(z.at("notes") == "Vue au stand 🚀\r\nRappeler après la mission.");  // saves of other fields left it as typed
  const auto back = founder.get("/api/v1/contacts/" + std::to_string(twin));
  REQUIRE(back.status == 200);
  CHECK(back.json().at("first_name") == "Zoe");
  const auto note = founder.get("/api/v1/activities/" + std::to_string(twin_note));
  REQUIRE(note.status == 200);
  CHECK(note.json().at("contact_id").as_int64() == twin);
  CHECK(founder.get("/api/v1/contacts/" + std::to_string(jean)).status == 404);
}
