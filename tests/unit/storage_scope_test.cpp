// Tenancy: which rows a Scope lets a read see (DESIGN.md "Security model": staff see other
// organisations' pipeline; a contact's personal data only where its lead is shared).
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::test::TempDir;

namespace {

// Two start-ups and the region. Beta has a contact on a lead shared with the region and one
// on a lead that is not.
struct World {
  TempDir dir;
  std::unique_ptr<st::Store> store = open_store(dir.file("relance.db"));
  std::int64_t acme = make_org(*store, "Acme");
  std::int64_t beta = make_org(*store, "Beta");
  std::int64_t region = make_org(*store, "Region");

  std::int64_t acme_company = make_company(*store, acme, "Acme Supplier");
  std::int64_t beta_company = make_company(*store, beta, "Beta Customer");
  std::int64_t acme_contact = make_contact(*store, acme, "Ada", "Acme");
  std::int64_t beta_shared_contact = make_contact(*store, beta, "Bea", "Shared");
  std::int64_t beta_private_contact = make_contact(*store, beta, "Bob", "Private");
  std::int64_t beta_shared_lead = make_lead(*store, beta, "Shared deal", beta_shared_contact, true);
  std::int64_t beta_private_lead =
      make_lead(*store, beta, "Private deal", beta_private_contact, false);
  std::int64_t beta_shared_activity = make_activity(beta, beta_shared_lead);
  std::int64_t beta_private_activity = make_activity(beta, beta_private_lead);

  std::int64_t make_activity(std::int64_t org, std::int64_t lead) {
    st::Row r;
    r.org_id = org;
    r.set(ent::activities, "lead_id", num(lead));
    r.set(ent::activities, "kind", str("call"));
    r.set(ent::activities, "occurred_at", str("2024-05-01T10:00:00.000Z"));
    r.set(ent::activities, "subject", str("called"));
    return insert(*store, ent::activities, r);
  }

  std::vector<std::int64_t> list_ids(const st::Entity& e, const st::Scope& s) {
    st::ListQuery q;
    q.scope = s;
    q.limit = 1000;
    return ids_of(store->list(e, q));
  }

  void set_shared(std::int64_t lead, bool shared) {
    store->write_sync([&](st::WriteTxn& tx) {
      auto r = tx.get(ent::leads, st::Scope::org(beta), lead);
      REQUIRE(r.has_value());
      r->set(ent::leads, "shared_with_region", num(shared ? 1 : 0));
      tx.update(ent::leads, *r);
    });
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("Scope::org never returns another organisation's rows, by get, list or count",
          "[storage][scope]") {
  World w;
  const auto acme = st::Scope::org(w.acme);

  CHECK(w.store->get(ent::contacts, acme, w.acme_contact).has_value());
  CHECK_FALSE(w.store->get(ent::contacts, acme, w.beta_shared_contact).has_value());
  CHECK_FALSE(w.store->get(ent::contacts, acme, w.beta_private_contact).has_value());
  CHECK_FALSE(w.store->get(ent::companies, acme, w.beta_company).has_value());
  CHECK_FALSE(w.store->get(ent::leads, acme, w.beta_shared_lead).has_value());
  CHECK_FALSE(w.store->get(ent::activities, acme, w.beta_shared_activity).has_value());

  CHECK(w.list_ids(ent::contacts, acme) == Ids{w.acme_contact});
  CHECK(w.list_ids(ent::companies, acme) == Ids{w.acme_company});
  CHECK(w.list_ids(ent::leads, acme).empty());
  CHECK(w.list_ids(ent::activities, acme).empty());
  CHECK(w.store->count(ent::contacts, acme) == 1);
  CHECK(w.store->count(ent::leads, acme) == 0);

  // Beta sees its own rows, including the unshared ones.
  const auto beta = st::Scope::org(w.beta);
  CHECK(w.list_ids(ent::contacts, beta) == Ids{w.beta_shared_contact, w.beta_private_contact});
  CHECK(w.list_ids(ent::leads, beta) == Ids{w.beta_shared_lead, w.beta_private_lead});
  CHECK(w.list_ids(ent::activities, beta) ==
        Ids{w.beta_shared_activity, w.beta_private_activity});
}

TEST_CASE("Scope::org applies inside a write job too", "[storage][scope]") {
  World w;
  w.store->write_sync([&](st::WriteTxn& tx) {
    CHECK_FALSE(tx.get(ent::contacts, st::Scope::org(w.acme), w.beta_private_contact).has_value());
    CHECK(tx.get(ent::contacts, st::Scope::org(w.beta), w.beta_private_contact).has_value());
  });
}

TEST_CASE("org_and_shared shows another organisation's contact only through a lead shared with "
          "the region",
          "[storage][scope]") {
  World w;
  const auto staff = st::Scope::org_and_shared(w.region);

  CHECK(w.store->get(ent::contacts, staff, w.beta_shared_contact).has_value());
  CHECK_FALSE(w.store->get(ent::contacts, staff, w.beta_private_contact).has_value());
  CHECK(w.list_ids(ent::contacts, staff) == Ids{w.beta_shared_contact});
  CHECK(w.store->count(ent::contacts, staff) == 1);

  // Acme's staff scope adds Beta's shared contact to its own.
  CHECK(w.list_ids(ent::contacts, st::Scope::org_and_shared(w.acme)) ==
        Ids{w.acme_contact, w.beta_shared_contact});

  // Unsharing the lead hides the contact again; sharing the other lead shows its contact.
  w.set_shared(w.beta_shared_lead, false);
  w.set_shared(w.beta_private_lead, true);
  CHECK_FALSE(w.store->get(ent::contacts, staff, w.beta_shared_contact).has_value());
  CHECK(w.list_ids(ent::contacts, staff) == Ids{w.beta_private_contact});
}

TEST_CASE("org_and_shared shows another organisation's activities only through a shared lead",
          "[storage][scope]") {
  World w;
  const auto staff = st::Scope::org_and_shared(w.region);
  CHECK(w.store->get(ent::activities, staff, w.beta_shared_activity).has_value());
  CHECK_FALSE(w.store->get(ent::activities, staff, w.beta_private_activity).has_value());
  CHECK(w.list_ids(ent::activities, staff) == Ids{w.beta_shared_activity});

  w.set_shared(w.beta_shared_lead, false);
  CHECK(w.list_ids(ent::activities, staff).empty());
}

TEST_CASE("org_and_shared always shows other organisations' companies and leads",
          "[storage][scope]") {
  World w;
  const auto staff = st::Scope::org_and_shared(w.region);
  CHECK(w.list_ids(ent::companies, staff) == Ids{w.acme_company, w.beta_company});
  CHECK(w.list_ids(ent::leads, staff) == Ids{w.beta_shared_lead, w.beta_private_lead});
  CHECK(w.store->get(ent::leads, staff, w.beta_private_lead).has_value());
  CHECK(w.store->get(ent::companies, staff, w.acme_company).has_value());
  CHECK(w.store->count(ent::leads, staff) == 2);
}

TEST_CASE("an organisation's scope sees only itself among organisations", "[storage][scope]") {
  World w;
  for (const auto& s : {st::Scope::org(w.acme), st::Scope::org_and_shared(w.acme)}) {
    CHECK(w.store->get(ent::organisations, s, w.acme).has_value());
    CHECK_FALSE(w.store->get(ent::organisations, s, w.beta).has_value());
    CHECK(w.list_ids(ent::organisations, s) == Ids{w.acme});
    CHECK(w.store->count(ent::organisations, s) == 1);
  }
  CHECK(w.list_ids(ent::organisations, st::Scope::everything()) == Ids{w.acme, w.beta, w.region});
}

TEST_CASE("Scope::everything sees every organisation's rows", "[storage][scope]") {
  World w;
  CHECK(w.list_ids(ent::contacts, st::Scope::everything()) ==
        Ids{w.acme_contact, w.beta_shared_contact, w.beta_private_contact});
  CHECK(w.store->get(ent::contacts, st::Scope::everything(), w.beta_private_contact).has_value());
  CHECK(w.store->count(ent::activities, st::Scope::everything()) == 2);
}
