// Migration 17 on a database of the version before: the contacts' full-text index is made
// again with one-letter prefixes, so that the first letter typed in the search box finds
// the contacts it starts a word of, those indexed before the upgrade and those still waiting
// for their commit's flush alike; contacts written after it are found too.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage_test_support.hpp"

namespace st = relance::storage;
using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

std::vector<std::string> last_names_found(st::Store& store, std::int64_t org, const char* typed) {
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = typed;
  std::vector<std::string> names;
  for (const st::Row& r : store.list(ent::contacts, q)) names.push_back(*r.text(ent::contacts, "last_name"));
  return names;
}

}  // namespace

TEST_CASE("migration 17 finds contacts by one letter, those indexed before it and those pending alike",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  REQUIRE(st::migrate_sqlite(path, 15).to_version == 15);
  const std::string header = "org_id, version, created_at, updated_at, created_by, updated_by";
  const std::string stamp = "1, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 1, 1";
  sql_exec(path,
           "INSERT INTO organisations (id, org_id, version, created_at, updated_at, created_by, updated_by, name, kind) VALUES "
           "(1, 1, " + stamp + ", 'Café Lumière', 'startup'), (2, 2, " + stamp + ", 'Ötztal Labs', 'startup');"
           "INSERT INTO contacts (id, " + header + ", first_name, last_name, city) VALUES "
           "(5, 1, " + stamp + ", 'Zoë', 'Lefèvre', 'Genève'),"
           "(6, 1, " + stamp + ", 'Łukasz', 'Żak 🚀', 'Kraków'),"
           "(7, 2, " + stamp + ", 'Élodie', 'Zimmer', 'Zürich');"
           // 5 and 7 were indexed at their commit; 6 still waits for the flush.
           "DELETE FROM fts_pending WHERE row_id = 6;"
           "INSERT INTO fts_flush VALUES (1);"
           "INSERT OR IGNORE INTO fts_pending (entity, row_id) VALUES ('contacts', 6);");
  REQUIRE(sql_count(path, "SELECT count(*) FROM fts_pending WHERE entity = 'contacts'") == 1);

  REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
  CHECK(sql_count(path, "SELECT count(*) FROM fts_pending WHERE entity = 'contacts'") == 0);

  auto store = open_store(path);
  // Accents folded ("Ż" is a "z", "é" an "e"; "Ł" is its own letter), one organisation's
  // contacts only, each found once.
  CHECK(last_names_found(*store, 1, "z") == std::vector<std::string>{"Lefèvre", "Żak 🚀"});
  CHECK(last_names_found(*store, 1, "L") == std::vector<std::string>{"Lefèvre"});
  CHECK(last_names_found(*store, 1, "ł") == std::vector<std::string>{"Żak 🚀"});
  CHECK(last_names_found(*store, 1, "g") == std::vector<std::string>{"Lefèvre"});
  CHECK(last_names_found(*store, 1, "k") == std::vector<std::string>{"Żak 🚀"});
  CHECK(last_names_found(*store, 2, "é") == std::vector<std::string>{"Zimmer"});
  CHECK(last_names_found(*store, 1, "é").empty());
  CHECK(last_names_found(*store, 1, "q").empty());

  // A contact written after the upgrade is indexed by the triggers as before; one changed
  // is found by its new words only.
  st::Row added;
  added.org_id = 1;
  added.set(ent::contacts, "first_name", str("Quentin"));
  added.set(ent::contacts, "last_name", str("Mérieux"));
  insert(*store, ent::contacts, added);
  store->write_sync([&](st::WriteTxn& tx) {
    auto zoe = tx.get(ent::contacts, st::Scope::org(1), 5);
    REQUIRE(zoe);
    zoe->set(ent::contacts, "city", str("Annecy"));
    tx.update(ent::contacts, *zoe);
  });
  CHECK(last_names_found(*store, 1, "q") == std::vector<std::string>{"Mérieux"});
  CHECK(last_names_found(*store, 1, "a") == std::vector<std::string>{"Lefèvre"});
  CHECK(last_names_found(*store, 1, "g").empty());
  store->close();
}
