// Filter::Op::one_of: the rows of a batch of ids in one read (the names an export shows
// beside its ids), within the query's scope, whatever the number of ids.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

std::vector<std::int64_t> ids_one_of(st::Store& store, std::int64_t org, const std::string& ids) {
  st::ListQuery q;
  q.scope = st::Scope::org(org);
  q.filters.push_back({"id", st::Filter::Op::one_of, st::Value{ids}});
  q.limit = 10000;
  std::vector<std::int64_t> out;
  for (const st::Row& r : store.list(ent::contacts, q)) out.push_back(r.id);
  return out;
}

}  // namespace

TEST_CASE("one_of reads the rows of a list of ids in the query's scope only", "[storage][list]") {
  TempDir dir;
  auto store = open_store(dir.file("relance.db"));
  const std::int64_t org = make_org(*store, "Acme");
  const std::int64_t other = make_org(*store, "Beta");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 600; ++i) ids.push_back(make_contact(*store, org, "Zoé", "N" + std::to_string(i)));
  const std::int64_t theirs = make_contact(*store, other, "Ægir", "Elsewhere");

  const std::string some = std::to_string(ids[3]) + "," + std::to_string(ids[0]) + "," + std::to_string(ids[599]);
  CHECK(ids_one_of(*store, org, some) == std::vector<std::int64_t>{ids[0], ids[3], ids[599]});
  // Another organisation's id is not read; an unknown one neither.
  CHECK(ids_one_of(*store, org, std::to_string(theirs) + "," + std::to_string(ids[1]) + ",999999") ==
        std::vector<std::int64_t>{ids[1]});
  // Many ids in one statement.
  std::string all;
  for (auto id : ids) all += (all.empty() ? "" : ",") + std::to_string(id);
  CHECK(ids_one_of(*store, org, all) == ids);
}
