// Where the server, not its OpenAPI document, was wrong (issue 20): lists that ignored an
// unknown parameter, cadence rules kept with days the scheduler never acts on, a new token's
// Location that answered 404. Every response here is also checked against the document by
// the test client (support/contract.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

TEST_CASE("the lists of tokens and of plugin instances refuse an unknown parameter with 400 naming it") {
  World w;
  for (const std::string list : {"/api/v1/tokens", "/api/v1/plugin-instances"}) {
    INFO(list);
    CHECK(w.alpha_admin.get(list).status == 200);
    const auto refused = w.alpha_admin.get(list + "?colour=bleu-%C3%A9t%C3%A9");
    CHECK(refused.status == 400);
    CHECK(refused.header("content-type") == "application/problem+json");
    CHECK(refused.json().at("field").as_string() == "colour");
  }
}

TEST_CASE("a cadence rule's days outside 1 to 365 are refused with 422 naming days, and nothing is kept") {
  World w;
  for (const std::int64_t days : {0, -3, 366, 100000}) {
    INFO(days);
    const auto refused = w.alpha_admin.post("/api/v1/cadence_rules", json::object{{"kind", "after-meeting"}, {"days", days}});
    CHECK(refused.status == 422);
    CHECK(refused.json().at("field").as_string() == "days");
  }
  CHECK(w.alpha_admin.get("/api/v1/cadence_rules").json().at("items").as_array().empty());

  const json::object rule =
      World::create(w.alpha_admin, "cadence_rules", {{"kind", "stale-stage"}, {"stage", "contacted"}, {"days", 365}});
  const std::string at = "/api/v1/cadence_rules/" + std::to_string(rule.at("id").as_int64());
  const auto refused = w.alpha_admin.patch(at, json::object{{"days", 366}});
  CHECK(refused.status == 422);
  CHECK(refused.json().at("field").as_string() == "days");
  CHECK(w.alpha_admin.get(at).json().at("days").as_int64() == 365);
  CHECK(w.alpha_admin.patch(at, json::object{{"days", 1}}).status == 200);
}

TEST_CASE("a new personal token's answer holds its secret once, and no Location that would not answer") {
  World w;
  const auto created = w.alpha_member.post("/api/v1/tokens", json::object{{"name", "Intégration CRM 🚀"}});
  REQUIRE(created.status == 201);
  const std::string secret(created.json().at("token").as_string());
  CHECK_FALSE(secret.empty());
  CHECK(created.header("location").empty());
  HttpClient by_token = w.daemon.client();
  by_token.set_token(secret);
  CHECK(by_token.get("/api/v1/me").status == 200);
  // Listed afterwards, without the secret.
  const auto listed = w.alpha_member.get("/api/v1/tokens");
  REQUIRE(listed.status == 200);
  CHECK(listed.body.find(secret) == std::string::npos);
}
