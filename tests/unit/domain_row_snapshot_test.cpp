// The snapshot of a row in its stored form that undoing a contact merge brings back
// (domain/row_snapshot.hpp): lossless, and tolerant of fields added or removed since.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "domain/record_json.hpp"
#include "domain/row_snapshot.hpp"

using namespace relance;
namespace ent = storage::entities;

TEST_CASE("a row snapshot reads back exactly, with its server-kept columns, and refuses what is not one") {
  storage::Row row;
  row.id = 41;
  row.org_id = 2;
  row.version = 5;
  row.created_at = "2026-01-08T17:30:00.000Z";
  row.updated_at = "2026-02-01T09:00:00.000Z";
  row.created_by = 7;
  row.updated_by = 8;
  row.values.resize(ent::contacts.fields.size());
  row.set(ent::contacts, "first_name", std::string("Zoé \"Z\""));
  row.set(ent::contacts, "emails", std::string(R"(["zoe@example.com"])"));
  row.set(ent::contacts, "company_id", std::int64_t{3});
  const storage::Row back = domain::row_from_snapshot(ent::contacts, domain::row_snapshot(ent::contacts, row));
  CHECK(back.id == row.id);
  CHECK(back.org_id == row.org_id);
  CHECK(back.version == row.version);
  CHECK(back.created_at == row.created_at);
  CHECK(back.updated_at == row.updated_at);
  CHECK(back.created_by == row.created_by);
  CHECK(back.updated_by == row.updated_by);
  CHECK(back.values == row.values);
  CHECK(domain::row_json(ent::contacts, back, false) == domain::row_json(ent::contacts, row, false));

  // A field the snapshot does not know (added since) reads as null; one it has that the
  // schema no longer knows is ignored.
  const storage::Row older = domain::row_from_snapshot(
      ent::contacts, R"({"id":1,"org_id":2,"version":1,"created_at":"a","updated_at":"b","created_by":0,)"
                     R"("updated_by":0,"cells":{"first_name":"Ana","fax":"+33100000000"}})");
  CHECK(older.text(ent::contacts, "first_name"));
  CHECK(storage::is_null(older.get(ent::contacts, "time_zone")));
  CHECK(older.values.size() == ent::contacts.fields.size());
  for (const char* bad : {"", "[]", "{\"cells\":{}}", "{\"id\":1,\"cells\":[]}"}) {
    INFO(bad);
    CHECK_THROWS_AS(domain::row_from_snapshot(ent::contacts, bad), std::runtime_error);
  }
}
