// What a contact merge and its undo need from storage: the rows that reference a contact,
// a deleted row inserted again exactly as it was, the merge records, and migration 6 on a
// database of version 5.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::storage::StorageError;
using relance::test::TempDir;

namespace {

st::ContactMergeRecord merge_record(std::int64_t org, std::int64_t survivor, std::int64_t duplicate) {
  st::ContactMergeRecord m;
  m.org_id = org;
  m.survivor_id = survivor;
  m.duplicate_id = duplicate;
  m.merged_by = 7;
  m.survivor_before = "{\"before\":1}";
  m.survivor_after = "{\"after\":1}";
  m.duplicate = "{\"duplicate\":1}";
  m.moved = "[]";
  return m;
}

}  // namespace

TEST_CASE("the rows referencing a contact are those of its organisation, in id order", "[storage][merge]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const auto org = make_org(*store, "Acme");
  const auto other = make_org(*store, "Other");
  const auto ana = insert(*store, ent::contacts, contact_row(org, "Ana", "Lima"));
  const auto bob = insert(*store, ent::contacts, contact_row(org, "Bob", "Stone"));
  const auto first = make_lead(*store, org, "First", ana, false);
  make_lead(*store, org, "Bob's", bob, false);
  const auto second = make_lead(*store, org, "Second", ana, false);
  make_lead(*store, other, "Forged", ana, false);  // another organisation's row
  std::vector<std::int64_t> ids;
  store->write_sync([&](st::WriteTxn& tx) {
    for (const st::Row& r : tx.referencing(ent::leads, "contact_id", ana, org)) ids.push_back(r.id);
  });
  CHECK(ids == std::vector<std::int64_t>{first, second});
  const auto refs = st::references_to(ent::contacts);
  std::vector<std::string> names;
  for (const auto& ref : refs) names.push_back(std::string(ref.by->name) + "." + std::string(ref.field->name));
  CHECK(names == std::vector<std::string>{"leads.contact_id", "activities.contact_id", "followups.contact_id",
                                          "attachments.contact_id"});
  store->close();
}

TEST_CASE("a deleted row restored comes back with its id, version, timestamps, authors, tags and search entry",
          "[storage][merge]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const auto org = make_org(*store, "Acme");
  st::Row row = contact_row(org, "Zelda", "Marplewood");
  row.set(ent::contacts, "tags", str("[\"vc\"]"));
  row.created_by = 4;
  const auto id = insert(*store, ent::contacts, row);
  store->write_sync([&](st::WriteTxn& tx) {
    auto r = tx.get(ent::contacts, st::Scope::org(org), id);
    r->updated_by = 5;
    tx.update(ent::contacts, *r);
  });
  const st::Row before = *store->get(ent::contacts, st::Scope::org(org), id);
  const auto later = insert(*store, ent::contacts, contact_row(org, "Later", "One"));
  store->write_sync([&](st::WriteTxn& tx) { tx.remove(ent::contacts, org, id); });
  REQUIRE_FALSE(store->get(ent::contacts, st::Scope::org(org), id));

  store->write_sync([&](st::WriteTxn& tx) { tx.restore(ent::contacts, before); });
  const auto back = store->get(ent::contacts, st::Scope::org(org), id);
  REQUIRE(back);
  CHECK(back->version == 2);
  CHECK(back->created_at == before.created_at);
  CHECK(back->updated_at == before.updated_at);
  CHECK(back->created_by == 4);
  CHECK(back->updated_by == 5);
  CHECK(back->values == before.values);
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.search = "marplew";
  CHECK(store->list(ent::contacts, q).size() == 1);
  q.search.clear();
  q.filters.push_back({"tags", st::Filter::Op::has_tag, str("vc")});
  CHECK(store->list(ent::contacts, q).size() == 1);
  // Ids are never given twice: the next insert comes after the highest ever given.
  CHECK(insert(*store, ent::contacts, contact_row(org, "Next", "One")) == later + 1);
  store->close();
}

TEST_CASE("contact merges are kept per organisation, listed newest first with filters, and undone once",
          "[storage][merge]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  st::ContactMergeRecord a = merge_record(1, 10, 11), b = merge_record(1, 10, 12), c = merge_record(1, 20, 10),
                         theirs = merge_record(2, 30, 31);
  store->write_sync([&](st::WriteTxn& tx) {
    for (auto* m : {&a, &b, &c, &theirs}) tx.insert_contact_merge(*m);
  });
  CHECK(a.id > 0);
  CHECK_FALSE(a.merged_at.empty());
  const auto read = store->contact_merge(1, a.id);
  REQUIRE(read);
  CHECK(read->survivor_before == a.survivor_before);
  CHECK(read->duplicate == a.duplicate);
  CHECK(read->undone_at.empty());
  CHECK_FALSE(store->contact_merge(2, a.id));  // another organisation's: none

  auto ids = [&](st::ContactMergeQuery q) {
    std::vector<std::int64_t> out;
    for (const auto& m : store->contact_merges(q)) out.push_back(m.id);
    return out;
  };
  st::ContactMergeQuery q;
  q.org_id = 1;
  CHECK(ids(q) == std::vector<std::int64_t>{c.id, b.id, a.id});
  q.limit = 2;
  q.before_id = c.id;
  CHECK(ids(q) == std::vector<std::int64_t>{b.id, a.id});
  q = st::ContactMergeQuery{1, 0, 50, 10, std::nullopt};
  CHECK(ids(q) == std::vector<std::int64_t>{b.id, a.id});
  q = st::ContactMergeQuery{1, 0, 50, std::nullopt, 10};
  CHECK(ids(q) == std::vector<std::int64_t>{c.id});

  a.undone_by = 8;
  a.undo_result = "{\"kept_fields\":[]}";
  store->write_sync([&](st::WriteTxn& tx) { tx.set_contact_merge_undone(a); });
  const auto undone = store->contact_merge(1, a.id);
  CHECK(undone->undone_at == a.undone_at);
  CHECK(undone->undone_by == 8);
  CHECK(undone->undo_result == a.undo_result);
  CHECK_THROWS_AS(store->write_sync([&](st::WriteTxn& tx) { tx.set_contact_merge_undone(a); }), StorageError);
  store->close();
}

TEST_CASE("a version 5 database migrates with its contacts kept, and takes contact merges",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  // The database as version 5 left it, with a contact written by version 5's triggers.
  REQUIRE(st::migrate_sqlite(path, 5).to_version == 5);
  sql_exec(path, "INSERT INTO organisations (id, org_id, created_at, updated_at, name, kind) "
                 "VALUES (1, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Acme', 'startup')");
  sql_exec(path, "INSERT INTO contacts (id, org_id, created_at, updated_at, first_name, last_name) "
                 "VALUES (1, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Ana', 'Lima')");
  const std::int64_t contact = 1;

  const st::MigrationReport report = st::migrate_sqlite(path);
  CHECK(report.from_version == 5);
  CHECK(report.to_version == st::latest_schema_version());
  auto store = open_store(path);
  CHECK(store->get(ent::contacts, st::Scope::everything(), contact));
  st::ListQuery q;  // indexed by version 5's triggers, found by today's search
  q.scope = st::Scope::org(1);
  q.search = "lima";
  CHECK(store->list(ent::contacts, q).size() == 1);
  st::ContactMergeRecord m = merge_record(1, contact, contact + 1);
  store->write_sync([&](st::WriteTxn& tx) { tx.insert_contact_merge(m); });
  CHECK(store->contact_merge(1, m.id));
  store->close();
}
