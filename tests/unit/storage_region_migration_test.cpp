// Migration 9 on a database of the version before: outcomes keep working, name their partner
// company, and those in euros get their amount in euros at once; the others wait for a rate.
#include <catch2/catch.hpp>

#include <string>

#include "storage_test_support.hpp"

namespace st = relance::storage;
using namespace relance::storage_test;
using relance::test::TempDir;

TEST_CASE("migration 9 keeps every outcome, names its partner company and fills the euros of outcomes in EUR",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  REQUIRE(st::migrate_sqlite(path, 8).to_version == 8);
  const std::string header = "org_id, version, created_at, updated_at, created_by, updated_by";
  const std::string stamp = "1, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 1";
  sql_exec(path, "INSERT INTO companies (id, " + header + ", name) VALUES (7, " + stamp + ", 'Fonds Éole');"
                 "INSERT INTO outcomes (id, " + header + ", company_id, kind, amount, currency) VALUES "
                 "(1, " + stamp + ", 7, 'investment', 25000000, 'EUR'),"
                 "(2, " + stamp + ", NULL, 'pilot', 100005, 'USD'),"
                 "(3, " + stamp + ", NULL, 'hire', NULL, NULL);");

  REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
  CHECK(sql_count(path, "SELECT count(*) FROM outcomes") == 3);
  CHECK(sql_count(path, "SELECT partner_company_id FROM outcomes WHERE id = 1") == 7);
  CHECK(sql_count(path, "SELECT amount_eur FROM outcomes WHERE id = 1") == 25000000);
  CHECK(sql_count(path, "SELECT count(*) FROM outcomes WHERE id = 1 AND eur_rate = '1'") == 1);
  CHECK(sql_count(path, "SELECT count(*) FROM outcomes WHERE id IN (2, 3) AND amount_eur IS NULL AND eur_rate IS NULL") == 2);
  CHECK(sql_count(path, "SELECT count(*) FROM exchange_rates") == 0);
}
