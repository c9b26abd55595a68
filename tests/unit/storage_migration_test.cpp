// Schema migrations and the checks open_sqlite_store / migrate_sqlite make before touching a
// database (DESIGN.md "Storage": numbered, forward only, applied at start in a transaction).
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "../../storage/sqlite/migration_scripts.hpp"  // the list itself: its numbers may have gaps
#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::storage::StorageError;
using relance::test::TempDir;

namespace {

// Migrations are numbered but need not be contiguous (a number can be kept for a branch
// merged later): every one of them is recorded once.
int migration_count() { return static_cast<int>(relance::storage::sqlite::migrations().size()); }

std::string applied_at_of_latest(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT applied_at FROM schema_migrations WHERE version = ?");
  q.bind(1, st::latest_schema_version());
  if (!q.executeStep()) return "<missing>";
  return q.getColumn(0).getString();
}

bool has_table(const std::string& path, const char* name) {
  return sql_count(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                             std::string(name) + "'") == 1;
}

}  // namespace

TEST_CASE("migrate_sqlite brings an empty file to the latest version, and a second run applies "
          "nothing",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  const int latest = st::latest_schema_version();
  REQUIRE(latest >= 1);

  const st::MigrationReport first = st::migrate_sqlite(path);
  CHECK(first.from_version == 0);
  CHECK(first.to_version == latest);
  CHECK(user_version(path) == latest);
  CHECK(sql_count(path, "SELECT count(*) FROM schema_migrations") == migration_count());
  CHECK(sql_count(path, "SELECT max(version) FROM schema_migrations") == latest);
  for (const st::Entity* e : st::all_entities()) {
    INFO("table " << e->name);
    CHECK(has_table(path, std::string(e->name).c_str()));
  }
  const std::string applied = applied_at_of_latest(path);

  const st::MigrationReport second = st::migrate_sqlite(path);
  CHECK(second.from_version == latest);
  CHECK(second.to_version == latest);
  CHECK(sql_count(path, "SELECT count(*) FROM schema_migrations") == migration_count());
  CHECK(applied_at_of_latest(path) == applied);
}

TEST_CASE("open_sqlite_store migrates an empty database, and reopening it applies nothing and "
          "keeps the rows",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  const int latest = st::latest_schema_version();
  std::int64_t org = 0;
  {
    auto store = open_store(path);
    org = make_org(*store, "Acme");
    store->close();
  }
  CHECK(user_version(path) == latest);
  CHECK(sql_count(path, "SELECT count(*) FROM schema_migrations") == migration_count());
  const std::string applied = applied_at_of_latest(path);
  {
    auto store = open_store(path);
    CHECK(store->get(ent::organisations, st::Scope::everything(), org).has_value());
    store->close();
  }
  CHECK(user_version(path) == latest);
  CHECK(sql_count(path, "SELECT count(*) FROM schema_migrations") == migration_count());
  CHECK(applied_at_of_latest(path) == applied);
  // Already at the latest version: migrate_sqlite reports no change either.
  const st::MigrationReport again = st::migrate_sqlite(path);
  CHECK(again.from_version == latest);
  CHECK(again.to_version == latest);
}

TEST_CASE("a database whose schema is newer than this build is refused, naming both versions, "
          "and left as it was",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  st::migrate_sqlite(path);
  const int latest = st::latest_schema_version();
  const int newer = latest + 96;
  sql_exec(path, "PRAGMA user_version = " + std::to_string(newer));

  for (int attempt = 0; attempt < 2; ++attempt) {
    INFO((attempt == 0 ? "open_sqlite_store" : "migrate_sqlite"));
    const auto err = storage_error_of([&] {
      if (attempt == 0)
        open_store(path);
      else
        st::migrate_sqlite(path);
    });
    REQUIRE(err.has_value());
    CHECK(err->kind == StorageError::Kind::schema);
    CHECK_THAT(err->message, Catch::Contains(std::to_string(newer)));
    CHECK_THAT(err->message, Catch::Contains("(" + std::to_string(latest) + ")"));
  }
  CHECK(user_version(path) == newer);
  CHECK(sql_count(path, "SELECT count(*) FROM schema_migrations") == migration_count());
}

TEST_CASE("a database with a schema version but no migration record is refused as "
          "half-migrated",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  sql_exec(path, "PRAGMA user_version = " + std::to_string(st::latest_schema_version()));

  const auto err = storage_error_of([&] { open_store(path); });
  REQUIRE(err.has_value());
  CHECK(err->kind == StorageError::Kind::schema);
  CHECK_THAT(err->message, Catch::Contains("migration record"));
  CHECK_FALSE(has_table(path, "contacts"));
}

TEST_CASE("a database whose migration record disagrees with its schema version is refused as "
          "half-migrated",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  st::migrate_sqlite(path);
  const int latest = st::latest_schema_version();

  SECTION("the record is empty") {
    sql_exec(path, "DELETE FROM schema_migrations");
    const auto err = storage_error_of([&] { open_store(path); });
    REQUIRE(err.has_value());
    CHECK(err->kind == StorageError::Kind::schema);
    CHECK_THAT(err->message, Catch::Contains("half-migrated"));
    CHECK_THAT(err->message, Catch::Contains("version " + std::to_string(latest)));
    CHECK_THAT(err->message, Catch::Contains("up to 0"));
  }
  SECTION("the record goes further than the schema version") {
    sql_exec(path, "INSERT INTO schema_migrations VALUES (" + std::to_string(latest + 1) +
                       ", 'from elsewhere', '2024-01-01T00:00:00.000Z')");
    const auto err = storage_error_of([&] { st::migrate_sqlite(path); });
    REQUIRE(err.has_value());
    CHECK(err->kind == StorageError::Kind::schema);
    CHECK_THAT(err->message, Catch::Contains("half-migrated"));
    CHECK_THAT(err->message, Catch::Contains("up to " + std::to_string(latest + 1)));
  }
  CHECK(user_version(path) == latest);
}

TEST_CASE("a database with tables of its own but no schema version is refused and not touched",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sql_exec(path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER);"
                 "INSERT INTO invoices (total) VALUES (42);");

  const auto err = storage_error_of([&] { open_store(path); });
  REQUIRE(err.has_value());
  CHECK(err->kind == StorageError::Kind::schema);
  CHECK_THAT(err->message, Catch::Contains("no schema version"));
  CHECK(storage_error_of([&] { st::migrate_sqlite(path); }).has_value());

  CHECK(user_version(path) == 0);
  CHECK(sql_count(path, "SELECT count(*) FROM invoices") == 1);
  CHECK_FALSE(has_table(path, "schema_migrations"));
  CHECK_FALSE(has_table(path, "contacts"));
}

TEST_CASE("a file that is not a database is refused with a StorageError", "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("garbage.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    const std::string junk(8192, 'z');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  const auto err = storage_error_of([&] { open_store(path); });
  REQUIRE(err.has_value());
  CHECK(err->kind == StorageError::Kind::corrupt);
}
