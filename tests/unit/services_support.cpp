#include "services_support.hpp"

#include <boost/json/parse.hpp>

namespace relance::test {
namespace ent = storage::entities;

namespace {

std::int64_t add_org(storage::WriteTxn& tx, const char* name, const char* kind) {
  storage::Row org;
  org.values.resize(ent::organisations.fields.size());
  org.set(ent::organisations, "name", std::string(name));
  org.set(ent::organisations, "kind", std::string(kind));
  return tx.insert(ent::organisations, org);
}

auth::Principal add_user(storage::WriteTxn& tx, std::int64_t org_id, const char* email, auth::Role role) {
  storage::Row user;
  user.org_id = org_id;
  user.values.resize(ent::users.fields.size());
  user.set(ent::users, "email", std::string(email));
  user.set(ent::users, "display_name", std::string(email));
  user.set(ent::users, "role", std::string(auth::role_name(role)));
  auth::Principal p;
  p.user_id = tx.insert(ent::users, user);
  p.org_id = org_id;
  p.role = role;
  p.can_write = true;
  return p;
}

}  // namespace

ServicesWorld::ServicesWorld() {
  store.write_sync([this](storage::WriteTxn& tx) {
    const std::int64_t alpha = add_org(tx, "Alpha", "startup");
    const std::int64_t beta = add_org(tx, "Beta", "startup");
    const std::int64_t region = add_org(tx, "Region", "region");
    ann = add_user(tx, alpha, "ann@alpha.test", auth::Role::member);
    bob = add_user(tx, beta, "bob@beta.test", auth::Role::member);
    sam = add_user(tx, region, "sam@region.test", auth::Role::staff);
  });
}

std::int64_t ServicesWorld::create(const auth::Principal& p, const storage::Entity& e, const std::string& fields) {
  return run([&](services::OutcomeCallback done) {
           records.create(p, services::CreateRecord{e, object_of(fields), {}}, std::move(done));
         })
      .id;
}

boost::json::object object_of(const std::string& json_text) { return boost::json::parse(json_text).as_object(); }

}  // namespace relance::test
