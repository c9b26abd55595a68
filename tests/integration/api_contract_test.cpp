// Where the server, not its OpenAPI document, was wrong (issue 20): lists that ignored an
// unknown parameter or their limit, cadence rules kept with days the scheduler never acts on,
// a new token's Location that answered 404, writes that ignored an Idempotency-Key or an
// If-Match they were sent; and one operation per export format. Every response here is also checked against the document by
// the test client (support/contract.hpp).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

namespace {

std::string id_text(const HttpResponse& r) { return std::to_string(r.json().at("id").as_int64()); }

// The ids of a list, page after page of `limit` through next_cursor (at most 50 pages).
std::vector<std::int64_t> every_page(HttpClient& as, const std::string& list, int limit) {
  std::vector<std::int64_t> ids;
  std::string target = list + "?limit=" + std::to_string(limit);
  for (int page = 0; page < 50; ++page) {
    const auto r = as.get(target);
    INFO(target << " -> " << r.body);
    REQUIRE(r.status == 200);
    const json::value body = r.json();
    const auto& items = body.at("items").as_array();
    CHECK(items.size() <= static_cast<std::size_t>(limit));
    for (const auto& item : items) ids.push_back(item.at("id").as_int64());
    const auto& next = body.at("next_cursor");
    if (next.is_null()) return ids;
    target = list + "?limit=" + std::to_string(limit) + "&cursor=" + std::string(next.as_string());
  }
  FAIL("the list did not end within 50 pages");
  return ids;
}

}  // namespace

TEST_CASE("the lists of tokens and of plugin instances page with limit and cursor like every list") {
  World w;
  std::vector<std::int64_t> tokens = every_page(w.alpha_admin, "/api/v1/tokens", 50);  // the login's session
  std::vector<std::int64_t> instances;
  for (int i = 0; i < 3; ++i) {
    tokens.push_back(World::create(w.alpha_admin, "tokens", {{"name", "jeton n°" + std::to_string(i)}}).at("id").as_int64());
    instances.push_back(World::create(w.alpha_admin, "plugin-instances",
                                      {{"plugin", "org.relance.export.jsonl"}, {"name", "export-" + std::to_string(i)}})
                            .at("id")
                            .as_int64());
  }
  CHECK(every_page(w.alpha_admin, "/api/v1/tokens", 2) == tokens);
  CHECK(every_page(w.alpha_admin, "/api/v1/plugin-instances", 2) == instances);
  // Another user's tokens are never listed, and cannot be asked for.
  CHECK(w.alpha_member.get("/api/v1/tokens").json().at("items").as_array().size() == 1);
  const auto refused = w.alpha_member.get("/api/v1/tokens?user_id=" + std::to_string(w.alpha_id));
  CHECK(refused.status == 400);
  CHECK(refused.json().at("field").as_string() == "user_id");
  CHECK(w.alpha_admin.get("/api/v1/tokens?limit=0").status == 400);
  CHECK(w.alpha_admin.get("/api/v1/plugin-instances?cursor=abc").status == 400);
}

TEST_CASE("each export format is its own operation, with its options typed and its media type") {
  World w;
  const auto doc = w.admin.get("/api/v1/openapi.json").json().as_object();
  const auto& paths = doc.at("paths").as_object();
  const auto& csv = paths.at("/api/v1/exports/csv").at("get").as_object();
  json::object params;
  for (const auto& p : csv.at("parameters").as_array()) params[p.at("name").as_string()] = p.at("schema");
  CHECK(params.at("delimiter").at("enum") == json::array{",", ";", "tab"});
  CHECK(params.at("dataset").at("type") == "array");
  CHECK(params.at("lang").at("enum") == json::array{"fr", "en"});
  CHECK(params.at("country").at("type") == "string");
  CHECK(params.at("company_id").at("type") == "integer");
  CHECK_FALSE(params.contains("component"));  // an option of ics, not of csv
  const auto& content = csv.at("responses").at("200").at("content").as_object();
  CHECK(content.size() == 1);
  CHECK(content.contains("text/csv"));
  CHECK(paths.at("/api/v1/exports/xlsx").at("get").at("responses").at("200").at("content").as_object().contains(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

  World::create(w.alpha_member, "contacts", {{"first_name", "Zoé"}, {"last_name", "Martin"}});
  World::create(w.alpha_member, "companies", {{"name", "Sequoia Capital"}});
  // dataset repeated or joined with commas: the same file.
  const auto repeated = w.alpha_member.get("/api/v1/exports/jsonl?dataset=contacts&dataset=companies");
  REQUIRE(repeated.status == 200);
  CHECK(repeated.body.find("Zoé") != std::string::npos);
  CHECK(repeated.body.find("Sequoia Capital") != std::string::npos);
  CHECK(w.alpha_member.get("/api/v1/exports/jsonl?dataset=contacts,companies").body == repeated.body);

  const auto unknown = w.alpha_member.get("/api/v1/exports/pdf?dataset=contacts");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find("available: csv") != std::string::npos);
}

TEST_CASE("creates of organisations, users, plugin instances and imports honour Idempotency-Key") {
  World w;
  // A key is the user's for one request, whatever the route: each create here has its own.
  auto twice = [&](HttpClient& as, const std::string& target, const json::object& body, const json::object& other) {
    INFO(target);
    const Headers ascii_key{{"Idempotency-Key", "retry-" + target}};
    const auto first = as.post(target, body, ascii_key);
    REQUIRE(first.status == 201);
    const auto again = as.post(target, body, ascii_key);
    CHECK(again.status == 201);
    CHECK(id_text(again) == id_text(first));
    CHECK(again.header("location") == first.header("location"));
    const auto reused = as.post(target, other, ascii_key);
    CHECK(reused.status == 422);
    CHECK(reused.json().at("field").as_string() == "Idempotency-Key");
    return first.json().at("id").as_int64();
  };
  twice(w.admin, "/api/v1/organisations", {{"name", "Lumière Robotique"}}, {{"name", "Autre"}});
  CHECK(w.admin.get("/api/v1/organisations?name=Lumi%C3%A8re%20Robotique").json().at("items").as_array().size() == 1);
  twice(w.alpha_admin, "/api/v1/users", {{"email", "zoe@alpha.test"}, {"display_name", "Zoé"}},
        {{"email", "other@alpha.test"}});
  CHECK(w.alpha_admin.get("/api/v1/users?email=zoe@alpha.test").json().at("items").as_array().size() == 1);
  twice(w.alpha_admin, "/api/v1/plugin-instances", {{"plugin", "org.relance.export.jsonl"}, {"name", "jsonl"}},
        {{"plugin", "org.relance.export.jsonl"}, {"name", "autre"}});
  // The user's key on another route is another request: refused, nothing made.
  const auto elsewhere = w.alpha_admin.post("/api/v1/contacts", json::object{{"first_name", "Zoé"}},
                                            {{"Idempotency-Key", "retry-/api/v1/users"}});
  CHECK(elsewhere.status == 422);
  CHECK(w.alpha_admin.get("/api/v1/contacts").json().at("items").as_array().empty());

  // An upload retried after a lost answer: the same job, and its contacts once.
  const std::string csv = "First Name,Last Name,Email\r\nJosé,Núñez,jose@nunez.test\r\n";
  const Headers upload{{"Content-Type", "text/csv"}, {"Idempotency-Key", "upload-1"}};
  const auto first = w.alpha_member.request("POST", "/api/v1/imports?tag=salon", csv, upload);
  REQUIRE(first.status == 202);
  const auto again = w.alpha_member.request("POST", "/api/v1/imports?tag=salon", csv, upload);
  CHECK(again.status == 202);
  CHECK(id_text(again) == id_text(first));
  CHECK(again.header("location") == first.header("location"));
  CHECK(w.alpha_member.request("POST", "/api/v1/imports?tag=autre", csv, upload).status == 422);
  // Keys are each user's own: another user's same key starts another job.
  const auto beta = w.beta_member.request("POST", "/api/v1/imports?tag=salon", csv, upload);
  REQUIRE(beta.status == 202);
  CHECK(id_text(beta) != id_text(first));
}

TEST_CASE("a write that does not honour Idempotency-Key or If-Match refuses it with 400 naming it, and writes nothing") {
  World w;
  const auto token = w.alpha_member.post("/api/v1/tokens", json::object{{"name", "clé"}}, {{"Idempotency-Key", "k1"}});
  CHECK(token.status == 400);
  CHECK(token.json().at("field").as_string() == "Idempotency-Key");
  CHECK(w.alpha_member.get("/api/v1/tokens").json().at("items").as_array().size() == 1);  // the session alone

  const std::string made = id_text(w.alpha_member.post("/api/v1/tokens", json::object{{"name", "clé"}}));
  const auto revoke = w.alpha_member.del("/api/v1/tokens/" + made, {{"If-Match", "\"1-1\""}});
  CHECK(revoke.status == 400);
  CHECK(revoke.json().at("field").as_string() == "If-Match");
  CHECK(w.alpha_member.get("/api/v1/tokens").json().at("items").as_array().size() == 2);

  const auto contact = w.alpha_member.post("/api/v1/contacts", json::object{{"first_name", "Zoé"}},
                                           {{"If-Match", "*"}});
  CHECK(contact.status == 400);
  CHECK(contact.json().at("field").as_string() == "If-Match");
  CHECK(w.alpha_member.get("/api/v1/contacts").json().at("items").as_array().empty());

  // The document says so of each such write.
  const auto doc = w.admin.get("/api/v1/openapi.json").json();
  CHECK(doc.at("paths").at("/api/v1/tokens").at("post").at("description").as_string().find("Idempotency-Key") !=
        std::string::npos);
}

TEST_CASE("disabling a user and removing a plugin instance honour If-Match: a stale ETag gets 412 and changes nothing") {
  World w;
  const auto user = w.alpha_admin.post("/api/v1/users", json::object{{"email", "leo@alpha.test"}});
  REQUIRE(user.status == 201);
  const std::string at = "/api/v1/users/" + id_text(user);
  const std::string first_etag = user.header("etag");
  REQUIRE(w.alpha_admin.patch(at, json::object{{"display_name", "Léo"}}).status == 200);
  const auto stale = w.alpha_admin.del(at, {{"If-Match", first_etag}});
  CHECK(stale.status == 412);
  CHECK(w.alpha_admin.get(at).json().at("disabled") == false);
  const auto fresh = w.alpha_admin.del(at, {{"If-Match", w.alpha_admin.get(at).header("etag")}});
  CHECK(fresh.status == 200);
  CHECK(fresh.json().at("disabled") == true);

  const auto instance = w.alpha_admin.post("/api/v1/plugin-instances",
                                           json::object{{"plugin", "org.relance.export.jsonl"}, {"name", "jsonl"}});
  REQUIRE(instance.status == 201);
  const std::string one = "/api/v1/plugin-instances/" + id_text(instance);
  REQUIRE(w.alpha_admin.patch(one, json::object{{"name", "jsonl-2"}}).status == 200);
  CHECK(w.alpha_admin.del(one, {{"If-Match", instance.header("etag")}}).status == 412);
  CHECK(w.alpha_admin.get(one).status == 200);
  CHECK(w.alpha_admin.del(one, {{"If-Match", w.alpha_admin.get(one).header("etag")}}).status == 204);
  CHECK(w.alpha_admin.get(one).status == 404);
}
