// Migration 15 on a database of the version before: a contact's files, kept by migration 13
// as base64url text, come back byte for byte from a BLOB; the list of a contact's files no
// longer carries them; an id given before the upgrade is never given again.
#include <catch2/catch.hpp>

#include <string>

#include "domain/text.hpp"
#include "storage_test_support.hpp"

namespace st = relance::storage;
using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

// A JPEG's first bytes, then every byte value (NULs, high bytes, CR LF among them).
std::string jpeg_bytes() {
  std::string b("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01", 13);
  for (int i = 0; i < 700; ++i) b += static_cast<char>(i % 256);
  return b;
}

}  // namespace

TEST_CASE("migration 15 keeps every file's bytes as a BLOB, lists files without them and never gives an id again",
          "[storage][migrations]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  REQUIRE(st::migrate_sqlite(path, 13).to_version == 13);
  const std::string jpeg = jpeg_bytes();
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  const std::string header = "org_id, version, created_at, updated_at, created_by, updated_by";
  const std::string stamp = "1, 2, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 1, 1";
  sql_exec(path,
           "INSERT INTO organisations (id, " + header + ", name) VALUES (1, " + stamp + ", 'Café Lumière');"
           "INSERT INTO contacts (id, " + header + ", first_name, last_name) VALUES (5, " + stamp + ", 'Zoë', 'Lefèvre');"
           "INSERT INTO attachments (id, " + header + ", contact_id, filename, content_type, size_bytes, content) VALUES "
           "(3, " + stamp + ", 5, 'carte Zoë.jpg', 'image/jpeg', " + std::to_string(jpeg.size()) + ", '" +
               relance::domain::base64url_encode(jpeg) + "'),"
           "(4, " + stamp + ", 5, 'verso.png', 'image/png', 16, '" + relance::domain::base64url_encode(png) + "');"
           // File 9 was kept and deleted before the upgrade: its id is spent.
           "UPDATE sqlite_sequence SET seq = 9 WHERE name = 'attachments';");

  REQUIRE(st::migrate_sqlite(path).to_version == st::latest_schema_version());
  CHECK(sql_count(path, "SELECT count(*) FROM attachments WHERE typeof(content) = 'blob'") == 2);
  CHECK(sql_count(path, "SELECT count(*) FROM attachments WHERE length(content) = size_bytes") == 2);
  CHECK(sql_count(path, "SELECT version FROM attachments WHERE id = 3") == 2);

  auto store = open_store(path);
  CHECK(store->attachment_content(1, 3) == jpeg);
  CHECK(store->attachment_content(1, 4) == png);
  CHECK_FALSE(store->attachment_content(2, 3));  // another organisation's file is not found

  st::ListQuery q;
  q.scope = st::Scope::org(1);
  const auto files = store->list(ent::attachments, q);
  REQUIRE(files.size() == 2);
  CHECK(*files[0].text(ent::attachments, "filename") == "carte Zoë.jpg");
  CHECK(files[0].integer(ent::attachments, "size_bytes") == static_cast<std::int64_t>(jpeg.size()));
  CHECK_FALSE(ent::attachments.field("content"));  // a list's rows have no place for the bytes

  st::Row next;
  next.org_id = 1;
  next.set(ent::attachments, "contact_id", num(5));
  next.set(ent::attachments, "filename", str("nouvelle.png"));
  next.set(ent::attachments, "content_type", str("image/png"));
  next.set(ent::attachments, "size_bytes", num(static_cast<std::int64_t>(png.size())));
  std::int64_t id = 0;
  store->write_sync([&](st::WriteTxn& tx) {
    id = tx.insert(ent::attachments, next);
    tx.set_attachment_content(1, id, png);
  });
  CHECK(id == 10);
  CHECK(store->attachment_content(1, id) == png);
  store->close();
}
