// The OpenAPI document agrees with the API on every create: for each POST whose body is an
// entity's create schema, a body of the required properties alone (with values of their
// documented type, format, enum or example) is accepted; no property the schema lists is
// refused as unknown or read-only (400); and every property the answer's schema marks
// read-only, and the create schema leaves out, is refused when sent (400 naming it).
// Caught before: User.org_id marked read-only though the admin sends it on create, and a
// user's password missing from the document.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <string>

#include "daemon.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

int counter = 0;

// An instant 30 days from now, RFC 3339 UTC.
std::string in_a_month() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(24 * 30));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

const json::object& schema_at(const json::object& doc, std::string_view ref) {
  const std::string name(ref.substr(ref.rfind('/') + 1));
  return doc.at("components").at("schemas").at(name).as_object();
}

std::string first_type(const json::object& s) {
  const auto* t = s.if_contains("type");
  if (!t) return "object";
  if (t->is_string()) return std::string(t->as_string());
  return std::string(t->as_array().at(0).as_string());
}

// A value the document says is acceptable for property `name` of schema `s`.
json::value sample(const std::string& name, const json::object& s) {
  const std::string n = std::to_string(++counter);
  if (const auto* e = s.if_contains("examples")) return e->as_array().at(0);
  if (const auto* e = s.if_contains("enum")) return e->as_array().at(0);
  const std::string type = first_type(s);
  if (type == "integer") return name.ends_with("_id") ? 1 : 7;
  if (type == "boolean") return true;
  if (type == "array") return json::array{json::string("agreement-" + n)};
  const auto* format = s.if_contains("format");
  const std::string f = format ? std::string(format->as_string()) : "";
  if (f == "date-time") return json::string(in_a_month());
  if (f == "date") return json::string(in_a_month().substr(0, 10));
  if (f == "uri") return json::string("https://example.com/agreement-" + n);
  if (name == "email") return json::string("agreement-" + n + "@example.com");
  if (name.find("password") != std::string::npos) return json::string("a-password-long-enough-" + n);
  return json::string("Agreement " + n + " é");
}

json::object minimal_body(const json::object& create) {
  json::object body;
  if (const auto* required = create.if_contains("required"))
    for (const auto& r : required->as_array()) {
      const std::string name(r.as_string());
      body[name] = sample(name, create.at("properties").at(name).as_object());
    }
  return body;
}

}  // namespace

TEST_CASE("every entity's create takes what the OpenAPI document lists and refuses what it marks read-only") {
  Daemon d;
  d.start();
  HttpClient admin = d.admin();
  const auto r = admin.get("/api/v1/openapi.json");
  REQUIRE(r.status == 200);
  const json::object doc = r.json().as_object();
  int creates = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    const auto* post = item.as_object().if_contains("post");
    if (!post || !post->as_object().contains("requestBody")) continue;
    const auto* answer_ref = post->at("responses").as_object().if_contains("201");
    if (!answer_ref) continue;
    const auto* json_body = post->at("requestBody").at("content").as_object().if_contains("application/json");
    if (!json_body) continue;  // a file (a contact's attachment), not an entity's fields
    const auto& body_ref = json_body->at("schema").as_object();
    const auto* ref = body_ref.if_contains("$ref");
    if (!ref) continue;  // a body of its own (a merge), not an entity's
    // Only region staff ask, and for another organisation's lead: share_requests_test.cpp
    // checks that create's fields the same way.
    if (std::string_view(path) == "/api/v1/share-requests") continue;
    ++creates;
    const std::string route(path);
    const json::object& create = schema_at(doc, ref->as_string());
    // The entity, alone or with what the answer adds (a new token's secret).
    const json::object& answer_schema = answer_ref->at("content").at("application/json").at("schema").as_object();
    const json::object& entity_ref =
        answer_schema.contains("allOf") ? answer_schema.at("allOf").at(0).as_object() : answer_schema;
    const json::object& answer = schema_at(doc, entity_ref.at("$ref").as_string());
    // What the body's schema lets a client send: every property it does not mark read-only.
    json::object writable;
    for (const auto& [name, schema] : create.at("properties").as_object())
      if (!schema.as_object().contains("readOnly")) writable[name] = schema;

    json::object body = minimal_body(create);
    auto created = admin.post(route, body);
    INFO("POST " << route << " " << json::serialize(body) << " -> " << created.status << " " << created.body);
    CHECK(created.status == 201);

    for (const auto& [name, schema] : writable) {
      json::object with = minimal_body(create);
      with[name] = sample(std::string(name), schema.as_object());
      auto sent = admin.post(route, with);
      INFO("POST " << route << " " << json::serialize(with) << " -> " << sent.status << " " << sent.body);
      CHECK(sent.status != 400);
    }
    for (const auto& [name, schema] : answer.at("properties").as_object()) {
      if (writable.contains(name) || !schema.as_object().contains("readOnly")) continue;
      json::object with = minimal_body(create);
      with[name] = sample(std::string(name), schema.as_object());
      auto sent = admin.post(route, with);
      INFO("POST " << route << " " << json::serialize(with) << " -> " << sent.status << " " << sent.body);
      CHECK(sent.status == 400);
      if (sent.status == 400) CHECK(sent.json().at("field").as_string() == name);
    }
  }
  CHECK(creates >= 10);  // organisations, users, tokens and every record entity
}
