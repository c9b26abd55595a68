// ContactZones (services/contact_zones.hpp): the time zone of a follow-up's contact, which
// the follow-up views and the exports show, read through the reader's scope.
#include <catch2/catch.hpp>

#include "services/contact_zones.hpp"
#include "storage_test_support.hpp"

using namespace relance::storage_test;
using relance::services::ContactZones;

namespace {

st::Row followup_of(std::optional<std::int64_t> contact) {
  st::Row f;
  if (contact) f.set(ent::followups, "contact_id", num(*contact));
  return f;
}

std::int64_t contact_in(st::Store& store, std::int64_t org, const char* zone) {
  return make_contact(store, org, "Ada", "Zone", [&](st::Row& r) {
    if (zone) r.set(ent::contacts, "time_zone", str(zone));
  });
}

}  // namespace

TEST_CASE("a follow-up's contact time zone is the contact's, and none without a contact or a zone",
          "[services][zones]") {
  OrgStore s;
  const auto paris = contact_in(*s.store, s.org, "Europe/Paris");
  const auto nowhere = contact_in(*s.store, s.org, nullptr);
  ContactZones zones(*s.store, st::Scope::org(s.org));
  const std::string* zone = zones.of(followup_of(paris));
  REQUIRE(zone);
  CHECK(*zone == "Europe/Paris");
  CHECK(zones.of(followup_of(nowhere)) == nullptr);
  CHECK(zones.of(followup_of(std::nullopt)) == nullptr);
}

TEST_CASE("a contact the reader may not see gives its follow-ups no time zone", "[services][zones]") {
  OrgStore s;
  const auto other_org = make_org(*s.store, "Other");
  const auto theirs = contact_in(*s.store, other_org, "Asia/Tokyo");
  ContactZones zones(*s.store, st::Scope::org(s.org));
  CHECK(zones.of(followup_of(theirs)) == nullptr);
}

TEST_CASE("a contact's time zone is read once for all its follow-ups of a list or an export", "[services][zones]") {
  OrgStore s;
  const auto contact = contact_in(*s.store, s.org, "Europe/Paris");
  ContactZones zones(*s.store, st::Scope::org(s.org));
  REQUIRE(zones.of(followup_of(contact)));
  s.store->write_sync([&](st::WriteTxn& tx) {
    auto row = tx.get(ent::contacts, st::Scope::org(s.org), contact);
    row->set(ent::contacts, "time_zone", str("America/New_York"));
    tx.update(ent::contacts, *row);
  });
  const std::string* zone = zones.of(followup_of(contact));
  REQUIRE(zone);
  CHECK(*zone == "Europe/Paris");
}
