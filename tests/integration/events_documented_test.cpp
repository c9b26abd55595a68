// docs/events.md, "Members of each type", read as a specification: every event type the API
// can make happen is made to happen, and each document the daemon wrote to its outbox must
// carry the common members plus exactly the members the table lists for its type (and the
// `data` members it names). A type published but missing from the table fails too, so the
// table and the code cannot drift apart.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }
std::string path(const std::string& collection, std::int64_t id) {
  return "/api/v1/" + collection + "/" + std::to_string(id);
}

struct Documented {
  std::set<std::string> members;       // after `data`
  std::vector<std::string> data_keys;  // members `data` must have; empty: the record
};

// The table under "## Members of each type": type -> what a document of it carries.
std::map<std::string, Documented> documented_types() {
  std::ifstream in(std::string(RELANCE_SOURCE_DIR) + "/docs/events.md");
  REQUIRE(in);
  std::map<std::string, Documented> out;
  const std::regex code("`([^`]+)`");
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## ")) inside = line == "## Members of each type";
    if (!inside || !line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    REQUIRE(cells.size() >= 3);
    auto codes = [&](const std::string& cell) {
      std::vector<std::string> found;
      for (std::sregex_iterator m(cell.begin(), cell.end(), code), end; m != end; ++m) found.push_back((*m)[1]);
      return found;
    };
    Documented d;
    for (const std::string& m : codes(cells[1])) d.members.insert(m);
    d.data_keys = codes(cells[2]);
    for (const std::string& type : codes(cells[0])) out[type] = d;
  }
  return out;
}

// Every document of the outbox, oldest first.
std::vector<json::object> outbox(const Daemon& d) {
  std::vector<json::object> out;
  std::stringstream lines(sqlite(d.database(), "SELECT payload FROM outbox ORDER BY id"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.push_back(json::parse(line).as_object());
  return out;
}

std::string png_bytes() {
  std::string b("\x89PNG\r\n\x1A\n", 8);
  for (std::size_t i = 0; b.size() < 300; ++i) b += static_cast<char>(i % 256);
  return b;
}

// Makes every event the API can cause happen, in the alpha start-up (and the region).
void publish_every_kind(World& w) {
  HttpClient& m = w.alpha_member;
  auto patch = [](HttpClient& as, const std::string& target, const json::object& body) {
    auto r = as.patch(target, body);
    INFO(target << " " << r.body);
    REQUIRE(r.status == 200);
  };
  auto del = [](HttpClient& as, const std::string& target) {
    auto r = as.del(target);
    INFO(target << " " << r.body);
    REQUIRE(r.status == 204);
  };

  const auto company = id_of(World::create(m, "companies", {{"name", "Müller & Fils, SARL"}}));
  patch(m, path("companies", company), {{"sector", "Robotique"}});
  const auto zoe = id_of(World::create(m, "contacts", {{"first_name", "Zoé"}, {"last_name", "Lefèvre"}}));
  patch(m, path("contacts", zoe), {{"phones", json::array{"+33 6 12 34 56 78"}}});
  const auto lead = id_of(World::create(m, "leads", {{"title", "Série A 🚀"}, {"contact_id", zoe}, {"stage", "new"}}));
  patch(m, path("leads", lead), {{"notes", "Budget confirmé\r\npar le CFO"}});
  patch(m, path("leads", lead), {{"stage", "meeting"}});  // lead.stage_changed, then activity.logged
  const auto call = id_of(World::create(m, "activities", {{"kind", "call"}, {"contact_id", zoe}}));
  patch(m, path("activities", call), {{"subject", "Rappel 📞"}});
  del(m, path("activities", call));
  const auto followup = id_of(World::create(
      m, "followups", {{"title", "Envoyer le deck"}, {"due_at", utc_instant(std::chrono::system_clock::now() +
                                                                              std::chrono::hours(72))}}));
  patch(m, path("followups", followup), {{"title", "Envoyer le deck v2"}});
  patch(m, path("followups", followup), {{"status", "done"}});
  del(m, path("followups", followup));
  const auto outcome = id_of(World::create(m, "outcomes", {{"kind", "investment"}, {"lead_id", lead}}));
  patch(m, path("outcomes", outcome), {{"notes", "Ticket signé"}});
  del(m, path("outcomes", outcome));
  const auto fair = id_of(World::create(w.staff, "events", {{"name", "Mission CES Las Vegas"}, {"kind", "trade-mission"}}));
  patch(w.staff, path("events", fair), {{"name", "Mission CES 2 Las Vegas"}});
  del(w.staff, path("events", fair));

  auto file = m.request("POST", path("contacts", zoe) + "/attachments?filename=carte.png", png_bytes(),
                        {{"Content-Type", "image/png"}});
  INFO(file.body);
  REQUIRE(file.status == 201);
  del(m, path("attachments", id_of(file.json().as_object())));

  const auto twin = id_of(World::create(m, "contacts", {{"first_name", "Zoé"}, {"last_name", "Lefevre"}}));
  auto merge = m.post(path("contacts", zoe) + "/merge", json::object{{"duplicate_id", twin}});
  INFO(merge.body);
  REQUIRE(merge.status == 201);
  REQUIRE(m.post(path("contact-merges", id_of(merge.json().as_object())) + "/undo", json::object{}).status == 200);

  auto asked = w.staff.post("/api/v1/share-requests", json::object{{"lead_id", lead}, {"message", "Pour le rapport"}});
  INFO(asked.body);
  REQUIRE(asked.status == 201);
  auto answered = w.alpha_admin.post("/api/v1/share-requests/" + std::to_string(id_of(asked.json().as_object())) +
                                         "/answer",
                                     json::object{{"accept", true}});
  INFO(answered.body);
  REQUIRE(answered.status == 200);

  // The first lead keeps its stage-change activity; a lead of its own goes.
  del(m, path("leads", id_of(World::create(m, "leads", {{"title", "Hors mission"}}))));
  del(m, path("contacts", twin));
  del(m, path("companies", company));
}

}  // namespace

TEST_CASE("every event the API publishes carries exactly the members docs/events.md lists for its type") {
  const auto documented = documented_types();
  REQUIRE(documented.size() > 30);
  World w;
  publish_every_kind(w);

  const std::set<std::string> common{"schema", "type", "org_id", "entity", "entity_id", "actor_id", "occurred_at",
                                     "data"};
  // Account events are never delivered to plugins and are documented in their own row.
  const std::regex account("^(organisation|user|token)\\..*");
  std::set<std::string> seen;
  for (const json::object& doc : outbox(w.daemon)) {
    const std::string type(doc.at("type").as_string());
    if (std::regex_match(type, account)) continue;
    INFO(type << ": " << json::serialize(doc));
    seen.insert(type);
    const auto it = documented.find(type);
    REQUIRE(it != documented.end());
    std::set<std::string> members;
    for (const auto& kv : doc) members.insert(std::string(kv.key()));
    std::set<std::string> expected = common;
    expected.insert(it->second.members.begin(), it->second.members.end());
    CHECK(members == expected);
    CHECK(doc.at("schema") == "relance.event/1");
    for (const std::string& key : it->second.data_keys) {
      INFO("data." << key);
      CHECK(doc.at("data").as_object().contains(key));
    }
    if (type == "lead.stage_changed") {
      CHECK(doc.at("from_stage") == "new");
      CHECK(doc.at("to_stage") == "meeting");
      CHECK(doc.at("to_stage") == doc.at("data").at("stage"));
      CHECK(doc.at("changed").at("stage") == true);
    }
  }
  // Every documented type was published, but those of the follow-up scheduler, which no API
  // call causes (tests/integration/followups_test.cpp covers them).
  for (const auto& [type, d] : documented) {
    if (type == "followup.due" || type == "digest.due" || type == "region_digest.due") continue;
    INFO(type);
    CHECK(seen.contains(type));
  }
}
