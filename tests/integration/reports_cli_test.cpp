// `relance report`: the mission's reports from the command line, as tables in the user's
// language, as the daemon's JSON and as csv or xlsx files; a member asking for another
// start-up is refused, and a report name the command does not know is a usage error.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

constexpr int ok = 0, refused = 1, usage = 2;

struct Terminal {
  TempDir home;
  std::map<std::string, std::string> env;

  Terminal(const World& w, const std::string& token)
      : env{{"HOME", home.path().string()},
            {"XDG_CONFIG_HOME", home.file("config")},
            {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
            {"RELANCE_TOKEN", token},
            {"LANG", "en_US.UTF-8"},
            {"LC_ALL", ""},
            {"LC_MESSAGES", ""}} {}

  std::pair<int, std::string> run(const std::vector<std::string>& args) const { return relance_cli(env, args); }
  std::string ok_output(const std::vector<std::string>& args) const {
    auto [code, out] = run(args);
    INFO("relance " << args[1] << ": " << out);
    REQUIRE(code == ok);
    return out;
  }
};

bool holds(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A mission with one lead and one outcome of each start-up.
struct Seeded {
  World w;
  std::string event;
  Seeded() {
    event = std::to_string(World::create(w.staff, "events", {{"name", "Mission Montréal"}, {"kind", "trade-mission"}})
                               .at("id").as_int64());
    const auto e = std::stoll(event);
    const auto a = World::create(w.alpha_member, "leads", {{"title", "Série A"}, {"stage", "new"}, {"source_event_id", e}});
    const auto b = World::create(w.beta_member, "leads", {{"title", "Cantine"}, {"stage", "new"}, {"source_event_id", e}});
    World::create(w.alpha_member, "outcomes", {{"lead_id", a.at("id")}, {"kind", "investment"}, {"amount", 250000},
                                               {"currency", "EUR"}, {"jobs", 2}});
    World::create(w.beta_member, "outcomes", {{"lead_id", b.at("id")}, {"kind", "pilot"}, {"amount", 1200.5},
                                              {"currency", "USD"}});
  }
};

}  // namespace

TEST_CASE("relance report prints the mission's figures as tables in the user's language") {
  Seeded s;
  const Terminal staff(s.w, s.w.staff.token());
  const std::string funnel = staff.ok_output({"report", "funnel", "--event", s.event});
  CHECK(holds(funnel, "Funnel\n"));
  CHECK(holds(funnel, "Start-up"));
  CHECK(holds(funnel, "All start-ups"));
  CHECK(holds(funnel, "Alpha Robotics"));
  CHECK(holds(funnel, "Beta Foods"));
  const std::string outcomes = staff.ok_output({"report", "outcomes", "--event", s.event});
  CHECK(holds(outcomes, "250000.00"));
  CHECK(holds(outcomes, "USD 1200.50"));

  // A French user reads French headers and stage names.
  const auto me = s.w.staff.get("/api/v1/me").json().as_object();
  REQUIRE(s.w.admin.patch("/api/v1/users/" + std::to_string(me.at("id").as_int64()), json::object{{"locale", "fr"}})
              .status == 200);
  const std::string french = staff.ok_output({"report", "summary", "--event", s.event});
  CHECK(holds(french, "Entonnoir"));
  CHECK(holds(french, "Toutes les start-up"));
  CHECK(holds(french, "Étape"));
  CHECK(holds(french, "Nouveau"));
  CHECK(holds(french, "Discipline de relance"));
  CHECK(holds(french, "250000,00"));  // a decimal comma
}

TEST_CASE("relance report writes the daemon's JSON and csv or xlsx files") {
  Seeded s;
  const Terminal staff(s.w, s.w.staff.token());
  const json::object doc = json::parse(staff.ok_output({"report", "outcomes", "--event", s.event, "--format", "json"}))
                               .as_object();
  CHECK(doc.at("totals").at("count") == 2);
  CHECK(doc.at("totals").at("amount_eur").as_double() == Approx(250000.0));

  const std::string csv = staff.home.file("outcomes.csv");
  staff.ok_output({"report", "outcomes", "--event", s.event, "--format", "csv", "--lang", "en", "-o", csv});
  std::ifstream in(csv, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(holds(text.str(), "Alpha Robotics"));
  CHECK(!std::filesystem::exists(csv + ".part"));

  const std::string xlsx = staff.home.file("summary.xlsx");
  staff.ok_output({"report", "summary", "--event", s.event, "--format", "xlsx", "-o", xlsx});
  auto [code, sheets] = shell(quoted(RELANCE_TEST_PYTHON) + " -c " +
                              quoted("import openpyxl,sys\nprint(' '.join(openpyxl.load_workbook(sys.argv[1]).sheetnames))") +
                              " " + quoted(xlsx));
  INFO(sheets);
  REQUIRE(code == 0);
  CHECK(holds(sheets, "funnel outcomes followup_discipline stale definitions"));
}

TEST_CASE("relance report refuses another start-up's figures to a member and an unknown report as usage") {
  Seeded s;
  const Terminal member(s.w, s.w.alpha_member.token());
  auto [code, out] = member.run({"report", "stale", "--org", std::to_string(s.w.beta_id)});
  CHECK(code == refused);
  CHECK(holds(out, "own organisation"));
  const std::string mine = member.ok_output({"report", "funnel", "--event", s.event});
  CHECK(holds(mine, "Alpha Robotics"));
  CHECK(!holds(mine, "Beta Foods"));
  CHECK(member.run({"report", "pipeline"}).first == usage);
  CHECK(member.run({"report", "funnel", "--from", "someday"}).first == usage);
}
