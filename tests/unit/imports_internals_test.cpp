// The import's own machinery, beneath the readers: the deduplication key table and the spool
// that carries checked rows from the first pass to the second.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "imports/key_table.hpp"
#include "imports/spool.hpp"
#include "relance/model/schema.hpp"
#include "temp_dir.hpp"

using namespace relance;
namespace detail = relance::imports::detail;
namespace ent = relance::storage::entities;

TEST_CASE("the key table finds every key it was given, keeps the first reference of a key and "
          "grows without losing any",
          "[imports]") {
  detail::KeyTable table;  // no reserve: it grows from empty, many times
  constexpr std::uint32_t n = 200000;
  for (std::uint32_t i = 0; i < n; ++i) {
    REQUIRE(table.insert(detail::hash_key('e', "person" + std::to_string(i) + "@example.com"), i));
    REQUIRE(table.insert(detail::hash_key('p', "+3347200" + std::to_string(i)), i));
  }
  CHECK(table.size() == 2 * n);
  for (std::uint32_t i = 0; i < n; i += 97) {
    INFO("key " << i);
    const auto email = table.find(detail::hash_key('e', "person" + std::to_string(i) + "@example.com"));
    REQUIRE(email.has_value());
    CHECK(*email == i);
    CHECK(table.find(detail::hash_key('p', "+3347200" + std::to_string(i))) == std::optional<std::uint32_t>(i));
  }
  // A second insert of a known key changes nothing.
  CHECK_FALSE(table.insert(detail::hash_key('e', "person5@example.com"), 999));
  CHECK(table.find(detail::hash_key('e', "person5@example.com")) == std::optional<std::uint32_t>(5));
  // The same text as another kind of key is another key; an unknown key is not found.
  CHECK_FALSE(table.find(detail::hash_key('n', "person5@example.com")).has_value());
  CHECK_FALSE(table.find(detail::hash_key('e', "nobody@example.com")).has_value());
  // A load of at most 0.8: 12 bytes per slot.
  CHECK(table.bytes() <= 2 * n * 12 * 5 / 4 * 2);
}

TEST_CASE("a reserved key table does not grow while the reserved keys go in", "[imports]") {
  detail::KeyTable table;
  table.reserve(100000);
  const std::size_t bytes = table.bytes();
  for (std::uint32_t i = 0; i < 100000; ++i) table.insert(detail::hash_key('e', std::to_string(i)), i);
  CHECK(table.bytes() == bytes);
}

TEST_CASE("the spool gives back every row as written, values of every kind, errors and warnings "
          "included, and refuses a damaged file",
          "[imports]") {
  test::TempDir dir;
  const std::string path = dir.file("rows.spool");
  std::vector<detail::SpooledRow> rows;
  for (std::size_t i = 0; i < 3000; ++i) {
    detail::SpooledRow r;
    r.line = i + 2;
    r.contact.values.resize(ent::contacts.fields.size());
    r.contact.set(ent::contacts, "first_name", std::string("Zoé ") + std::to_string(i));
    r.contact.set(ent::contacts, "last_name", std::string(i % 500 == 0 ? 70000 : 5, 'x'));
    r.contact.set(ent::contacts, "company_id", static_cast<std::int64_t>(i) * 1000000007LL);
    r.contact.values.push_back(-1.25 * static_cast<double>(i));
    r.company = i % 2 ? "Acme " + std::to_string(i) : "";
    if (i % 3 == 0) r.warnings = {"column Notes starts with '=': kept as text", "w2"};
    if (i % 11 == 0) r.error = "column Email: 'x' is not an email address";
    rows.push_back(std::move(r));
  }
  {
    detail::SpoolWriter out(path);
    for (const auto& r : rows) out.write(r);
    out.close();
  }
  detail::SpoolReader in(path);
  detail::SpooledRow got;
  for (const auto& want : rows) {
    INFO("line " << want.line);
    REQUIRE(in.next(got));
    CHECK(got.line == want.line);
    CHECK(got.error == want.error);
    CHECK(got.warnings == want.warnings);
    CHECK(got.company == want.company);
    REQUIRE(got.contact.values == want.contact.values);
  }
  CHECK_FALSE(in.next(got));

  // Cut in the middle of a row: the reader says the spool is damaged instead of inventing.
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 3);
  detail::SpoolReader cut(path);
  CHECK_THROWS_WITH(
      [&] {
        while (cut.next(got)) {
        }
      }(),
      Catch::Contains("damaged"));
}
