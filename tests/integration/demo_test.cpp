// `relance demo`: a fresh data directory filled with the fictional June mission, served as
// it is, the printed logins working; --scale gives exact counts; --seed the same data.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "daemon.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

struct PrintedLogin {
  std::string who, email, password;
};

// The logins `relance demo` printed: "  founder of Photonéa   ana@photonea.example  password: ...".
std::vector<PrintedLogin> logins_in(const std::string& output) {
  static const std::regex line(R"(\n  (\S.*?) +(\S+@\S+)  password: (\S+))");
  std::vector<PrintedLogin> out;
  for (std::sregex_iterator it(output.begin(), output.end(), line), end; it != end; ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3]});
  return out;
}

const PrintedLogin& login_of(const std::vector<PrintedLogin>& logins, const std::string& who_starts) {
  for (const auto& l : logins)
    if (l.who.rfind(who_starts, 0) == 0) return l;
  FAIL("no login printed for " << who_starts);
  static const PrintedLogin none;
  return none;
}

std::pair<int, std::string> demo(const std::filesystem::path& dir, const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{"demo", "--data-dir", dir.string()};
  args.insert(args.end(), more.begin(), more.end());
  return Daemon::run_cli(args);
}

std::string count(const std::filesystem::path& dir, const std::string& sql) {
  return sqlite((dir / "relance.db").string(), sql);
}

json::array items(HttpClient& c, const std::string& target) {
  const auto r = c.get(target);
  INFO(target << ": " << r.body);
  REQUIRE(r.status == 200);
  return r.json().at("items").as_array();
}

}  // namespace

TEST_CASE("relance demo fills a fresh data directory that serves the mission to the logins it printed",
          "[demo]") {
  Daemon daemon;
  const auto [code, output] = demo(daemon.data_dir());
  INFO(output);
  REQUIRE(code == 0);
  CHECK(output.find("relance serve --data-dir " + daemon.data_dir().string()) != std::string::npos);
  CHECK(output.find("http://127.0.0.1:8080/") != std::string::npos);
  const auto logins = logins_in(output);
  REQUIRE(logins.size() == 4);
  const PrintedLogin& staff_login = login_of(logins, "region staff");
  const PrintedLogin& founder_login = login_of(logins, "founder of ");
  CHECK(login_of(logins, "instance admin").email == "admin@relance-demo.example");

  SECTION("a second run on the same directory is refused and changes nothing") {
    const std::string before = count(daemon.data_dir(), "SELECT count(*) FROM contacts");
    const auto [again, said] = demo(daemon.data_dir());
    CHECK(again == 2);
    CHECK(said.find("already holds a database") != std::string::npos);
    CHECK(count(daemon.data_dir(), "SELECT count(*) FROM contacts") == before);
    CHECK(before == "2000");
  }

  SECTION("staff and founders log in with what was printed and see the mission") {
    daemon.start();
    HttpClient staff = login(daemon.port(), staff_login.email, staff_login.password);
    HttpClient founder = login(daemon.port(), founder_login.email, founder_login.password);

    // Every stage of the pipeline has leads, across the start-ups.
    for (const char* stage : {"new", "contacted", "meeting", "proposal", "won", "lost"})
      CHECK_FALSE(items(staff, std::string("/api/v1/leads?stage=") + stage + "&limit=1").empty());
    // Outcomes in euros and dollars, converted with the region's rates.
    for (const char* currency : {"EUR", "USD"}) {
      const auto found = items(staff, std::string("/api/v1/outcomes?currency=") + currency + "&limit=5");
      REQUIRE_FALSE(found.empty());
      CHECK(found.front().as_object().at("amount_eur").is_string());
    }
    CHECK_FALSE(items(staff, "/api/v1/exchange-rates?currency=USD").empty());

    // The funnel has figures, with the time spent in stages.
    const auto funnel_response = staff.get("/api/v1/reports/funnel");
    REQUIRE(funnel_response.status == 200);
    const json::value funnel = funnel_response.json();
    const auto& overall = funnel.at("overall").as_object();
    CHECK(overall.at("leads").as_int64() == 400);
    CHECK(funnel.at("startups").as_array().size() == 30);
    bool some_stay = false;
    for (const auto& s : overall.at("stages").as_array())
      if (s.as_object().at("stays").as_int64() > 0) some_stay = some_stay || s.as_object().at("median_seconds").is_number();
    CHECK(some_stay);

    // The founder's follow-ups: some overdue now, some coming.
    CHECK_FALSE(items(founder, "/api/v1/followups/overdue?assignee=all").empty());
    CHECK_FALSE(items(founder, "/api/v1/followups/upcoming?assignee=all&days=30").empty());

    // A founder sees their own start-up's rows only, and the region's mission.
    const auto me = founder.get("/api/v1/me");
    REQUIRE(me.status == 200);
    const std::int64_t org = me.json().at("org_id").as_int64();
    CHECK(me.json().at("role") == "org-admin");
    const auto leads = items(founder, "/api/v1/leads?limit=200");
    REQUIRE_FALSE(leads.empty());
    for (const auto& l : leads) CHECK(l.as_object().at("org_id").as_int64() == org);
    for (const auto& c : items(founder, "/api/v1/contacts?limit=200")) CHECK(c.as_object().at("org_id").as_int64() == org);
    bool mission = false;
    const std::int64_t region = staff.get("/api/v1/me").json().at("org_id").as_int64();
    for (const auto& e : items(founder, "/api/v1/events")) {
      mission = mission || std::string(e.as_object().at("name").as_string()).rfind("Mission Silicon Valley", 0) == 0;
      const std::int64_t owner = e.as_object().at("org_id").as_int64();
      CHECK((owner == org || owner == region));  // no other start-up's private event
    }
    CHECK(mission);
    CHECK(items(staff, "/api/v1/events").size() > items(founder, "/api/v1/events").size());
    // ...and staff see every start-up's leads, by name.
    std::set<std::int64_t> orgs;
    for (const auto& l : list_all(staff, "leads")) orgs.insert(l.at("org_id").as_int64());
    CHECK(orgs.size() == 30);
    daemon.stop();
  }
}

TEST_CASE("relance demo --scale 3000 writes exactly 3000 contacts, 600 leads and 60 outcomes, the same for the same seed",
          "[demo]") {
  TempDir first, second;
  const auto [code, output] = demo(first.path(), {"--scale", "3000", "--seed", "11"});
  INFO(output);
  REQUIRE(code == 0);
  CHECK(output.find("derived from --seed 11") != std::string::npos);
  CHECK(count(first.path(), "SELECT count(*) FROM contacts") == "3000");
  CHECK(count(first.path(), "SELECT count(*) FROM leads") == "600");
  CHECK(count(first.path(), "SELECT count(*) FROM outcomes") == "60");
  CHECK(count(first.path(), "SELECT count(DISTINCT org_id) FROM contacts") == "30");
  CHECK(count(first.path(), "SELECT count(*) FROM organisations WHERE kind = 'startup'") == "30");
  // Zipf-like: the biggest start-up holds several times the median one's contacts.
  const auto sizes = count(first.path(), "SELECT max(n) > 4 * min(n) FROM (SELECT count(*) AS n FROM contacts GROUP BY org_id)");
  CHECK(sizes == "1");
  // Every record was written as the API writes it: an audit entry and an event each.
  CHECK(count(first.path(), "SELECT count(*) FROM audit_log WHERE entity = 'contacts'") == "3000");
  CHECK(count(first.path(), "SELECT count(*) FROM outbox WHERE type = 'contact.created'") == "3000");
  // ...at the instant it happened: the mission is in the past, the stage changes spread over days.
  CHECK(count(first.path(), "SELECT count(*) FROM leads WHERE created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") == "0");
  CHECK(count(first.path(), "SELECT count(DISTINCT substr(occurred_at, 1, 10)) > 30 FROM activities WHERE kind = 'stage-change'") == "1");
  // The follow-ups overdue now were announced the day they fell due, as a running daemon would.
  const std::string overdue = count(
      first.path(), "SELECT count(*) FROM followups WHERE status IN ('open', 'snoozed') AND due_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  CHECK(overdue != "0");
  CHECK(count(first.path(), "SELECT count(*) FROM outbox WHERE type = 'followup.due'") == overdue);
  CHECK(count(first.path(), "SELECT count(*) FROM outbox WHERE type = 'followup.due' AND substr(at, 1, 10) = date('now')") != overdue);

  const auto [again, same] = demo(second.path(), {"--scale", "3000", "--seed", "11"});
  REQUIRE(again == 0);
  const std::string people = "SELECT group_concat(first_name || ' ' || last_name, ',') FROM contacts";
  CHECK(count(second.path(), people) == count(first.path(), people));
  const std::string stages = "SELECT group_concat(stage || ':' || n) FROM (SELECT stage, count(*) AS n FROM leads GROUP BY stage)";
  CHECK(count(second.path(), stages) == count(first.path(), stages));
  const std::string kinds = "SELECT group_concat(kind || ':' || n) FROM (SELECT kind, count(*) AS n FROM outcomes GROUP BY kind)";
  CHECK(count(second.path(), kinds) == count(first.path(), kinds));
  const auto first_logins = logins_in(output), second_logins = logins_in(same);
  REQUIRE(first_logins.size() == second_logins.size());
  for (std::size_t i = 0; i < first_logins.size(); ++i) {
    CHECK(first_logins[i].email == second_logins[i].email);
    CHECK(first_logins[i].password == second_logins[i].password);  // derived from the seed
  }
}
