// Reports (/api/v1/reports/...): a trade mission seeded through the API as its start-ups
// would log it (two start-ups, shared and unshared leads, stage moves, meetings and
// follow-ups on time and late, outcomes in EUR and USD), and each report's figures checked
// against values computed here from what was seeded or read back through the API. Staff see
// every start-up by name; a start-up's members their own rows and the mission's totals; no
// report, in JSON, CSV or XLSX, carries a word of the contacts' personal data.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
using std::chrono::hours;
using std::chrono::system_clock;

namespace {

std::string instant(system_clock::time_point tp) { return utc_instant(tp); }
std::string date_of(system_clock::time_point tp) { return instant(tp).substr(0, 10); }
// Seconds since the epoch of an instant as the API writes it ("YYYY-MM-DDTHH:MM:SS.mmmZ").
double seconds_of(const std::string& t) {
  std::tm tm{};
  strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return static_cast<double>(timegm(&tm)) + std::stod(t.substr(19));
}

// The same definitions as docs/api.md: the mean of the two middle values, the nearest rank.
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
double p90(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(v.size()))) - 1];
}

// Words that only the contacts' personal fields (names, emails, phones, notes) hold.
const std::vector<std::string> secrets = {"Zébulonxq", "Quarkwyz", "quarkwyz.secret", "612345678",
                                          "Flibbertigibbet", "Xylophonic", "Wumpusnote", "Grommetcall"};

const json::object& find(const json::array& items, const std::string& key, const json::value& value) {
  for (const auto& i : items)
    if (i.as_object().at(key) == value) return i.as_object();
  FAIL("no " << key << " = " << json::serialize(value) << " in " << json::serialize(items));
  static const json::object none;
  return none;
}

// A mission, its start-ups' leads, activities, follow-ups and outcomes.
struct Mission {
  World w;
  system_clock::time_point now = system_clock::time_point(
      std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()));
  std::int64_t event = 0, fund = 0, corp = 0, beta_partner = 0;
  std::int64_t a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0;
  std::string mission_end_ref;  // the day after the mission's last day, 00:00 UTC
  std::string o1_day, o2_day, o3_day, o4_day;
  double o1_eur = 0, o2_eur = 0, o3_eur = 0;  // amount_eur as the daemon answered each outcome

  Mission() {
    const auto days = [](int n) { return hours(24 * n); };
    event = World::create(w.staff, "events", {{"name", "Mission Boston 🇺🇸 été"}, {"kind", "trade-mission"},
                                              {"starts_on", date_of(now - days(25))},
                                              {"ends_on", date_of(now - days(20))}})
                .at("id").as_int64();
    mission_end_ref = date_of(now - days(19)) + "T00:00:00Z";
    fund = World::create(w.alpha_member, "companies", {{"name", "Fonds Écureuil"}, {"kind", "vc-fund"},
                                                       {"sector", "Fintech"}, {"notes", "Flibbertigibbet"}})
               .at("id").as_int64();
    corp = World::create(w.alpha_member, "companies", {{"name", "Corp Ünion\r\nInc"}, {"kind", "corporate"},
                                                       {"sector", "Santé"}})
               .at("id").as_int64();
    beta_partner = World::create(w.beta_member, "companies", {{"name", "Beta Partner"}, {"sector", "fintech"}})
                       .at("id").as_int64();
    const auto contact = World::create(w.alpha_member, "contacts",
                                       {{"first_name", "Zébulonxq"}, {"last_name", "Quarkwyz"},
                                        {"emails", json::array{"quarkwyz.secret@example.test"}},
                                        {"phones", json::array{"+33 6 12 34 56 78"}},
                                        {"notes", "Flibbertigibbet"}, {"company_id", fund}})
                             .at("id").as_int64();
    const auto beta_contact = World::create(w.beta_member, "contacts",
                                            {{"first_name", "Zébulonxq"}, {"last_name", "Quarkwyz"},
                                             {"notes", "Flibbertigibbet"}})
                                  .at("id").as_int64();
    auto lead = [&](HttpClient& as, json::object body) { return World::create(as, "leads", body).at("id").as_int64(); };
    a1 = lead(w.alpha_member, {{"title", "Série A"}, {"contact_id", contact}, {"company_id", fund}, {"stage", "new"},
                               {"source_event_id", event}, {"notes", "Xylophonic"}});
    a2 = lead(w.alpha_member, {{"title", "Pilote hôpital"}, {"company_id", corp}, {"stage", "new"},
                               {"source_event_id", event}, {"shared_with_region", true}});
    a3 = lead(w.alpha_member, {{"title", "Hors mission"}, {"contact_id", contact}, {"stage", "new"}});
    b1 = lead(w.beta_member, {{"title", "Contrat cantine"}, {"contact_id", beta_contact}, {"company_id", beta_partner},
                              {"stage", "new"}, {"source_event_id", event}});
    b2 = lead(w.beta_member, {{"title", "Distributeur"}, {"stage", "new"}, {"source_event_id", event}});

    // Stage moves, a little apart so that the stays differ.
    auto move = [&](HttpClient& as, std::int64_t id, const std::string& stage) {
      REQUIRE(as.patch("/api/v1/leads/" + std::to_string(id), json::object{{"stage", stage}}).status == 200);
    };
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    move(w.alpha_member, a1, "contacted");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    move(w.beta_member, b1, "won");
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    move(w.alpha_member, a1, "meeting");

    // Meetings and follow-ups: A1 followed up after 48 h, A2 96 h after the mission's end,
    // B1 240 h after its meeting, B2 never (a note is no follow-up).
    auto activity = [&](HttpClient& as, std::int64_t lead_id, const std::string& kind, const std::string& at) {
      World::create(as, "activities", {{"lead_id", lead_id}, {"kind", kind}, {"occurred_at", at},
                                       {"subject", kind + " ✉"}, {"notes", "Grommetcall"}});
    };
    activity(w.alpha_member, a1, "meeting", instant(now - days(10)));
    activity(w.alpha_member, a1, "email", instant(now - days(10) + hours(48)));
    activity(w.alpha_member, a2, "call", date_of(now - days(15)) + "T00:00:00Z");
    activity(w.beta_member, b1, "meeting", instant(now - days(15)));
    activity(w.beta_member, b1, "email", instant(now - days(5)));
    activity(w.beta_member, b2, "note", instant(now - days(30)));

    // Follow-ups: A1's is overdue, B1's is not due yet, A3's is overdue but A3 is no mission lead.
    World::create(w.alpha_member, "followups", {{"lead_id", a1}, {"title", "Relancer"}, {"due_at", instant(now - days(2))}});
    World::create(w.beta_member, "followups", {{"lead_id", b1}, {"title", "Relancer"}, {"due_at", instant(now + days(3))}});
    World::create(w.alpha_member, "followups", {{"lead_id", a3}, {"title", "Relancer"}, {"due_at", instant(now - days(1))}});

    o1_day = date_of(now - days(5));
    o2_day = date_of(now - days(3));
    o3_day = date_of(now - days(4));
    o4_day = date_of(now - days(2));
    // The region's rate for dollars, from before any outcome: 1 USD = 0.9 EUR.
    World::create(w.staff, "exchange-rates", {{"currency", "USD"}, {"rate", "0.9"}, {"valid_from", date_of(now - days(400))}});
    auto eur = [](const json::object& outcome) { return std::stod(std::string(outcome.at("amount_eur").as_string())); };
    o1_eur = eur(World::create(w.alpha_member, "outcomes", {{"lead_id", a1}, {"event_id", event}, {"partner_company_id", fund},
                                               {"kind", "investment"}, {"amount", 150000.00}, {"currency", "EUR"},
                                               {"jobs", 3}, {"occurred_on", o1_day}, {"notes", "Wumpusnote"}}));
    o2_eur = eur(World::create(w.alpha_member, "outcomes", {{"lead_id", a2}, {"event_id", event}, {"partner_company_id", corp},
                                               {"kind", "partnership"}, {"amount", 20000.50}, {"currency", "USD"},
                                               {"jobs", 1}, {"occurred_on", o2_day}}));
    o3_eur = eur(World::create(w.beta_member, "outcomes", {{"lead_id", b1}, {"partner_company_id", beta_partner},
                                              {"kind", "customer-contract"}, {"amount", 5000}, {"currency", "EUR"},
                                              {"occurred_on", o3_day}, {"notes", "Wumpusnote"}}));
    World::create(w.alpha_member, "outcomes", {{"kind", "hire"}, {"jobs", 2}, {"occurred_on", o4_day}});
  }

  json::object report(HttpClient& as, const std::string& name, const std::string& query = "") {
    const std::string target = "/api/v1/reports/" + name + "?event_id=" + std::to_string(event) + query;
    auto r = as.get(target);
    INFO("GET " << target << " -> " << r.status << " " << r.body.substr(0, 2000));
    REQUIRE(r.status == 200);
    return r.json().as_object();
  }
};

std::string name_of(const json::object& startup) { return std::string(startup.at("org_name").as_string()); }

}  // namespace

TEST_CASE("the funnel counts leads per stage, the stages they reached, conversion and time per stage") {
  Mission m;
  const json::object r = m.report(m.w.staff, "funnel");
  CHECK(r.at("scope") == "every-startup");
  const json::array& overall = r.at("overall").at("stages").as_array();
  auto stage = [&](const json::array& stages, const char* s) { return find(stages, "stage", json::value(s)); };
  CHECK(r.at("overall").at("leads") == 4);  // A3 came from no mission
  CHECK(stage(overall, "new").at("leads") == 2);
  CHECK(stage(overall, "meeting").at("leads") == 1);
  CHECK(stage(overall, "won").at("leads") == 1);
  CHECK(stage(overall, "new").at("reached") == 4);
  // B1 went from new straight to won: past contacted, meeting and proposal.
  CHECK(stage(overall, "contacted").at("reached") == 2);
  CHECK(stage(overall, "proposal").at("reached") == 1);
  CHECK(stage(overall, "new").at("conversion_to_next").as_double() == Approx(0.5));
  CHECK(stage(overall, "contacted").at("conversion_to_next").as_double() == Approx(1.0));
  CHECK(stage(overall, "meeting").at("conversion_to_next").as_double() == Approx(0.5));
  CHECK(stage(overall, "proposal").at("conversion_to_next").as_double() == Approx(1.0));
  CHECK(stage(overall, "won").at("conversion_to_next").is_null());  // the last step
  CHECK(stage(overall, "lost").at("conversion_to_next").is_null());

  // Time per stage, from the leads' creation and the stage changes read back through the API.
  std::map<std::string, std::vector<double>> stays;
  for (auto* as : {&m.w.alpha_member, &m.w.beta_member}) {
    for (const auto& lead : list_all(*as, "leads")) {
      if (lead.at("source_event_id").is_null()) continue;
      double entered = seconds_of(std::string(lead.at("created_at").as_string()));
      std::vector<json::object> changes;
      for (const auto& a : list_all(*as, "activities"))
        if (a.at("lead_id") == lead.at("id") && a.at("kind") == "stage-change") changes.push_back(a);
      std::sort(changes.begin(), changes.end(), [](const json::object& x, const json::object& y) {
        return x.at("occurred_at").as_string() < y.at("occurred_at").as_string();
      });
      for (const auto& c : changes) {
        const double left = seconds_of(std::string(c.at("occurred_at").as_string()));
        stays[std::string(c.at("from_stage").as_string())].push_back(left - entered);
        entered = left;
      }
    }
  }
  REQUIRE(stays["new"].size() == 2);
  CHECK(stage(overall, "new").at("stays") == 2);
  CHECK(stage(overall, "new").at("median_seconds").as_double() == Approx(median(stays["new"])).margin(0.01));
  CHECK(stage(overall, "new").at("p90_seconds").as_double() == Approx(p90(stays["new"])).margin(0.01));
  CHECK(stage(overall, "contacted").at("median_seconds").as_double() ==
        Approx(median(stays["contacted"])).margin(0.01));
  CHECK(stage(overall, "meeting").at("median_seconds").is_null());  // A1 is still there

  const json::array& startups = r.at("startups").as_array();
  REQUIRE(startups.size() == 2);
  const auto& alpha = find(startups, "org_name", json::value("Alpha Robotics"));
  CHECK(alpha.at("org_id") == m.w.alpha_id);
  CHECK(alpha.at("leads") == 2);
  CHECK(stage(alpha.at("stages").as_array(), "new").at("conversion_to_next").as_double() == Approx(0.5));
  const auto& beta = find(startups, "org_name", json::value("Beta Foods"));
  CHECK(stage(beta.at("stages").as_array(), "won").at("leads") == 1);

  // Without the mission's filter, A3 counts too; with a sector, the leads of Fintech companies.
  CHECK(m.w.staff.get("/api/v1/reports/funnel").json().at("overall").at("leads") == 5);
  CHECK(m.report(m.w.staff, "funnel", "&sector=FINTECH").at("overall").at("leads") == 2);
  CHECK(m.report(m.w.staff, "funnel", "&org_id=" + std::to_string(m.w.beta_id)).at("startups").as_array().size() == 1);
}

TEST_CASE("outcomes add up by kind, start-up, partner, sector and month, in euros and in their own currencies") {
  Mission m;
  const json::object r = m.report(m.w.staff, "outcomes");
  const json::object& totals = r.at("totals").as_object();
  CHECK(totals.at("count") == 3);  // the hire belongs to no mission
  CHECK(m.o2_eur == Approx(20000.50 * 0.9));  // converted at the region's rate when written
  CHECK(totals.at("amount_eur").as_double() == Approx(m.o1_eur + m.o2_eur + m.o3_eur));
  CHECK(totals.at("jobs") == 4);
  CHECK(find(totals.at("amounts").as_array(), "currency", json::value("USD")).at("amount").as_double() ==
        Approx(20000.50));
  CHECK(find(totals.at("amounts").as_array(), "currency", json::value("EUR")).at("amount").as_double() ==
        Approx(155000.0));
  CHECK(find(r.at("by_kind").as_array(), "kind", json::value("partnership")).at("amount_eur").as_double() ==
        Approx(m.o2_eur));
  const auto& fund = find(r.at("by_partner").as_array(), "company_id", json::value(m.fund));
  CHECK(fund.at("company_name") == "Fonds Écureuil");
  CHECK(fund.at("jobs") == 3);
  CHECK(find(r.at("by_partner").as_array(), "company_id", json::value(m.corp)).at("company_name") == "Corp Ünion\r\nInc");
  // Sectors are compared as written: "Fintech" and "fintech" are two rows.
  CHECK(find(r.at("by_sector").as_array(), "sector", json::value("Santé")).at("count") == 1);
  std::map<std::string, std::int64_t> months;
  for (const auto& d : {m.o1_day, m.o2_day, m.o3_day}) ++months[d.substr(0, 7)];
  CHECK(r.at("by_month").as_array().size() == months.size());
  for (const auto& [month, n] : months) CHECK(find(r.at("by_month").as_array(), "month", json::value(month)).at("count") == n);
  const auto& alpha = find(r.at("startups").as_array(), "org_id", json::value(m.w.alpha_id));
  CHECK(alpha.at("count") == 2);
  CHECK(alpha.at("amount_eur").as_double() == Approx(m.o1_eur + m.o2_eur));

  // The filters: partner, sector, period; and every outcome without the mission's.
  CHECK(m.report(m.w.staff, "outcomes", "&partner_company_id=" + std::to_string(m.fund)).at("totals").at("count") == 1);
  CHECK(m.report(m.w.staff, "outcomes", "&sector=Fintech").at("totals").at("count") == 2);
  CHECK(m.report(m.w.staff, "outcomes", "&from=" + m.o3_day + "&to=" + m.o2_day).at("totals").at("count") == 2);
  CHECK(m.w.staff.get("/api/v1/reports/outcomes").json().at("totals").at("count") == 4);
}

TEST_CASE("the outcomes' partners are listed most euros first up to the limit asked and the others summed") {
  Mission m;
  const json::object all = m.report(m.w.staff, "outcomes");
  CHECK(all.at("partners_total") == 3);
  CHECK(all.at("by_partner").as_array().size() == 3);
  CHECK(all.at("other_partners").at("count") == 0);
  const json::object top = m.report(m.w.staff, "outcomes", "&limit=1");
  REQUIRE(top.at("by_partner").as_array().size() == 1);
  CHECK(top.at("by_partner").as_array()[0].at("company_id") == m.fund);  // 150,000 EUR, before 18,000 and 5,000
  CHECK(top.at("partners_total") == 3);
  const json::object& others = top.at("other_partners").as_object();
  CHECK(others.at("count") == 2);
  CHECK(others.at("amount_eur").as_double() == Approx(m.o2_eur + m.o3_eur));
  CHECK(others.at("jobs") == 1);
  CHECK(top.at("totals") == all.at("totals"));  // the totals do not depend on the list
  // A start-up's stale leads: the list and how many there are.
  const json::object mine = m.report(m.w.alpha_member, "stale", "&limit=1");
  CHECK(mine.at("leads_total") == 1);
  CHECK(mine.at("leads").as_array().size() == 1);
  CHECK(m.report(m.w.staff, "stale").at("leads_total") == 0);  // staff get counts, no list
}

TEST_CASE("follow-up discipline measures the first follow-up after the meeting or the mission's end") {
  Mission m;
  const json::object r = m.report(m.w.staff, "followup-discipline");
  const json::object& all = r.at("overall").as_object();
  CHECK(all.at("mission_leads") == 4);
  CHECK(all.at("with_reference") == 4);
  CHECK(all.at("followed_up") == 3);
  CHECK(all.at("within_72h") == 1);  // A1: 48 h
  CHECK(all.at("within_7d") == 2);   // and A2: 96 h after the mission's end
  CHECK(all.at("share_within_72h").as_double() == Approx(0.25));
  CHECK(all.at("share_within_7d").as_double() == Approx(0.5));
  CHECK(all.at("median_hours_to_first_followup").as_double() == Approx(96.0).margin(0.001));
  CHECK(all.at("overdue_followups") == 1);  // A1's; A3 is no mission lead, B1's is not due
  const auto& alpha = find(r.at("startups").as_array(), "org_id", json::value(m.w.alpha_id));
  CHECK(alpha.at("median_hours_to_first_followup").as_double() == Approx(72.0).margin(0.001));
  CHECK(alpha.at("share_within_7d").as_double() == Approx(1.0));
  const auto& beta = find(r.at("startups").as_array(), "org_id", json::value(m.w.beta_id));
  CHECK(beta.at("followed_up") == 1);
  CHECK(beta.at("median_hours_to_first_followup").as_double() == Approx(240.0).margin(0.001));
  CHECK(beta.at("overdue_followups") == 0);
}

TEST_CASE("stale leads are counted for staff and listed for the start-up, by stage and idle days") {
  Mission m;
  // A2's last activity is 15 days old, B2's 30; A1 moved today, B1 is won.
  const json::object r = m.report(m.w.staff, "stale");
  CHECK(r.at("default_days") == 14);
  CHECK(r.at("totals").at("leads") == 2);
  CHECK(find(r.at("startups").as_array(), "org_id", json::value(m.w.alpha_id)).at("leads") == 1);
  CHECK(r.at("leads").as_array().empty());  // staff get counts
  CHECK(m.report(m.w.staff, "stale", "&days=20").at("totals").at("leads") == 1);
  CHECK(m.report(m.w.staff, "stale", "&days=40").at("totals").at("leads") == 0);

  const json::object mine = m.report(m.w.alpha_member, "stale");
  CHECK(mine.at("totals").at("leads") == 2);  // the mission's
  REQUIRE(mine.at("leads").as_array().size() == 1);
  const auto& a2 = mine.at("leads").as_array()[0].as_object();
  CHECK(a2.at("id") == m.a2);
  CHECK(a2.at("stage") == "new");
  CHECK(a2.at("idle_days").as_double() >= 15.0);
  CHECK(a2.at("last_activity_at").as_string().starts_with(date_of(m.now - hours(24 * 15))));
}

TEST_CASE("a start-up's stale-stage cadence rule sets the days of its stage unless days is asked") {
  Mission m;
  // Alpha gives its new leads 20 days: A2, idle for 15, is not stale any more; B2 still is.
  World::create(m.w.alpha_member, "cadence_rules", {{"kind", "stale-stage"}, {"stage", "new"}, {"days", 20}});
  const json::object r = m.report(m.w.staff, "stale");
  CHECK(r.at("totals").at("leads") == 1);
  CHECK(find(r.at("startups").as_array(), "org_id", json::value(m.w.beta_id)).at("leads") == 1);
  CHECK(m.report(m.w.staff, "stale", "&days=10").at("totals").at("leads") == 2);
}

TEST_CASE("a start-up's members see their own rows by name and the mission's totals, never another start-up's") {
  Mission m;
  for (const char* name : {"funnel", "outcomes", "followup-discipline", "stale", "mission-summary"}) {
    const json::object r = m.report(m.w.alpha_member, name);
    const std::string text = json::serialize(r);
    INFO(name << ": " << text);
    CHECK(r.at("scope") == "own-startup");
    CHECK(text.find("Beta Foods") == std::string::npos);
    CHECK(text.find("Beta Partner") == std::string::npos);
    CHECK(text.find("Contrat cantine") == std::string::npos);
  }
  const json::object o = m.report(m.w.alpha_member, "outcomes");
  CHECK(o.at("totals").at("count") == 3);  // the mission's
  REQUIRE(o.at("startups").as_array().size() == 1);
  CHECK(name_of(o.at("startups").as_array()[0].as_object()) == "Alpha Robotics");
  CHECK(o.at("by_partner").as_array().size() == 2);  // Alpha's partners only
  // Another start-up's figures are refused; their own organisation is what they get anyway.
  CHECK(m.w.alpha_member.get("/api/v1/reports/funnel?org_id=" + std::to_string(m.w.beta_id)).status == 403);
  CHECK(m.w.alpha_member.get("/api/v1/reports/funnel?org_id=" + std::to_string(m.w.alpha_id)).status == 200);
}

TEST_CASE("the mission summary holds every figure with a definition of each") {
  Mission m;
  const json::object r = m.report(m.w.staff, "mission-summary");
  CHECK(r.at("report") == "mission-summary");
  CHECK(r.at("funnel").at("overall").at("leads") == 4);
  CHECK(r.at("outcomes").at("totals").at("count") == 3);
  CHECK(r.at("followup_discipline").at("overall").at("within_72h") == 1);
  CHECK(r.at("stale").at("totals").at("leads") == 2);
  const json::object& d = r.at("definitions").as_object();
  for (const char* figure : {"leads", "reached", "conversion_to_next", "median_seconds", "amount_eur", "jobs",
                             "mission_leads", "within_72h", "median_hours_to_first_followup",
                             "overdue_followups", "stale"})
    CHECK(!d.at(figure).as_string().empty());
}

TEST_CASE("reports come as csv and xlsx files through the exporter plugins") {
  Mission m;
  TempDir dir;
  auto fetch = [&](const std::string& name, const std::string& format) {
    auto r = m.w.staff.get("/api/v1/reports/" + name + "?event_id=" + std::to_string(m.event) +
                           "&format=" + format + "&lang=en");
    INFO(r.body.substr(0, 500));
    REQUIRE(r.status == 200);
    CHECK(r.header("content-disposition").find("report-" + name) != std::string::npos);
    const std::string path = dir.file(name + "." + format);
    std::ofstream(path, std::ios::binary).write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    return path;
  };
  const std::string csv = fetch("outcomes", "csv");
  auto [code, rows] = shell(quoted(RELANCE_TEST_PYTHON) + " -c " +
                            quoted("import csv,json,sys\n"
                                   "print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))") +
                            " " + quoted(csv));
  REQUIRE(code == 0);
  const json::array table = json::parse(rows).as_array();
  bool fund_row = false;
  for (const auto& row : table) {
    const auto& cells = row.as_array();
    if (cells.size() > 3 && cells[0] == "by_partner" && cells[1] == "Fonds Écureuil") {
      fund_row = true;
      CHECK(cells[2] == "1");
      CHECK(std::stod(std::string(cells[3].as_string())) == Approx(150000.0));
    }
  }
  CHECK(fund_row);

  const std::string xlsx = fetch("mission-summary", "xlsx");
  auto [xcode, sheets] = shell(quoted(RELANCE_TEST_PYTHON) + " -c " +
                               quoted("import openpyxl,json,sys\n"
                                      "wb = openpyxl.load_workbook(sys.argv[1])\n"
                                      "print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)]"
                                      " for ws in wb.worksheets}, default=str))") +
                               " " + quoted(xlsx));
  INFO(sheets);
  REQUIRE(xcode == 0);
  const json::object book = json::parse(sheets).as_object();
  for (const char* sheet : {"funnel", "outcomes", "followup_discipline", "stale", "definitions"})
    CHECK(book.contains(sheet));
  const json::array& discipline = book.at("followup_discipline").as_array();
  REQUIRE(discipline.size() >= 2);
  CHECK(discipline[1].as_array()[0] == "Total");
  CHECK(discipline[1].as_array()[1].to_number<double>() == 4);
}

TEST_CASE("no report in json csv or xlsx carries a word of the contacts' personal data") {
  Mission m;
  TempDir dir;
  for (HttpClient* as : {&m.w.staff, &m.w.alpha_member, &m.w.admin}) {
    for (const char* name : {"funnel", "outcomes", "followup-discipline", "stale", "mission-summary"}) {
      for (const std::string format : {"json", "csv", "xlsx"}) {
        auto r = as->get(std::string("/api/v1/reports/") + name + "?format=" + format);
        REQUIRE(r.status == 200);
        std::string text = r.body;
        if (format == "xlsx") {
          const std::string path = dir.file(std::string(name) + ".xlsx");
          std::ofstream(path, std::ios::binary).write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
          auto [code, out] = shell(quoted(RELANCE_TEST_PYTHON) + " -c " +
                                   quoted("import openpyxl,sys\n"
                                          "for ws in openpyxl.load_workbook(sys.argv[1]).worksheets:\n"
                                          "  for r in ws.iter_rows(values_only=True): print(r)") +
                                   " " + quoted(path));
          REQUIRE(code == 0);
          text = out;
        }
        INFO(name << " as " << format);
        for (const auto& word : secrets) CHECK(text.find(word) == std::string::npos);
      }
    }
  }
}

TEST_CASE("bad report parameters get a clear 400 naming the parameter") {
  Mission m;
  for (const char* q : {"from=2026-02-30", "event_id=abc", "org_id=0", "color=blue", "lang=de", "days=x", "limit=0",
                        "limit=10001", "limit=-3"}) {
    auto r = m.w.staff.get(std::string("/api/v1/reports/funnel?") + q);
    INFO(q << " -> " << r.body);
    CHECK(r.status == 400);
  }
  CHECK(m.w.staff.get("/api/v1/reports/stale?days=5000").status == 422);
  CHECK(m.w.staff.get("/api/v1/reports/funnel?format=pdf").status == 404);
}

TEST_CASE("a member cannot single out another start-up in the mission's totals by its event, company, sector or stage names") {
  Mission m;
  const std::string beta_event = std::to_string(
      World::create(m.w.beta_member, "events", {{"name", "Dîner privé Beta"}, {"kind", "other"}}).at("id").as_int64());
  // Another start-up's own event is missing to Alpha, here as everywhere.
  CHECK(m.w.alpha_member.get("/api/v1/events/" + beta_event).status == 404);
  const auto hidden = m.w.alpha_member.get("/api/v1/reports/outcomes?event_id=" + beta_event);
  CHECK(hidden.status == 404);
  CHECK(hidden.json().at("field").as_string() == "event_id");
  // A company or a sector is one start-up's: with either, the totals are the member's own.
  auto totals = [&](const std::string& query) {
    const auto r = m.w.alpha_member.get("/api/v1/reports/outcomes?" + query);
    INFO(query << " -> " << r.body);
    REQUIRE(r.status == 200);
    return r.json().at("totals").at("count").as_int64();
  };
  CHECK(totals("partner_company_id=" + std::to_string(m.beta_partner)) == 0);
  CHECK(totals("sector=fintech") == 1);  // Alpha's fund alone, not Beta's partner of the same sector
  CHECK(totals("event_id=" + std::to_string(m.event)) == 3);  // the region's mission: every start-up's
  // Another start-up's own stage names stay its own: "other" in the totals.
  REQUIRE(m.w.beta_admin.patch("/api/v1/organisations/" + std::to_string(m.w.beta_id),
                               json::object{{"pipeline_stages", json::array{"new", "due-diligence-zorglub", "won", "lost"}}})
              .status == 200);
  REQUIRE(m.w.beta_member.patch("/api/v1/leads/" + std::to_string(m.b2), json::object{{"stage", "due-diligence-zorglub"}})
              .status == 200);
  for (const char* name : {"funnel", "stale"}) {
    const std::string member = json::serialize(m.report(m.w.alpha_member, name));
    INFO(member);
    CHECK(member.find("zorglub") == std::string::npos);
  }
  CHECK(json::serialize(m.report(m.w.staff, "funnel")).find("due-diligence-zorglub") != std::string::npos);
}
