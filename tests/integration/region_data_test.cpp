// The region's data across start-ups: the missions and fairs region staff create are every
// start-up's to read and to name (source_event_id, event_id) while a start-up's own events
// stay its own; outcomes keep their amount in euros at the rate of the region's table when
// they were written; the table is the region's to keep and everyone's to read.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }

std::string path_of(const char* collection, std::int64_t id) {
  return std::string("/api/v1/") + collection + "/" + std::to_string(id);
}

// The date `days` from today (negative: ago), UTC, as "YYYY-MM-DD".
std::string day(int days) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day d{today + std::chrono::days{days}};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return out;
}

// A member's text, or what stands there instead, for comparisons with std::string.
std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : "<" + json::serialize(v) + ">";
}

json::object read(HttpClient& as, const char* collection, std::int64_t id) {
  auto r = as.get(path_of(collection, id));
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

}  // namespace

TEST_CASE("the region's mission is every start-up's to read and to name, a start-up's own event is its own") {
  World w;
  const auto mission = id_of(World::create(w.staff, "events", {{"name", "Mission Silicon Valley — juin 🚀"},
                                                                {"kind", "trade-mission"}, {"country", "US"}}));
  const auto private_fair = id_of(World::create(w.alpha_member, "events", {{"name", "Salon privé d'Alpha"}}));

  // Both start-ups see the mission in their list, and only Alpha sees its own fair.
  auto listed = [&](HttpClient& as, std::int64_t id) {
    const json::value page = as.get("/api/v1/events?limit=200").json();
    for (const auto& item : page.at("items").as_array())
      if (item.at("id").as_int64() == id) return true;
    return false;
  };
  CHECK(listed(w.alpha_member, mission));
  CHECK(listed(w.beta_member, mission));
  CHECK(listed(w.alpha_member, private_fair));
  CHECK_FALSE(listed(w.beta_member, private_fair));
  CHECK(w.beta_member.get(path_of("events", private_fair)).status == 404);
  CHECK(w.beta_admin.get(path_of("events", private_fair)).status == 404);
  // Staff read a start-up's events (to report by mission) but do not change them.
  CHECK(w.staff.get(path_of("events", private_fair)).status == 200);
  CHECK(w.staff.patch(path_of("events", private_fair), json::object{{"city", "Lyon"}}).status == 403);
  // A start-up does not change the region's mission either.
  CHECK(w.alpha_member.patch(path_of("events", mission), json::object{{"city", "Palo Alto"}}).status == 403);

  // Both start-ups name the mission on their contacts, leads, outcomes and imports.
  for (HttpClient* as : {&w.alpha_member, &w.beta_member}) {
    const auto contact = id_of(World::create(*as, "contacts", {{"first_name", "Zoé"}, {"source_event_id", mission}}));
    const auto lead = id_of(World::create(*as, "leads", {{"title", "Pilote à San José"}, {"contact_id", contact},
                                                          {"source_event_id", mission}}));
    const auto outcome = World::create(*as, "outcomes", {{"kind", "pilot"}, {"lead_id", lead}, {"event_id", mission}});
    CHECK(outcome.at("event_id").as_int64() == mission);
    auto import = as->request("POST", "/api/v1/imports?source_event_id=" + std::to_string(mission),
                              "first_name,last_name\r\nAda,Lovelace\r\n", {{"Content-Type", "text/csv"}});
    INFO(import.body);
    CHECK(import.status == 202);
  }
  // Beta may not name Alpha's fair: refused as an event that does not exist.
  for (const auto& [collection, body] :
       {std::pair{"contacts", json::object{{"first_name", "Ada"}, {"source_event_id", private_fair}}},
        std::pair{"leads", json::object{{"title", "Lead"}, {"source_event_id", private_fair}}},
        std::pair{"outcomes", json::object{{"kind", "hire"}, {"event_id", private_fair}}}}) {
    auto r = w.beta_member.post(std::string("/api/v1/") + collection, body);
    INFO(collection << ": " << r.body);
    CHECK(r.status == 422);
  }
  auto import = w.beta_member.request("POST", "/api/v1/imports?source_event_id=" + std::to_string(private_fair),
                                      "first_name\r\nAda\r\n", {{"Content-Type", "text/csv"}});
  CHECK(import.status == 400);
  // Alpha names its own fair.
  CHECK(w.alpha_member.post("/api/v1/outcomes", json::object{{"kind", "hire"}, {"event_id", private_fair}}).status == 201);
}

TEST_CASE("the exchange rates are the region's to keep and everyone's to read") {
  World w;
  const json::object usd{{"currency", "usd"}, {"rate", "0.92340"}, {"valid_from", day(-90)}, {"source", "BCE"}};
  for (HttpClient* refused : {&w.alpha_member, &w.alpha_admin, &w.beta_member})
    CHECK(refused->post("/api/v1/exchange-rates", usd).status == 403);
  const auto made = World::create(w.staff, "exchange-rates", usd);
  CHECK(made.at("currency") == "USD");
  CHECK(made.at("rate") == "0.9234");  // kept exactly, in its shortest form
  const auto id = id_of(made);
  CHECK(id_of(World::create(w.admin, "exchange-rates", {{"currency", "JPY"}, {"rate", "0.0062"}, {"valid_from", day(-90)}})) > 0);
  for (HttpClient* reader : {&w.alpha_member, &w.beta_admin, &w.staff, &w.admin}) {
    CHECK(read(*reader, "exchange-rates", id).at("rate") == "0.9234");
    CHECK(reader->get("/api/v1/exchange-rates?currency=USD").json().at("items").as_array().size() == 1);
  }
  CHECK(w.alpha_admin.patch(path_of("exchange-rates", id), json::object{{"rate", "0.95"}}).status == 403);
  CHECK(w.alpha_admin.del(path_of("exchange-rates", id)).status == 403);
  // One rate per currency and day; the euro is the euro; a rate is a positive decimal.
  CHECK(w.staff.post("/api/v1/exchange-rates", usd).status == 409);
  CHECK(w.staff.post("/api/v1/exchange-rates", json::object{{"currency", "EUR"}, {"rate", "1"}, {"valid_from", day(0)}}).status == 422);
  for (const json::value& bad : {json::value("0"), json::value("-1.2"), json::value("1e3"), json::value("0.1234567890123"), json::value("abc")}) {
    auto r = w.staff.post("/api/v1/exchange-rates", json::object{{"currency", "GBP"}, {"rate", bad}, {"valid_from", day(0)}});
    INFO(json::serialize(bad) << ": " << r.body);
    CHECK(r.status == 422);
    CHECK(r.json().at("field") == "rate");
  }
  CHECK(w.staff.patch(path_of("exchange-rates", id), json::object{{"rate", "0.95"}}).json().at("rate") == "0.95");
  CHECK(w.admin.del(path_of("exchange-rates", id)).status == 204);
}

TEST_CASE("an outcome keeps its amount in euros at the rate it was written with") {
  World w;
  World::create(w.staff, "exchange-rates", {{"currency", "USD"}, {"rate", "0.9"}, {"valid_from", day(-400)}});
  World::create(w.staff, "exchange-rates", {{"currency", "JPY"}, {"rate", "0.00625"}, {"valid_from", day(-400)}});
  const auto partner = id_of(World::create(w.alpha_member, "companies", {{"name", "Sand Hill Ventures"}, {"kind", "vc-fund"}}));

  auto eur = World::create(w.alpha_member, "outcomes", {{"kind", "investment"}, {"amount", "250000.00"}, {"currency", "EUR"},
                                                        {"occurred_on", day(-30)}, {"partner_company_id", partner}});
  CHECK(eur.at("amount_eur") == "250000.00");
  CHECK(eur.at("eur_rate") == "1");
  CHECK(eur.at("partner_company_id").as_int64() == partner);

  auto usd = World::create(w.alpha_member, "outcomes", {{"kind", "customer-contract"}, {"amount", "1000.05"},
                                                        {"currency", "USD"}, {"occurred_on", day(-30)}});
  CHECK(usd.at("amount_eur") == "900.05");  // 900.045 rounded half up to the cent
  CHECK(usd.at("eur_rate") == "0.9");
  auto yen = World::create(w.alpha_member, "outcomes", {{"kind", "pilot"}, {"amount", "1234567"}, {"currency", "JPY"},
                                                        {"occurred_on", day(-30)}});
  CHECK(yen.at("amount_eur") == "7716.04");  // 7716.04375

  // A new rate from last week: the outcome of a month ago keeps the rate it was converted at;
  // one of yesterday takes the new one.
  World::create(w.staff, "exchange-rates", {{"currency", "USD"}, {"rate", "0.8"}, {"valid_from", day(-7)}});
  CHECK(read(w.alpha_member, "outcomes", id_of(usd)).at("amount_eur") == "900.05");
  auto recent = World::create(w.alpha_member, "outcomes", {{"kind", "hire"}, {"amount", "100"}, {"currency", "USD"},
                                                           {"occurred_on", day(-1)}});
  CHECK(recent.at("amount_eur") == "80.00");
  CHECK(recent.at("eur_rate") == "0.8");
  // Notes change nothing of the euros; a new amount is converted again, at its date's rate.
  auto noted = w.alpha_member.patch(path_of("outcomes", id_of(usd)), json::object{{"evidence", "Signed PO"}});
  CHECK(noted.json().at("eur_rate") == "0.9");
  auto changed = w.alpha_member.patch(path_of("outcomes", id_of(usd)), json::object{{"amount", "2000"}});
  CHECK(changed.json().at("amount_eur") == "1800.00");
  // Moved to yesterday: the new rate.
  changed = w.alpha_member.patch(path_of("outcomes", id_of(usd)), json::object{{"occurred_on", day(-1)}});
  CHECK(changed.json().at("amount_eur") == "1600.00");
  CHECK(changed.json().at("eur_rate") == "0.8");
  // A currency the table does not know: recorded, without euros.
  auto chf = World::create(w.alpha_member, "outcomes", {{"kind", "pilot"}, {"amount", "10"}, {"currency", "CHF"}});
  CHECK(chf.at("amount_eur").is_null());
  CHECK(chf.at("eur_rate").is_null());
  // The euros are the server's to compute.
  CHECK(w.alpha_member.patch(path_of("outcomes", id_of(usd)), json::object{{"amount_eur", "1"}}).status == 400);
  // Staff read them on another start-up's outcome.
  CHECK(read(w.staff, "outcomes", id_of(yen)).at("amount_eur") == "7716.04");
}

TEST_CASE("region staff read each row with its start-up's name and list one start-up's rows, members only their own") {
  World w;
  const std::string alpha = text(w.alpha_member.get("/api/v1/organisations/" + std::to_string(w.alpha_id)).json().at("name"));
  const std::string beta = text(w.beta_member.get("/api/v1/organisations/" + std::to_string(w.beta_id)).json().at("name"));
  for (HttpClient* as : {&w.alpha_member, &w.beta_member}) {
    const auto company = id_of(World::create(*as, "companies", {{"name", "Fonds Éole"}}));
    const auto lead = id_of(World::create(*as, "leads", {{"title", "Série A 🌱"}, {"company_id", company}}));
    World::create(*as, "activities", {{"kind", "note"}, {"lead_id", lead}, {"subject", "Appel"}});
    World::create(*as, "outcomes", {{"kind", "investment"}, {"lead_id", lead}, {"partner_company_id", company}});
    World::create(*as, "leads", {{"title", "Partagé"}, {"shared_with_region", true}});
  }
  for (const char* collection : {"leads", "outcomes", "companies"}) {
    INFO(collection);
    const std::string base = std::string("/api/v1/") + collection;
    const json::value all = w.staff.get(base + "?limit=200").json();
    bool saw_alpha = false, saw_beta = false;
    for (const auto& item : all.at("items").as_array()) {
      const auto org = item.at("org_id").as_int64();
      saw_alpha = saw_alpha || org == w.alpha_id;
      saw_beta = saw_beta || org == w.beta_id;
      if (org == w.alpha_id) CHECK(text(item.at("org_name")) == alpha);
      if (org == w.beta_id) CHECK(text(item.at("org_name")) == beta);
    }
    CHECK((saw_alpha && saw_beta));
    const json::value only = w.staff.get(base + "?org_id=" + std::to_string(w.beta_id)).json();
    CHECK_FALSE(only.at("items").as_array().empty());
    for (const auto& item : only.at("items").as_array()) {
      CHECK(item.at("org_id").as_int64() == w.beta_id);
      CHECK(text(item.at("org_name")) == beta);
      CHECK(text(read(w.staff, collection, item.at("id").as_int64()).at("org_name")) == beta);
    }
    // A member reads their own rows, without a name they know; naming another start-up
    // gives nothing.
    const json::value own = w.alpha_member.get(base + "?limit=200").json();
    for (const auto& item : own.at("items").as_array()) {
      CHECK(item.at("org_id").as_int64() == w.alpha_id);
      CHECK_FALSE(item.as_object().contains("org_name"));
    }
    CHECK(w.alpha_member.get(base + "?org_id=" + std::to_string(w.beta_id)).json().at("items").as_array().empty());
  }
  // Activities and follow-ups: staff see another start-up's only through a shared lead.
  const json::value activities = w.staff.get("/api/v1/activities?org_id=" + std::to_string(w.alpha_id)).json();
  for (const auto& item : activities.at("items").as_array()) CHECK(text(item.at("org_name")) == alpha);
  CHECK(w.staff.get("/api/v1/leads?org_id=abc").status == 400);
}

TEST_CASE("region staff list every start-up's users by name and role, never a start-up user's email") {
  World w;
  World::create(w.alpha_admin, "users", {{"email", "zoe.secret-address@alpha.test"}, {"display_name", "Zoé Fondatrice"},
                                         {"password", "password-of-zoe-1"}});
  const json::value page = w.staff.get("/api/v1/users?limit=200").json();
  bool saw_zoe = false, saw_colleague = false;
  for (const auto& item : page.at("items").as_array()) {
    const auto& user = item.as_object();
    CHECK(user.contains("display_name"));
    CHECK(user.contains("role"));
    if (user.at("org_id").as_int64() == w.region_id) {
      saw_colleague = saw_colleague || text(user.at("role")) == "admin";
      CHECK(user.contains("email"));  // the region's own users: colleagues
    } else {
      CHECK_FALSE(user.contains("email"));
      CHECK(user.at("redacted") == true);
    }
    if (text(user.at("display_name")) == "Zoé Fondatrice") {
      saw_zoe = true;
      CHECK(text(read(w.staff, "users", user.at("id").as_int64()).at("display_name")) == "Zoé Fondatrice");
      CHECK_FALSE(read(w.staff, "users", user.at("id").as_int64()).contains("email"));
    }
  }
  CHECK(saw_zoe);
  CHECK(saw_colleague);
  CHECK(page.as_object().at("items").as_array().size() >= 5);
  CHECK(w.staff.get("/api/v1/users?limit=200").body.find("secret-address") == std::string::npos);
  // Nor through the list's order, its cursor or a guess: staff may not filter or sort by it.
  for (const std::string query : {"sort=email&limit=1", "sort=-email", "email=zoe.secret-address@alpha.test"}) {
    const auto refused = w.staff.get("/api/v1/users?" + query);
    INFO(query << " -> " << refused.body);
    CHECK(refused.status == 400);
    CHECK(text(refused.json().at("field")) == "email");
  }
  CHECK(w.admin.get("/api/v1/users?email=zoe.secret-address@alpha.test").json().at("items").as_array().size() == 1);
  // A start-up's member still sees only their colleagues, emails included.
  const json::value own = w.alpha_member.get("/api/v1/users?limit=200").json();
  for (const auto& item : own.at("items").as_array()) {
    CHECK(item.at("org_id").as_int64() == w.alpha_id);
    CHECK(item.as_object().contains("email"));
  }
}
