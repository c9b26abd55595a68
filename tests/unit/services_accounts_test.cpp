// AccountService on the in-memory store: what its writes come to, as outcomes. No daemon, no
// HTTP: the API turns these into statuses, ETags and Locations (api/outcome_response.cpp).
#include <catch2/catch.hpp>

#include "services/account_service.hpp"
#include "services_support.hpp"

using namespace relance;
using relance::test::object_of;
using relance::test::ServicesWorld;
using services::WriteOutcome;
using Kind = services::WriteOutcome::Kind;
namespace ent = storage::entities;

namespace {

struct AccountsWorld : ServicesWorld {
  services::AccountService accounts{store, orgs};
  auth::Principal admin_of_alpha;  // ann, as her organisation's admin

  AccountsWorld() {
    admin_of_alpha = ann;
    admin_of_alpha.role = auth::Role::org_admin;
  }

  WriteOutcome create_user(const std::string& email) {
    return run([&](services::OutcomeCallback done) {
      accounts.create_user(admin_of_alpha,
                           object_of(R"({"email":")" + email + R"(","display_name":"Carl","password":"long enough password"})"),
                           {}, std::move(done));
    });
  }
};

}  // namespace

TEST_CASE("An org-admin creating a user gets the created user, without its password hash", "[services][accounts]") {
  AccountsWorld w;
  const WriteOutcome created = w.create_user("carl@alpha.test");
  REQUIRE(created.kind == Kind::created);
  CHECK(created.id > 0);
  CHECK(created.version == 1);
  const auto user = object_of(created.json);
  CHECK(user.at("email").as_string() == "carl@alpha.test");
  CHECK(user.at("org_id").as_int64() == w.ann.org_id);
  CHECK_FALSE(user.contains("password_hash"));
  CHECK(w.store.get(ent::users, storage::Scope::org(w.ann.org_id), created.id));
}

TEST_CASE("A personal token is created with its secret shown once in the outcome", "[services][accounts]") {
  AccountsWorld w;
  const WriteOutcome created = w.run([&](services::OutcomeCallback done) {
    w.accounts.create_token(w.ann, object_of(R"({"name":"laptop"})"), std::move(done));
  });
  REQUIRE(created.kind == Kind::created);
  const auto token = object_of(created.json);
  CHECK(token.at("name").as_string() == "laptop");
  CHECK_FALSE(token.at("token").as_string().empty());
  CHECK_FALSE(token.contains("token_hash"));
}

TEST_CASE("A user changed since it was read is a conflict naming its current version, and stays as it is",
          "[services][accounts]") {
  AccountsWorld w;
  const WriteOutcome created = w.create_user("dana@alpha.test");
  const WriteOutcome renamed = w.run([&](services::OutcomeCallback done) {
    w.accounts.update_user(w.admin_of_alpha, created.id, object_of(R"({"display_name":"Dana"})"),
                           created.version, std::move(done));
  });
  REQUIRE(renamed.kind == Kind::updated);
  REQUIRE(renamed.version == created.version + 1);

  const WriteOutcome stale = w.run([&](services::OutcomeCallback done) {
    w.accounts.update_user(w.admin_of_alpha, created.id, object_of(R"({"display_name":"Stale"})"),
                           created.version, std::move(done));
  });
  CHECK(stale.kind == Kind::conflict);
  CHECK(stale.id == created.id);
  CHECK(stale.version == renamed.version);
  CHECK(stale.detail == "the user changed since you read it");
  const auto row = w.store.get(ent::users, storage::Scope::org(w.ann.org_id), created.id);
  REQUIRE(row);
  CHECK(*row->text(ent::users, "display_name") == "Dana");
}

TEST_CASE("Revoking a token of another user of the organisation is not found for a member", "[services][accounts]") {
  AccountsWorld w;
  auth::Principal carl = w.ann;
  carl.user_id = w.create_user("carl@alpha.test").id;
  const WriteOutcome token = w.run([&](services::OutcomeCallback done) {
    w.accounts.create_token(carl, object_of(R"({"name":"carl's"})"), std::move(done));
  });
  const auto revoke = [&](const auth::Principal& p) {
    return w.run([&](services::OutcomeCallback done) { w.accounts.revoke_token(p, token.id, std::move(done)); });
  };
  CHECK(revoke(w.ann).kind == Kind::not_found);
  CHECK(revoke(carl).kind == Kind::deleted);
}
