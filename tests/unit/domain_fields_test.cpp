// Field rules: what a client may send for each kind of field, and how it is normalised.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "domain/fields.hpp"
#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

using namespace relance;
namespace json = boost::json;
using storage::Value;
namespace ent = storage::entities;

namespace {

const storage::Field& field(const storage::Entity& e, const char* name) { return *e.field(name); }

Value store(const storage::Entity& e, const char* name, const json::value& v,
            domain::FieldContext ctx = {}) {
  return domain::to_storage(field(e, name), v, ctx);
}

// The field a refusal names.
std::string refused_field(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.field();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("emails are trimmed and lower-cased, duplicates dropped, bad ones refused by index") {
  auto v = store(ent::contacts, "emails", json::array{" Zoe@Example.COM ", "zoe@example.com", "b@c.fr"});
  CHECK(std::get<std::string>(v) == R"(["zoe@example.com","b@c.fr"])");
  CHECK(refused_field([] { store(ent::contacts, "emails", json::array{"ok@a.fr", "not-an-email"}); }) ==
        "emails/1");
  for (const char* bad : {"a@b", "@b.fr", "a@@b.fr", "a b@c.fr", "a@.fr", "a..b@c.fr"}) {
    INFO(bad);
    CHECK_FALSE(domain::normalise_email(bad));
  }
}

TEST_CASE("phones become E.164, read in the organisation's region when they have no country code") {
  CHECK(std::get<std::string>(store(ent::contacts, "phones", json::array{"04 72 00 00 00"})) ==
        R"(["+33472000000"])");
  domain::FieldContext us{"US", {}, 2};
  CHECK(std::get<std::string>(store(ent::contacts, "phones", json::array{"(650) 253-0000"}, us)) ==
        R"(["+16502530000"])");
  CHECK(refused_field([] { store(ent::contacts, "phones", json::array{"12"}); }) == "phones/0");
}

TEST_CASE("amounts are kept in the currency's minor units and shown as decimal strings") {
  const auto& value = field(ent::leads, "value");
  CHECK(std::get<std::int64_t>(domain::to_storage(value, json::string("1234567.89"), {})) == 123456789);
  CHECK(std::get<std::int64_t>(domain::to_storage(value, 1234567.89, {})) == 123456789);
  CHECK(std::get<std::int64_t>(domain::to_storage(value, 12, {})) == 1200);
  domain::FieldContext yen{"FR", {}, 0};
  CHECK(std::get<std::int64_t>(domain::to_storage(value, json::string("1500"), yen)) == 1500);
  CHECK_THROWS_AS(domain::to_storage(value, json::string("15.5"), yen), Problem);
  CHECK_THROWS_AS(domain::to_storage(value, json::string("1.234"), {}), Problem);
  CHECK_THROWS_AS(domain::to_storage(value, json::string("-1"), {}), Problem);
  CHECK_THROWS_AS(domain::to_storage(value, json::string("1e5"), {}), Problem);
  auto shown = [&](std::int64_t minor_units) {
    std::string out;
    domain::append_json(out, value, Value{minor_units}, 2);
    return out;
  };
  CHECK(shown(123456789) == "\"1234567.89\"");
  CHECK(shown(5) == "\"0.05\"");
}

TEST_CASE("currencies, countries, URLs, time zones, instants and dates are checked") {
  CHECK(std::get<std::string>(store(ent::leads, "currency", "eur")) == "EUR");
  CHECK_THROWS_AS(store(ent::leads, "currency", "EURO"), Problem);
  CHECK_THROWS_AS(store(ent::leads, "currency", "ABC"), Problem);
  CHECK(std::get<std::string>(store(ent::contacts, "country", "us")) == "US");
  CHECK_THROWS_AS(store(ent::contacts, "country", "USA"), Problem);
  CHECK_NOTHROW(store(ent::contacts, "linkedin_url", "https://www.linkedin.com/in/zoe"));
  CHECK_THROWS_AS(store(ent::contacts, "linkedin_url", "javascript:alert(1)"), Problem);
  CHECK_NOTHROW(store(ent::followups, "time_zone", "America/Los_Angeles"));
  CHECK_THROWS_AS(store(ent::followups, "time_zone", "Mars/Olympus"), Problem);
  CHECK(std::get<std::string>(store(ent::followups, "due_at", "2026-03-09T09:00:00+01:00")) ==
        "2026-03-09T08:00:00.000Z");
  CHECK(std::get<std::string>(store(ent::followups, "due_at", "2026-03-09T17:30:00.25-07:00")) ==
        "2026-03-10T00:30:00.250Z");
  for (const char* bad : {"2026-03-09", "2026-3-9T09:00:00Z", "2026-03-09T25:00:00Z", "yesterday"}) {
    INFO(bad);
    CHECK_THROWS_AS(store(ent::followups, "due_at", bad), Problem);
  }
  CHECK(domain::valid_date("2028-02-29"));
  CHECK_FALSE(domain::valid_date("2026-02-30"));
  CHECK_FALSE(domain::valid_date("2026-13-01"));
}

TEST_CASE("instants the server's clock cannot hold are refused rather than stored as another instant") {
  // 64-bit nanoseconds hold 1677-09-21 to 2262-04-11: years 1678 to 2261 whatever the offset.
  for (const char* far : {"9999-12-31T23:59:59Z", "2262-01-01T00:00:00Z", "4054-01-01T00:00:00+01:00",
                          "0001-01-01T00:00:00Z", "1677-12-31T23:59:59Z"}) {
    INFO(far);
    CHECK_FALSE(domain::normalise_instant(far));
    CHECK_THROWS_AS(store(ent::followups, "due_at", far), Problem);
  }
  CHECK(domain::normalise_instant("2261-12-31T23:59:59-23:59") == "2262-01-01T23:58:59.000Z");
  CHECK(domain::normalise_instant("1678-01-01T00:00:00+23:59") == "1677-12-31T00:01:00.000Z");
}

TEST_CASE("an instant is the RFC 3339 form exactly: seconds of two digits, a fraction of up to nine, Z or hh:mm") {
  for (const char* bad : {"2026-03-09T17:30:00--7:00", "2026-03-09T17:30:00+0a:00",
                          "2026-03-09T17:30:00+01:5x", "2026-03-09T17:30:00+ 1:00",
                          "2026-01-01T00:00:0096650418510644Z", "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00ZZ"}) {
    INFO(bad);
    CHECK_FALSE(domain::normalise_instant(bad));
  }
  CHECK(domain::normalise_instant("2026-03-09T17:30:00-07:00") == "2026-03-10T00:30:00.000Z");
  CHECK(domain::normalise_instant("2026-03-09T17:30:00.123456789z") == "2026-03-09T17:30:00.123Z");
}

TEST_CASE("text is valid UTF-8 within its length, counted in characters") {
  const std::string e_acute = "\xC3\xA9";
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += e_acute;
  CHECK_NOTHROW(store(ent::contacts, "first_name", json::string(two_hundred)));
  CHECK_THROWS_AS(store(ent::contacts, "first_name", json::string(two_hundred + "e")), Problem);
  CHECK_FALSE(domain::valid_utf8("\xC3\x28"));
  CHECK_FALSE(domain::valid_utf8("\xED\xA0\x80"));   // a UTF-16 surrogate
  CHECK_FALSE(domain::valid_utf8("\xC0\xAF"));       // an overlong '/'
  CHECK(domain::valid_utf8("Zo\xC3\xA9 \xF0\x9F\x98\x80"));
  CHECK(domain::fold_case("Z\xC3\xB6\xC3\xA9 \xC3\x87\xC5\x93ur") == "zoe coeur");
}

TEST_CASE("a body may not set unknown or server-set fields, and required ones must be there") {
  storage::Row row;
  CHECK(refused_field([&] { domain::apply_body(ent::contacts, json::object{{"nickname", "x"}}, row, true, {}); }) ==
        "nickname");
  for (const char* server : {"id", "org_id", "version", "created_at", "updated_by"}) {
    INFO(server);
    CHECK(refused_field([&] { domain::apply_body(ent::contacts, json::object{{server, 1}}, row, true, {}); }) ==
          server);
  }
  CHECK(refused_field([&] { domain::apply_body(ent::activities, json::object{{"kind", "call"}, {"author_id", 3}}, row, true, {}); }) ==
        "author_id");
  const std::vector<std::string> stages{"new", "won"};
  const domain::FieldContext ctx{"FR", stages, 2};
  CHECK(refused_field([&] { domain::apply_body(ent::leads, json::object{{"stage", "new"}}, row, true, ctx); }) == "title");
  CHECK(refused_field([&] { domain::apply_body(ent::leads, json::object{{"title", "t"}, {"stage", "old"}}, row, true, ctx); }) == "stage");
}

TEST_CASE("changing a lead's currency keeps the value of its amount") {
  storage::Row row;
  domain::apply_body(ent::leads, json::object{{"title", "Seed"}, {"value", "1500.00"}, {"currency", "EUR"}},
                     row, true, {});
  domain::apply_body(ent::leads, json::object{{"currency", "JPY"}}, row, false, {});
  CHECK(std::get<std::int64_t>(row.get(ent::leads, "value")) == 1500);
  CHECK(domain::encode_row(ent::leads, row, false).at("value").as_string() == "1500");
}

TEST_CASE("personal fields are left out of a redacted row") {
  storage::Row row;
  domain::apply_body(ent::leads, json::object{{"title", "Seed"}, {"notes", "met at the bar"}}, row, true, {});
  auto shown = domain::encode_row(ent::leads, row, true);
  CHECK_FALSE(shown.contains("notes"));
  CHECK(shown.at("redacted").as_bool());
  CHECK(shown.at("title").as_string() == "Seed");
}
