// The database size limit (SqliteOptions.max_bytes) and online backups.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <thread>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::storage::StorageError;
using relance::test::TempDir;

TEST_CASE("a write past max_bytes fails with kind full, writes nothing, and reads go on",
          "[storage][limits]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  st::SqliteOptions o = options_for(path);
  o.max_bytes = 2 * 1024 * 1024;
  o.synchronous = "NORMAL";
  auto store = st::open_sqlite_store(o);
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t first = make_contact(*store, org, "Ada", "Lovelace");

  std::string notes;
  for (int i = 0; notes.size() < 100 * 1024; ++i) notes += "word" + std::to_string(i) + " ";

  std::optional<CaughtStorageError> failure;
  int written = 0;
  for (int i = 0; i < 200 && !failure; ++i) {
    failure = storage_error_of([&] {
      store->write_sync([&](st::WriteTxn& tx) {
        st::Row r = contact_row(org, "Big", "N" + std::to_string(i));
        r.set(ent::contacts, "notes", st::Value{notes});
        const std::int64_t id = tx.insert(ent::contacts, r);
        tx.audit(st::AuditEntry{org, 1, "create", "contacts", id, "{}"});
        tx.events().append(st::OutboxEvent{org, "contact.created", "contacts", id, "{}", {}});
      });
    });
    if (!failure) ++written;
  }
  REQUIRE(failure.has_value());
  CHECK(failure->kind == StorageError::Kind::full);
  CHECK(written > 0);

  // Nothing of the failed job is left: as many contacts, audit entries and events as
  // successful jobs.
  CHECK(store->count(ent::contacts, st::Scope::org(org)) == written + 1);
  CHECK(sql_count(path, "SELECT count(*) FROM audit_log") == written);
  CHECK(sql_count(path, "SELECT count(*) FROM outbox") == written);

  CHECK(store->ready());
  const auto ada = store->get(ent::contacts, st::Scope::org(org), first);
  REQUIRE(ada.has_value());
  CHECK(text(ada->get(ent::contacts, "last_name")) == "Lovelace");
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "lovelace";
  CHECK(store->list(ent::contacts, q).size() == 1);
  CHECK(store->stats().database_bytes + store->stats().wal_bytes > 0);
}

TEST_CASE("backup writes a verified copy that opens as a store with the same rows",
          "[storage][backup]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  const std::string copy = dir.file("backup.db");
  std::int64_t org = 0;
  std::int64_t ada = 0;
  {
    auto store = open_store(path);
    org = make_org(*store, "Acme");
    ada = make_contact(*store, org, "Ada", "Lovelace", [](st::Row& r) {
      r.set(ent::contacts, "city", str("Genève"));
      r.set(ent::contacts, "tags", str(R"(["vc"])"));
    });
    for (int i = 0; i < 20; ++i) make_contact(*store, org, "X", std::to_string(i));

    // A stale file at the destination is replaced.
    sql_exec(copy, "CREATE TABLE junk (x)");
    store->backup(copy);
    // Later writes do not reach the copy.
    make_contact(*store, org, "After", "Backup");
    store->close();
  }
  REQUIRE(std::filesystem::exists(copy));
  {
    SQLite::Database db(copy, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == st::latest_schema_version());
  }
  CHECK(sql_count(copy, "SELECT count(*) FROM sqlite_master WHERE name = 'junk'") == 0);
  CHECK(sql_count(copy, "SELECT count(*) FROM contacts") == 21);

  auto restored = open_store(copy);
  const auto row = restored->get(ent::contacts, st::Scope::org(org), ada);
  REQUIRE(row.has_value());
  CHECK(text(row->get(ent::contacts, "last_name")) == "Lovelace");
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "geneve";
  CHECK(ids_of(restored->list(ent::contacts, q)) == std::vector<std::int64_t>{ada});
  q.search.clear();
  q.filters.push_back(st::Filter{"tags", st::Filter::Op::has_tag, str("vc")});
  CHECK(ids_of(restored->list(ent::contacts, q)) == std::vector<std::int64_t>{ada});
  CHECK(restored->count(ent::contacts, st::Scope::org(org)) == 21);
}

TEST_CASE("committed pages are checkpointed from the log into the database while the store runs",
          "[storage]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Checkpointed");
  for (int i = 0; i < 300; ++i) make_contact(*store, org, "First" + std::to_string(i), std::string(500, 'x'));
  // The checkpointer runs twice a second; give it a few rounds.
  std::uintmax_t size = 0;
  for (int i = 0; i < 60 && size < 100000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    size = std::filesystem::file_size(path);
  }
  CHECK(size >= 100000);
  store->close();
  // After a clean close the log is empty and the marker says the stop was clean.
  CHECK(std::filesystem::file_size(path + "-wal") == 0);
  CHECK(std::filesystem::exists(path + ".clean-stop"));
}
