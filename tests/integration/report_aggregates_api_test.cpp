// The reports' aggregates (migration 14) and their index in memory (migration 16) kept right
// by the daemon's own write paths: leads, activities and outcomes created, edited and
// deleted through the API, stage changes, a company's sector changed, a lead moved to
// another mission or company, a contact merge and its undo. The daemon's index, loaded
// before the first lead and fed write by write, answers what a daemon started afresh
// answers; and, the daemon stopped, every read of every report equals a fresh scan of the
// same file, for each kind of filter.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "relance/storage/sqlite_store.hpp"
#include "report_reads_text.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace st = relance::storage;
using std::chrono::hours;
using std::chrono::system_clock;

namespace {

std::string instant(system_clock::time_point t) { return utc_instant(t); }
std::string day_of(system_clock::time_point t) { return utc_instant(t).substr(0, 10); }

// The reports as `as` reads them through the API, for a few filters, without the instant
// they were made at.
std::string api_reports(HttpClient& as, const std::vector<std::string>& queries) {
  std::string out;
  for (const char* report : {"funnel", "followup-discipline", "stale", "outcomes"})
    for (const std::string& q : queries) {
      const auto r = as.get(std::string("/api/v1/reports/") + report + q);
      INFO(report << q << ": " << r.body);
      REQUIRE(r.status == 200);
      json::object body = json::parse(r.body).as_object();
      body.erase("generated_at");
      out += std::string(report) + q + " " + json::serialize(body) + "\n";
    }
  return out;
}

}  // namespace

TEST_CASE("the daemon's writes keep the reports' aggregates equal to a fresh scan, merges and their undo included",
          "[reports][aggregates]") {
  World w;
  REQUIRE(w.staff.get("/api/v1/reports/funnel").status == 200);  // the index loaded, empty
  const auto now = system_clock::now();
  const auto days = [](int n) { return hours(24 * n); };
  auto id_of = [](const json::object& o) { return o.at("id").as_int64(); };
  const auto mission = id_of(World::create(w.staff, "events", {{"name", "Mission Montréal ❄ hiver"},
                                                               {"starts_on", day_of(now - days(40))},
                                                               {"ends_on", day_of(now - days(36))}}));
  const auto fair = id_of(World::create(w.staff, "events", {{"name", "Salon Lyon"}, {"ends_on", day_of(now - days(8))}}));
  const auto health = id_of(World::create(w.alpha_member, "companies", {{"name", "Clinique Étoile"}, {"sector", "Health"}}));
  const auto fund = id_of(World::create(w.alpha_member, "companies", {{"name", "Fonds Nord"}, {"sector", "fintech"}}));
  const auto beta_co = id_of(World::create(w.beta_member, "companies", {{"name", "Brasserie Ünion"}, {"sector", "HEALTH"}}));
  const auto survivor = id_of(World::create(w.alpha_member, "contacts", {{"first_name", "Zoé"}, {"last_name", "Lefèvre"}}));
  const auto duplicate = id_of(World::create(w.alpha_member, "contacts", {{"first_name", "Zoe"}, {"last_name", "Lefevre"}}));

  std::vector<std::int64_t> leads;
  auto lead = [&](HttpClient& as, json::object body) {
    leads.push_back(id_of(World::create(as, "leads", body)));
    return leads.back();
  };
  const auto a1 = lead(w.alpha_member, {{"title", "Série A 🚀"}, {"stage", "new"}, {"company_id", fund},
                                        {"source_event_id", mission}, {"contact_id", duplicate}});
  const auto a2 = lead(w.alpha_member, {{"title", "Pilote clinique"}, {"stage", "new"}, {"company_id", health},
                                        {"source_event_id", mission}});
  const auto a3 = lead(w.alpha_member, {{"title", "Hors mission"}, {"stage", "new"}, {"contact_id", duplicate}});
  const auto b1 = lead(w.beta_member, {{"title", "Contrat\r\ncantine"}, {"stage", "new"}, {"company_id", beta_co},
                                       {"source_event_id", fair}});
  auto move = [&](HttpClient& as, std::int64_t id, const char* stage) {
    REQUIRE(as.patch("/api/v1/leads/" + std::to_string(id), json::object{{"stage", stage}}).status == 200);
  };
  auto activity = [&](HttpClient& as, std::int64_t lead_id, const char* kind, system_clock::time_point at) {
    return id_of(World::create(as, "activities", {{"lead_id", lead_id}, {"kind", kind}, {"occurred_at", instant(at)},
                                                  {"subject", "Échange ☕"}}));
  };
  move(w.alpha_member, a1, "contacted");
  move(w.alpha_member, a1, "meeting");
  move(w.alpha_member, a2, "won");
  move(w.beta_member, b1, "lost");
  activity(w.alpha_member, a1, "meeting", now - days(38));
  activity(w.alpha_member, a1, "email", now - days(37));
  const auto call = activity(w.alpha_member, a2, "call", now - days(30));
  activity(w.beta_member, b1, "meeting", now - days(9));
  activity(w.alpha_member, a3, "note", now - days(1));
  auto followup = [&](HttpClient& as, std::int64_t lead_id, system_clock::time_point due) {
    return id_of(World::create(as, "followups", {{"lead_id", lead_id}, {"title", "Relancer ☎"}, {"due_at", instant(due)}}));
  };
  followup(w.alpha_member, a1, now - days(2));
  const auto done = followup(w.alpha_member, a2, now - days(5));
  followup(w.beta_member, b1, now - days(1));
  followup(w.beta_member, b1, now + days(3));
  REQUIRE(w.alpha_member.patch("/api/v1/followups/" + std::to_string(done), json::object{{"status", "done"}}).status ==
          200);
  const auto o1 = id_of(World::create(w.alpha_member, "outcomes", {{"lead_id", a2}, {"kind", "pilot"},
                                                                   {"partner_company_id", health}, {"amount", "12000.50"},
                                                                   {"currency", "EUR"}, {"jobs", 2}}));
  World::create(w.beta_member, "outcomes", {{"lead_id", b1}, {"kind", "hire"}, {"jobs", 1},
                                            {"occurred_on", day_of(now - days(3))}});

  // The edits: a sector, a lead moved to another mission and company, an activity deleted,
  // an outcome edited, a lead deleted, a contact merged and the merge undone.
  REQUIRE(w.alpha_member.patch("/api/v1/companies/" + std::to_string(health), json::object{{"sector", "Santé"}}).status == 200);
  REQUIRE(w.alpha_member.patch("/api/v1/leads/" + std::to_string(a1),
                               json::object{{"source_event_id", fair}, {"company_id", health}}).status == 200);
  REQUIRE(w.alpha_member.del("/api/v1/activities/" + std::to_string(call)).status == 204);
  REQUIRE(w.alpha_member.patch("/api/v1/outcomes/" + std::to_string(o1), json::object{{"jobs", 5}}).status == 200);
  const auto gone = lead(w.alpha_member, {{"title", "Éphémère"}, {"stage", "new"}, {"source_event_id", mission}});
  REQUIRE(w.alpha_member.del("/api/v1/leads/" + std::to_string(gone)).status == 204);
  const auto merge = w.alpha_member.post("/api/v1/contacts/" + std::to_string(survivor) + "/merge",
                                         json::object{{"duplicate_id", duplicate}});
  INFO(merge.body);
  REQUIRE(merge.status == 201);
  const auto merge_id = json::parse(merge.body).as_object().at("id").as_int64();
  REQUIRE(w.alpha_member.post("/api/v1/contact-merges/" + std::to_string(merge_id) + "/undo", json::object{}).status ==
          200);

  const std::vector<std::string> queries{"", "?org_id=" + std::to_string(w.alpha_id),
                                         "?event_id=" + std::to_string(mission), "?sector=HEALTH",
                                         "?from=" + day_of(now - days(2)), "?event_id=" + std::to_string(fair) +
                                         "&to=" + day_of(now)};
  const std::string fed = api_reports(w.staff, queries);
  REQUIRE(w.daemon.stop() == 0);
  w.daemon.start();
  HttpClient staff(w.daemon.port());
  staff.set_token(w.staff.token());
  CHECK(api_reports(staff, queries) == fed);
  REQUIRE(w.daemon.stop() == 0);
  st::SqliteOptions options;
  options.path = (w.daemon.data_dir() / "relance.db").string();
  auto store = st::open_sqlite_store(options);
  std::vector<st::ReportFilter> filters(7);
  filters[1].org_id = w.alpha_id;
  filters[2].event_id = fair;
  filters[3].sector = "health";
  filters[4].partner_company_id = health;
  filters[5].from = day_of(now - days(2));
  filters[6].event_id = mission;
  filters[6].to = day_of(now);
  for (st::ReportFilter f : filters) {
    f.now = instant(now);
    const std::string aggregated = report_reads_text(*store, f);
    f.by_scan = true;
    const std::string scanned = report_reads_text(*store, f);
    CHECK(aggregated == scanned);
    CHECK(scanned.find("\n  ") != std::string::npos);  // some figure, not only headings
  }
}
