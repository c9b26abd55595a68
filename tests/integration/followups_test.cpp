// The follow-up engine as a founder depends on it: a follow-up falling due becomes one
// followup.due event (with both local times and signed links), never two, also across a
// restart and after downtime; the views show today's, overdue and upcoming follow-ups in
// the caller's own day; the signed links of a reminder email show a page (GET) and act
// once when confirmed (POST), as their recipient, and refuse forged, altered and expired
// copies, and copies made before the follow-up changed. Emails themselves: tests/email/.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> quick() { return {{"RELANCE_FOLLOWUPS_TICK_MS", "100"}}; }

std::int64_t my_id(HttpClient& as) { return as.get("/api/v1/me").json().at("id").as_int64(); }

// Now plus an offset, in UTC: every instant and date of these tests is relative to the day
// they run.
std::string in(std::chrono::seconds from_now) {
  const auto t = std::chrono::system_clock::now() + from_now;
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::time_t tt = static_cast<std::time_t>(secs);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
  return buf;
}
std::string day_in(int days) { return in(days * 86400s).substr(0, 10); }

int due_events(const Daemon& d, std::int64_t followup) {
  return std::stoi(sqlite(d.database(), "SELECT count(*) FROM outbox WHERE type = 'followup.due' AND entity_id = " +
                                            std::to_string(followup)));
}

json::value due_event(const Daemon& d, std::int64_t followup) {
  return json::parse(sqlite(d.database(), "SELECT payload FROM outbox WHERE type = 'followup.due' AND entity_id = " +
                                              std::to_string(followup) + " ORDER BY id DESC LIMIT 1"));
}

std::string path_of(const std::string& url) { return url.substr(url.find("/api/v1/")); }

}  // namespace

TEST_CASE(
    "a follow-up falling due becomes one followup.due event with both local times and signed "
    "links, and never a second one, also across a restart") {
  World w(quick());
  const auto contact = World::create(w.alpha_member, "contacts",
                                     {{"first_name", "Pat"}, {"last_name", "Lee"}, {"time_zone", "America/Los_Angeles"}});
  const auto f = World::create(w.alpha_member, "followups",
                               {{"title", "Call Pat back"}, {"due_at", "2026-03-29T07:00:00Z"},
                                {"time_zone", "Europe/Paris"}, {"contact_id", contact.at("id")},
                                {"assignee_id", my_id(w.alpha_member)}});
  const std::int64_t id = f.at("id").as_int64();
  REQUIRE(eventually([&] { return due_events(w.daemon, id) == 1; }, 10s));
  const json::value e = due_event(w.daemon, id);
  CHECK(e.at("due").at("local") == "2026-03-29T09:00:00");  // the day the clocks change in Paris
  CHECK(e.at("due").at("contact_local") == "2026-03-29T00:00:00");
  CHECK(e.at("assignee").at("email") == "member@alpha.test");
  CHECK(e.at("contact").at("last_name") == "Lee");
  CHECK(std::string(e.at("links").at("done").as_string()).find("/api/v1/followups/" + std::to_string(id) + "/action?do=done") !=
        std::string::npos);
  std::this_thread::sleep_for(500ms);  // several ticks
  CHECK(due_events(w.daemon, id) == 1);
  w.daemon.stop();
  w.daemon.start();
  std::this_thread::sleep_for(500ms);
  CHECK(due_events(w.daemon, id) == 1);
}

TEST_CASE("follow-ups that fell due while the daemon was down are announced at start, once") {
  World w(quick());
  const auto f = World::create(w.alpha_member, "followups", {{"title", "During the flight"}, {"due_at", in(3s)}});
  const std::int64_t id = f.at("id").as_int64();
  w.daemon.stop();
  std::this_thread::sleep_for(3500ms);
  CHECK(due_events(w.daemon, id) == 0);
  w.daemon.start();
  REQUIRE(eventually([&] { return due_events(w.daemon, id) == 1; }, 10s));
  std::this_thread::sleep_for(400ms);
  CHECK(due_events(w.daemon, id) == 1);
}

TEST_CASE(
    "a reminder's link shows a page naming the follow-up and whom it was sent to, and changes "
    "nothing, its button (a POST) marks done or snoozes a day once, in the recipient's name, "
    "and forged or altered links change nothing and say why") {
  World w(quick());
  const std::int64_t member = my_id(w.alpha_member);
  // The org-admin writes them for the member: the links go to, and act as, the member.
  const auto a = World::create(w.alpha_admin, "followups",
                               {{"title", "Send the deck"}, {"due_at", in(-60s)}, {"assignee_id", member}});
  const auto b = World::create(w.alpha_admin, "followups",
                               {{"title", "Ask for an intro"}, {"due_at", in(-60s)}, {"assignee_id", member}});
  const std::int64_t ida = a.at("id").as_int64(), idb = b.at("id").as_int64();
  REQUIRE(eventually([&] { return due_events(w.daemon, ida) == 1 && due_events(w.daemon, idb) == 1; }, 10s));
  HttpClient anyone = w.daemon.client();  // a link needs no token
  const json::value ea = due_event(w.daemon, ida), eb = due_event(w.daemon, idb);
  const std::string done = path_of(std::string(ea.at("links").at("done").as_string()));
  const std::string snooze = path_of(std::string(eb.at("links").at("snooze").as_string()));
  auto followup = [&](std::int64_t id) { return w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json(); };
  const json::value a_before = followup(ida), b_before = followup(idb);

  // Following the link (a person, or a mail scanner) only shows what it would do.
  for (int i = 0; i < 3; ++i) {
    auto page = anyone.request("GET", done, {}, {{"Accept", "text/html"}});
    INFO(page.body);
    CHECK(page.status == 200);
    CHECK(page.header("content-type").starts_with("text/html"));
    CHECK(page.body.find("<html lang=\"en\">") != std::string::npos);
    CHECK(page.body.find("Send the deck") != std::string::npos);
    CHECK(page.body.find("member@alpha.test") != std::string::npos);
    CHECK(page.body.find("<form method=\"post\"") != std::string::npos);
    CHECK(page.body.find("<button type=\"submit\">") != std::string::npos);
    // Nothing fetched from elsewhere, never framed, never cached.
    CHECK(page.body.find("src=") == std::string::npos);
    CHECK(page.body.find("<link") == std::string::npos);
    CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
    CHECK(page.header("cache-control") == "no-store");
    auto program = anyone.get(snooze);
    INFO(program.body);
    CHECK(program.status == 200);
    CHECK(program.json().at("title") == "Ask for an intro");
    CHECK(std::string(program.json().at("recipient").as_string()).find("member@alpha.test") != std::string::npos);
  }
  CHECK(followup(ida) == a_before);  // still open, same version
  CHECK(followup(idb) == b_before);

  // Forged: the signature changed. Altered: the action, the id, the version or the recipient.
  auto replaced = [](std::string link, const std::string& from, const std::string& to) {
    return link.replace(link.find(from), from.size(), to);
  };
  std::string forged = done;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  const std::string admin_id = std::to_string(my_id(w.alpha_admin));
  for (const std::string& bad :
       {forged, replaced(done, "do=done", "do=snooze"),
        replaced(done, "/followups/" + std::to_string(ida) + "/", "/followups/" + std::to_string(idb) + "/"),
        replaced(done, "&v=" + std::to_string(a_before.at("version").as_int64()),
                 "&v=" + std::to_string(a_before.at("version").as_int64() + 1)),
        replaced(done, "&to=" + std::to_string(member), "&to=" + admin_id)}) {
    for (const char* method : {"GET", "POST"}) {
      auto r = anyone.request(method, bad);
      INFO(method << " " << bad << " -> " << r.body);
      CHECK(r.status == 403);
      CHECK(r.body.find("signature does not match") != std::string::npos);
    }
  }
  CHECK(followup(ida) == a_before);
  CHECK(followup(idb) == b_before);

  // The button: the same link, POSTed. Once: again, it says so and changes nothing.
  auto r = anyone.request("POST", done);
  INFO(r.body);
  CHECK(r.status == 200);
  const json::value after = followup(ida);
  CHECK(after.at("status") == "done");
  CHECK(after.at("updated_by") == member);
  auto again = anyone.request("POST", done, {}, {{"Accept", "text/html"}});
  CHECK(again.status == 200);
  CHECK(again.body.find("already done") != std::string::npos);
  CHECK(followup(ida) == after);
  // The audit log names the recipient, not the link's maker nor nobody.
  const json::value audit = w.alpha_admin.get("/api/v1/audit?limit=50").json();
  int entries = 0;
  for (const auto& e : audit.at("items").as_array()) {
    if (e.at("entity") != "followups" || e.at("entity_id") != ida || e.at("action") != "update") continue;
    ++entries;
    CHECK(e.at("user_id") == member);
  }
  CHECK(entries == 1);

  CHECK(anyone.request("POST", snooze).status == 200);
  const json::value moved = followup(idb);
  CHECK(moved.at("status") == "snoozed");
  CHECK(std::string(moved.at("due_at").as_string()) > std::string(b_before.at("due_at").as_string()));
  auto twice = anyone.request("POST", snooze);  // once, however often followed
  CHECK(twice.status == 200);
  CHECK(twice.body.find("already snoozed") != std::string::npos);
  CHECK(followup(idb) == moved);
}

TEST_CASE(
    "a reminder's link made before its follow-up was rescheduled, edited or reopened answers 409 "
    "and changes nothing") {
  World w(quick());
  auto make = [&](const std::string& title) {
    const std::int64_t id = World::create(w.alpha_member, "followups", {{"title", title}, {"due_at", in(-60s)}})
                                .at("id")
                                .as_int64();
    REQUIRE(eventually([&] { return due_events(w.daemon, id) == 1; }, 10s));
    return id;
  };
  const std::int64_t rescheduled = make("Rescheduled"), edited = make("Edited"), reopened = make("Reopened");
  auto links = [&](std::int64_t id) { return due_event(w.daemon, id).at("links"); };
  const json::value lr = links(rescheduled), le = links(edited), lo = links(reopened);
  auto path = [&](const json::value& l, const char* which) { return path_of(std::string(l.at(which).as_string())); };
  auto change = [&](std::int64_t id, const json::object& body) {
    REQUIRE(w.alpha_member.patch("/api/v1/followups/" + std::to_string(id), body).status == 200);
  };
  change(rescheduled, {{"due_at", in(3600s)}});
  change(edited, {{"title", "Edited, with a new title"}});
  change(reopened, {{"status", "done"}});
  change(reopened, {{"status", "open"}});

  HttpClient anyone = w.daemon.client();
  for (const auto& [id, l] : {std::pair{rescheduled, lr}, std::pair{edited, le}, std::pair{reopened, lo}}) {
    const json::value before = w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json();
    for (const char* which : {"done", "snooze"}) {
      for (const char* method : {"GET", "POST"}) {
        auto r = anyone.request(method, path(l, which));
        INFO(before << " " << method << " " << which << " -> " << r.body);
        CHECK(r.status == 409);
        CHECK(r.body.find("since the email was sent") != std::string::npos);
      }
    }
    CHECK(w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json() == before);
  }
}

TEST_CASE("a link's button refuses a POST another site made a browser send, and changes nothing") {
  World w(quick());
  const std::int64_t id =
      World::create(w.alpha_member, "followups", {{"title", "Cross-site"}, {"due_at", in(-60s)}}).at("id").as_int64();
  REQUIRE(eventually([&] { return due_events(w.daemon, id) == 1; }, 10s));
  const std::string done = path_of(std::string(due_event(w.daemon, id).at("links").at("done").as_string()));
  HttpClient anyone = w.daemon.client();
  const std::string self = "http://127.0.0.1:" + std::to_string(w.daemon.port());
  for (const Headers& from_elsewhere : {Headers{{"Sec-Fetch-Site", "cross-site"}},
                                        Headers{{"Sec-Fetch-Site", "same-site"}, {"Origin", self}},
                                        Headers{{"Origin", "https://evil.example"}}, Headers{{"Origin", "null"}}}) {
    auto r = anyone.request("POST", done, {}, from_elsewhere);
    INFO(r.body);
    CHECK(r.status == 403);
    CHECK(r.body.find("another site") != std::string::npos);
  }
  CHECK(w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json().at("status") == "open");
  // The page's own button: same origin.
  auto r = anyone.request("POST", done, {}, {{"Sec-Fetch-Site", "same-origin"}, {"Origin", self}});
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json().at("status") == "done");
}

TEST_CASE("an expired link changes nothing and says when it expired") {
  auto env = quick();
  env["RELANCE_FOLLOWUPS_LINK_HOURS"] = "0";
  World w(env);
  const auto f = World::create(w.alpha_member, "followups", {{"title", "Too late"}, {"due_at", in(-60s)}});
  const std::int64_t id = f.at("id").as_int64();
  REQUIRE(eventually([&] { return due_events(w.daemon, id) == 1; }, 10s));
  std::this_thread::sleep_for(1100ms);
  auto r = w.daemon.client().get(path_of(std::string(due_event(w.daemon, id).at("links").at("done").as_string())));
  INFO(r.body);
  CHECK(r.status == 410);
  CHECK(r.body.find("expired on") != std::string::npos);
  CHECK(w.alpha_member.get("/api/v1/followups/" + std::to_string(id)).json().at("status") == "open");
}

TEST_CASE("the views list overdue, upcoming and today's follow-ups of the caller, with local times") {
  World w(quick());
  REQUIRE(w.alpha_member.patch("/api/v1/users/" + std::to_string(my_id(w.alpha_member)),
                               {{"time_zone", "America/Los_Angeles"}}).status == 200);
  const auto past = World::create(w.alpha_member, "followups", {{"title", "Late"}, {"due_at", in(-3600s)}});
  const auto later = World::create(w.alpha_member, "followups", {{"title", "Later"}, {"due_at", in(3 * 86400s)}});
  const auto done = World::create(w.alpha_member, "followups", {{"title", "Done already"}, {"due_at", in(-7200s)}});
  REQUIRE(w.alpha_member.patch("/api/v1/followups/" + std::to_string(done.at("id").as_int64()), {{"status", "done"}}).status == 200);
  World::create(w.alpha_admin, "followups", {{"title", "Someone else's"}, {"due_at", in(-3600s)}});
  World::create(w.beta_member, "followups", {{"title", "Other organisation"}, {"due_at", in(-3600s)}});

  auto titles = [&](HttpClient& as, const std::string& view) {
    auto r = as.get("/api/v1/followups/" + view);
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::vector<std::string> out;
    const json::value body = r.json();
    for (const auto& i : body.at("items").as_array()) out.emplace_back(i.at("title").as_string());
    return out;
  };
  CHECK(titles(w.alpha_member, "overdue") == std::vector<std::string>{"Late"});
  CHECK(titles(w.alpha_member, "upcoming") == std::vector<std::string>{"Later"});
  CHECK(titles(w.alpha_member, "overdue?assignee=all") == std::vector<std::string>{"Late", "Someone else's"});
  const json::value overdue = w.alpha_member.get("/api/v1/followups/overdue").json();
  const json::value& item = overdue.at("items").as_array().at(0);
  CHECK(item.at("due_time_zone") == "America/Los_Angeles");  // the caller's zone, the follow-up having none
  CHECK(item.at("due_local").as_string().size() == 19);
  // Today is the caller's local day: the overdue one is in it unless it fell yesterday there.
  const auto today = titles(w.alpha_member, "today");
  CHECK(today.size() <= 1);
  CHECK(w.alpha_member.get("/api/v1/followups/upcoming?days=0").status == 400);
  // The same views from the command line.
  const std::map<std::string, std::string> env{{"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
                                               {"RELANCE_TOKEN", w.alpha_member.token()}};
  auto [code, out] = Daemon::run_cli({"followup", "overdue"}, env);
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("Late") != std::string::npos);
  CHECK(out.find("Done already") == std::string::npos);
  auto [up_code, up] = Daemon::run_cli({"followup", "upcoming", "--days", "5", "--json"}, env);
  CHECK(up_code == 0);
  CHECK(json::parse(up).at("items").as_array().size() == 1);
  auto [all_code, all] = Daemon::run_cli({"followup", "overdue", "--assignee", "all"}, env);
  CHECK(all_code == 0);
  CHECK(all.find("Someone else's") != std::string::npos);
  CHECK(w.alpha_member.get("/api/v1/followups/overdue?colour=red").status == 400);
}

TEST_CASE(
    "cadence rules create the follow-ups a lead needs, once: staleness from the last activity, "
    "a follow-up after each meeting, and a first follow-up by a mission's deadline") {
  World w(quick());
  auto& m = w.alpha_member;
  const std::int64_t me = my_id(m);
  // Tokyo keeps no daylight saving time: 09:00 there is 00:00 UTC on the same day, whatever
  // the day the test runs.
  REQUIRE(m.patch("/api/v1/users/" + std::to_string(me), {{"time_zone", "Asia/Tokyo"}}).status == 200);
  auto lead = [&](const std::string& title, json::object extra) {
    json::object body{{"title", title}, {"stage", "contacted"}};
    for (const auto& kv : extra) body[kv.key()] = kv.value();
    return World::create(m, "leads", body).at("id").as_int64();
  };
  auto activity = [&](std::int64_t lead_id, const char* kind, const std::string& at) {
    World::create(m, "activities", {{"lead_id", lead_id}, {"kind", kind}, {"subject", "chat"}, {"occurred_at", at}});
  };
  // Quiet for 20 days though created today: stale. New today: not. Old activity then a fresh one: not.
  const std::int64_t quiet = lead("Quiet fund", {});
  activity(quiet, "call", in(-20 * 86400s));
  const std::int64_t fresh = lead("Fresh lead", {});
  const std::int64_t revived = lead("Revived lead", {});
  activity(revived, "call", in(-20 * 86400s));
  activity(revived, "email", in(-86400s));
  const std::int64_t won = lead("Won lead", {{"stage", "won"}});
  activity(won, "call", in(-20 * 86400s));
  // A mission that ends in two days: its leads need a first follow-up 7 days later. One
  // that ended ten days ago, before any rule existed: its deadline passed three days ago.
  const auto mission = World::create(m, "events", {{"name", "CES mission"}, {"starts_on", day_in(-2)}, {"ends_on", day_in(2)}});
  const std::int64_t from_mission = lead("Met at CES", {{"source_event_id", mission.at("id")}});
  const std::int64_t followed = lead("Met at CES, followed", {{"source_event_id", mission.at("id")}});
  World::create(m, "followups", {{"title", "Already planned"}, {"due_at", in(86400s)}, {"lead_id", followed}});
  const auto past_mission = World::create(m, "events", {{"name", "Web Summit"}, {"starts_on", day_in(-14)}, {"ends_on", day_in(-10)}});
  const std::int64_t from_past = lead("Met at Web Summit", {{"source_event_id", past_mission.at("id")}});

  World::create(m, "cadence_rules", {{"kind", "stale-stage"}, {"stage", "contacted"}, {"days", 14}});
  World::create(m, "cadence_rules", {{"kind", "after-meeting"}, {"days", 3}});
  World::create(m, "cadence_rules", {{"kind", "mission-deadline"}, {"event_id", mission.at("id")}, {"days", 7}});
  World::create(m, "cadence_rules", {{"kind", "mission-deadline"}, {"event_id", past_mission.at("id")}, {"days", 7}});
  const std::string met_at = in(-3600s);
  activity(fresh, "meeting", met_at);  // after the rule: gets its follow-up

  auto followups_of = [&](HttpClient& as, std::int64_t lead_id) {
    const json::value page = as.get("/api/v1/followups?lead_id=" + std::to_string(lead_id)).json();
    return page.at("items").as_array();
  };
  // The rules run at start, then every minute: a restart runs them now.
  w.daemon.stop();
  w.daemon.start();
  HttpClient member = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  INFO(w.daemon.log().substr(w.daemon.log().size() > 3000 ? w.daemon.log().size() - 3000 : 0));
  REQUIRE(eventually([&] { return followups_of(member, quiet).size() == 1; }, 10s));
  REQUIRE(eventually([&] {
    return followups_of(member, fresh).size() == 1 && followups_of(member, from_mission).size() == 1 &&
           followups_of(member, from_past).size() == 1;
  }, 10s));
  const auto stale = followups_of(member, quiet)[0];
  CHECK(stale.at("title") == "No news for 14 days: Quiet fund");
  CHECK(stale.at("assignee_id") == me);  // the lead's owner
  CHECK(followups_of(member, revived).empty());
  CHECK(followups_of(member, won).empty());
  const auto after = followups_of(member, fresh)[0];
  CHECK(after.at("title") == "Follow up the meeting: chat");
  CHECK(std::string(after.at("due_at").as_string()).substr(0, 10) ==
        in(-3600s + 3 * 86400s).substr(0, 10));
  const auto first = followups_of(member, from_mission)[0];
  CHECK(first.at("due_at").as_string() == day_in(2 + 7) + "T00:00:00.000Z");  // 09:00 in Tokyo, 7 days after the end
  CHECK(first.at("time_zone") == "Asia/Tokyo");
  CHECK(followups_of(member, followed).size() == 1);  // had its first follow-up already
  // The deadline had passed when the rule first ran: due at the deadline all the same, so it
  // is overdue by three days, not due "now" as if the lead had just been met.
  const auto late = followups_of(member, from_past)[0];
  CHECK(late.at("due_at").as_string() == day_in(-10 + 7) + "T00:00:00.000Z");
  const json::value overdue = member.get("/api/v1/followups/overdue").json();
  bool listed_overdue = false;
  for (const auto& i : overdue.at("items").as_array()) listed_overdue |= i.at("id") == late.at("id");
  CHECK(listed_overdue);
  // Once: another pass, after another restart, creates nothing more.
  w.daemon.stop();
  w.daemon.start();
  std::this_thread::sleep_for(700ms);
  HttpClient again = login(w.daemon.port(), "member@alpha.test", "password-of-member@alpha.test");
  CHECK(followups_of(again, quiet).size() == 1);
  CHECK(followups_of(again, fresh).size() == 1);
  CHECK(followups_of(again, from_mission).size() == 1);
  CHECK(followups_of(again, from_past).size() == 1);
}
