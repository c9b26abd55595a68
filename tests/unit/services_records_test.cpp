// RecordService on the in-memory store: writes and their outcomes, lists, tenancy. No daemon,
// no HTTP: the requests are the services' typed ones and the answers their outcomes.
#include <catch2/catch.hpp>

#include <algorithm>

#include <boost/json/parse.hpp>

#include <set>

#include "domain/list_vocabulary.hpp"
#include "domain/problem.hpp"
#include "services_support.hpp"

using namespace relance;
using relance::test::object_of;
using relance::test::ServicesWorld;
using services::WriteOutcome;
using Kind = services::WriteOutcome::Kind;
namespace ent = storage::entities;

namespace {

WriteOutcome update(ServicesWorld& w, const auth::Principal& p, const storage::Entity& e, std::int64_t id,
                    const std::string& fields, std::optional<std::int64_t> version) {
  return w.run([&](services::OutcomeCallback done) {
    w.records.update(p, services::UpdateRecord{e, id, object_of(fields), version}, std::move(done));
  });
}

WriteOutcome remove(ServicesWorld& w, const auth::Principal& p, const storage::Entity& e, std::int64_t id,
                    std::optional<std::int64_t> version = std::nullopt) {
  return w.run([&](services::OutcomeCallback done) {
    w.records.remove(p, services::DeleteRecord{e, id, version}, std::move(done));
  });
}

// The Problem a call throws (a failed REQUIRE when it throws none).
template <class Call>
Problem problem_of(Call&& call) {
  try {
    call();
  } catch (const Problem& p) {
    return p;
  }
  FAIL("no Problem was thrown");
  return Problem::not_found();
}

std::vector<std::int64_t> ids_of(const services::Page& page) {
  std::vector<std::int64_t> ids;
  const boost::json::value items = boost::json::parse(page.items);
  for (const auto& item : items.as_array()) ids.push_back(item.at("id").as_int64());
  return ids;
}

services::ListRequest filtered(const storage::Entity& e,
                               std::initializer_list<std::pair<std::string, std::string>> filters) {
  services::ListRequest r;
  for (const auto& [name, value] : filters) r.conditions.push_back(*domain::list_condition(e, name, value));
  return r;
}

}  // namespace

TEST_CASE("A created record is the created outcome: its row, version 1, and the same JSON text as its event",
          "[services]") {
  ServicesWorld w;
  const WriteOutcome o = w.run([&](services::OutcomeCallback done) {
    w.records.create(w.ann, services::CreateRecord{ent::contacts, object_of(R"({"first_name":"Ada","last_name":"Lovelace"})"), {}},
                     std::move(done));
  });
  REQUIRE(o.kind == Kind::created);
  CHECK(o.version == 1);
  CHECK(object_of(o.json).at("first_name") == "Ada");
  CHECK(object_of(o.json).at("id").as_int64() == o.id);
  const auto event = w.store.outbox().back();
  CHECK(event.type == "contact.created");
  CHECK(event.payload.find("\"data\":" + o.json) != std::string::npos);
}

TEST_CASE("An update at the expected version is updated, and at another it is a conflict with the current version",
          "[services]") {
  ServicesWorld w;
  const std::int64_t id = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");

  const WriteOutcome changed = update(w, w.ann, ent::contacts, id, R"({"city":"Lyon"})", 1);
  REQUIRE(changed.kind == Kind::updated);
  CHECK(changed.version == 2);
  CHECK(object_of(changed.json).at("city") == "Lyon");

  const std::size_t events = w.store.outbox().size();
  const WriteOutcome stale = update(w, w.ann, ent::contacts, id, R"({"city":"Paris"})", 1);
  CHECK(stale.kind == Kind::conflict);
  CHECK(stale.version == 2);
  CHECK(stale.detail.find("version 2 now") != std::string::npos);
  CHECK(w.store.outbox().size() == events);  // rolled back: no event, no change
  CHECK(w.records.get(w.ann, ent::contacts, id).json.find("Lyon") != std::string::npos);

  SECTION("without an expected version, any version is updated") {
    CHECK(update(w, w.ann, ent::contacts, id, R"({"city":"Paris"})", std::nullopt).version == 3);
  }
}

TEST_CASE("A delete ends in deleted, and a second one in not found", "[services]") {
  ServicesWorld w;
  const std::int64_t id = w.create(w.ann, ent::companies, R"({"name":"Acme"})");
  CHECK(remove(w, w.ann, ent::companies, id, 2).kind == Kind::conflict);
  const WriteOutcome gone = remove(w, w.ann, ent::companies, id, 1);
  CHECK(gone.kind == Kind::deleted);
  CHECK(gone.json.empty());
  CHECK(w.store.outbox().back().type == "company.deleted");
  CHECK(remove(w, w.ann, ent::companies, id).kind == Kind::not_found);
  CHECK(update(w, w.ann, ent::companies, id, R"({"name":"Acme 2"})", std::nullopt).kind == Kind::not_found);
}

TEST_CASE("An invalid field ends in the invalid outcome naming it, and nothing is written", "[services]") {
  ServicesWorld w;
  auto create = [&](const storage::Entity& e, const std::string& fields) {
    return w.run([&](services::OutcomeCallback done) {
      w.records.create(w.ann, services::CreateRecord{e, object_of(fields), {}}, std::move(done));
    });
  };
  const std::size_t jobs = w.store.write_jobs();
  const WriteOutcome bad = create(ent::contacts, R"({"emails":["not an address"]})");
  CHECK(bad.kind == Kind::invalid);
  CHECK(bad.field == "emails/0");
  CHECK(w.store.write_jobs() == jobs);  // refused before the write job

  const WriteOutcome missing = create(ent::leads, R"({"notes":"no title"})");
  CHECK(missing.kind == Kind::invalid);
  CHECK(missing.field == "title");
  CHECK(missing.detail == "title is required");

  // A reference is checked inside the job: the job is rolled back and ends in the same outcome.
  const WriteOutcome nowhere = create(ent::leads, R"({"title":"Deal","contact_id":999})");
  CHECK(nowhere.kind == Kind::invalid);
  CHECK(nowhere.field == "contact_id");
  CHECK(w.store.count(ent::leads, storage::Scope::everything()) == 0);

  const std::int64_t id = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");
  const WriteOutcome bad_update = update(w, w.ann, ent::contacts, id, R"({"emails":["nope"]})", 1);
  CHECK(bad_update.kind == Kind::invalid);
  CHECK(bad_update.field == "emails/0");
  CHECK(w.records.get(w.ann, ent::contacts, id).version == 1);
}

TEST_CASE("A create replayed with its idempotency key answers the first outcome and writes once", "[services]") {
  ServicesWorld w;
  auto create = [&](const std::string& fields, const std::string& digest) {
    return w.run([&](services::OutcomeCallback done) {
      w.records.create(w.ann, services::CreateRecord{ent::companies, object_of(fields), {"key-1", digest}},
                       std::move(done));
    });
  };
  const WriteOutcome first = create(R"({"name":"Acme"})", "digest-a");
  const WriteOutcome again = create(R"({"name":"Acme"})", "digest-a");
  CHECK(again.kind == Kind::created);
  CHECK(again.id == first.id);
  CHECK(again.version == first.version);
  CHECK(again.json == first.json);
  CHECK(w.store.count(ent::companies, storage::Scope::everything()) == 1);

  const Problem reused = problem_of([&] { create(R"({"name":"Other"})", "digest-b"); });
  CHECK(reused.field() == "Idempotency-Key");
  CHECK(reused.kind() == Problem::Kind::key_reused);
}

TEST_CASE("Another organisation's row is not found, to read and to write", "[services][tenancy]") {
  ServicesWorld w;
  const std::int64_t id = w.create(w.ann, ent::contacts, R"({"first_name":"Ada"})");
  CHECK(problem_of([&] { w.records.get(w.bob, ent::contacts, id); }).detail() == "no such resource");
  CHECK(update(w, w.bob, ent::contacts, id, R"({"city":"Lyon"})", std::nullopt).kind == Kind::not_found);
  CHECK(remove(w, w.bob, ent::contacts, id).kind == Kind::not_found);
  CHECK(ids_of(w.records.list(w.bob, ent::contacts, {})).empty());
  CHECK(ids_of(w.records.list(w.ann, ent::contacts, {})) == std::vector<std::int64_t>{id});
}

TEST_CASE("Region staff read other organisations' shared records with personal fields hidden, and change none",
          "[services][tenancy]") {
  ServicesWorld w;
  const std::int64_t id = w.create(w.ann, ent::companies, R"({"name":"Acme","notes":"private"})");
  const auto read = object_of(w.records.get(w.sam, ent::companies, id).json);
  CHECK(read.at("name") == "Acme");
  CHECK_FALSE(read.contains("notes"));
  CHECK(read.at("redacted") == true);
  CHECK(object_of(w.records.get(w.ann, ent::companies, id).json).at("notes") == "private");
  CHECK(problem_of([&] { update(w, w.sam, ent::companies, id, R"({"name":"Mine"})", std::nullopt); }).kind() == Problem::Kind::forbidden);
}

TEST_CASE("Region staff read an outcome's notes once its lead is shared with the region, as the lead's own",
          "[services][tenancy]") {
  ServicesWorld w;
  const std::int64_t lead = w.create(w.ann, ent::leads, R"({"title":"Seed round","notes":"termsheet"})");
  const std::int64_t outcome =
      w.create(w.ann, ent::outcomes, R"({"kind":"investment","notes":"closed at eight","lead_id":)" +
                                         std::to_string(lead) + "}");
  const std::int64_t alone = w.create(w.ann, ent::outcomes, R"({"kind":"hire","notes":"no lead"})");
  auto staff_reads = [&](std::int64_t id) { return object_of(w.records.get(w.sam, ent::outcomes, id).json); };

  CHECK_FALSE(staff_reads(outcome).contains("notes"));
  CHECK(staff_reads(outcome).at("redacted") == true);

  REQUIRE(update(w, w.ann, ent::leads, lead, R"({"shared_with_region":true})", std::nullopt).kind == Kind::updated);
  CHECK(staff_reads(outcome).at("notes") == "closed at eight");
  CHECK_FALSE(staff_reads(outcome).contains("redacted"));
  CHECK_FALSE(staff_reads(alone).contains("notes"));  // no lead: nothing shared

  const services::Page page = w.records.list(w.sam, ent::outcomes, services::ListRequest{});
  CHECK(page.items.find("closed at eight") != std::string::npos);
  CHECK(page.items.find("no lead") == std::string::npos);
}

TEST_CASE("A list filters, sorts and pages from the position of the page before", "[services][lists]") {
  ServicesWorld w;
  for (const char* name : {"Dupont", "Martin", "Bernard", "Petit", "Durand"})
    w.create(w.ann, ent::contacts,
             std::string(R"({"first_name":"A","last_name":")") + name + R"(","city":"Lyon","tags":["vip"]})");
  w.create(w.ann, ent::contacts, R"({"first_name":"B","last_name":"Alpha","city":"Paris"})");

  services::ListRequest request = filtered(ent::contacts, {{"city", "Lyon"}, {"tag", "vip"}});
  request.sort = *domain::list_sort(ent::contacts, "last_name");
  request.limit = 2;
  std::vector<std::string> names;
  for (int pages = 0; pages < 5; ++pages) {
    const services::Page page = w.records.list(w.ann, ent::contacts, request);
    const boost::json::value items = boost::json::parse(page.items);
    for (const auto& item : items.as_array()) names.emplace_back(item.at("last_name").as_string());
    if (!page.next) break;
    request.after = page.next;
  }
  CHECK(names == std::vector<std::string>{"Bernard", "Dupont", "Durand", "Martin", "Petit"});

  services::ListRequest newest;
  newest.descending = true;
  newest.limit = 1;
  const services::Page first = w.records.list(w.ann, ent::contacts, newest);
  CHECK(boost::json::parse(first.items).as_array()[0].at("last_name") == "Alpha");
  REQUIRE(first.next);
  CHECK(first.next->id == ids_of(first)[0]);
}

TEST_CASE("A list's search finds the rows whose words start with every word typed", "[services][lists]") {
  ServicesWorld w;
  const std::int64_t ada = w.create(w.ann, ent::contacts, R"({"first_name":"Ada","last_name":"Lovelace"})");
  w.create(w.ann, ent::contacts, R"({"first_name":"Alan","last_name":"Turing"})");
  services::ListRequest request;
  request.search = domain::list_search(ent::contacts, "ada love");
  CHECK(ids_of(w.records.list(w.ann, ent::contacts, request)) == std::vector<std::int64_t>{ada});
}

TEST_CASE("The list vocabulary sorts only by NOT NULL columns and names its parameters as the API does",
          "[services][lists]") {
  for (const storage::Entity* e : storage::all_entities())
    for (const storage::Field& f : e->fields)
      if (domain::list_sort(*e, f.name)) CHECK(f.has(storage::not_null));
  const auto contacts = domain::list_parameters(ent::contacts);
  const std::vector<std::string> expected{"limit", "cursor", "sort", "updated_from", "updated_to", "created_from",
                                          "created_to", "org_id", "q", "company_id", "city", "country", "tag",
                                          "met_from", "met_to", "source_event_id", "lawful_basis"};
  CHECK(contacts == expected);
  // Accounts and tokens are listed by their own rules, without ?org_id=.
  const auto users = domain::list_parameters(ent::users);
  CHECK(std::find(users.begin(), users.end(), "org_id") == users.end());
  // The region's rows cannot be told apart in the full-text index (row_sql.cpp, fts_query):
  // an entity shared region-wide has no searchable field.
  for (const storage::Entity* e : storage::all_entities())
    if (e->sharing == storage::Sharing::region_wide) CHECK_FALSE(e->has_search());
  CHECK_FALSE(domain::list_condition(ent::contacts, "notes", "x"));
  CHECK(domain::list_condition(ent::followups, "due_to", "2024-05-01T09:00:00Z")->test ==
        domain::ListCondition::Test::before);
  CHECK(problem_of([&] { domain::list_condition(ent::leads, "owner_id", "me"); }).field() == "owner_id");
}
