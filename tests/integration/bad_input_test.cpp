// Bad input, sent by mistake or on purpose, as the API must answer it (DESIGN.md, "Errors,
// input, limits"): every kind gets a 4xx RFC 9457 problem document (Content-Type
// application/problem+json, with status, title, detail, and `field` naming the offending
// field where there is one), and nothing is written: each collection holds as many rows as
// before, the organisation's audit log did not grow, and a record that was to change reads
// back as it was. Afterwards the daemon answers /healthz and /readyz and has logged no
// internal error.
//
// One World is shared by the test cases of a run (building it costs ~1 s of Argon2); each
// test case measures what it checks before and after, so the order does not matter. The
// size and depth limits get daemons of their own, started with small limits.

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "raw_connection.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

World& world() {
  static World w;
  return w;
}

std::string id_of(const json::object& o) { return std::to_string(o.at("id").as_int64()); }

std::string text_of(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string())
                                                  : std::string();
}

std::int64_t int_of(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_int64() ? it->value().get_int64() : -1;
}

// Checks that `r` is a problem document of `status` that names `field` (when one is given),
// and returns the document.
json::object problem(const HttpResponse& r, int status, const std::string& field = {}) {
  INFO("the daemon answered " << r.status << " " << r.header("content-type") << ": " << r.body);
  CHECK(r.status == status);
  if (r.status != status) return {};
  CHECK(r.header("content-type") == "application/problem+json");
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) {
    FAIL_CHECK("the body is not a JSON object");
    return {};
  }
  json::object doc = v.get_object();
  CHECK(int_of(doc, "status") == status);
  CHECK_FALSE(text_of(doc, "title").empty());
  CHECK_FALSE(text_of(doc, "detail").empty());
  if (!field.empty()) CHECK(text_of(doc, "field") == field);
  return doc;
}

// A response read off the wire by HttpClient::raw.
HttpResponse parse_raw(const std::string& text) {
  HttpResponse r;
  const auto end = text.find("\r\n\r\n");
  if (text.rfind("HTTP/1.", 0) != 0 || text.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(text.substr(9, 3));
  for (std::size_t pos = text.find("\r\n") + 2; pos < end;) {
    const auto eol = text.find("\r\n", pos);
    const std::string line = text.substr(pos, eol - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    pos = eol + 2;
  }
  r.body = text.substr(end + 4);
  return r;
}

json::object with(json::object o, const std::string& key, json::value v) {
  o[key] = std::move(v);
  return o;
}

// The least a record of each collection needs to be created.
json::object minimal(const std::string& collection) {
  if (collection == "companies") return {{"name", "Acme Robotics"}};
  if (collection == "leads") return {{"title", "Seed round"}};
  if (collection == "activities") return {{"kind", "note"}};
  if (collection == "followups") return {{"title", "Call back"}, {"due_at", "2026-03-09T17:30:00Z"}};
  if (collection == "outcomes") return {{"kind", "pilot"}};
  if (collection == "events") return {{"name", "Silicon Valley mission"}};
  return {};  // contacts need nothing
}

const std::vector<std::string> record_collections{"contacts", "companies",  "leads", "activities",
                                                  "followups", "outcomes", "events"};

// What an organisation holds as its org-admin sees it: the rows of each collection, and
// the newest entry of its audit log. Bad input must leave it as it was.
struct Footprint {
  std::map<std::string, std::size_t> rows;
  std::int64_t newest_audit = 0;
};

std::size_t count_rows(HttpClient& as, const std::string& collection) {
  std::size_t n = 0;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    auto r = as.get("/api/v1/" + collection + "?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
    INFO(collection << ": " << r.body);
    REQUIRE(r.status == 200);
    const json::object body = r.json().as_object();
    n += body.at("items").as_array().size();
    if (body.at("next_cursor").is_null()) break;
    cursor = std::string(body.at("next_cursor").as_string());
  }
  return n;
}

Footprint footprint(HttpClient& org_admin, bool with_organisations = false) {
  Footprint f;
  for (const auto& c : record_collections) f.rows[c] = count_rows(org_admin, c);
  f.rows["users"] = count_rows(org_admin, "users");
  if (with_organisations) f.rows["organisations"] = count_rows(org_admin, "organisations");
  auto audit = org_admin.get("/api/v1/audit?limit=1");
  REQUIRE(audit.status == 200);
  const json::value page = audit.json();
  const json::array& items = page.at("items").as_array();
  f.newest_audit = items.empty() ? 0 : items[0].at("id").as_int64();
  return f;
}

// Nothing was written since `before`: as many rows, no new audit entry.
void check_nothing_written(const Footprint& before, HttpClient& org_admin) {
  const Footprint now = footprint(org_admin, before.rows.count("organisations") > 0);
  for (const auto& [collection, n] : before.rows) {
    INFO("rows of " << collection);
    CHECK(now.rows.at(collection) == n);
  }
  INFO("newest audit entry");
  CHECK(now.newest_audit == before.newest_audit);
}

// The daemon still answers, and no bad input made it log an internal error (a 500).
void check_still_serving(const Daemon& d) {
  HttpClient c = d.client();
  CHECK(c.get("/healthz").status == 200);
  CHECK(c.get("/readyz").status == 200);
  CHECK(d.log().find("internal error") == std::string::npos);
}

const Headers as_json{{"Content-Type", "application/json"}};

// {"notes": [[...]]}: an object holding arrays, `depth` levels in all.
std::string nested(std::size_t depth) {
  return "{\"notes\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

// A daemon with small limits, and its instance admin.
std::map<std::string, std::string> small_limits() {
  return {{"RELANCE_SERVER_MAX_BODY_BYTES", "4096"},
          {"RELANCE_SERVER_MAX_HEADER_BYTES", "2048"},
          {"RELANCE_API_MAX_JSON_DEPTH", "4"}};
}

}  // namespace

TEST_CASE("a client that stops sending is disconnected after the configured timeout, and the daemon serves on") {
  // Two HTTP threads, and as many connections in each case: connections go to the threads
  // in turn, so each thread's timeouts are exercised. The idle timeout is well above the
  // request timeout, so that a body that never comes shows which of the two applied.
  constexpr int threads = 2;
  Daemon d({{"RELANCE_SERVER_THREADS", std::to_string(threads)},
            {"RELANCE_SERVER_IDLE_TIMEOUT_SECONDS", "6"},
            {"RELANCE_SERVER_REQUEST_TIMEOUT_SECONDS", "1"}});
  d.start();
  // Generous bounds: the point is which connections are closed, not to time the daemon.
  const auto limit = std::chrono::seconds(30);
  const auto before_idle = std::chrono::seconds(4);
  auto each = [&](const std::string& sent, std::chrono::seconds within) {
    std::vector<std::unique_ptr<RawConnection>> cs;
    for (int i = 0; i < threads; ++i) {
      cs.push_back(std::make_unique<RawConnection>(d.port()));
      if (!sent.empty()) cs.back()->send(sent);
    }
    for (auto& c : cs) {
      const auto [closed, got] = c->wait_for_close(within);
      CHECK(closed);
      CHECK(got.empty());  // closed without an answer
    }
  };
  SECTION("a connection that never sends a request") { each("", limit); }
  SECTION("a request whose header never ends") { each("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", limit); }
  SECTION("a request whose body never comes: the request timeout, not the idle one") {
    each("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 100\r\n\r\n{\"email\"",
         before_idle);
  }
  SECTION("a keep-alive connection that waits less than the idle timeout is still served") {
    RawConnection c(d.port());
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    c.send(get);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // over the request timeout
    c.send(get + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto [closed, got] = c.wait_for_close(limit);
    CHECK(closed);
    std::size_t answers = 0;
    for (auto at = got.find("HTTP/1.1 200"); at != std::string::npos; at = got.find("HTTP/1.1 200", at + 1))
      ++answers;
    CHECK(answers == 3);
  }
  // The daemon serves others all along, and after.
  check_still_serving(d);
}

TEST_CASE(
    "idle connections up to the connection limit never lock a new client out, the one idle the longest "
    "being closed to make room") {
  constexpr int limit = 32;
  Daemon d({{"RELANCE_SERVER_MAX_CONNECTIONS", std::to_string(limit)},
            {"RELANCE_SERVER_MAX_CONNECTIONS_PER_CLIENT", "0"}});
  d.start();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < limit; ++i) idle.push_back(std::make_unique<RawConnection>(d.port()));
  // A new client is served at once, not after the idle timeout (60 s).
  HttpClient fresh = d.client();
  int status = 0;
  try {
    status = fresh.get("/healthz").status;
  } catch (const std::exception& e) {
    INFO("the new client was refused: " << e.what());
  }
  CHECK(status == 200);
  // The oldest idle connection made room; the newest stay open.
  CHECK(idle.front()->wait_for_close(std::chrono::seconds(10)).first);
  CHECK_FALSE(idle.back()->wait_for_close(std::chrono::seconds(1)).first);
  check_still_serving(d);
}

TEST_CASE(
    "a client address past its connection limit gets 503 naming the limit, and is served again once it "
    "closes one") {
  Daemon d(std::map<std::string, std::string>{{"RELANCE_SERVER_MAX_CONNECTIONS_PER_CLIENT", "4"}});
  d.start();
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<RawConnection>(d.port()));
  RawConnection extra(d.port());
  extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto [closed, got] = extra.wait_for_close(std::chrono::seconds(30));
  CHECK(closed);
  const HttpResponse refused = parse_raw(got);
  const auto doc = problem(refused, 503);
  CHECK(text_of(doc, "detail").find("at most 4") != std::string::npos);
  CHECK(refused.header("retry-after") == "1");

  held.pop_back();
  HttpClient again = d.client();
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {  // until the server saw the close
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = again.get("/healthz").status;
  }
  CHECK(status == 200);
}

TEST_CASE("a body that is not one JSON object gets 400 and writes nothing") {
  auto& w = world();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Intact"}});
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string as_it_was = w.alpha_member.get(one).body;
  const Footprint before = footprint(w.alpha_admin);

  const std::vector<std::string> not_an_object{
      "",                                            // empty
      "{",                                           // cut short
      "{\"first_name\": }",                          // no value
      "{\"first_name\": \"Zoé\"",                    // unclosed
      "{\"first_name\": \"Zoé\"} trailing",          // garbage after the object
      "{\"first_name\": \"Zoé\"}{}",                 // two documents
      "{'first_name': 'Zoé'}",                       // single quotes
      "{first_name: \"Zoé\"}",                       // bare key
      "{\"first_name\": \"Zoé\",}",                  // trailing comma
      "{\"first_name\": \"Zoé\" /* comment */}",     // comment
      "{\"first_name\": NaN}",                       // not a JSON number
      "{\"first_name\": \"tab\tinside\"}",           // raw control character in a string
      "[]",                                          // an array...
      "[{\"first_name\": \"Zoé\"}]",                 // ...even of one object
      "\"Zoé\"",                                     // a string
      "42",                                          // a number
      "true",                                        // a boolean
      "null",                                        // null
  };
  for (const auto& body : not_an_object) {
    INFO("body: " << body);
    problem(w.alpha_member.request("POST", "/api/v1/contacts", body, as_json), 400);
    problem(w.alpha_member.request("PATCH", one, body, as_json), 400);
  }
  // Every route that reads a body reads it the same way.
  for (const auto& c : record_collections) {
    INFO(c);
    problem(w.alpha_member.request("POST", "/api/v1/" + c, "[]", as_json), 400);
  }
  problem(w.alpha_admin.request("POST", "/api/v1/users", "[]", as_json), 400);
  problem(w.alpha_admin.request("PATCH", "/api/v1/organisations/" + std::to_string(w.alpha_id),
                                "\"Alpha\"", as_json),
          400);
  problem(w.alpha_member.request("POST", "/api/v1/tokens", "{", as_json), 400);
  problem(w.daemon.client().request("POST", "/api/v1/auth/login", "[]", as_json), 400);

  CHECK(w.alpha_member.get(one).body == as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a body not sent as JSON gets 415 and writes nothing") {
  auto& w = world();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Intact"}});
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string as_it_was = w.alpha_member.get(one).body;
  const Footprint before = footprint(w.alpha_admin);

  // A JSON object, but labelled as something else.
  const std::string body = R"({"first_name": "Zoé"})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/xml", "text/csv",
                           "application/octet-stream"}) {
    INFO("Content-Type: " << type);
    problem(w.alpha_member.request("POST", "/api/v1/contacts", body, {{"Content-Type", type}}), 415);
    problem(w.alpha_member.request("PATCH", one, body, {{"Content-Type", type}}), 415);
  }
  // No Content-Type at all.
  const std::string untyped = "POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Authorization: Bearer " + w.alpha_member.token() + "\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n"
                              "Connection: close\r\n\r\n" + body;
  problem(parse_raw(w.alpha_member.raw(untyped)), 415);

  CHECK(w.alpha_member.get(one).body == as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a JSON media type is recognised in any letter case and with parameters") {
  // RFC 9110 §8.3.1: type and subtype are case-insensitive.
  auto& w = world();
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON",
                           "APPLICATION/JSON; charset=UTF-8"}) {
    INFO("Content-Type: " << type);
    auto r = w.alpha_member.request("POST", "/api/v1/contacts", R"({"first_name": "Typed"})",
                                    {{"Content-Type", type}});
    CHECK(r.status == 201);
  }
  check_still_serving(w.daemon);
}

TEST_CASE("a body that is not valid UTF-8 gets 400 and writes nothing") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);

  const std::vector<std::pair<const char*, std::string>> malformed{
      {"a lead byte followed by ASCII", "\xC3\x28"},
      {"a lone continuation byte", "\x80"},
      {"a sequence cut short", "\xE2\x82"},
      {"an overlong encoding of '/'", "\xC0\xAF"},
      {"a UTF-16 surrogate encoded in UTF-8", "\xED\xA0\x80"},
      {"a code point past U+10FFFF", "\xF4\x90\x80\x80"},
      {"Latin-1, not UTF-8", "Zo\xE9"},
      {"an escaped lone surrogate", "\\ud800"},
  };
  for (const auto& [what, bytes] : malformed) {
    INFO(what);
    problem(w.alpha_member.request("POST", "/api/v1/contacts",
                                   "{\"first_name\": \"" + bytes + "\"}", as_json),
            400);
    problem(w.alpha_member.request("POST", "/api/v1/contacts",
                                   "{\"emails\": [\"zoe" + bytes + "@example.com\"]}", as_json),
            400);
    problem(w.alpha_member.request("POST", "/api/v1/contacts", "{\"first" + bytes + "\": \"Zoé\"}",
                                   as_json),
            400);
  }
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a value of the wrong JSON type gets 422 naming the field, for every kind of field") {
  auto& w = world();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Intact"}});
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string as_it_was = w.alpha_member.get(one).body;
  const Footprint before = footprint(w.alpha_admin);

  struct Bad {
    std::string collection, field;
    json::value value;
    std::string named;  // the field the problem must name
  };
  const std::vector<Bad> cases{
      // text
      {"contacts", "first_name", 5, "first_name"},
      {"contacts", "last_name", true, "last_name"},
      {"contacts", "notes", json::object{{"text", "x"}}, "notes"},
      {"contacts", "city", 1.5, "city"},
      {"companies", "name", json::array{"Acme"}, "name"},
      // integer
      {"outcomes", "jobs", "5", "jobs"},
      {"outcomes", "jobs", 1.5, "jobs"},
      {"outcomes", "jobs", true, "jobs"},
      {"outcomes", "jobs", json::array{1}, "jobs"},
      // boolean
      {"leads", "shared_with_region", "true", "shared_with_region"},
      {"leads", "shared_with_region", 1, "shared_with_region"},
      // timestamp
      {"contacts", "met_at", 1741541400, "met_at"},
      {"contacts", "met_at", true, "met_at"},
      {"followups", "due_at", json::object{}, "due_at"},
      // date
      {"leads", "expected_close", true, "expected_close"},
      {"outcomes", "occurred_on", 20260309, "occurred_on"},
      {"events", "starts_on", json::array{"2026-03-09"}, "starts_on"},
      // email list
      {"contacts", "emails", "zoe@example.com", "emails"},
      {"contacts", "emails", json::object{{"work", "zoe@example.com"}}, "emails"},
      {"contacts", "emails", json::array{5}, "emails/0"},
      {"contacts", "emails", json::array{"zoe@example.com", nullptr}, "emails/1"},
      // phone list
      {"contacts", "phones", 33472000000, "phones"},
      {"contacts", "phones", json::array{33472000000}, "phones/0"},
      // tag list
      {"companies", "tags", "vip", "tags"},
      {"companies", "tags", json::object{{"vip", true}}, "tags"},
      {"leads", "tags", json::array{1}, "tags/0"},
      // currency and money
      {"leads", "currency", 978, "currency"},
      {"leads", "currency", true, "currency"},
      {"leads", "value", true, "value"},
      {"leads", "value", json::object{{"amount", 1}}, "value"},
      {"outcomes", "amount", json::array{100}, "amount"},
      // URL
      {"companies", "website", 5, "website"},
      {"contacts", "linkedin_url", json::object{{"href", "https://linkedin.com/in/zoe"}}, "linkedin_url"},
      // country
      {"companies", "country", 250, "country"},
      {"contacts", "country", true, "country"},
      // time zone
      {"followups", "time_zone", 2, "time_zone"},
      // choice
      {"companies", "kind", 1, "kind"},
      {"contacts", "lawful_basis", true, "lawful_basis"},
      {"activities", "kind", json::array{"note"}, "kind"},
      // stage
      {"leads", "stage", 2, "stage"},
      // reference
      {"contacts", "company_id", "1", "company_id"},
      {"leads", "owner_id", 1.5, "owner_id"},
      {"activities", "lead_id", true, "lead_id"},
      {"followups", "assignee_id", json::object{{"id", 1}}, "assignee_id"},
      {"outcomes", "partner_company_id", json::array{1}, "partner_company_id"},
  };
  for (const Bad& b : cases) {
    INFO("POST " << b.collection << " with " << b.field << " = " << json::serialize(b.value));
    problem(w.alpha_member.post("/api/v1/" + b.collection, with(minimal(b.collection), b.field, b.value)),
            422, b.named);
  }
  // The same on a change, which then changes nothing.
  problem(w.alpha_member.patch(one, {{"first_name", 5}}), 422, "first_name");
  problem(w.alpha_member.patch(one, {{"emails", "zoe@example.com"}}), 422, "emails");
  problem(w.alpha_member.patch(one, {{"company_id", "1"}}), 422, "company_id");
  // The text list of an organisation, and the time zone of a user.
  const std::string alpha = "/api/v1/organisations/" + std::to_string(w.alpha_id);
  problem(w.alpha_admin.patch(alpha, {{"pipeline_stages", "new"}}), 422, "pipeline_stages");
  problem(w.alpha_admin.patch(alpha, {{"pipeline_stages", json::array{1, 2}}}), 422, "pipeline_stages/0");
  const std::string me = "/api/v1/users/" + id_of(w.alpha_member.get("/api/v1/me").json().as_object());
  problem(w.alpha_member.patch(me, {{"time_zone", 1}}), 422, "time_zone");
  problem(w.alpha_member.patch(me, {{"locale", true}}), 422, "locale");

  CHECK(w.alpha_member.get(one).body == as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("an unknown field gets 400 naming it") {
  auto& w = world();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Intact"}});
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string as_it_was = w.alpha_member.get(one).body;
  const std::string alpha = "/api/v1/organisations/" + std::to_string(w.alpha_id);
  const std::string alpha_as_it_was = w.alpha_admin.get(alpha).body;
  const Footprint before = footprint(w.alpha_admin);

  const std::vector<std::pair<std::string, std::string>> unknown{
      {"contacts", "nickname"},      {"contacts", "First_Name"}, {"contacts", "first_name "},
      {"contacts", "emails/0"},      {"companies", "website_url"}, {"leads", "amount"},
      {"activities", "done_at"},     {"followups", "due"},        {"outcomes", "value"},
      {"events", "ends_at"},
  };
  for (const auto& [collection, field] : unknown) {
    INFO("POST " << collection << " with " << field);
    problem(w.alpha_member.post("/api/v1/" + collection, with(minimal(collection), field, "x")), 400, field);
  }
  problem(w.alpha_member.patch(one, {{"nickname", "Zo"}}), 400, "nickname");
  problem(w.alpha_member.patch(one, {{"first_name", "Changed"}, {"nickname", "Zo"}}), 400, "nickname");
  problem(w.alpha_admin.post("/api/v1/users", {{"email", "nick@alpha.test"},
                                               {"password", "a-long-enough-password"},
                                               {"nickname", "Nick"}}),
          400, "nickname");
  problem(w.alpha_admin.patch(alpha, {{"colour", "blue"}}), 400, "colour");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"owner", 1}}), 400, "owner");
  problem(w.daemon.client().post("/api/v1/auth/login", {{"email", "member@alpha.test"},
                                                        {"password", "password-of-member@alpha.test"},
                                                        {"remember_me", true}}),
          400, "remember_me");

  CHECK(w.alpha_member.get(one).body == as_it_was);
  CHECK(w.alpha_admin.get(alpha).body == alpha_as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a field only the server sets gets 400 naming it and is never applied") {
  auto& w = world();
  const std::int64_t beta_user = w.beta_member.get("/api/v1/me").json().at("id").as_int64();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Intact"}});
  const auto activity = World::create(w.alpha_member, "activities", {{"kind", "call"}});
  const auto followup = World::create(w.alpha_member, "followups", minimal("followups"));
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string an_activity = "/api/v1/activities/" + id_of(activity);
  const std::string a_followup = "/api/v1/followups/" + id_of(followup);
  const std::string alpha = "/api/v1/organisations/" + std::to_string(w.alpha_id);
  const std::string me = "/api/v1/users/" + id_of(w.alpha_member.get("/api/v1/me").json().as_object());
  std::map<std::string, std::string> as_it_was;
  for (const auto& target : {one, an_activity, a_followup, alpha, me})
    as_it_was[target] = w.alpha_admin.get(target).body;
  const Footprint before = footprint(w.alpha_admin);

  const std::vector<std::pair<std::string, json::value>> server_fields{
      {"id", 424242},
      {"org_id", w.beta_id},
      {"version", 7},
      {"created_at", "2020-01-01T00:00:00Z"},
      {"updated_at", "2020-01-01T00:00:00Z"},
      {"created_by", beta_user},
      {"updated_by", beta_user},
      {"redacted", true},
  };
  for (const auto& collection : record_collections)
    for (const auto& [field, value] : server_fields) {
      INFO("POST " << collection << " with " << field);
      problem(w.alpha_member.post("/api/v1/" + collection, with(minimal(collection), field, value)),
              400, field);
    }
  for (const auto& [field, value] : server_fields) {
    INFO("PATCH a contact with " << field);
    problem(w.alpha_member.patch(one, {{field, value}}), 400, field);
    problem(w.alpha_member.patch(one, {{"first_name", "Changed"}, {field, value}}), 400, field);
  }
  // Read-only fields of one entity.
  problem(w.alpha_member.post("/api/v1/activities", with(minimal("activities"), "author_id", beta_user)),
          400, "author_id");
  problem(w.alpha_member.post("/api/v1/activities", with(minimal("activities"), "from_stage", "won")),
          400, "from_stage");
  problem(w.alpha_member.post("/api/v1/activities", with(minimal("activities"), "to_stage", "won")),
          400, "to_stage");
  problem(w.alpha_member.patch(an_activity, {{"author_id", beta_user}}), 400, "author_id");
  problem(w.alpha_member.post("/api/v1/followups",
                              with(minimal("followups"), "done_at", "2026-01-01T00:00:00Z")),
          400, "done_at");
  problem(w.alpha_member.patch(a_followup, {{"done_at", "2026-01-01T00:00:00Z"}}), 400, "done_at");
  // Accounts: the owner, kind and hash of a token; the organisation and hash of a user; the
  // kind of an organisation once created.
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"user_id", beta_user}}), 400, "user_id");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"kind", "session"}}), 400, "kind");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"revoked_at", "2020-01-01T00:00:00Z"}}),
          400, "revoked_at");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"token_hash", "00"}}), 400, "token_hash");
  const json::object new_user{{"email", "server.fields@alpha.test"}, {"password", "a-long-enough-password"}};
  // The organisation of a new user is the instance admin's to name: an org-admin naming
  // another one is refused (403), naming the field.
  problem(w.alpha_admin.post("/api/v1/users", with(new_user, "org_id", w.beta_id)), 403, "org_id");
  problem(w.alpha_admin.post("/api/v1/users", with(new_user, "password_hash", "$argon2id$v=19$...")),
          400, "password_hash");
  problem(w.alpha_admin.post("/api/v1/users", with(new_user, "id", 1)), 400, "id");
  problem(w.alpha_member.patch(me, {{"org_id", w.beta_id}}), 400, "org_id");
  problem(w.alpha_member.patch(me, {{"password_hash", "$argon2id$v=19$..."}}), 400, "password_hash");
  problem(w.alpha_admin.patch(alpha, {{"kind", "region"}}), 400, "kind");
  problem(w.alpha_admin.patch(alpha, {{"id", w.beta_id}}), 400, "id");
  problem(w.alpha_admin.patch(alpha, {{"version", 1}}), 400, "version");

  for (const auto& [target, body] : as_it_was) {
    INFO(target);
    CHECK(w.alpha_admin.get(target).body == body);
  }
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a reference to another organisation's record gets 422 naming the field") {
  auto& w = world();
  const auto beta_company = id_of(World::create(w.beta_member, "companies", {{"name", "Beta Partner"}}));
  const auto beta_contact = World::create(w.beta_member, "contacts", {{"first_name", "Bea"}});
  const auto beta_lead = id_of(World::create(w.beta_member, "leads", {{"title", "Beta deal"}}));
  const std::int64_t beta_user = w.beta_member.get("/api/v1/me").json().at("id").as_int64();
  const std::int64_t staff_user = w.staff.get("/api/v1/me").json().at("id").as_int64();
  const auto lead = World::create(w.alpha_member, "leads", {{"title", "Alpha deal"}});
  const std::string alpha_lead = "/api/v1/leads/" + id_of(lead);
  const std::string lead_as_it_was = w.alpha_member.get(alpha_lead).body;
  const std::string beta_one = "/api/v1/contacts/" + id_of(beta_contact);
  const std::string beta_contact_as_it_was = w.beta_member.get(beta_one).body;
  const Footprint before = footprint(w.alpha_admin);

  const std::int64_t company = std::stoll(beta_company), lead_id = std::stoll(beta_lead),
                     contact = beta_contact.at("id").as_int64();
  struct Ref {
    std::string collection, field;
    std::int64_t id;
  };
  const std::vector<Ref> foreign{
      {"contacts", "company_id", company},     {"leads", "contact_id", contact},
      {"leads", "company_id", company},        {"leads", "owner_id", beta_user},
      {"leads", "owner_id", staff_user},       {"activities", "lead_id", lead_id},
      {"activities", "contact_id", contact},   {"followups", "lead_id", lead_id},
      {"followups", "contact_id", contact},    {"followups", "assignee_id", beta_user},
      {"outcomes", "lead_id", lead_id},        {"outcomes", "partner_company_id", company},
      {"contacts", "company_id", 999999999},   {"leads", "owner_id", 999999999},
  };
  for (const Ref& r : foreign) {
    INFO("POST " << r.collection << " with " << r.field << " = " << r.id);
    problem(w.alpha_member.post("/api/v1/" + r.collection, with(minimal(r.collection), r.field, r.id)),
            422, r.field);
  }
  problem(w.alpha_member.patch(alpha_lead, {{"owner_id", beta_user}}), 422, "owner_id");
  problem(w.alpha_member.patch(alpha_lead, {{"company_id", company}}), 422, "company_id");
  // Another organisation's record cannot be changed either: to alpha it does not exist.
  problem(w.alpha_member.patch(beta_one, {{"first_name", "Taken"}}), 404);
  problem(w.alpha_member.del(beta_one), 404);

  CHECK(w.alpha_member.get(alpha_lead).body == lead_as_it_was);
  CHECK(w.beta_member.get(beta_one).body == beta_contact_as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a write is all or nothing: one bad field and none of the others change") {
  auto& w = world();
  const std::int64_t beta_user = w.beta_member.get("/api/v1/me").json().at("id").as_int64();
  const auto contact = World::create(w.alpha_member, "contacts",
                                     {{"first_name", "Intact"}, {"emails", json::array{"intact@example.com"}}});
  const auto lead = World::create(w.alpha_member, "leads", {{"title", "Alpha deal"}, {"value", "100.00"}});
  const std::string one = "/api/v1/contacts/" + id_of(contact);
  const std::string a_lead = "/api/v1/leads/" + id_of(lead);
  const std::string contact_as_it_was = w.alpha_member.get(one).body;
  const std::string lead_as_it_was = w.alpha_member.get(a_lead).body;
  const Footprint before = footprint(w.alpha_admin);

  problem(w.alpha_member.patch(one, {{"first_name", "Changed"}, {"emails", json::array{"not-an-email"}}}),
          422, "emails/0");
  problem(w.alpha_member.patch(one, {{"last_name", "Changed"}, {"country", "France"}}), 422, "country");
  // A stage move logs an activity; refused, it logs none.
  problem(w.alpha_member.patch(a_lead, {{"stage", "won"}, {"owner_id", beta_user}}), 422, "owner_id");
  problem(w.alpha_member.patch(a_lead, {{"stage", "won"}, {"value", "-1"}}), 422, "value");
  problem(w.alpha_member.patch(a_lead, {{"stage", "won"}, {"title", ""}}), 422, "title");

  CHECK(w.alpha_member.get(one).body == contact_as_it_was);
  CHECK(w.alpha_member.get(a_lead).body == lead_as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("emails and phones that are not ones get 422 naming the item") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);

  for (const char* email : {"not-an-email", "zoe@example", "zoe@@example.com", "zoe smith@example.com",
                            "@example.com", "zoe@", "zoe.@example.com", ".zoe@example.com",
                            "zoe..x@example.com", "zoe@example..com", "zoe@exa_mple.com",
                            "zoe@example.com.", "<zoe@example.com>", ""}) {
    INFO("email: " << email);
    problem(w.alpha_member.post("/api/v1/contacts", {{"emails", json::array{email}}}), 422, "emails/0");
    problem(w.alpha_member.post("/api/v1/contacts", {{"emails", json::array{"ok@example.com", email}}}),
            422, "emails/1");
  }
  for (const char* phone : {"12", "not a phone", "+1 650", "+33 1 23", "+999 123 456 789", "", "+"}) {
    INFO("phone: " << phone);
    problem(w.alpha_member.post("/api/v1/contacts", {{"phones", json::array{phone}}}), 422, "phones/0");
    problem(w.alpha_member.post("/api/v1/contacts", {{"phones", json::array{"+33472000000", phone}}}),
            422, "phones/1");
  }
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("codes that are not ISO codes, URLs that are not http(s) and unknown time zones get 422") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);

  // ISO 4217: XXX is the code for "no currency", not one an amount can be in.
  for (const char* currency : {"EURO", "XXX", "EU", "", "€", "E1R", "US$"}) {
    INFO("currency: " << currency);
    problem(w.alpha_member.post("/api/v1/leads", with(minimal("leads"), "currency", currency)), 422, "currency");
    problem(w.alpha_member.post("/api/v1/outcomes", with(minimal("outcomes"), "currency", currency)), 422,
            "currency");
  }
  // ISO 3166-1 alpha-2: two letters are not enough, ZZ is assigned to no country.
  for (const char* country : {"FRA", "F", "", "1A", "France", "ZZ"}) {
    INFO("country: " << country);
    problem(w.alpha_member.post("/api/v1/contacts", {{"country", country}}), 422, "country");
    problem(w.alpha_member.post("/api/v1/companies", with(minimal("companies"), "country", country)), 422,
            "country");
    problem(w.alpha_member.post("/api/v1/events", with(minimal("events"), "country", country)), 422,
            "country");
  }
  for (const char* url : {"javascript:alert(1)", "JavaScript:alert(document.cookie)",
                          "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
                          "ftp://example.com/file", "mailto:zoe@example.com", "http://", "https:///nohost",
                          "example.com", "//example.com/path", "http://exa mple.com", ""}) {
    INFO("url: " << url);
    problem(w.alpha_member.post("/api/v1/companies", with(minimal("companies"), "website", url)), 422, "website");
    problem(w.alpha_member.post("/api/v1/contacts", {{"linkedin_url", url}}), 422, "linkedin_url");
  }
  for (const char* zone : {"Mars/Olympus_Mons", "Europe/Pariss", "europe/paris", "", "UTC+2",
                           "../../etc/passwd", "Europe/Paris\n"}) {
    INFO("time zone: " << zone);
    problem(w.alpha_member.post("/api/v1/followups", with(minimal("followups"), "time_zone", zone)), 422,
            "time_zone");
  }
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("instants that are not RFC 3339 and dates that do not exist get 422 naming the field") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);

  // RFC 3339: a full date, "T", a time with seconds, and Z or an offset from -23:59 to +23:59.
  for (const char* instant : {"yesterday", "2026-03-09", "2026-03-09T17:30:00", "2026-03-09T25:00:00Z",
                              "2026-03-09T17:61:00Z", "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z",
                              "2026-3-9T17:30:00Z", "1741541400", "2026-03-09T17:30:00+0200",
                              "2026-03-09T17:30:00+24:00", "2026-03-09T17:30:00ZZ", ""}) {
    INFO("instant: " << instant);
    problem(w.alpha_member.post("/api/v1/contacts", {{"met_at", instant}}), 422, "met_at");
    problem(w.alpha_member.post("/api/v1/followups", with(minimal("followups"), "due_at", instant)), 422,
            "due_at");
  }
  for (const char* date : {"2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
                           "2026-03-00", "2026-03-32", "09/03/2026", "2026-3-9", "2026-03-09T00:00:00Z",
                           "20260309", ""}) {
    INFO("date: " << date);
    problem(w.alpha_member.post("/api/v1/leads", with(minimal("leads"), "expected_close", date)), 422,
            "expected_close");
    problem(w.alpha_member.post("/api/v1/outcomes", with(minimal("outcomes"), "occurred_on", date)), 422,
            "occurred_on");
    problem(w.alpha_member.post("/api/v1/events", with(minimal("events"), "starts_on", date)), 422,
            "starts_on");
  }
  check_nothing_written(before, w.alpha_admin);
  // A leap day exists in a leap year.
  CHECK(w.alpha_member.post("/api/v1/leads", with(minimal("leads"), "expected_close", "2028-02-29")).status == 201);
  check_still_serving(w.daemon);
}

TEST_CASE("amounts that are negative, malformed or more precise than their currency get 422") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);

  struct Amount {
    std::string collection, field;
    json::value amount;
    const char* currency;  // nullptr: none (two decimals)
  };
  const std::vector<Amount> cases{
      {"leads", "value", "1000.5", "JPY"},          // the yen has no decimals
      {"leads", "value", 1000.5, "JPY"},
      {"outcomes", "amount", "0.1", "JPY"},
      {"leads", "value", "12.345", "EUR"},          // the euro has two
      {"leads", "value", 12.345, "EUR"},
      {"leads", "value", "12.345", nullptr},
      {"outcomes", "amount", "1.2345", "KWD"},      // the dinar has three
      {"leads", "value", "-1", "EUR"},              // negative
      {"leads", "value", -1, "EUR"},
      {"leads", "value", -0.01, nullptr},
      {"outcomes", "amount", "-250000.00", "USD"},
      {"leads", "value", "1,000.00", "EUR"},        // not a decimal number
      {"leads", "value", "1 000", "EUR"},
      {"leads", "value", "1e3", "EUR"},
      {"leads", "value", "EUR 10", "EUR"},
      {"leads", "value", "10 EUR", "EUR"},
      {"leads", "value", "NaN", "EUR"},
      {"leads", "value", "0x10", "EUR"},
      {"leads", "value", "", "EUR"},
      {"leads", "value", "99999999999999999999", "EUR"},  // too large
  };
  for (const Amount& a : cases) {
    json::object body = with(minimal(a.collection), a.field, a.amount);
    if (a.currency) body["currency"] = a.currency;
    INFO("POST " << a.collection << " " << json::serialize(body));
    problem(w.alpha_member.post("/api/v1/" + a.collection, body), 422, a.field);
  }
  problem(w.alpha_member.post("/api/v1/outcomes", with(minimal("outcomes"), "jobs", -1)), 422, "jobs");
  check_nothing_written(before, w.alpha_admin);

  // What is right is kept exactly.
  auto yen = w.alpha_member.post("/api/v1/leads", {{"title", "Yen"}, {"value", "1000"}, {"currency", "JPY"}});
  REQUIRE(yen.status == 201);
  CHECK(yen.json().at("value") == "1000");
  auto dinar = w.alpha_member.post("/api/v1/outcomes", {{"kind", "pilot"}, {"amount", "1.234"}, {"currency", "KWD"}});
  REQUIRE(dinar.status == 201);
  CHECK(dinar.json().at("amount") == "1.234");
  check_still_serving(w.daemon);
}

TEST_CASE("an amount follows its currency whatever the letter case of the code, and never loses digits") {
  auto& w = world();
  // "jpy" is read as JPY, and an amount in yen has no decimals.
  auto yen = w.alpha_member.post("/api/v1/leads", {{"title", "Yen"}, {"value", "1000"}, {"currency", "jpy"}});
  REQUIRE(yen.status == 201);
  CHECK(yen.json().at("currency") == "JPY");
  CHECK(yen.json().at("value") == "1000");
  {
    const Footprint before = footprint(w.alpha_admin);
    problem(w.alpha_member.post("/api/v1/leads", {{"title", "Yen"}, {"value", "1000.5"}, {"currency", "jpy"}}),
            422, "value");
    check_nothing_written(before, w.alpha_admin);
  }
  // A new currency that cannot hold the amount is refused rather than the amount cut; one
  // that can is accepted, with the same amount.
  for (const char* code : {"JPY", "jpy"}) {
    INFO("PATCH currency " << code);
    const auto lead = World::create(w.alpha_member, "leads", {{"title", "Euro"}, {"value", "10.55"}, {"currency", "EUR"}});
    const std::string one = "/api/v1/leads/" + id_of(lead);
    const std::string as_it_was = w.alpha_member.get(one).body;
    const Footprint before = footprint(w.alpha_admin);
    auto doc = problem(w.alpha_member.patch(one, {{"currency", code}}), 422);
    CHECK((text_of(doc, "field") == "value" || text_of(doc, "field") == "currency"));
    CHECK(w.alpha_member.get(one).body == as_it_was);
    check_nothing_written(before, w.alpha_admin);

    const auto round = World::create(w.alpha_member, "leads", {{"title", "Round"}, {"value", "10.00"}, {"currency", "EUR"}});
    auto r = w.alpha_member.patch("/api/v1/leads/" + id_of(round), {{"currency", code}});
    REQUIRE(r.status == 200);
    CHECK(r.json().at("currency") == "JPY");
    CHECK(r.json().at("value") == "10");
  }
  check_still_serving(w.daemon);
}

TEST_CASE("texts longer than their limit get 422, the limit counting characters, not bytes") {
  auto& w = world();
  auto repeat = [](const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
  };
  const Footprint before = footprint(w.alpha_admin);
  problem(w.alpha_member.post("/api/v1/contacts", {{"first_name", std::string(201, 'a')}}), 422, "first_name");
  problem(w.alpha_member.post("/api/v1/contacts", {{"first_name", repeat("é", 201)}}), 422, "first_name");
  problem(w.alpha_member.post("/api/v1/contacts", {{"last_name", repeat("🚀", 201)}}), 422, "last_name");
  problem(w.alpha_member.post("/api/v1/companies", {{"name", std::string(301, 'a')}}), 422, "name");
  problem(w.alpha_member.post("/api/v1/contacts", {{"notes", std::string(20001, 'a')}}), 422, "notes");
  problem(w.alpha_member.post("/api/v1/companies", with(minimal("companies"), "tags", json::array{std::string(65, 't')})),
          422, "tags/0");
  check_nothing_written(before, w.alpha_admin);

  // At the limit, in characters of any width, the text is kept as it was sent.
  for (const std::string& name : {std::string(200, 'a'), repeat("é", 200), repeat("🚀", 200)}) {
    auto r = w.alpha_member.post("/api/v1/contacts", {{"first_name", name}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.json().at("first_name") == name.c_str());
  }
  auto tagged = w.alpha_member.post("/api/v1/companies", with(minimal("companies"), "tags", json::array{repeat("é", 64)}));
  CHECK(tagged.status == 201);
  check_still_serving(w.daemon);
}

TEST_CASE("choices, stages, counts, ids, required fields and list sizes out of bounds get 422") {
  auto& w = world();
  const auto activity = World::create(w.alpha_member, "activities", {{"kind", "call"}});
  const auto followup = World::create(w.alpha_member, "followups", minimal("followups"));
  const auto lead = World::create(w.alpha_member, "leads", minimal("leads"));
  const std::map<std::string, std::string> targets{
      {"activity", "/api/v1/activities/" + id_of(activity)},
      {"followup", "/api/v1/followups/" + id_of(followup)},
      {"lead", "/api/v1/leads/" + id_of(lead)}};
  std::map<std::string, std::string> as_it_was;
  for (const auto& [name, target] : targets) as_it_was[name] = w.alpha_member.get(target).body;
  const Footprint before = footprint(w.alpha_admin);

  struct Bad {
    std::string collection;
    json::object body;
    std::string named;
  };
  json::array many_emails, many_tags;
  for (int i = 0; i < 21; ++i) many_emails.emplace_back("zoe" + std::to_string(i) + "@example.com");
  for (int i = 0; i < 51; ++i) many_tags.emplace_back("tag" + std::to_string(i));
  const std::vector<Bad> cases{
      {"companies", with(minimal("companies"), "kind", "bank"), "kind"},
      {"activities", {{"kind", "Meeting"}}, "kind"},
      {"activities", {{"kind", "stage-changes"}}, "kind"},
      {"followups", with(minimal("followups"), "status", "closed"), "status"},
      {"contacts", {{"lawful_basis", "because"}}, "lawful_basis"},
      {"leads", with(minimal("leads"), "stage", "negotiation"), "stage"},
      {"leads", with(minimal("leads"), "stage", "New"), "stage"},
      {"outcomes", with(minimal("outcomes"), "jobs", -3), "jobs"},
      {"contacts", {{"company_id", 0}}, "company_id"},
      {"contacts", {{"company_id", -5}}, "company_id"},
      {"companies", {{"name", ""}}, "name"},
      {"companies", {{"name", "   "}}, "name"},
      {"companies", {{"name", nullptr}}, "name"},
      {"companies", {{"country", "FR"}}, "name"},
      {"leads", {{"value", "10"}}, "title"},
      {"followups", {{"title", "Call back"}}, "due_at"},
      {"followups", {{"title", "Call back"}, {"due_at", nullptr}}, "due_at"},
      {"activities", {{"kind", "note"}, {"occurred_at", nullptr}}, "occurred_at"},
      {"contacts", {{"first_name", std::string("Zo\0e", 4)}}, "first_name"},
      {"contacts", {{"emails", many_emails}}, "emails"},
      {"companies", with(minimal("companies"), "tags", many_tags), "tags"},
      {"companies", with(minimal("companies"), "tags", json::array{""}), "tags/0"},
      {"companies", with(minimal("companies"), "tags", json::array{"ok", "   "}), "tags/1"},
  };
  for (const Bad& b : cases) {
    INFO("POST " << b.collection << " " << json::serialize(b.body));
    problem(w.alpha_member.post("/api/v1/" + b.collection, b.body), 422, b.named);
  }
  problem(w.alpha_member.patch(targets.at("lead"), {{"title", nullptr}}), 422, "title");
  problem(w.alpha_member.patch(targets.at("lead"), {{"stage", nullptr}}), 422, "stage");
  problem(w.alpha_member.patch(targets.at("followup"), {{"status", nullptr}}), 422, "status");
  problem(w.alpha_member.patch(targets.at("followup"), {{"due_at", nullptr}}), 422, "due_at");
  problem(w.alpha_member.patch(targets.at("activity"), {{"kind", "visit"}}), 422, "kind");

  for (const auto& [name, target] : targets) {
    INFO(name);
    CHECK(w.alpha_member.get(target).body == as_it_was.at(name));
  }
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("accounts refuse bad input the same way: users, organisations, tokens and login") {
  auto& w = world();
  const std::string alpha = "/api/v1/organisations/" + std::to_string(w.alpha_id);
  const std::string alpha_as_it_was = w.alpha_admin.get(alpha).body;
  const std::string me = "/api/v1/users/" + id_of(w.alpha_member.get("/api/v1/me").json().as_object());
  const std::string me_as_it_was = w.alpha_member.get(me).body;
  const Footprint before = footprint(w.alpha_admin);
  const Footprint region_before = footprint(w.admin, true);

  const json::object user{{"email", "new.user@alpha.test"}, {"password", "a-long-enough-password"}};
  auto create_user = [&](HttpClient& as, const json::object& body) { return as.post("/api/v1/users", body); };
  problem(create_user(w.alpha_admin, with(user, "email", "not-an-email")), 422, "email");
  problem(create_user(w.alpha_admin, with(user, "email", 5)), 422, "email");
  problem(create_user(w.alpha_admin, with(user, "email", "member@alpha.test")), 409, "email");
  problem(create_user(w.alpha_admin, with(user, "email", "MEMBER@Alpha.Test")), 409, "email");
  problem(create_user(w.alpha_admin, with(user, "password", "short")), 422, "password");
  problem(create_user(w.alpha_admin, with(user, "password", 12345678901)), 422, "password");
  // (Without a password the user is created and gets a set-password link: accounts_cli_test.)
  problem(create_user(w.alpha_admin, with(user, "role", "superuser")), 422, "role");
  problem(create_user(w.alpha_admin, with(user, "role", "admin")), 403);
  problem(create_user(w.alpha_admin, with(user, "role", "staff")), 403);
  problem(create_user(w.alpha_admin, with(user, "time_zone", "Mars/Base")), 422, "time_zone");
  problem(create_user(w.alpha_admin, with(user, "locale", "de")), 422, "locale");
  problem(create_user(w.alpha_admin, with(user, "disabled", "no")), 422, "disabled");
  problem(create_user(w.alpha_admin, with(user, "display_name", json::string(201, 'n'))), 422, "display_name");
  problem(create_user(w.alpha_member, user), 403);
  // The instance admin names the organisation: an id, of one that exists (like any reference).
  problem(create_user(w.admin, with(user, "org_id", "2")), 422, "org_id");
  problem(create_user(w.admin, with(user, "org_id", 999999999)), 422, "org_id");
  problem(create_user(w.admin, with(with(user, "org_id", w.alpha_id), "role", "staff")), 422, "role");

  problem(w.alpha_member.patch(me, {{"role", "org-admin"}}), 403);
  problem(w.alpha_member.patch(me, {{"time_zone", "Nowhere/City"}}), 422, "time_zone");
  problem(w.alpha_member.patch(me, {{"password", "short"}}), 422, "password");
  problem(w.alpha_admin.patch(me, {{"email", "not-an-email"}}), 422, "email");
  problem(w.alpha_admin.patch(me, {{"email", "admin@alpha.test"}}), 409, "email");  // taken

  problem(w.alpha_admin.patch(alpha, {{"pipeline_stages", json::array{"only-one"}}}), 422, "pipeline_stages");
  problem(w.alpha_admin.patch(alpha, {{"pipeline_stages", json::array{"new", ""}}}), 422, "pipeline_stages/1");
  problem(w.alpha_admin.patch(alpha, {{"default_region", "France"}}), 422, "default_region");
  problem(w.alpha_admin.patch(alpha, {{"name", ""}}), 422, "name");
  problem(w.alpha_admin.patch(alpha, {{"name", "Beta Foods"}}), 409, "name");  // taken
  problem(w.alpha_member.patch(alpha, {{"name", "Renamed"}}), 403);

  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"expires_at", "2020-01-01T00:00:00Z"}}),
          422, "expires_at");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"expires_at", "next week"}}), 422,
          "expires_at");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", "ci"}, {"scope", "admin"}}), 422, "scope");
  problem(w.alpha_member.post("/api/v1/tokens", {{"name", 5}}), 422, "name");

  HttpClient anonymous = w.daemon.client();
  problem(anonymous.post("/api/v1/auth/login", {{"email", 5}, {"password", "whatever-password"}}), 422, "email");
  problem(anonymous.post("/api/v1/auth/login", {{"password", "whatever-password"}}), 422, "email");
  problem(anonymous.post("/api/v1/auth/login", {{"email", "member@alpha.test"}}), 422, "password");

  CHECK(w.alpha_admin.get(alpha).body == alpha_as_it_was);
  CHECK(w.alpha_member.get(me).body == me_as_it_was);
  check_nothing_written(before, w.alpha_admin);
  check_nothing_written(region_before, w.admin);
  check_still_serving(w.daemon);
}

TEST_CASE("list parameters out of range or unknown get 400 naming the parameter") {
  auto& w = world();
  World::create(w.alpha_member, "contacts", {{"first_name", "Listed"}});
  World::create(w.alpha_member, "contacts", {{"first_name", "Listed too"}});
  const Footprint before = footprint(w.alpha_admin);
  auto list = [&](const std::string& query) { return w.alpha_member.get("/api/v1/contacts?" + query); };

  // Page size: an integer from 1 to 200, read the same way by every list, the audit log too.
  for (const char* limit : {"-1", "0", "201", "1e9", "abc", "", "5abc", "%205", "2.5", "%2B5",
                            "99999999999999999999"}) {
    INFO("limit=" << limit);
    problem(list(std::string("limit=") + limit), 400, "limit");
    problem(w.alpha_admin.get(std::string("/api/v1/audit?limit=") + limit), 400, "limit");
    problem(w.alpha_admin.get(std::string("/api/v1/users?limit=") + limit), 400, "limit");
  }
  CHECK(list("limit=1").status == 200);
  CHECK(list("limit=200").status == 200);

  // Parameters the list does not know.
  for (const char* name : {"colour", "page", "offset", "per_page", "notes", "emails", "nothing_from"}) {
    INFO("parameter " << name);
    problem(list(std::string(name) + "=1"), 400, name);
  }
  problem(w.alpha_member.get("/api/v1/events?tag=x"), 400, "tag");
  problem(w.alpha_member.get("/api/v1/events?q=mission"), 400, "q");
  problem(w.alpha_admin.get("/api/v1/users?q=alpha"), 400, "q");
  problem(w.alpha_admin.get("/api/v1/audit?sort=id"), 400, "sort");

  // Cursors: only one this server gave, for this sort order.
  auto page = list("limit=1").json().as_object();
  REQUIRE(page.at("next_cursor").is_string());
  const std::string cursor(page.at("next_cursor").as_string());
  CHECK(list("limit=1&cursor=" + cursor).status == 200);
  const std::string by_name(list("limit=1&sort=first_name").json().at("next_cursor").as_string());
  for (const std::string& forged :
       {std::string("not%20a%20cursor%21"), std::string(""), base64url("hello"),
        base64url(R"({"sort":"id","id":1})"), base64url(R"(["id",false,null])"),
        base64url(R"(["id",false,null,"1"])"), base64url(R"([1,false,null,1])"),
        base64url(R"(["id","no",null,1])"), by_name}) {
    INFO("cursor=" << forged);
    problem(list("cursor=" + forged), 400, "cursor");
  }
  problem(list("sort=-id&cursor=" + cursor), 400, "cursor");
  problem(w.alpha_admin.get("/api/v1/audit?cursor=abc"), 400, "cursor");
  problem(w.alpha_admin.get("/api/v1/audit?cursor=12abc"), 400, "cursor");

  // Sorting: only by a sortable field.
  for (const char* sort : {"notes", "-notes", "emails", "phones", "tags", "company_id", "nothing", "",
                           "first_name,last_name"}) {
    INFO("sort=" << sort);
    problem(list(std::string("sort=") + sort), 400, "sort");
  }
  problem(w.alpha_member.get("/api/v1/leads?sort=value"), 400, "sort");
  problem(w.alpha_admin.get("/api/v1/users?sort=password_hash"), 400, "sort");

  // Filters read like the field they filter.
  problem(list("company_id=abc"), 400, "company_id");
  problem(list("company_id=1.5"), 400, "company_id");
  problem(list("met_from=yesterday"), 400, "met_from");
  problem(list("updated_from=garbage"), 400, "updated_from");
  problem(list("created_to=2026-02-30T00:00:00Z"), 400, "created_to");
  problem(w.alpha_member.get("/api/v1/leads?shared_with_region=yes"), 400, "shared_with_region");
  problem(w.alpha_member.get("/api/v1/leads?expected_close_to=2026-02-30"), 400, "expected_close_to");
  problem(w.alpha_member.get("/api/v1/followups?due_from=tomorrow"), 400, "due_from");

  // Search text: at most 200 characters of UTF-8.
  problem(list("q=" + std::string(201, 'a')), 400, "q");
  problem(list("q=%C3%28"), 400, "q");

  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a NUL byte in a query parameter gets 400 naming it, on every list and search, and the daemon serves on") {
  auto& w = world();
  World::create(w.alpha_member, "contacts", {{"first_name", "Nul"}, {"last_name", "Byte"}});
  World::create(w.alpha_member, "leads", {{"title", "Nul deal"}});
  const Footprint before = footprint(w.alpha_admin);

  // Search text, as the first byte, in the middle, at the end.
  for (const char* q : {"%00", "Nul%00Byte", "Nul%00", "%00%00"}) {
    for (const char* list : {"contacts", "companies", "leads", "activities", "followups"}) {
      INFO(list << "?q=" << q);
      problem(w.alpha_member.get(std::string("/api/v1/") + list + "?q=" + q), 400, "q");
    }
  }
  // Every other kind of parameter: paging, sorting, tags, filters, ranges, views.
  for (const char* param : {"limit", "cursor", "sort", "tag", "company_id", "updated_from", "met_from"}) {
    INFO("contacts?" << param << "=1%00");
    problem(w.alpha_member.get(std::string("/api/v1/contacts?") + param + "=1%00"), 400, param);
  }
  problem(w.alpha_member.get("/api/v1/leads?stage=new%00"), 400, "stage");
  problem(w.alpha_member.get("/api/v1/followups/overdue?assignee=me%00"), 400, "assignee");
  problem(w.alpha_admin.get("/api/v1/audit?limit=5%00"), 400, "limit");
  problem(w.alpha_admin.get("/api/v1/users?limit=5%00"), 400, "limit");
  // In a parameter's name too.
  const json::object named = problem(w.alpha_member.get("/api/v1/contacts?q%00=Nul"), 400);
  CHECK(text_of(named, "field") == std::string("q\0", 2));
  // And the same searches without the NUL byte work.
  CHECK(w.alpha_member.get("/api/v1/contacts?q=Nul").json().at("items").as_array().size() >= 1);

  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("a PATCH or DELETE with an If-Match of an old version gets 412 and changes nothing") {
  auto& w = world();
  const auto contact = World::create(w.alpha_member, "contacts", {{"first_name", "Versioned"}, {"last_name", "One"}});
  const auto other = World::create(w.alpha_member, "contacts", {{"first_name", "Other"}});
  const std::string id = id_of(contact);
  const std::string one = "/api/v1/contacts/" + id;
  const std::string first = "\"" + id + "-1\"";
  auto second = w.alpha_member.patch(one, {{"last_name", "Two"}}, {{"If-Match", first}});
  REQUIRE(second.status == 200);
  REQUIRE(second.header("etag") == "\"" + id + "-2\"");
  const std::string as_it_was = w.alpha_member.get(one).body;
  const Footprint before = footprint(w.alpha_admin);

  for (const std::string& stale : {first, "W/" + first, "\"" + id + "-3\"", "\"" + id_of(other) + "-1\"",
                                   std::string("\"garbage\""), std::string("garbage")}) {
    INFO("If-Match: " << stale);
    problem(w.alpha_member.patch(one, {{"last_name", "Three"}}, {{"If-Match", stale}}), 412);
    problem(w.alpha_member.del(one, {{"If-Match", stale}}), 412);
  }

  auto now = w.alpha_member.get(one);
  CHECK(now.body == as_it_was);
  CHECK(now.header("etag") == "\"" + id + "-2\"");
  CHECK(now.json().at("last_name") == "Two");
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE("an Idempotency-Key replays the first result, and refuses another body with 422") {
  auto& w = world();
  const Headers key{{"Idempotency-Key", "bad-input-test-7f3a"}};
  const json::object body{{"first_name", "Once"}, {"last_name", "Only"}};
  const std::size_t contacts = count_rows(w.alpha_admin, "contacts");

  auto first = w.alpha_member.post("/api/v1/contacts", body, key);
  REQUIRE(first.status == 201);
  const Footprint after_first = footprint(w.alpha_admin);
  CHECK(after_first.rows.at("contacts") == contacts + 1);

  // The same request again: the first result (status, headers, body), not a second contact.
  auto again = w.alpha_member.post("/api/v1/contacts", body, key);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);
  CHECK(again.header("etag") == first.header("etag"));
  CHECK(again.header("location") == first.header("location"));
  CHECK(again.json().at("id") == first.json().at("id"));

  // Another body under the same key.
  problem(w.alpha_member.post("/api/v1/contacts", {{"first_name", "Twice"}}, key), 422, "Idempotency-Key");
  // Keys that are not ones.
  problem(w.alpha_member.post("/api/v1/contacts", body, {{"Idempotency-Key", std::string(201, 'k')}}), 400,
          "Idempotency-Key");
  problem(w.alpha_member.post("/api/v1/contacts", body, {{"Idempotency-Key", "two words"}}), 400,
          "Idempotency-Key");
  problem(w.alpha_member.post("/api/v1/contacts", body, {{"Idempotency-Key", "cl\xC3\xA9"}}), 400,
          "Idempotency-Key");
  check_nothing_written(after_first, w.alpha_admin);

  // A refused request does not use up its key.
  const Headers fresh{{"Idempotency-Key", "bad-input-test-9c1e"}};
  problem(w.alpha_member.post("/api/v1/contacts", {{"emails", json::array{"not-an-email"}}}, fresh), 422,
          "emails/0");
  auto corrected = w.alpha_member.post("/api/v1/contacts", {{"first_name", "Corrected"}}, fresh);
  CHECK(corrected.status == 201);
  CHECK(count_rows(w.alpha_admin, "contacts") == contacts + 2);
  check_still_serving(w.daemon);
}

TEST_CASE("a body larger than the configured limit gets 413, writes nothing, and the daemon serves on") {
  Daemon d(small_limits());
  d.start();
  HttpClient admin = d.admin();
  const Footprint before = footprint(admin, true);

  // With a Content-Length over the limit.
  auto r = admin.post("/api/v1/contacts", json::object{{"first_name", "Big"}, {"notes", std::string(5000, 'x')}});
  auto doc = problem(r, 413);
  CHECK(text_of(doc, "detail").find("4096") != std::string::npos);
  // Chunked, so that only counting the bytes read can tell.
  const std::string chunk = R"({"first_name": "Big", "notes": ")" + std::string(6000, 'x') + "\"}";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  const std::string chunked = "POST /api/v1/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Authorization: Bearer " + admin.token() + "\r\n"
                              "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n";
  problem(parse_raw(admin.raw(chunked)), 413);
  check_nothing_written(before, admin);

  // The daemon serves on, and a body under the limit is written.
  check_still_serving(d);
  auto small = admin.post("/api/v1/contacts", json::object{{"first_name", "Small"}, {"notes", std::string(3000, 'x')}});
  CHECK(small.status == 201);
}

TEST_CASE("headers larger than the configured limit get 431 and the daemon serves on") {
  Daemon d(small_limits());
  d.start();
  HttpClient admin = d.admin();
  const Footprint before = footprint(admin, true);

  problem(admin.request("POST", "/api/v1/contacts", R"({"first_name": "Headed"})",
                        {{"Content-Type", "application/json"}, {"X-Padding", std::string(4000, 'h')}}),
          431);
  Headers many{{"Content-Type", "application/json"}};
  for (int i = 0; i < 100; ++i) many.emplace_back("X-Padding-" + std::to_string(i), std::string(40, 'h'));
  problem(admin.request("POST", "/api/v1/contacts", R"({"first_name": "Headed"})", many), 431);
  problem(admin.request("GET", "/api/v1/contacts?q=" + std::string(4000, 'q')), 431);
  check_nothing_written(before, admin);

  check_still_serving(d);
  CHECK(admin.post("/api/v1/contacts", json::object{{"first_name", "Headed"}}).status == 201);
}

TEST_CASE("JSON nested deeper than the configured depth gets 400 that says so") {
  SECTION("the default depth is 32 levels") {
    auto& w = world();
    const Footprint before = footprint(w.alpha_admin);
    // 32 levels are read (and notes, not being a string, refused); 33 are not read at all.
    problem(w.alpha_member.request("POST", "/api/v1/contacts", nested(32), as_json), 422, "notes");
    auto doc = problem(w.alpha_member.request("POST", "/api/v1/contacts", nested(33), as_json), 400);
    CHECK(text_of(doc, "detail").find("32") != std::string::npos);
    CHECK(text_of(doc, "detail").find("deep") != std::string::npos);
    problem(w.alpha_member.request("POST", "/api/v1/contacts", nested(100000), as_json), 400);
    check_nothing_written(before, w.alpha_admin);
    check_still_serving(w.daemon);
  }
  SECTION("RELANCE_API_MAX_JSON_DEPTH sets it") {
    Daemon d(small_limits());
    d.start();
    HttpClient admin = d.admin();
    const Footprint before = footprint(admin, true);
    problem(admin.request("POST", "/api/v1/contacts", nested(4), as_json), 422, "notes");
    auto doc = problem(admin.request("POST", "/api/v1/contacts", nested(5), as_json), 400);
    CHECK(text_of(doc, "detail").find("4") != std::string::npos);
    CHECK(text_of(doc, "detail").find("deep") != std::string::npos);
    check_nothing_written(before, admin);
    check_still_serving(d);
  }
}

TEST_CASE("a malformed HTTP request or resource path gets a 4xx problem and the daemon serves on") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);
  problem(parse_raw(w.alpha_member.raw("GARBAGE\r\n\r\n")), 400);
  problem(parse_raw(w.alpha_member.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")), 400);
  problem(parse_raw(w.alpha_member.raw("POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\n"
                                       "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}")),
          400);
  for (const char* id : {"abc", "0", "-1", "1.5", "99999999999999999999999", "%00"}) {
    INFO("id " << id);
    problem(w.alpha_member.get(std::string("/api/v1/contacts/") + id), 404);
    problem(w.alpha_member.patch(std::string("/api/v1/contacts/") + id, {{"first_name", "X"}}), 404);
  }
  problem(w.alpha_member.request("PUT", "/api/v1/contacts", "{}", as_json), 405);
  problem(w.daemon.client().post("/api/v1/contacts", {{"first_name", "Anonymous"}}), 401);
  HttpClient forged = w.daemon.client();
  forged.set_token("forged-token");
  problem(forged.post("/api/v1/contacts", {{"first_name", "Forged"}}), 401);
  check_nothing_written(before, w.alpha_admin);
  check_still_serving(w.daemon);
}

TEST_CASE(
    "a Transfer-Encoding other than chunked alone gets 400 or 501 and closes the connection, so a request "
    "hidden in the body is never served") {
  auto& w = world();
  const Footprint before = footprint(w.alpha_admin);
  const std::string create = R"({"first_name": "Smuggled"})";
  const std::string smuggled = "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                               w.alpha_member.token() + "\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(create.size()) + "\r\n\r\n" + create;
  struct Case {
    std::string fields;  // the framing header fields of the first request
    int status;
  };
  const std::vector<Case> cases{
      {"Transfer-Encoding: identity\r\n", 400},
      {"Transfer-Encoding: xchunked\r\n", 400},
      {"Transfer-Encoding: chunkedx\r\n", 400},
      {"Transfer-Encoding: chunked, identity\r\n", 400},
      {"Transfer-Encoding: chunked,\r\n", 400},
      {"Transfer-Encoding: chun ked\r\n", 400},
      {"Transfer-Encoding: \"chunked\"\r\n", 400},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", 400},
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400},
      {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400},
      {"Content-Length: 0\r\nTransfer-Encoding: identity\r\n", 400},
      {"Transfer-Encoding: gzip, chunked\r\n", 501},
      {"Transfer-Encoding: identity, chunked\r\n", 501},
      {"Transfer-Encoding: GZIP,CHUNKED\r\n", 501},
      {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", 501},
  };
  for (const auto& c : cases) {
    // Whichever way the body is read: as chunks (an empty body, then the second request),
    // or as nothing (the second request at once).
    for (const std::string& body : {"0\r\n\r\n" + smuggled, smuggled}) {
      std::string shown = c.fields + (body == smuggled ? "then the second request" : "then a last chunk");
      for (auto at = shown.find("\r\n"); at != std::string::npos; at = shown.find("\r\n")) shown.replace(at, 2, "; ");
      INFO(shown);
      RawConnection conn(w.daemon.port());
      conn.send("POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + w.alpha_member.token() +
                "\r\nContent-Type: application/json\r\n" + c.fields + "\r\n" + body);
      const auto [closed, got] = conn.wait_for_close(std::chrono::seconds(30));
      CHECK(closed);
      problem(parse_raw(got), c.status);
      std::size_t answers = 0;
      for (auto at = got.find("HTTP/1."); at != std::string::npos; at = got.find("HTTP/1.", at + 1)) ++answers;
      CHECK(answers == 1);
    }
  }
  // An HTTP/1.0 request has no transfer codings at all.
  RawConnection old(w.daemon.port());
  old.send("POST /api/v1/contacts HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer " + w.alpha_member.token() +
           "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n0\r\n\r\n" +
           smuggled);
  const auto [closed, got] = old.wait_for_close(std::chrono::seconds(30));
  CHECK(closed);
  problem(parse_raw(got), 400);
  check_nothing_written(before, w.alpha_admin);

  // Chunked alone, in any letter case, is a body like any other.
  for (const char* chunked : {"chunked", "Chunked", "CHUNKED"}) {
    INFO(chunked);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", create.size());
    auto r = parse_raw(w.alpha_member.raw(
        "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + w.alpha_member.token() +
        "\r\nContent-Type: application/json\r\nConnection: close\r\nTransfer-Encoding: " + chunked + "\r\n\r\n" +
        size + "\r\n" + create + "\r\n0\r\n\r\n"));
    CHECK(r.status == 201);
  }
  CHECK(count_rows(w.alpha_admin, "contacts") == before.rows.at("contacts") + 3);
  check_still_serving(w.daemon);
}

TEST_CASE("after all of this bad input the daemon answers /healthz and /readyz") {
  auto& w = world();
  HttpClient c = w.daemon.client();
  auto health = c.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json().at("status") == "ok");
  auto ready = c.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.json().at("status") == "ready");
  CHECK(w.daemon.log().find("internal error") == std::string::npos);
}
