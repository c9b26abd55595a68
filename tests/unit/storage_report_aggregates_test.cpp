// The reports' aggregates (migration 14) against a fresh scan: after every kind of write the
// reports meet (creates, updates, deletes, stage changes, a company's sector changed, a lead
// moved to another mission or start-up, activities moved between leads, outcomes edited),
// each read from the aggregates answers what the scan of every row answers, for every kind
// of filter the reports take; and each trigger is needed: without any one of them, the
// same writes leave some report wrong.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "relance/model/instant.hpp"
#include "report_reads_text.hpp"
#include "storage_test_support.hpp"

namespace st = relance::storage;
using namespace relance::storage_test;
using relance::test::TempDir;

namespace {
namespace chr = std::chrono;

// An instant `days` days (and `minutes`) before now, as the store writes instants.
std::string ago(int days, int minutes = 0) {
  return st::format_instant(chr::system_clock::now() - chr::days(days) - chr::minutes(minutes));
}
std::string sql_text(const std::string& s) { return "'" + s + "'"; }
// The day `days` days before now, "YYYY-MM-DD".
std::string day_ago(int days) { return ago(days).substr(0, 10); }

// The filters the reports take, alone and together; periods cut inside months and on their
// edges, and one of a single day.
std::vector<st::ReportFilter> filters(std::int64_t org, std::int64_t event, std::int64_t partner) {
  std::vector<st::ReportFilter> out;
  auto add = [&](auto&& set) {
    st::ReportFilter f;
    set(f);
    f.now = st::format_instant(chr::system_clock::now());
    out.push_back(f);
  };
  add([](st::ReportFilter&) {});
  add([&](st::ReportFilter& f) { f.org_id = org; });
  add([&](st::ReportFilter& f) { f.event_id = event; });
  add([&](st::ReportFilter& f) { f.sector = "HEALTH"; });
  add([&](st::ReportFilter& f) { f.sector = "ÉNERGIE"; });  // NOCASE folds ASCII letters only
  add([&](st::ReportFilter& f) { f.partner_company_id = partner; });
  add([&](st::ReportFilter& f) { f.from = day_ago(75); f.to = day_ago(20); });
  add([&](st::ReportFilter& f) { f.from = day_ago(100); });
  add([&](st::ReportFilter& f) { f.to = day_ago(45); });
  add([&](st::ReportFilter& f) { f.from = day_ago(30); f.to = day_ago(30); });
  add([&](st::ReportFilter& f) {
    const std::string first = day_ago(60).substr(0, 8) + "01";  // a whole month and what follows
    f.from = first;
    f.to = day_ago(1);
  });
  add([&](st::ReportFilter& f) { f.event_id = event; f.from = day_ago(90); f.to = day_ago(10); });
  add([&](st::ReportFilter& f) { f.org_id = org; f.sector = "health"; f.from = day_ago(200); });
  add([&](st::ReportFilter& f) { f.org_id = org; f.partner_company_id = partner; f.to = day_ago(5); });
  return out;
}

// A mission of two start-ups, its writes step by step; after each step, `check` is called.
class Scenario {
 public:
  explicit Scenario(std::string path) : path_(std::move(path)) {}

  template <class Check>
  void run(Check check) {
    const std::string stamp = sql_text(ago(300)) + ", " + sql_text(ago(300));
    exec("INSERT INTO organisations (id, org_id, created_at, updated_at, name) VALUES"
         " (1, 1, " + stamp + ", 'Région'), (2, 2, " + stamp + ", 'Éclair'), (3, 3, " + stamp + ", 'Brume 🌫');"
         "INSERT INTO events (id, org_id, created_at, updated_at, name, ends_on) VALUES"
         " (1, 1, " + stamp + ", 'Mission SF', " + sql_text(day_ago(70)) + "),"
         " (2, 1, " + stamp + ", 'Salon', " + sql_text(day_ago(20)) + ");"
         "INSERT INTO companies (id, org_id, created_at, updated_at, name, sector) VALUES"
         " (1, 2, " + stamp + ", 'Santé Plus', 'Health'), (2, 2, " + stamp + ", 'Fonds Éole', 'health'),"
         " (3, 3, " + stamp + ", 'Énergie Verte', 'Énergie'), (4, 3, " + stamp + ", 'Sans secteur', NULL);"
         "INSERT INTO cadence_rules (org_id, created_at, updated_at, kind, stage, days) VALUES"
         " (2, " + stamp + ", 'stale-stage', 'meeting', 45), (3, " + stamp + ", 'stale-stage', 'new', 2);");
    // Leads over five months, of both start-ups, with and without a mission or a company.
    for (int i = 1; i <= 40; ++i) {
      const int org = i % 3 == 0 ? 3 : 2;
      const int company = i % 5 == 0 ? 0 : 1 + (i % 4);
      const std::string event = i % 4 == 0 ? "NULL" : std::to_string(1 + i % 2);
      const std::string created = ago(5 + (i * 37) % 150, i * 7);
      exec("INSERT INTO leads (id, org_id, created_at, updated_at, title, stage, company_id, source_event_id) VALUES (" +
           std::to_string(i) + ", " + std::to_string(org) + ", " + sql_text(created) + ", " + sql_text(created) +
           ", 'Lead n°" + std::to_string(i) + " — café ☕', 'new', " + (company ? std::to_string(company) : "NULL") +
           ", " + event + ")");
      if (i % 3 != 1) activity(i, org, "meeting", ago((i * 37) % 150, i * 3));
      if (i % 2 == 0) activity(i, org, "call", ago(i % 9, 11));
      if (i % 7 == 3) activity(i, org, "email", ago((i * 37) % 150 - 2, i));
    }
    check("created");
    const char* path[] = {"new", "contacted", "meeting", "proposal", "won"};
    for (int i = 1; i <= 40; i += 2) {
      const int org = i % 3 == 0 ? 3 : 2;
      for (int k = 1; k <= i % 5; ++k) move(i, org, path[k - 1], path[k], ago(3 + (5 - k) * 4, i));
    }
    move(4, 2, "new", "lost", ago(2));
    check("stage changes");
    exec("INSERT INTO followups (org_id, created_at, updated_at, lead_id, title, due_at, status) VALUES"
         " (2, " + stamp + ", 1, 'Relancer ☎', " + sql_text(ago(3)) + ", 'open'),"
         " (2, " + stamp + ", 5, 'Envoyer la plaquette', " + sql_text(ago(-2)) + ", 'open'),"
         " (2, " + stamp + ", 7, 'Rappel', " + sql_text(ago(10)) + ", 'snoozed'),"
         " (3, " + stamp + ", 3, 'Fait', " + sql_text(ago(8)) + ", 'done'),"
         " (3, " + stamp + ", 6, 'Démo', " + sql_text(ago(1)) + ", 'open')");
    check("follow-ups");
    exec("UPDATE followups SET status = 'done' WHERE lead_id = 1;"
         "UPDATE followups SET due_at = " + sql_text(ago(4)) + " WHERE lead_id = 5;"
         "UPDATE followups SET lead_id = 11 WHERE lead_id = 6;"
         "DELETE FROM followups WHERE lead_id = 7;");
    check("follow-ups done, moved, deleted");
    exec("INSERT INTO outcomes (org_id, created_at, updated_at, lead_id, partner_company_id, kind, amount, currency,"
         " amount_eur, jobs, occurred_on, event_id) VALUES"
         " (2, " + sql_text(ago(40)) + ", " + sql_text(ago(40)) + ", 1, 2, 'investment', 50000000, 'EUR', 50000000, 3, " +
         sql_text(day_ago(41)) + ", NULL),"
         " (2, " + sql_text(ago(90)) + ", " + sql_text(ago(90)) + ", 7, NULL, 'contract', 1200000, 'USD', 1100000, NULL,"
         " NULL, 2),"
         " (3, " + sql_text(ago(10)) + ", " + sql_text(ago(10)) + ", 9, 3, 'pilot', NULL, NULL, NULL, 1, " +
         sql_text(day_ago(12)) + ", NULL),"
         " (3, " + sql_text(ago(130)) + ", " + sql_text(ago(130)) + ", 15, 3, 'hire', NULL, NULL, NULL, 2, " +
         sql_text(day_ago(131)) + ", NULL)");
    check("outcomes");
    exec("UPDATE leads SET source_event_id = 2 WHERE id IN (1, 2, 3);"
         "UPDATE leads SET source_event_id = NULL WHERE id = 15;"
         "UPDATE leads SET source_event_id = 1 WHERE id = 9;"
         "UPDATE leads SET org_id = 3 WHERE id = 11;"
         "UPDATE leads SET company_id = 3 WHERE id = 8;"
         "UPDATE leads SET created_at = " + sql_text(ago(62)) + " WHERE id = 13;");
    check("leads moved");
    exec("UPDATE companies SET sector = 'Énergie' WHERE id = 1;"
         "UPDATE companies SET sector = 'HEALTH' WHERE id = 4;"
         "UPDATE companies SET sector = 'Fintech' WHERE id = 2;");  // a partner's
    check("sectors changed");
    exec("UPDATE events SET ends_on = " + sql_text(day_ago(-3)) + " WHERE id = 1;");
    check("a mission's end moved");
    exec("UPDATE activities SET lead_id = 6 WHERE lead_id = 5;"
         "UPDATE activities SET occurred_at = " + sql_text(ago(1)) + " WHERE id = 3;"
         "DELETE FROM activities WHERE lead_id = 7 AND kind = 'stage-change';"
         "DELETE FROM activities WHERE lead_id = 10 AND kind = 'call';");
    check("activities moved, edited, deleted");
    exec("UPDATE outcomes SET amount = 2500000, amount_eur = 2400000, currency = 'EUR' WHERE lead_id = 7;"
         "UPDATE outcomes SET occurred_on = " + sql_text(day_ago(3)) + " WHERE lead_id = 9;"
         "UPDATE outcomes SET partner_company_id = 1 WHERE lead_id = 15;"
         "DELETE FROM outcomes WHERE lead_id = 1;"
         "INSERT INTO outcomes (org_id, created_at, updated_at, lead_id, kind, jobs) VALUES (2, " +
         sql_text(ago(33)) + ", " + sql_text(ago(33)) + ", 2, 'hire', 4)");
    check("outcomes edited");
    exec("DELETE FROM leads WHERE id IN (2, 9, 20, 21);"
         "DELETE FROM companies WHERE id IN (1, 3);"  // 1: the partner of an outcome left
         "DELETE FROM events WHERE id = 2;");
    check("deleted");
  }

 private:
  void exec(const std::string& sql) { sql_exec(path_, sql); }
  void activity(int lead, int org, const char* kind, const std::string& at) {
    exec("INSERT INTO activities (org_id, created_at, updated_at, lead_id, kind, occurred_at) VALUES (" +
         std::to_string(org) + ", " + sql_text(at) + ", " + sql_text(at) + ", " + std::to_string(lead) + ", '" + kind +
         "', " + sql_text(at) + ")");
  }
  void move(int lead, int org, const char* from, const char* to, const std::string& at) {
    exec("UPDATE leads SET stage = '" + std::string(to) + "' WHERE id = " + std::to_string(lead) + ";"
         "INSERT INTO activities (org_id, created_at, updated_at, lead_id, kind, occurred_at, from_stage, to_stage)"
         " VALUES (" + std::to_string(org) + ", " + sql_text(at) + ", " + sql_text(at) + ", " + std::to_string(lead) +
         ", 'stage-change', " + sql_text(at) + ", '" + from + "', '" + to + "')");
  }
  std::string path_;
};

// The first filter and step where the aggregates and the scan answer differently, or "".
struct Difference {
  std::string where, aggregates, scan;
};
// `store` stays open across the steps of a scenario, written beside it by another
// connection: its index of the reports learns of each step's changes as a daemon's does.
// An empty write of its own lets its readers see the other connection's commits (they take
// a new snapshot after a commit of the store's writer).
std::optional<Difference> first_difference(st::SqliteStore& store, const std::string& step) {
  store.write_sync([](st::WriteTxn&) {});
  std::size_t n = 0;
  for (st::ReportFilter f : filters(2, 1, 3)) {
    ++n;
    const std::string aggregated = relance::test::report_reads_text(store, f);
    f.by_scan = true;
    const std::string scanned = relance::test::report_reads_text(store, f);
    if (aggregated != scanned) return Difference{step + ", filter " + std::to_string(n), aggregated, scanned};
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("every report read from the aggregates equals a fresh scan after creates, updates, moves and deletes",
          "[storage][reports]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
  auto store = st::open_sqlite_store(options_for(path));
  Scenario(path).run([&](const std::string& step) {
    const auto d = first_difference(*store, step);
    INFO((d ? d->where : step));
    CHECK((d ? d->aggregates : "") == (d ? d->scan : ""));
  });
  // The scenario's figures are not empty: the comparison compares something.
  CHECK(sql_count(path, "SELECT count(*) FROM report_changes") > 10);
  CHECK(sql_count(path, "SELECT count(*) FROM report_outcomes") >= 3);
}

TEST_CASE("each trigger of the reports' aggregates is needed: without any one of them a report goes wrong",
          "[storage][reports]") {
  TempDir dir;
  const std::string model = dir.file("model.db");
  REQUIRE(st::migrate_sqlite(model).to_version == st::latest_schema_version());
  std::vector<std::string> triggers;
  {
    SQLite::Database db(model, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report\\_%' ESCAPE '\\'");
    while (q.executeStep()) triggers.push_back(q.getColumn(0).getString());
  }
  REQUIRE(triggers.size() >= 15);
  for (const std::string& trigger : triggers) {
    const std::string path = dir.file("without-" + trigger + ".db");
    REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
    sql_exec(path, "DROP TRIGGER " + trigger);
    auto store = st::open_sqlite_store(options_for(path));
    bool wrong = false;
    try {
      Scenario(path).run([&](const std::string& step) { wrong = wrong || first_difference(*store, step).has_value(); });
    } catch (const std::exception&) {
      wrong = true;  // the view that recomputes a row, without its trigger, refuses the writes
    }
    INFO("without " << trigger);
    CHECK(wrong);
  }
}

TEST_CASE("migration 14 fills the reports' aggregates of an existing database", "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  REQUIRE(st::migrate_sqlite(path, 13).to_version == 13);
  // The same writes on a database of version 13 (no trigger yet), then the migration.
  Scenario(path).run([](const std::string&) {});
  REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
  CHECK(sql_count(path, "SELECT count(*) FROM report_leads") == sql_count(path, "SELECT count(*) FROM leads"));
  CHECK(sql_count(path, "SELECT count(*) FROM report_outcomes") == sql_count(path, "SELECT count(*) FROM outcomes"));
  auto store = st::open_sqlite_store(options_for(path));
  const auto d = first_difference(*store, "after the migration");
  INFO((d ? d->where : ""));
  CHECK((d ? d->aggregates : "") == (d ? d->scan : ""));
}
