// The records API as a founder uses it: create, read, change, list, search, delete.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

TEST_CASE("a contact is created with normalised emails and phones and read back") {
  World w;
  auto r = w.alpha_member.post("/api/v1/contacts",
                               json::object{{"first_name", "Zoé"},
                                            {"last_name", "Châteauneuf-Müller"},
                                            {"emails", json::array{"Zoe@Example.COM"}},
                                            {"phones", json::array{"04 72 00 00 00", "+1 650 253 0000"}},
                                            {"city", "Genève"}});
  REQUIRE(r.status == 201);
  auto c = r.json().as_object();
  CHECK(c.at("emails").as_array()[0].as_string() == "zoe@example.com");
  CHECK(c.at("phones").as_array()[0].as_string() == "+33472000000");
  CHECK(c.at("phones").as_array()[1].as_string() == "+16502530000");
  CHECK(r.header("location") == "/api/v1/contacts/" + std::to_string(c.at("id").as_int64()));
  CHECK(r.header("etag") == "\"" + std::to_string(c.at("id").as_int64()) + "-1\"");

  auto back = w.alpha_member.get("/api/v1/contacts/" + std::to_string(c.at("id").as_int64()));
  REQUIRE(back.status == 200);
  CHECK(back.json().at("last_name").as_string() == "Châteauneuf-Müller");
}

TEST_CASE("search folds accents and case, and stays inside the caller's organisation") {
  World w;
  World::create(w.alpha_member, "contacts", {{"first_name", "Anne"}, {"city", "Genève"}});
  World::create(w.beta_member, "contacts", {{"first_name", "Anne"}, {"city", "Genève"}});
  for (const char* q : {"geneve", "GENEVE", "Gen%C3%A8ve", "gen"}) {
    auto r = w.alpha_member.get(std::string("/api/v1/contacts?q=") + q);
    REQUIRE(r.status == 200);
    auto items = r.json().at("items").as_array();
    INFO(q);
    REQUIRE(items.size() == 1);
    CHECK(items[0].at("org_id").as_int64() == w.alpha_id);
  }
}
