// What region staff read across start-ups and what the reports make of it, checked from
// outside: each record names its start-up (org_name beside org_id) wherever it appears and
// takes ?org_id=; the reports' groups and clocks agree with their definitions; a rate added
// later converts the outcomes that had none, and only those.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

std::string path_of(const std::string& collection, std::int64_t id) {
  return "/api/v1/" + collection + "/" + std::to_string(id);
}

std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : "<" + json::serialize(v) + ">";
}

json::object read(HttpClient& as, const std::string& collection, std::int64_t id) {
  auto r = as.get(path_of(collection, id));
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

json::array items(HttpClient& as, const std::string& target) {
  auto r = as.get(target);
  INFO(target << " -> " << r.status << " " << r.body.substr(0, 1000));
  REQUIRE(r.status == 200);
  return r.json().at("items").as_array();
}

bool has_id(const json::array& rows, std::int64_t id) {
  for (const auto& r : rows)
    if (r.at("id").as_int64() == id) return true;
  return false;
}

std::string org_name_of(HttpClient& as, std::int64_t org_id) {
  return text(read(as, "organisations", org_id).at("name"));
}

// A CSV export read back by Python's csv module (tests/exports/read_csv.py): its rows.
json::array csv_rows(HttpClient& as, const std::string& target) {
  auto r = as.get("/api/v1/exports/csv?" + target);
  INFO(target << " -> " << r.status << " " << r.body.substr(0, 1000));
  REQUIRE(r.status == 200);
  TempDir dir;
  const std::string in = dir.file("export.csv"), out = in + ".json";
  std::ofstream(in, std::ios::binary).write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
  const auto reader = std::filesystem::path(RELANCE_SOURCE_DIR) / "tests" / "exports" / "read_csv.py";
  auto [code, output] = shell(quoted(RELANCE_TEST_PYTHON) + " " + quoted(reader.string()) + " " + quoted(in) +
                              " --datasets rows >" + quoted(out));
  INFO(output);
  REQUIRE(code == 0);
  std::ifstream f(out, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return json::parse(s.str()).at("datasets").at("rows").as_array();
}

// One start-up's records of every kind, on a lead shared with the region (so that staff
// read its contacts, activities and follow-ups too).
struct Records {
  std::int64_t company = 0, contact = 0, lead = 0, activity = 0, overdue = 0, upcoming = 0, outcome = 0;
};

Records seed(HttpClient& as, const std::string& word) {
  Records r;
  const auto now = std::chrono::system_clock::now();
  r.company = id_of(World::create(as, "companies", {{"name", "Fonds Étoile " + word}, {"sector", "Santé"}}));
  r.contact = id_of(World::create(as, "contacts", {{"first_name", "Zoé"}, {"last_name", word}}));
  r.lead = id_of(World::create(as, "leads", {{"title", "Pilote à Genève — " + word + " 🚀"},
                                              {"contact_id", r.contact},
                                              {"company_id", r.company},
                                              {"shared_with_region", true}}));
  r.activity = id_of(World::create(as, "activities", {{"lead_id", r.lead}, {"kind", "call"},
                                                      {"subject", "Appel de suivi\r\n" + word}}));
  r.overdue = id_of(World::create(as, "followups", {{"lead_id", r.lead}, {"title", "Relancer " + word},
                                                     {"due_at", utc_instant(now - std::chrono::hours(3))}}));
  r.upcoming = id_of(World::create(as, "followups", {{"lead_id", r.lead}, {"title", "Rappeler " + word},
                                                      {"due_at", utc_instant(now + std::chrono::hours(48))}}));
  r.outcome = id_of(World::create(as, "outcomes", {{"lead_id", r.lead}, {"kind", "pilot"}, {"amount", "1500"},
                                                    {"currency", "EUR"}, {"partner_company_id", r.company}}));
  return r;
}

}  // namespace

TEST_CASE("region staff read each start-up's leads outcomes companies activities and follow-ups by name in lists "
          "reads by id views and exports and one start-up's with org_id") {
  World w;
  const Records alpha = seed(w.alpha_member, "Alpha");
  const Records beta = seed(w.beta_member, "Beta");
  const std::string alpha_org = std::to_string(w.alpha_id);

  const std::map<std::string, std::pair<std::int64_t, std::int64_t>> collections{
      {"companies", {alpha.company, beta.company}}, {"leads", {alpha.lead, beta.lead}},
      {"outcomes", {alpha.outcome, beta.outcome}},  {"activities", {alpha.activity, beta.activity}},
      {"followups", {alpha.overdue, beta.overdue}}, {"contacts", {alpha.contact, beta.contact}}};
  for (const auto& [collection, ids] : collections) {
    INFO(collection);
    // By id: the start-up's name beside its id.
    const json::object one = read(w.staff, collection, ids.first);
    CHECK(one.at("org_id").as_int64() == w.alpha_id);
    CHECK(text(one.at("org_name")) == "Alpha Robotics");
    CHECK(text(read(w.staff, collection, ids.second).at("org_name")) == "Beta Foods");
    // A list of one start-up: its rows only, each named.
    const json::array rows = items(w.staff, "/api/v1/" + collection + "?limit=200&org_id=" + alpha_org);
    CHECK(has_id(rows, ids.first));
    CHECK_FALSE(has_id(rows, ids.second));
    for (const auto& row : rows) {
      CHECK(row.at("org_id").as_int64() == w.alpha_id);
      CHECK(text(row.at("org_name")) == "Alpha Robotics");
    }
    // The whole list names each row's own start-up.
    for (const auto& row : items(w.staff, "/api/v1/" + collection + "?limit=200"))
      CHECK(text(row.at("org_name")) == org_name_of(w.staff, row.at("org_id").as_int64()));
    // A start-up's own members read their rows without the name, and another's org_id gives nothing.
    CHECK_FALSE(read(w.alpha_member, collection, ids.first).contains("org_name"));
    CHECK(items(w.alpha_member, "/api/v1/" + collection + "?org_id=" + std::to_string(w.beta_id)).empty());
  }

  SECTION("the follow-up views") {
    for (const auto& [view, alpha_id, beta_id] :
         {std::tuple{"overdue", alpha.overdue, beta.overdue}, std::tuple{"upcoming", alpha.upcoming, beta.upcoming}}) {
      INFO(view);
      const std::string base = std::string("/api/v1/followups/") + view + "?assignee=all";
      const json::array every = items(w.staff, base);
      CHECK(has_id(every, alpha_id));
      CHECK(has_id(every, beta_id));
      for (const auto& row : every)
        CHECK(text(row.at("org_name")) == org_name_of(w.staff, row.at("org_id").as_int64()));
      const json::array one = items(w.staff, base + "&org_id=" + alpha_org);
      CHECK(has_id(one, alpha_id));
      CHECK_FALSE(has_id(one, beta_id));
      for (const auto& row : one) CHECK(text(row.at("org_name")) == "Alpha Robotics");
      const json::array own = items(w.alpha_member, base);
      CHECK(has_id(own, alpha_id));
      for (const auto& row : own) CHECK_FALSE(row.as_object().contains("org_name"));
      CHECK(items(w.alpha_member, base + "&org_id=" + std::to_string(w.beta_id)).empty());
      CHECK(w.staff.get(base + "&org_id=zero").status == 400);
    }
  }

  SECTION("the exports of one start-up with its name in a column") {
    for (const auto& [collection, ids] : collections) {
      if (collection == "contacts") continue;  // personal data: checked by the privacy tests
      INFO(collection);
      const json::array rows = csv_rows(w.staff, "dataset=" + collection + "&headers=fields&org_id=" + alpha_org);
      REQUIRE_FALSE(rows.empty());
      bool found = false;
      for (const auto& row : rows) {
        CHECK(text(row.at("organisation_name")) == "Alpha Robotics");
        found = found || text(row.at("id")) == std::to_string(ids.first);
        CHECK(text(row.at("id")) != std::to_string(ids.second));
      }
      CHECK(found);
      // The start-up's own export has no such column: every row is theirs.
      const json::array own = csv_rows(w.alpha_member, "dataset=" + collection + "&headers=fields");
      REQUIRE_FALSE(own.empty());
      CHECK_FALSE(own.front().as_object().contains("organisation_name"));
    }
  }
}

TEST_CASE("the answers of region staff's creates and changes carry org_name as their reads do and a start-up's do not") {
  World w;
  const std::string region = org_name_of(w.staff, w.region_id);
  REQUIRE_FALSE(region.empty());
  const Records staff = seed(w.staff, "Région");
  const std::map<std::string, std::pair<std::int64_t, json::object>> changes{
      {"companies", {staff.company, {{"notes", "Fonds régional\r\nà Lyon"}}}},
      {"leads", {staff.lead, {{"stage", "contacted"}}}},
      {"activities", {staff.activity, {{"subject", "Appel reporté"}}}},
      {"followups", {staff.overdue, {{"status", "done"}}}},
      {"outcomes", {staff.outcome, {{"jobs", 2}}}},
      {"events", {id_of(World::create(w.staff, "events", {{"name", "Mission Montréal"}})), {{"city", "Montréal"}}}}};
  for (const auto& [collection, change] : changes) {
    INFO(collection);
    const json::object now = read(w.staff, collection, change.first);
    CHECK(text(now.at("org_name")) == region);
    auto r = w.staff.patch(path_of(collection, change.first), change.second);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(text(r.json().at("org_name")) == region);
    // A change that changes nothing answers the row as it is, named all the same.
    auto again = w.staff.patch(path_of(collection, change.first), change.second);
    REQUIRE(again.status == 200);
    CHECK(text(again.json().at("org_name")) == region);
  }
  // The create's answer is the row as read afterwards, name included.
  const json::object created = World::create(w.staff, "companies", {{"name", "Bpifrance Île-de-France"}});
  CHECK(text(created.at("org_name")) == region);
  CHECK(created == read(w.staff, "companies", id_of(created)));
  // A start-up's writes answer without it: the rows are theirs.
  const json::object own = World::create(w.alpha_member, "companies", {{"name", "Fonds Lumière"}});
  CHECK_FALSE(own.contains("org_name"));
  auto changed = w.alpha_member.patch(path_of("companies", id_of(own)), json::object{{"notes", "Nantes"}});
  REQUIRE(changed.status == 200);
  CHECK_FALSE(changed.json().as_object().contains("org_name"));
}

namespace {

// The date `days` from today (negative: ago), UTC, as "YYYY-MM-DD".
std::string day(int days) {
  return utc_instant(std::chrono::system_clock::now() + std::chrono::hours(24 * days)).substr(0, 10);
}

json::object report(HttpClient& as, const std::string& name, const std::string& query = "") {
  auto r = as.get("/api/v1/reports/" + name + query);
  INFO(name << query << " -> " << r.status << " " << r.body.substr(0, 2000));
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

}  // namespace

TEST_CASE("outcomes by sector group the spellings the sector filter matches under the spelling most of them use") {
  World w;
  const auto lead = id_of(World::create(w.alpha_member, "leads", {{"title", "Clinique du Léman"}}));
  auto outcome = [&](const std::string& sector, const std::string& company) {
    const auto partner = id_of(World::create(w.alpha_member, "companies", {{"name", company}, {"sector", sector}}));
    World::create(w.alpha_member, "outcomes", {{"lead_id", lead}, {"kind", "pilot"}, {"partner_company_id", partner},
                                               {"amount", "1000"}, {"currency", "EUR"}, {"jobs", 1}});
  };
  outcome("Health", "Hôpital Nord");
  outcome("Health", "Clinique Sud");
  outcome("health", "Pharmacie 💊");
  outcome("HEALTH", "Labo Ouest");
  outcome("Fintech", "Banque Est");

  for (HttpClient* as : {&w.staff, &w.alpha_member}) {
    const json::object r = report(*as, "outcomes");
    const json::array& sectors = r.at("by_sector").as_array();
    INFO(json::serialize(sectors));
    REQUIRE(sectors.size() == 2);
    for (const auto& s : sectors) {
      const std::string name = text(s.at("sector"));
      // One group per sector whatever its case, and it holds what the filter selects.
      const json::object filtered = report(*as, "outcomes", "?sector=" + name);
      CHECK(s.at("count") == filtered.at("totals").at("count"));
      CHECK(s.at("amount_eur") == filtered.at("totals").at("amount_eur"));
      if (name == "Health") {
        CHECK(s.at("count") == 4);
        CHECK(s.at("jobs") == 4);
      } else {
        CHECK(name == "Fintech");
        CHECK(s.at("count") == 1);
      }
    }
    CHECK(report(*as, "outcomes", "?sector=hEaLtH").at("totals").at("count") == 4);
  }
}

TEST_CASE("a rate added for a currency converts the outcomes that had no rate in that transaction and moves no other") {
  World w;
  const auto lead = id_of(World::create(w.alpha_member, "leads", {{"title", "Distributeur à Tokyo 🗾"}}));
  const auto beta_lead = id_of(World::create(w.beta_member, "leads", {{"title", "Usine à Osaka"}}));
  World::create(w.staff, "exchange-rates", {{"currency", "USD"}, {"rate", "0.9"}, {"valid_from", day(-400)}});
  auto record = [&](HttpClient& as, std::int64_t lead_id, json::object body) {
    body["lead_id"] = lead_id;
    body["kind"] = "customer-contract";
    return World::create(as, "outcomes", body);
  };
  const json::object yen = record(w.alpha_member, lead, {{"amount", "1000000"}, {"currency", "JPY"},
                                                        {"occurred_on", day(-10)}});
  const json::object beta_yen = record(w.beta_member, beta_lead, {{"amount", "2500"}, {"currency", "JPY"}});
  const json::object dollars = record(w.alpha_member, lead, {{"amount", "1000"}, {"currency", "USD"}});
  const json::object francs = record(w.alpha_member, lead, {{"amount", "300.50"}, {"currency", "CHF"}});
  CHECK(yen.at("amount_eur").is_null());
  CHECK(yen.at("eur_rate").is_null());
  CHECK(text(dollars.at("amount_eur")) == "900.00");
  CHECK(report(w.staff, "outcomes").at("totals").at("amount_eur").as_double() == Approx(900.0));

  // The yen's first rates: the one in force on the outcome's date converts it; every
  // start-up's outcome in yen gets its rate, the others stay as they were.
  World::create(w.staff, "exchange-rates", {{"currency", "JPY"}, {"rate", "0.0062"}, {"valid_from", day(-30)}});
  const json::object converted = read(w.alpha_member, "outcomes", id_of(yen));
  CHECK(text(converted.at("amount_eur")) == "6200.00");
  CHECK(text(converted.at("eur_rate")) == "0.0062");
  CHECK(converted.at("version").as_int64() == yen.at("version").as_int64() + 1);
  const json::value staff_id = w.staff.get("/api/v1/me").json().at("id");
  CHECK(converted.at("updated_by") == staff_id);  // who added the rate
  CHECK(text(read(w.beta_member, "outcomes", id_of(beta_yen)).at("amount_eur")) == "15.50");
  CHECK(read(w.alpha_member, "outcomes", id_of(dollars)) == dollars);
  CHECK(read(w.alpha_member, "outcomes", id_of(francs)) == francs);
  CHECK(report(w.staff, "outcomes").at("totals").at("amount_eur").as_double() == Approx(900.0 + 6200.0 + 15.5));

  // The start-up's audit log says who converted it and what changed.
  bool audited = false;
  for (const auto& entry : items(w.alpha_admin, "/api/v1/audit?limit=200")) {
    if (entry.at("entity") != "outcomes" || entry.at("entity_id") != yen.at("id") || entry.at("action") != "update")
      continue;
    audited = true;
    CHECK(entry.at("user_id") == staff_id);
    CHECK(entry.at("changes").as_object().contains("amount_eur"));
    CHECK(entry.at("changes").as_object().contains("eur_rate"));
  }
  CHECK(audited);

  // A later rate, or a change of a rate, moves no outcome that has one.
  World::create(w.staff, "exchange-rates", {{"currency", "JPY"}, {"rate", "0.0070"}, {"valid_from", day(-20)}});
  World::create(w.staff, "exchange-rates", {{"currency", "USD"}, {"rate", "0.95"}, {"valid_from", day(-1)}});
  CHECK(read(w.alpha_member, "outcomes", id_of(yen)) == converted);
  CHECK(read(w.alpha_member, "outcomes", id_of(dollars)) == dollars);

  // A rate corrected into the francs' currency converts them, as a new one would.
  const json::object pounds =
      World::create(w.staff, "exchange-rates", {{"currency", "GBP"}, {"rate", "1.15"}, {"valid_from", day(-5)}});
  CHECK(read(w.alpha_member, "outcomes", id_of(francs)) == francs);
  auto corrected = w.staff.patch(path_of("exchange-rates", id_of(pounds)), json::object{{"currency", "CHF"}});
  REQUIRE(corrected.status == 200);
  CHECK(text(read(w.alpha_member, "outcomes", id_of(francs)).at("amount_eur")) == "345.58");  // 345.575 rounds up
}

TEST_CASE("follow-up discipline starts no clock before the mission has ended or the meeting has taken place") {
  World w;
  const auto now = std::chrono::system_clock::now();
  const auto ended = id_of(World::create(w.staff, "events", {{"name", "Mission Québec"}, {"starts_on", day(-12)},
                                                             {"ends_on", day(-10)}}));
  const auto going_on = id_of(World::create(w.staff, "events", {{"name", "Salon de Séoul"}, {"starts_on", day(-1)},
                                                                {"ends_on", day(5)}}));
  auto lead = [&](std::int64_t event, const std::string& title) {
    return id_of(World::create(w.alpha_member, "leads", {{"title", title}, {"source_event_id", event}}));
  };
  const auto followed = lead(ended, "Suivi à temps");
  lead(ended, "Jamais relancé");
  lead(going_on, "Rencontré au salon");  // its clock starts when the fair ends
  const auto planned = lead(going_on, "Rendez-vous prévu");
  World::create(w.alpha_member, "activities", {{"lead_id", followed}, {"kind", "email"},
                                               {"occurred_at", day(-9) + "T12:00:00Z"}});
  World::create(w.alpha_member, "activities", {{"lead_id", planned}, {"kind", "meeting"},
                                               {"occurred_at", utc_instant(now + std::chrono::hours(48))}});

  const json::object overall = report(w.staff, "followup-discipline").at("overall").as_object();
  INFO(json::serialize(overall));
  CHECK(overall.at("mission_leads") == 4);
  CHECK(overall.at("with_reference") == 2);  // the ended mission's two leads
  CHECK(overall.at("followed_up") == 1);
  CHECK(overall.at("share_within_72h").as_double() == Approx(0.5));
  CHECK(overall.at("median_hours_to_first_followup").as_double() == Approx(12.0));
  const json::object fair = report(w.staff, "followup-discipline", "?event_id=" + std::to_string(going_on));
  CHECK(fair.at("overall").at("with_reference") == 0);
  CHECK(fair.at("overall").at("share_within_7d").is_null());
}

TEST_CASE("the mission summary defines every figure its reports give") {
  World w;
  const auto mission = id_of(World::create(w.staff, "events", {{"name", "Mission Lisbonne"}, {"starts_on", day(-9)},
                                                               {"ends_on", day(-8)}}));
  const auto lead = id_of(World::create(w.alpha_member, "leads", {{"title", "Pilote à Porto"},
                                                                  {"source_event_id", mission}}));
  World::create(w.alpha_member, "outcomes", {{"lead_id", lead}, {"kind", "pilot"}, {"amount", "10"},
                                             {"currency", "EUR"}});
  const json::object r = report(w.staff, "mission-summary");
  const json::object& d = r.at("definitions").as_object();
  auto defined = [&](const json::object& figures) {
    for (const auto& kv : figures) {
      if (!kv.value().is_number() && !kv.value().is_null() && !kv.value().is_array()) continue;
      if (kv.key() == "stages" || kv.key() == "org_id") continue;  // the rows, not a figure
      INFO(std::string(kv.key()));
      CHECK(d.contains(kv.key()));
    }
  };
  defined(r.at("funnel").at("overall").at("stages").as_array().front().as_object());
  defined(r.at("outcomes").at("totals").as_object());
  defined(r.at("followup_discipline").at("overall").as_object());
  CHECK(d.contains("stale"));
}

TEST_CASE("the funnel counts a lead that skipped stages as having reached them so that no conversion exceeds 1") {
  World w;
  auto lead = [&](const std::vector<std::string>& moves) {
    const auto id = id_of(World::create(w.alpha_member, "leads", {{"title", "Piste à Montréal ⚜"}}));
    for (const std::string& stage : moves)
      REQUIRE(w.alpha_member.patch(path_of("leads", id), json::object{{"stage", stage}}).status == 200);
    return id;
  };
  lead({"contacted", "meeting"});  // step by step
  lead({"meeting"});               // straight to a meeting
  lead({"meeting", "proposal", "lost"});
  lead({"contacted", "lost"});
  lead({});

  for (HttpClient* as : {&w.staff, &w.alpha_member}) {
    const json::object r = report(*as, "funnel");
    const json::array& stages = r.at("startups").at(0).at("stages").as_array();
    INFO(json::serialize(stages));
    std::map<std::string, json::object> by_name;
    for (const auto& s : stages) by_name[text(s.at("stage"))] = s.as_object();
    CHECK(by_name["new"].at("reached") == 5);
    CHECK(by_name["contacted"].at("reached") == 4);
    CHECK(by_name["meeting"].at("reached") == 3);
    CHECK(by_name["proposal"].at("reached") == 1);
    CHECK(by_name["lost"].at("reached") == 2);
    CHECK(by_name["contacted"].at("conversion_to_next").as_double() == Approx(0.75));
    for (const auto& s : stages) {
      const json::value& c = s.at("conversion_to_next");
      if (!c.is_null()) CHECK(c.as_double() <= 1.0);
    }
    CHECK(r.at("overall").at("stages") == r.at("startups").at(0).at("stages"));
  }
}
