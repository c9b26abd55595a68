// GET /api/v1/contact-duplicates?contact_id=: one contact's duplicates, for its page in the
// web app (docs/api.md, "Duplicates on demand").
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::int64_t make(HttpClient& as, const json::object& body) {
  return World::create(as, "contacts", body).at("id").to_number<std::int64_t>();
}

std::vector<std::int64_t> ids_of(const json::value& group) {
  std::vector<std::int64_t> ids;
  for (const auto& id : group.at("contact_ids").as_array()) ids.push_back(id.to_number<std::int64_t>());
  return ids;
}

}  // namespace

TEST_CASE("duplicates of one contact answer only the group that holds it, joined through a third contact too, and nothing for a contact without duplicates or of another organisation") {
  World w;
  const std::int64_t julia = make(w.alpha_admin, {{"first_name", "Júlia"}, {"last_name", "Ñúñez"},
                                                  {"emails", json::array{"julia@acme.example"}}});
  // Shares the email with Júlia and a phone with Jules: all three are one group.
  const std::int64_t j = make(w.alpha_admin, {{"first_name", "J."}, {"emails", json::array{"JULIA@acme.example"}},
                                              {"phones", json::array{"+33 4 72 00 00 09"}}});
  const std::int64_t jules = make(w.alpha_admin, {{"first_name", "Jules"}, {"phones", json::array{"+33472000009"}}});
  const std::int64_t other1 = make(w.alpha_admin, {{"first_name", "Zoé"}, {"emails", json::array{"zoe@x.example"}}});
  make(w.alpha_admin, {{"first_name", "Zoë"}, {"emails", json::array{"zoe@x.example"}}});
  const std::int64_t alone = make(w.alpha_admin, {{"first_name", "Seule 🚀"}, {"emails", json::array{"seule@x.example"}}});
  const std::int64_t betas = make(w.beta_admin, {{"first_name", "Bêta"}, {"emails", json::array{"b@x.example"}}});
  make(w.beta_admin, {{"first_name", "Bêta bis"}, {"emails", json::array{"b@x.example"}}});

  auto r = w.alpha_member.get("/api/v1/contact-duplicates?contact_id=" + std::to_string(jules));
  INFO(r.body);
  REQUIRE(r.status == 200);
  const json::value doc = r.json();
  REQUIRE(doc.at("groups").as_array().size() == 1);
  CHECK(doc.at("groups_total").to_number<std::int64_t>() == 1);
  CHECK(doc.at("contacts_scanned").to_number<std::int64_t>() == 6);
  const json::value& group = doc.at("groups").at(0);
  CHECK(ids_of(group) == std::vector<std::int64_t>{julia, j, jules});
  CHECK(group.at("contacts").as_array().size() == 3);
  CHECK(group.at("contacts").at(0).at("last_name") == "Ñúñez");

  // The whole organisation still has two groups; one contact's asks for its own only.
  auto all = w.alpha_member.get("/api/v1/contact-duplicates");
  REQUIRE(all.status == 200);
  CHECK(all.json().at("groups_total").to_number<std::int64_t>() == 2);
  auto zoe = w.alpha_member.get("/api/v1/contact-duplicates?contact_id=" + std::to_string(other1) + "&limit=5");
  REQUIRE(zoe.status == 200);
  CHECK(ids_of(zoe.json().at("groups").at(0)).at(0) == other1);

  for (const std::int64_t none : {alone, betas, std::int64_t{999999}}) {
    auto n = w.alpha_admin.get("/api/v1/contact-duplicates?contact_id=" + std::to_string(none));
    INFO(none << " " << n.body);
    REQUIRE(n.status == 200);
    CHECK(n.json().at("groups").as_array().empty());
    CHECK(n.json().at("groups_total").to_number<std::int64_t>() == 0);
  }
  for (const char* bad : {"?contact_id=0", "?contact_id=-3", "?contact_id=abc", "?contact_id="}) {
    auto b = w.alpha_admin.get(std::string("/api/v1/contact-duplicates") + bad);
    INFO(bad << " " << b.body);
    CHECK(b.status == 400);
    CHECK(b.body.find("contact_id") != std::string::npos);
  }
}
