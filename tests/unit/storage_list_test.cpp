// Store::list: filters, tags (kept in the tags table by triggers), keyset pagination and
// limits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

using Ids = std::vector<std::int64_t>;
using Op = st::Filter::Op;

st::ListQuery query(std::int64_t org, std::vector<st::Filter> filters = {}) {
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.filters = std::move(filters);
  q.limit = 1000;
  return q;
}

std::int64_t tag_rows(const std::string& path, std::int64_t row_id) {
  return sql_count(path, "SELECT count(*) FROM tags WHERE entity = 'contacts' AND row_id = " +
                             std::to_string(row_id));
}

void set_tags(st::Store& store, std::int64_t org, std::int64_t id, st::Value tags) {
  store.write_sync([&](st::WriteTxn& tx) {
    auto r = tx.get(ent::contacts, st::Scope::org(org), id);
    REQUIRE(r.has_value());
    r->set(ent::contacts, "tags", tags);
    tx.update(ent::contacts, *r);
  });
}

}  // namespace

TEST_CASE("list filters by equality, ranges and missing values", "[storage][list]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t other = make_org(*store, "Beta");
  const std::int64_t initech = make_company(*store, org, "Initech");

  const std::int64_t lyon_2023 = make_contact(*store, org, "A", "One", [&](st::Row& r) {
    r.set(ent::contacts, "city", str("Lyon"));
    r.set(ent::contacts, "met_at", str("2023-06-01T09:00:00.000Z"));
    r.set(ent::contacts, "company_id", num(initech));
  });
  const std::int64_t lyon_2024 = make_contact(*store, org, "B", "Two", [&](st::Row& r) {
    r.set(ent::contacts, "city", str("Lyon"));
    r.set(ent::contacts, "met_at", str("2024-02-01T09:00:00.000Z"));
  });
  const std::int64_t paris_2024 = make_contact(*store, org, "C", "Three", [&](st::Row& r) {
    r.set(ent::contacts, "city", str("Paris"));
    r.set(ent::contacts, "met_at", str("2024-03-01T09:00:00.000Z"));
    r.set(ent::contacts, "company_id", num(initech));
  });
  const std::int64_t nowhere = make_contact(*store, org, "D", "Four");
  make_contact(*store, other, "E", "Elsewhere",
               [&](st::Row& r) { r.set(ent::contacts, "city", str("Lyon")); });

  auto ids = [&](std::vector<st::Filter> f) { return ids_of(store->list(ent::contacts, query(org, f))); };

  CHECK(ids({{"city", Op::eq, str("Lyon")}}) == Ids{lyon_2023, lyon_2024});
  CHECK(ids({{"city", Op::eq, str("lyon")}}).empty());  // text equality is exact
  CHECK(ids({{"company_id", Op::eq, num(initech)}}) == Ids{lyon_2023, paris_2024});
  CHECK(ids({{"city", Op::is_null, {}}}) == Ids{nowhere});
  CHECK(ids({{"company_id", Op::is_null, {}}}) == Ids{lyon_2024, nowhere});
  CHECK(ids({{"met_at", Op::ge, str("2024-01-01T00:00:00.000Z")}}) == Ids{lyon_2024, paris_2024});
  CHECK(ids({{"met_at", Op::lt, str("2024-01-01T00:00:00.000Z")}}) == Ids{lyon_2023});
  // ge is inclusive, lt exclusive: [from, to) ranges do not overlap.
  CHECK(ids({{"met_at", Op::ge, str("2024-02-01T09:00:00.000Z")},
             {"met_at", Op::lt, str("2024-03-01T09:00:00.000Z")}}) == Ids{lyon_2024});
  CHECK(ids({{"city", Op::eq, str("Lyon")}, {"met_at", Op::ge, str("2024-01-01")}}) ==
        Ids{lyon_2024});
  CHECK(ids({{"id", Op::ge, num(lyon_2024)}, {"id", Op::lt, num(nowhere)}}) ==
        Ids{lyon_2024, paris_2024});
  CHECK(ids({{"city", Op::eq, str("Marseille")}}).empty());
}

TEST_CASE("a filter or sort on a field the entity does not have is refused", "[storage][list]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  make_contact(*store, org, "A", "One");

  auto q = query(org, {{"city; DROP TABLE contacts", Op::eq, str("x")}});
  CHECK_THROWS_AS(store->list(ent::contacts, q), std::invalid_argument);
  auto s = query(org);
  s.sort = "nope";
  CHECK_THROWS_AS(store->list(ent::contacts, s), std::invalid_argument);
  CHECK(store->list(ent::contacts, query(org)).size() == 1);
}

TEST_CASE("has_tag finds rows by any of their tags, ignoring case, within the organisation",
          "[storage][list][tags]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t other = make_org(*store, "Beta");
  auto tagged = [&](std::int64_t o, const char* last, const char* tags) {
    return make_contact(*store, o, "X", last, [&](st::Row& r) { r.set(ent::contacts, "tags", str(tags)); });
  };
  const std::int64_t vc_lyon = tagged(org, "A", R"(["vc","lyon"])");
  const std::int64_t lyon = tagged(org, "B", R"(["Lyon"])");
  const std::int64_t untagged = make_contact(*store, org, "X", "C");
  const std::int64_t other_vc = tagged(other, "D", R"(["vc"])");
  (void)untagged;

  auto with_tag = [&](const st::Scope& s, const char* tag) {
    auto q = query(0, {{"tags", Op::has_tag, str(tag)}});
    q.scope = s;
    return ids_of(store->list(ent::contacts, q));
  };
  CHECK(with_tag(st::Scope::org(org), "vc") == Ids{vc_lyon});
  CHECK(with_tag(st::Scope::org(org), "lyon") == Ids{vc_lyon, lyon});
  CHECK(with_tag(st::Scope::org(org), "LYON") == Ids{vc_lyon, lyon});
  CHECK(with_tag(st::Scope::org(org), "paris").empty());
  CHECK(with_tag(st::Scope::org(other), "vc") == Ids{other_vc});
  CHECK(with_tag(st::Scope::everything(), "vc") == Ids{vc_lyon, other_vc});
  CHECK(tag_rows(path, vc_lyon) == 2);

  // Two tags at once: both must be present.
  auto both = query(org, {{"tags", Op::has_tag, str("vc")}, {"tags", Op::has_tag, str("lyon")}});
  CHECK(ids_of(store->list(ent::contacts, both)) == Ids{vc_lyon});
}

TEST_CASE("changing a row's tags re-indexes them, and clearing or deleting removes them",
          "[storage][list][tags]") {
  TempDir dir;
  const std::string path = dir.file("relance.db");
  auto store = open_store(path);
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t id = make_contact(*store, org, "X", "A",
                                       [](st::Row& r) { r.set(ent::contacts, "tags", str(R"(["vc","lyon"])")); });
  const std::int64_t neighbour = make_contact(*store, org, "X", "B",
                                              [](st::Row& r) { r.set(ent::contacts, "tags", str(R"(["vc"])")); });
  auto with_tag = [&](const char* tag) {
    return ids_of(store->list(ent::contacts, query(org, {{"tags", Op::has_tag, str(tag)}})));
  };

  set_tags(*store, org, id, str(R"(["lyon","paris"])"));
  CHECK(with_tag("vc") == Ids{neighbour});
  CHECK(with_tag("lyon") == Ids{id});
  CHECK(with_tag("paris") == Ids{id});
  CHECK(tag_rows(path, id) == 2);

  // An update that leaves the tags alone keeps them.
  store->write_sync([&](st::WriteTxn& tx) {
    auto r = tx.get(ent::contacts, st::Scope::org(org), id);
    REQUIRE(r.has_value());
    r->set(ent::contacts, "city", str("Lyon"));
    tx.update(ent::contacts, *r);
  });
  CHECK(with_tag("paris") == Ids{id});
  CHECK(tag_rows(path, id) == 2);

  set_tags(*store, org, id, st::Value{});
  CHECK(with_tag("lyon").empty());
  CHECK(with_tag("paris").empty());
  CHECK(tag_rows(path, id) == 0);

  set_tags(*store, org, id, str(R"(["again"])"));
  CHECK(with_tag("again") == Ids{id});
  store->write_sync([&](st::WriteTxn& tx) { tx.remove(ent::contacts, org, id); });
  CHECK(with_tag("again").empty());
  CHECK(tag_rows(path, id) == 0);
  CHECK(tag_rows(path, neighbour) == 1);
  CHECK(with_tag("vc") == Ids{neighbour});
}

TEST_CASE("limit caps the page, and limit 0 returns nothing", "[storage][list]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  Ids all;
  store->write_sync([&](st::WriteTxn& tx) {
    for (int i = 0; i < 7; ++i) {
      st::Row r = contact_row(org, "X", std::to_string(i));
      all.push_back(tx.insert(ent::contacts, r));
    }
  });
  auto q = query(org);
  q.limit = 3;
  CHECK(ids_of(store->list(ent::contacts, q)) == Ids{all[0], all[1], all[2]});
  q.limit = 0;
  CHECK(store->list(ent::contacts, q).empty());
  q.limit = 100;
  CHECK(ids_of(store->list(ent::contacts, q)) == all);
}

TEST_CASE("walking pages with a keyset cursor returns every row exactly once, in order",
          "[storage][list][pagination]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t other = make_org(*store, "Beta");

  // 23 contacts whose last names repeat, so that pages split runs of equal sort values; the
  // other organisation's rows interleave by id and must never appear.
  const std::vector<std::string> names{"Martin", "Bernard", "Martin", "Dubois", "Zola",
                                       "Bernard", "Martin", "Abel"};
  std::vector<std::tuple<std::string, std::int64_t>> rows;  // (last_name, id)
  store->write_sync([&](st::WriteTxn& tx) {
    for (std::size_t i = 0; i < 23; ++i) {
      st::Row r = contact_row(org, "X", names[i % names.size()]);
      rows.emplace_back(names[i % names.size()], tx.insert(ent::contacts, r));
      st::Row o = contact_row(other, "Y", names[(i + 3) % names.size()]);
      tx.insert(ent::contacts, o);
    }
  });

  auto walk = [&](std::string_view sort, bool descending, std::size_t page_size) {
    Ids seen;
    st::ListQuery q = query(org);
    q.sort = sort;
    q.descending = descending;
    q.limit = page_size;
    for (int pages = 0; pages < 100; ++pages) {
      const auto page = store->list(ent::contacts, q);
      CHECK(page.size() <= page_size);
      for (const auto& r : page) {
        CHECK(r.org_id == org);
        seen.push_back(r.id);
      }
      if (page.size() < page_size) break;
      q.after_id = page.back().id;
      q.after_sort = sort == "id" ? st::Value{page.back().id}
                                  : page.back().get(ent::contacts, std::string(sort));
    }
    return seen;
  };

  auto by_id = rows;
  std::sort(by_id.begin(), by_id.end(),
            [](const auto& a, const auto& b) { return std::get<1>(a) < std::get<1>(b); });
  auto by_name = rows;
  std::sort(by_name.begin(), by_name.end());  // (last_name, id)
  auto ids_in = [](const std::vector<std::tuple<std::string, std::int64_t>>& v, bool reversed) {
    Ids out;
    for (const auto& t : v) out.push_back(std::get<1>(t));
    if (reversed) std::reverse(out.begin(), out.end());
    return out;
  };

  for (std::size_t page_size : {std::size_t{1}, std::size_t{4}, std::size_t{5}, std::size_t{23}}) {
    INFO("page size " << page_size);
    CHECK(walk("id", false, page_size) == ids_in(by_id, false));
    CHECK(walk("id", true, page_size) == ids_in(by_id, true));
    CHECK(walk("last_name", false, page_size) == ids_in(by_name, false));
    CHECK(walk("last_name", true, page_size) == ids_in(by_name, true));
  }
  const Ids all = walk("last_name", false, 5);
  CHECK(std::set<std::int64_t>(all.begin(), all.end()).size() == 23);
}

TEST_CASE("keyset pagination on a case-insensitive column follows its collation",
          "[storage][list][pagination]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  for (const char* n : {"beta", "Alpha", "charlie", "Bravo", "alpine"}) make_org(*store, n);

  Ids seen;
  std::vector<std::string> names;
  st::ListQuery q;
  q.scope = st::Scope::everything();
  q.sort = "name";
  q.limit = 2;
  for (int pages = 0; pages < 10; ++pages) {
    const auto page = store->list(ent::organisations, q);
    for (const auto& r : page) {
      seen.push_back(r.id);
      names.push_back(text(r.get(ent::organisations, "name")));
    }
    if (page.size() < q.limit) break;
    q.after_id = page.back().id;
    q.after_sort = page.back().get(ent::organisations, "name");
  }
  CHECK(names == std::vector<std::string>{"Alpha", "alpine", "beta", "Bravo", "charlie"});
}

TEST_CASE("scan visits every row a list would return, in id order, from one snapshot, and stops when asked",
          "[storage][list]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t other = make_org(*store, "Beta");
  Ids lyon;
  for (int i = 0; i < 1200; ++i)
    lyon.push_back(make_contact(*store, org, "C" + std::to_string(i), "Lyon", [&](st::Row& r) {
      r.set(ent::contacts, "city", str(i % 3 == 0 ? "Lyon" : "Paris"));
    }));
  make_contact(*store, other, "Other", "Org", [](st::Row&) {});
  Ids expected;
  for (std::size_t i = 0; i < lyon.size(); i += 3) expected.push_back(lyon[i]);

  st::ListQuery q = query(org, {{"city", Op::eq, str("Lyon")}});
  q.limit = 0;  // every row
  Ids seen;
  store->scan(ent::contacts, q, [&](st::Row& r) {
    seen.push_back(r.id);
    if (seen.size() == 1)  // a write during the scan is not seen by it
      make_contact(*store, org, "Late", "Comer", [](st::Row& row) { row.set(ent::contacts, "city", str("Lyon")); });
    return true;
  });
  CHECK(seen == expected);

  Ids first_ten;
  store->scan(ent::contacts, q, [&](st::Row& r) {
    first_ten.push_back(r.id);
    return first_ten.size() < 10;
  });
  CHECK(first_ten == Ids(expected.begin(), expected.begin() + 10));
  CHECK_THROWS_AS(store->scan(ent::contacts, q, [](st::Row&) -> bool { throw std::runtime_error("stop"); }),
                  std::runtime_error);
  // The store still reads and writes after a scan that threw.
  st::ListQuery all = query(org);
  all.limit = 2000;
  CHECK(store->list(ent::contacts, all).size() == 1201);
}
