// Region staff asking a start-up to share a lead, as the region meets it when a council
// report needs a contact's name (docs/api.md, "Share requests"): staff name a lead they see
// redacted, the start-up's org-admin or the lead's owner accepts (the lead becomes shared)
// or declines with a reason, both sides list the requests with their state and dates, and
// every share and unshare of the lead, through a request or a PATCH, is in its sharing
// history for both sides; a member of another start-up sees and answers nothing.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t missing_id = 1'999'999'999;

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }
std::string str(std::int64_t id) { return std::to_string(id); }

// A lead of Alpha's member with a contact whose personal data no one else has seen.
struct AlphaLead {
  std::int64_t contact = 0, lead = 0;
};

AlphaLead alpha_lead(World& w, const std::string& surname) {
  AlphaLead a;
  a.contact = id_of(World::create(w.alpha_member, "contacts",
                                  {{"first_name", "Hélène"},
                                   {"last_name", surname},
                                   {"emails", json::array{"helene@" + surname + ".example"}},
                                   {"notes", "Rencontrée au salon 🤝\r\nà rappeler"}}));
  a.lead = id_of(World::create(w.alpha_member, "leads",
                               {{"title", "Pilote logistique Montréal"},
                                {"contact_id", a.contact},
                                {"notes", "Budget confidentiel " + surname}}));
  return a;
}

HttpResponse ask(HttpClient& as, std::int64_t lead, const std::string& message = "Pour le rapport au conseil régional") {
  return as.post("/api/v1/share-requests", json::object{{"lead_id", lead}, {"message", message}});
}

HttpResponse answer(HttpClient& as, std::int64_t request, bool accept, const std::string& reason = {}) {
  json::object body{{"accept", accept}};
  if (!reason.empty()) body["reason"] = reason;
  return as.post("/api/v1/share-requests/" + str(request) + "/answer", body);
}

json::array items(HttpClient& as, const std::string& target) {
  auto r = as.get(target);
  INFO("GET " << target << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == 200);
  return r.json().at("items").as_array();
}

json::object sharing(HttpClient& as, std::int64_t lead) {
  auto r = as.get("/api/v1/leads/" + str(lead) + "/sharing");
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().as_object();
}

bool redacted(HttpClient& as, std::int64_t lead) {
  auto r = as.get("/api/v1/leads/" + str(lead));
  REQUIRE(r.status == 200);
  const json::value lead_json = r.json();
  const json::object& o = lead_json.as_object();
  return o.contains("redacted") && o.at("redacted").as_bool();
}

std::int64_t user_id(HttpClient& as) { return as.get("/api/v1/me").json().at("id").as_int64(); }

}  // namespace

TEST_CASE("staff ask to share a lead they see redacted and the org-admin's acceptance shares it with the date on both sides") {
  World w;
  const AlphaLead a = alpha_lead(w, "Zéphyrin");
  REQUIRE(redacted(w.staff, a.lead));
  CHECK(w.staff.get("/api/v1/contacts/" + str(a.contact)).status == 404);

  auto asked = ask(w.staff, a.lead);
  INFO(asked.body);
  REQUIRE(asked.status == 201);
  const json::object request = asked.json().as_object();
  CHECK(request.at("state") == "pending");
  CHECK(request.at("lead_id") == a.lead);
  CHECK(request.at("org_id") == w.alpha_id);
  CHECK(request.at("requested_by") == user_id(w.staff));
  CHECK(request.at("message") == "Pour le rapport au conseil régional");
  CHECK(asked.header("location") == "/api/v1/share-requests/" + str(id_of(request)));

  // One pending request per lead.
  CHECK(ask(w.staff, a.lead).status == 409);

  // Both sides list it; the start-up's member sees it among the pending ones.
  CHECK(items(w.alpha_member, "/api/v1/share-requests?state=pending").size() == 1);
  CHECK(items(w.staff, "/api/v1/share-requests?state=pending").size() == 1);
  CHECK(items(w.alpha_member, "/api/v1/share-requests?state=accepted").empty());

  // Staff do not answer their own request.
  CHECK(answer(w.staff, id_of(request), true).status == 403);

  auto accepted = answer(w.alpha_admin, id_of(request), true, "D’accord pour le conseil");
  INFO(accepted.body);
  REQUIRE(accepted.status == 200);
  const json::object done = accepted.json().as_object();
  CHECK(done.at("state") == "accepted");
  CHECK(done.at("answered_by") == user_id(w.alpha_admin));
  CHECK(done.at("reason") == "D’accord pour le conseil");
  CHECK(!done.at("answered_at").as_string().empty());
  CHECK(answer(w.alpha_admin, id_of(request), false).status == 409);

  // The lead is shared: staff read its notes and its contact now.
  CHECK_FALSE(redacted(w.staff, a.lead));
  CHECK(w.staff.get("/api/v1/leads/" + str(a.lead)).json().at("notes") == "Budget confidentiel Zéphyrin");
  CHECK(w.staff.get("/api/v1/contacts/" + str(a.contact)).status == 200);
  CHECK(items(w.staff, "/api/v1/share-requests?state=accepted").size() == 1);

  // The start-up unshares it directly: the history on both sides has both changes, dated.
  auto unshare = w.alpha_member.patch("/api/v1/leads/" + str(a.lead), json::object{{"shared_with_region", false}});
  REQUIRE(unshare.status == 200);
  for (HttpClient* side : {&w.staff, &w.alpha_member}) {
    const json::object h = sharing(*side, a.lead);
    CHECK(h.at("shared_with_region") == false);
    const json::array& history = h.at("history").as_array();
    REQUIRE(history.size() == 2);
    CHECK(history[0].at("shared") == true);
    CHECK(history[0].at("user_id") == user_id(w.alpha_admin));
    CHECK(history[0].at("at").as_string() >= request.at("created_at").as_string());
    CHECK(history[0].at("at").as_string() <= done.at("answered_at").as_string());
    CHECK(history[1].at("shared") == false);
    CHECK(history[1].at("user_id") == user_id(w.alpha_member));
    CHECK(history[1].at("at").as_string() >= history[0].at("at").as_string());
    REQUIRE(h.at("requests").as_array().size() == 1);
    CHECK(h.at("requests").as_array()[0].at("state") == "accepted");
  }
  CHECK(redacted(w.staff, a.lead));

  // The start-up's own audit log holds both as updates of the lead.
  int changes = 0;
  for (const auto& entry : items(w.alpha_admin, "/api/v1/audit?limit=200"))
    if (entry.at("entity") == "leads" && entry.at("entity_id") == a.lead && entry.at("action") == "update" &&
        entry.at("changes").as_object().contains("shared_with_region"))
      ++changes;
  CHECK(changes == 2);

  // The outbox told the start-up of the request and both organisations of the answer.
  CHECK(sqlite(w.daemon.database(),
               "SELECT type || ' ' || (org_id = " + str(w.alpha_id) + ") FROM outbox WHERE entity = 'share_requests' "
               "ORDER BY id") == "share_request.created 1\nshare_request.answered 1\nshare_request.answered 0");
}

TEST_CASE("the lead's owner declines with a reason and the lead stays unshared while a colleague may not answer") {
  World w;
  const AlphaLead a = alpha_lead(w, "Kowalczyk");
  HttpClient colleague = w.add_user(w.alpha_id, "colleague@alpha.test", "member");
  const std::int64_t request = id_of(ask(w.staff, a.lead, "Besoin du nom pour la revue 📊").json().as_object());

  auto refused = answer(colleague, request, true);
  CHECK(refused.status == 403);
  CHECK(refused.body.find("owner") != std::string::npos);

  auto declined = answer(w.alpha_member, request, false, "Pas avant la signature, merci !");
  INFO(declined.body);
  REQUIRE(declined.status == 200);
  CHECK(declined.json().at("state") == "declined");
  CHECK(redacted(w.staff, a.lead));

  // Staff read the answer and its reason; nothing entered the lead's history.
  const json::array seen = items(w.staff, "/api/v1/share-requests?state=declined");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].at("reason") == "Pas avant la signature, merci !");
  CHECK(seen[0].at("answered_by") == user_id(w.alpha_member));
  CHECK(sharing(w.staff, a.lead).at("history").as_array().empty());

  // A declined request may be asked again later.
  CHECK(ask(w.staff, a.lead, "Et maintenant ?").status == 201);
  CHECK(items(w.alpha_member, "/api/v1/share-requests?lead_id=" + str(a.lead)).size() == 2);
}

TEST_CASE("a member of another start-up neither sees nor answers a request and the lead's deletion takes its requests") {
  World w;
  const AlphaLead a = alpha_lead(w, "Ngata");
  const std::int64_t request = id_of(ask(w.staff, a.lead).json().as_object());
  for (HttpClient* other : {&w.beta_admin, &w.beta_member}) {
    CHECK(items(*other, "/api/v1/share-requests").empty());
    CHECK(other->get("/api/v1/share-requests/" + str(request)).status == 404);
    CHECK(answer(*other, request, true).status == 404);
    CHECK(other->get("/api/v1/leads/" + str(a.lead) + "/sharing").status == 404);
  }
  CHECK(w.alpha_member.get("/api/v1/share-requests/" + str(request)).status == 200);
  CHECK(w.staff.get("/api/v1/share-requests/" + str(request)).status == 200);
  CHECK(w.staff.get("/api/v1/share-requests/" + str(missing_id)).status == 404);
  CHECK(answer(w.alpha_admin, missing_id, true).status == 404);
  CHECK(redacted(w.staff, a.lead));

  // Asking does not keep the start-up from deleting its lead: the requests go with it.
  CHECK(w.alpha_member.del("/api/v1/leads/" + str(a.lead)).status == 204);
  CHECK(w.staff.get("/api/v1/share-requests/" + str(request)).status == 404);
  CHECK(items(w.staff, "/api/v1/share-requests").empty());
}

TEST_CASE("only region staff ask and only for an unshared lead of a start-up and a bad body loses nothing") {
  World w;
  const AlphaLead a = alpha_lead(w, "Oyelaran");
  CHECK(ask(w.alpha_admin, a.lead).status == 403);
  CHECK(ask(w.beta_admin, a.lead).status == 403);
  CHECK(ask(w.admin, a.lead).status == 403);

  auto nowhere = ask(w.staff, missing_id);
  CHECK(nowhere.status == 422);
  CHECK(nowhere.body.find("lead_id") != std::string::npos);
  const std::int64_t own = id_of(World::create(w.staff, "leads", {{"title", "Mission Québec"}}));
  CHECK(ask(w.staff, own).status == 422);

  // What the server sets is refused, naming the field.
  for (const char* field : {"state", "requested_by", "answered_by", "answered_at", "reason", "org_id", "id"}) {
    auto sent = w.staff.post("/api/v1/share-requests", json::object{{"lead_id", a.lead}, {field, "x"}});
    INFO(field << ": " << sent.body);
    CHECK(sent.status == 400);
    CHECK(sent.json().at("field") == field);
  }
  CHECK(w.staff.post("/api/v1/share-requests", json::object{{"message", "sans piste"}}).status == 422);
  CHECK(w.staff.post("/api/v1/share-requests", json::object{{"lead_id", a.lead}, {"message", std::string(2001, 'x')}})
            .status == 422);
  CHECK(items(w.staff, "/api/v1/share-requests").empty());

  const std::int64_t request = id_of(ask(w.staff, a.lead).json().as_object());
  CHECK(w.alpha_admin.post("/api/v1/share-requests/" + str(request) + "/answer", json::object{{"reason", "?"}}).status ==
        422);
  CHECK(w.alpha_admin.post("/api/v1/share-requests/" + str(request) + "/answer",
                           json::object{{"accept", true}, {"share", true}})
            .status == 400);
  CHECK(answer(w.alpha_admin, request, true, std::string(2001, 'y')).status == 422);
  CHECK(w.alpha_admin.get("/api/v1/share-requests/" + str(request)).json().at("state") == "pending");

  // A lead shared directly needs no request.
  REQUIRE(w.alpha_member.patch("/api/v1/leads/" + str(a.lead), json::object{{"shared_with_region", true}}).status == 200);
  const std::int64_t other = alpha_lead(w, "Zanetti").lead;
  REQUIRE(w.alpha_member.patch("/api/v1/leads/" + str(other), json::object{{"shared_with_region", true}}).status == 200);
  CHECK(ask(w.staff, other).status == 409);
  const json::array history = sharing(w.staff, other).at("history").as_array();
  REQUIRE(history.size() == 1);
  CHECK(history[0].at("shared") == true);
  CHECK(history[0].at("action") == "update");
}
