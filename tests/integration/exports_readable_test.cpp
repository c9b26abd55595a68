// Exports people can read, through the API and the real readers (tests/exports/read_*.py):
// the names beside the ids (company, contact, owner, lead, event, and for region staff the
// start-up), column headers as labels in the export's language with the field names kept
// by headers=fields, French Excel's dates and times in the user's zone, lists on one line,
// phone numbers as typed, formulas still neutralised, vCard's ORG; and the names obey the
// caller's tenancy: another start-up's unshared lead shows staff no contact name.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const fs::path readers = fs::path(RELANCE_SOURCE_DIR) / "tests" / "exports";

// GET /api/v1/exports/<target> as `c`, read back by read_<reader>.py: its JSON document.
json::object exported(HttpClient& c, const std::string& target, const std::string& reader,
                      const std::string& args = "") {
  auto r = c.get("/api/v1/exports/" + target);
  INFO("GET /api/v1/exports/" << target << " -> " << r.status << " " << r.body.substr(0, 1000));
  REQUIRE(r.status == 200);
  TempDir dir;
  const std::string in = dir.file("export." + reader), out = in + ".json";
  std::ofstream(in, std::ios::binary).write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
  const std::string cmd = quoted(RELANCE_TEST_PYTHON) + " " + quoted((readers / ("read_" + reader + ".py")).string()) +
                          " " + quoted(in) + " " + args + " >" + quoted(out);
  auto [code, text] = shell(cmd);
  INFO(cmd << ": " << text);
  REQUIRE(code == 0);
  std::ifstream f(out, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return json::parse(s.str()).as_object();
}

const json::object& row_of(const json::object& doc, const std::string& dataset, const std::string& id_key,
                           std::int64_t id) {
  for (const auto& r : doc.at("datasets").at(dataset).as_array()) {
    const json::value& v = r.at(id_key);
    if ((v.is_string() && v.as_string() == std::to_string(id)) || (v.is_int64() && v.as_int64() == id))
      return r.as_object();
  }
  FAIL("no row " << id << " in " << json::serialize(doc));
  static json::object none;
  return none;
}

// Midnight UTC `days` from today, as the API writes instants, and the same day as French
// Excel reads it ("DD/MM/YYYY").
struct Day {
  std::string instant, french;
};
Day midnight_utc_in(int days) {
  using namespace std::chrono;
  const year_month_day d{floor<std::chrono::days>(system_clock::now()) + std::chrono::days{days}};
  char instant[32], french[16];
  std::snprintf(instant, sizeof instant, "%04d-%02u-%02uT00:00:00Z", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  std::snprintf(french, sizeof french, "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  return {instant, french};
}

// Alpha's records, by its member, whose zone is Tokyo (UTC+9 all year: no daylight saving
// time to make the expected local times depend on the date).
struct Founder {
  World w{{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}}};
  json::object company, event, zoe, formula, minus, lead, followup;
  Day due = midnight_utc_in(3);

  Founder() {
    auto& m = w.alpha_member;
    const auto me = m.get("/api/v1/me").json().as_object();
    REQUIRE(m.patch("/api/v1/users/" + std::to_string(me.at("id").as_int64()),
                    {{"time_zone", "Asia/Tokyo"}, {"display_name", "Léa Fondatrice"}})
                .status == 200);
    company = World::create(m, "companies", {{"name", "Müller & Fils, SARL"}, {"country", "FR"}});
    event = World::create(m, "events", {{"name", "Mission CES 🚀 Las Vegas"}, {"kind", "trade-mission"}});
    zoe = World::create(m, "contacts",
                        {{"first_name", "Zoé"}, {"last_name", "Châteauneuf-Müller"},
                         {"company_id", company.at("id")}, {"source_event_id", event.at("id")},
                         {"phones", json::array{"+33 6 12 34 56 78"}}, {"title", "Directrice R&D"},
                         {"tags", json::array{"ces", "deep tech", "lyon"}},
                         {"linkedin_url", "https://www.linkedin.com/in/zoe-cm"}, {"notes", "Café à Lyon\r\npuis CES"}});
    formula = World::create(m, "contacts", {{"first_name", "Eve"}, {"last_name", "Formula"}, {"title", "=cmd|' /C calc'!A0"}});
    minus = World::create(m, "contacts", {{"first_name", "Max"}, {"last_name", "Minus"}, {"title", "-1+1"}});
    lead = World::create(m, "leads",
                         {{"title", "Série A – robots"}, {"contact_id", zoe.at("id")}, {"company_id", company.at("id")},
                          {"owner_id", me.at("id")}, {"source_event_id", event.at("id")}});
    followup = World::create(m, "followups",
                             {{"title", "Rappeler Zoé"}, {"due_at", due.instant}, {"lead_id", lead.at("id")},
                              {"contact_id", zoe.at("id")}, {"assignee_id", me.at("id")}});
  }
  std::int64_t id(const json::object& o) const { return o.at("id").as_int64(); }
};

}  // namespace

TEST_CASE("csv exports carry the names beside the ids under English or French labels and headers=fields keeps field names") {
  Founder f;
  auto& m = f.w.alpha_member;

  const auto en = exported(m, "csv?dataset=leads&lang=en", "csv", "--datasets leads");
  const auto& lead_en = row_of(en, "leads", "ID", f.id(f.lead));
  CHECK(lead_en.at("Title") == "Série A – robots");
  CHECK(lead_en.at("Company") == "Müller & Fils, SARL");
  CHECK(lead_en.at("Company ID") == json::value(json::string(std::to_string(f.id(f.company)))));
  CHECK(lead_en.at("Contact") == "Zoé Châteauneuf-Müller");
  CHECK(lead_en.at("Owner") == "Léa Fondatrice");
  CHECK(lead_en.at("Event") == "Mission CES 🚀 Las Vegas");

  const auto fr = exported(m, "csv?dataset=leads&lang=fr", "csv", "--datasets leads");
  const auto& lead_fr = row_of(fr, "leads", "ID", f.id(f.lead));
  CHECK(lead_fr.at("Intitulé") == "Série A – robots");
  CHECK(lead_fr.at("Société") == "Müller & Fils, SARL");
  CHECK(lead_fr.at("Contact") == "Zoé Châteauneuf-Müller");
  CHECK(lead_fr.at("Responsable") == "Léa Fondatrice");
  CHECK(lead_fr.at("Événement") == "Mission CES 🚀 Las Vegas");

  // The follow-ups name their lead, contact and assignee; the contacts their company and event.
  const auto followups = exported(m, "csv?dataset=followups&lang=fr", "csv", "--datasets followups");
  const auto& todo = row_of(followups, "followups", "ID", f.id(f.followup));
  CHECK(todo.at("À faire") == "Rappeler Zoé");
  CHECK(todo.at("Piste") == "Série A – robots");
  CHECK(todo.at("Contact") == "Zoé Châteauneuf-Müller");
  CHECK(todo.at("Assigné à") == "Léa Fondatrice");
  const auto contacts = exported(m, "csv?dataset=contacts&lang=en", "csv", "--datasets contacts");
  const auto& zoe = row_of(contacts, "contacts", "ID", f.id(f.zoe));
  CHECK(zoe.at("Company") == "Müller & Fils, SARL");
  CHECK(zoe.at("Event") == "Mission CES 🚀 Las Vegas");
  CHECK(zoe.at("Job title") == "Directrice R&D");

  // Scripts keep the field names, whatever the language.
  const auto fields = exported(m, "csv?dataset=leads&lang=fr&headers=fields", "csv", "--datasets leads");
  const auto& lead = row_of(fields, "leads", "id", f.id(f.lead));
  CHECK(lead.at("title") == "Série A – robots");
  CHECK(lead.at("company_name") == "Müller & Fils, SARL");
  CHECK(lead.at("contact_name") == "Zoé Châteauneuf-Müller");
  CHECK(lead.at("owner_name") == "Léa Fondatrice");
  CHECK(lead.at("source_event_name") == "Mission CES 🚀 Las Vegas");
  CHECK(lead.at("contact_id") == json::value(json::string(std::to_string(f.id(f.zoe)))));

  // A language the exports do not speak is refused, naming the parameter.
  const auto bad = m.get("/api/v1/exports/csv?dataset=leads&lang=de");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("lang (or locale) must be fr or en") != std::string::npos);
}

TEST_CASE("the language of the labels defaults to the user's locale") {
  Founder f;
  auto& m = f.w.alpha_member;
  const auto me = m.get("/api/v1/me").json().as_object();
  REQUIRE(m.patch("/api/v1/users/" + std::to_string(me.at("id").as_int64()), {{"locale", "fr"}}).status == 200);
  const auto doc = exported(m, "csv?dataset=leads", "csv", "--datasets leads");
  CHECK(doc.at("delimiter") == ";");
  CHECK(row_of(doc, "leads", "ID", f.id(f.lead)).at("Société") == "Müller & Fils, SARL");
}

TEST_CASE(
    "french csv writes times in the user's zone as Excel reads them with tags on one line and phone numbers unprefixed "
    "and formulas still neutralised") {
  Founder f;
  auto& m = f.w.alpha_member;
  const auto doc = exported(m, "csv?dataset=followups&lang=fr", "csv", "--datasets followups");
  CHECK(doc.at("bom") == true);
  // Midnight UTC is 09:00 in Tokyo, the same day.
  CHECK(row_of(doc, "followups", "ID", f.id(f.followup)).at("Échéance") == json::value(json::string(f.due.french + " 09:00")));

  const auto contacts = exported(m, "csv?dataset=contacts&lang=fr", "csv", "--datasets contacts");
  const auto& zoe = row_of(contacts, "contacts", "ID", f.id(f.zoe));
  CHECK(zoe.at("Étiquettes") == "ces, deep tech, lyon");
  CHECK(zoe.at("Téléphones") == "+33612345678");  // a phone number, not a formula: no quote
  CHECK(zoe.at("Notes") == "Café à Lyon\r\npuis CES");
  CHECK(row_of(contacts, "contacts", "ID", f.id(f.formula)).at("Fonction") == "'=cmd|' /C calc'!A0");
  CHECK(row_of(contacts, "contacts", "ID", f.id(f.minus)).at("Fonction") == "'-1+1");

  // English keeps RFC 3339 UTC unless asked for spreadsheet dates.
  const auto en = exported(m, "csv?dataset=followups&lang=en", "csv", "--datasets followups");
  CHECK(row_of(en, "followups", "ID", f.id(f.followup)).at("Due") == json::value(json::string(f.due.instant.substr(0, 19) + ".000Z")));
}

TEST_CASE("xlsx headers are labels in the export's language and vcard cards carry the company as ORG") {
  Founder f;
  auto& m = f.w.alpha_member;
  const auto fr = exported(m, "xlsx?dataset=leads&lang=fr", "xlsx");
  const auto& header = fr.at("sheets").at("leads").at("header").as_array();
  CHECK(std::find(header.begin(), header.end(), json::value("Société")) != header.end());
  CHECK(row_of(fr, "leads", "ID", f.id(f.lead)).at("Contact") == "Zoé Châteauneuf-Müller");
  const auto en = exported(m, "xlsx?dataset=leads&lang=en", "xlsx");
  CHECK(row_of(en, "leads", "ID", f.id(f.lead)).at("Owner") == "Léa Fondatrice");
  const auto fields = exported(m, "xlsx?dataset=leads&headers=fields", "xlsx");
  CHECK(row_of(fields, "leads", "id", f.id(f.lead)).at("company_name") == "Müller & Fils, SARL");

  for (const std::string version : {"4.0", "3.0"}) {
    INFO("vCard " << version);
    const auto cards = exported(m, "vcard?dataset=contacts&version=" + version, "vcard");
    const auto& zoe = cards.at("datasets").at("contacts").as_array()[0].as_object();
    CHECK(zoe.at("fn") == "Zoé Châteauneuf-Müller");
    CHECK(zoe.at("org") == "Müller & Fils, SARL");
    CHECK(zoe.at("title") == "Directrice R&D");
    CHECK(zoe.at("note") == "Café à Lyon\npuis CES");  // vCard has one line break, \n, for CRLF too
    CHECK(zoe.at("url") == "https://www.linkedin.com/in/zoe-cm");
    CHECK(zoe.at("categories") == json::array{"ces", "deep tech", "lyon"});
  }
}

TEST_CASE("region staff see each row's start-up and no contact name of another start-up's unshared lead") {
  Founder f;
  auto& b = f.w.beta_member;
  const auto secret = World::create(b, "contacts", {{"first_name", "Béatrice"}, {"last_name", "Secrète"}});
  const auto open = World::create(b, "contacts", {{"first_name", "Olivier"}, {"last_name", "Ouvert"}});
  const auto unshared = World::create(b, "leads", {{"title", "Contrat cantine"}, {"contact_id", secret.at("id")}});
  const auto shared = World::create(b, "leads", {{"title", "Pilote région"}, {"contact_id", open.at("id")},
                                                  {"shared_with_region", true}});

  const auto doc = exported(f.w.staff, "csv?dataset=leads&headers=fields", "csv", "--datasets leads");
  const auto& hidden = row_of(doc, "leads", "id", f.id(unshared));
  CHECK(hidden.at("organisation_name") == "Beta Foods");
  CHECK(hidden.at("title") == "Contrat cantine");
  CHECK(hidden.at("contact_id") == json::value(json::string(std::to_string(f.id(secret)))));
  CHECK(hidden.at("contact_name") == "");
  const auto& visible = row_of(doc, "leads", "id", f.id(shared));
  CHECK(visible.at("organisation_name") == "Beta Foods");
  CHECK(visible.at("contact_name") == "Olivier Ouvert");
  CHECK(row_of(doc, "leads", "id", f.id(f.lead)).at("organisation_name") == "Alpha Robotics");

  // The start-ups' own exports have no start-up column.
  const auto own = exported(f.w.alpha_member, "csv?dataset=leads&headers=fields", "csv", "--datasets leads");
  CHECK_FALSE(row_of(own, "leads", "id", f.id(f.lead)).contains("organisation_name"));
}
