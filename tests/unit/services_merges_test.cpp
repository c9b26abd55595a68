// ContactMergeService on the in-memory store: a merge and its undo, and what refuses them.
// No daemon, no HTTP.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "domain/problem.hpp"
#include "services_support.hpp"

using namespace relance;
using relance::test::object_of;
using relance::test::ServicesWorld;
using services::WriteOutcome;
using Kind = services::WriteOutcome::Kind;
namespace ent = storage::entities;

namespace {

WriteOutcome merge(ServicesWorld& w, const auth::Principal& p, std::int64_t survivor, std::int64_t duplicate,
                   std::optional<std::int64_t> version = std::nullopt) {
  return w.run([&](services::OutcomeCallback done) {
    w.merges.merge(p,
                   services::MergeContacts{survivor, object_of(R"({"duplicate_id":)" + std::to_string(duplicate) + "}"),
                                           version, {}},
                   std::move(done));
  });
}

WriteOutcome undo(ServicesWorld& w, const auth::Principal& p, std::int64_t merge_id) {
  return w.run([&](services::OutcomeCallback done) { w.merges.undo(p, merge_id, std::move(done)); });
}

std::int64_t contact_of_lead(ServicesWorld& w, std::int64_t lead) {
  return *w.store.get(ent::leads, storage::Scope::everything(), lead)->integer(ent::leads, "contact_id");
}

}  // namespace

TEST_CASE("A merge moves the duplicate's rows to the survivor and deletes it, and its undo puts everything back",
          "[services][merges]") {
  ServicesWorld w;
  const std::int64_t ada = w.create(w.ann, ent::contacts, R"({"first_name":"Ada","emails":["ada@example.org"]})");
  const std::int64_t dup =
      w.create(w.ann, ent::contacts, R"({"first_name":"Ada","city":"Lyon","emails":["ada@work.example"]})");
  const std::int64_t lead = w.create(w.ann, ent::leads, R"({"title":"Deal","contact_id":)" + std::to_string(dup) + "}");

  const WriteOutcome merged = merge(w, w.ann, ada, dup, 1);
  REQUIRE(merged.kind == Kind::created);
  CHECK(merged.version == 0);  // a merge has no version
  const auto m = object_of(merged.json);
  CHECK(m.at("survivor_id").as_int64() == ada);
  CHECK(m.at("duplicate_id").as_int64() == dup);
  CHECK(w.store.outbox().back().type == "contact.merged");
  CHECK(contact_of_lead(w, lead) == ada);
  CHECK_FALSE(w.store.get(ent::contacts, storage::Scope::everything(), dup));
  const auto survivor = object_of(w.records.get(w.ann, ent::contacts, ada).json);
  CHECK(survivor.at("city") == "Lyon");
  CHECK(survivor.at("emails").as_array().size() == 2);

  const WriteOutcome undone = undo(w, w.ann, merged.id);
  REQUIRE(undone.kind == Kind::updated);
  CHECK_FALSE(object_of(undone.json).at("undone_at").is_null());
  CHECK(w.store.get(ent::contacts, storage::Scope::everything(), dup));
  CHECK(contact_of_lead(w, lead) == dup);
  CHECK(object_of(w.records.get(w.ann, ent::contacts, ada).json).at("city").is_null());

  try {
    undo(w, w.ann, merged.id);
    FAIL("a second undo was not refused");
  } catch (const Problem& p) {
    CHECK(p.detail().find("was undone already") != std::string::npos);
  }
}

TEST_CASE("A merge of a survivor at another version is a conflict, and of another organisation's contact not found",
          "[services][merges]") {
  ServicesWorld w;
  const std::int64_t ada = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");
  const std::int64_t dup = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");
  const std::int64_t theirs = w.create(w.bob, ent::contacts, R"({"first_name":"Ada"})");

  const WriteOutcome stale = merge(w, w.ann, ada, dup, 7);
  CHECK(stale.kind == Kind::conflict);
  CHECK(stale.version == 1);

  const WriteOutcome other = merge(w, w.ann, ada, theirs);
  CHECK(other.kind == Kind::not_found);
  CHECK(other.field == "duplicate_id");
  CHECK(merge(w, w.bob, ada, theirs).kind == Kind::not_found);  // the survivor is not Beta's
  CHECK(undo(w, w.ann, 99).kind == Kind::not_found);
  CHECK(w.store.state().merges.empty());
  CHECK(w.store.get(ent::contacts, storage::Scope::everything(), dup));
}

TEST_CASE("The merges of an organisation are listed newest first, by survivor, a page at a time",
          "[services][merges]") {
  ServicesWorld w;
  const std::int64_t ada = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");
  std::vector<std::int64_t> merges;
  for (int i = 0; i < 3; ++i)
    merges.push_back(merge(w, w.ann, ada, w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})")).id);

  services::MergeList request;
  request.survivor_id = ada;
  request.paging.limit = 2;
  const services::Page first = w.merges.list(w.ann, request);
  REQUIRE(first.next);
  CHECK(first.next->id == merges[1]);
  request.paging.before_id = first.next->id;
  const services::Page second = w.merges.list(w.ann, request);
  CHECK_FALSE(second.next);
  CHECK(boost::json::parse(second.items).as_array().at(0).at("id").as_int64() == merges[0]);
  CHECK(w.merges.list(w.bob, services::MergeList{}).items == "[]");
}
