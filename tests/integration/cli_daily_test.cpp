// A founder's daily tasks through the `relance` command line against a real daemon, without
// curl: the mission events, the outcomes of her leads (shown on the lead and on the event),
// the activity log, the plugin instances of her organisation; an unknown command that lists
// the real ones in every group; the documented exit codes (403 is "refused", 1).
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

// The CLI as one user of the world, through RELANCE_URL and RELANCE_TOKEN.
struct As {
  std::map<std::string, std::string> env;

  As(const World& w, const HttpClient& user)
      : env{{"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())}, {"RELANCE_TOKEN", user.token()}} {}

  std::pair<int, std::string> run(const std::vector<std::string>& args) const { return Daemon::run_cli(args, env); }

  // A command that must succeed; its output.
  std::string ok(const std::vector<std::string>& args) const {
    auto [code, out] = run(args);
    INFO("relance " << args.front() << " " << (args.size() > 1 ? args[1] : "") << ": " << out);
    REQUIRE(code == 0);
    return out;
  }
  json::value json_of(std::vector<std::string> args) const {
    args.push_back("--json");
    return json::parse(ok(args));
  }
};

std::string id_of(const json::value& record) { return std::to_string(record.at("id").as_int64()); }

bool holds(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a founder records a trade mission and the outcomes of her leads, and sees them on the lead and on the event") {
  World w;
  const As founder(w, w.alpha_member);

  const auto mission = founder.json_of({"event", "add", "Mission Silicon Valley — juin 🚀", "--kind", "trade-mission",
                                        "--city", "San Francisco", "--country", "US", "--starts-on", "2026-06-08",
                                        "--ends-on", "2026-06-12"});
  const std::string event_id = id_of(mission);
  CHECK(mission.at("kind") == "trade-mission");
  const std::string events = founder.ok({"event", "list"});
  CHECK(holds(events, "Mission Silicon Valley — juin 🚀"));
  CHECK(holds(events, "San Francisco, US"));

  const auto lead = founder.json_of({"lead", "add", "Série A — Élan Ventures", "--value", "500000", "--currency", "EUR"});
  const std::string lead_id = id_of(lead);
  const auto outcome = founder.json_of({"outcome", "add", "investment", "--lead-id", lead_id, "--event-id", event_id,
                                        "--amount", "500000", "--currency", "EUR", "--evidence",
                                        "Term sheet signée à Lyon"});
  const std::string outcome_id = id_of(outcome);
  CHECK(outcome.at("lead_id").as_int64() == lead.at("id").as_int64());
  CHECK(outcome.at("event_id").as_int64() == mission.at("id").as_int64());

  // An outcome of the same lead with no mission: the event is optional.
  const auto hire = founder.json_of({"outcome", "add", "hire", "--lead-id", lead_id, "--jobs", "3"});
  CHECK(hire.at("event_id").is_null());

  const auto of_lead = founder.json_of({"outcome", "list", "--lead-id", lead_id});
  CHECK(of_lead.at("items").as_array().size() == 2);
  const auto of_event = founder.json_of({"outcome", "list", "--event-id", event_id});
  REQUIRE(of_event.at("items").as_array().size() == 1);
  CHECK(id_of(of_event.at("items").as_array()[0]) == outcome_id);

  CHECK(holds(founder.ok({"outcome", "edit", outcome_id, "--jobs", "4"}), "outcome " + outcome_id + " updated"));
  const std::string shown = founder.ok({"outcome", "show", outcome_id});
  CHECK(holds(shown, "jobs:"));
  CHECK(holds(shown, "4"));
  CHECK(holds(shown, "Term sheet signée à Lyon"));

  // lead show: the lead, then its outcomes among its activities and follow-ups.
  const std::string lead_shown = founder.ok({"lead", "show", lead_id});
  CHECK(holds(lead_shown, "Série A — Élan Ventures"));
  REQUIRE(holds(lead_shown, "Outcomes"));
  const std::string outcomes_part = lead_shown.substr(lead_shown.find("Outcomes"));
  CHECK(holds(outcomes_part, "investment"));
  CHECK(holds(outcomes_part, "hire"));
  CHECK(holds(outcomes_part, "Term sheet signée à Lyon"));

  // event show: the event, then what it produced.
  const std::string event_shown = founder.ok({"event", "show", event_id});
  CHECK(holds(event_shown, "Mission Silicon Valley — juin 🚀"));
  REQUIRE(holds(event_shown, "Outcomes"));
  CHECK(holds(event_shown.substr(event_shown.find("Outcomes")), "investment"));
  CHECK_FALSE(holds(event_shown.substr(event_shown.find("Outcomes")), "hire"));

  // An outcome pointing at no lead of hers is refused with the field named, nothing kept.
  auto [bad, bad_out] = founder.run({"outcome", "add", "pilot", "--lead-id", "999999"});
  INFO(bad_out);
  CHECK(bad == 2);
  CHECK(holds(bad_out, "lead_id"));
  CHECK(founder.json_of({"outcome", "list"}).at("items").as_array().size() == 2);
}

TEST_CASE("activity list shows the stage changes and meetings of a lead, newest first") {
  World w;
  const As founder(w, w.alpha_member);
  const std::string lead_id = id_of(founder.json_of({"lead", "add", "Pilote — Brasserie Ødegaard"}));
  founder.ok({"lead", "move", lead_id, "meeting"});
  founder.ok({"log", "meeting", "--lead-id", lead_id, "--subject", "Démo à Lyon ☕", "--occurred", "1h ago"});

  const std::string table = founder.ok({"activity", "list", "--lead-id", lead_id});
  CHECK(holds(table, "stage-change"));
  CHECK(holds(table, "Démo à Lyon ☕"));
  CHECK(table.find("stage-change") < table.find("Démo à Lyon ☕"));  // the move is the newest
  const auto meetings = founder.json_of({"activity", "list", "--lead-id", lead_id, "--kind", "meeting"});
  CHECK(meetings.at("items").as_array().size() == 1);
}

TEST_CASE("an unknown or missing command says so and lists the real commands of its group, exit 2") {
  World w;
  const As founder(w, w.alpha_member);
  struct Case {
    std::vector<std::string> args;
    std::string says;
    std::vector<std::string> lists;
  };
  const std::vector<Case> cases{
      {{"frobnicate"}, "`frobnicate` is not a command", {"contact", "event", "outcome", "plugin", "login"}},
      {{"contact", "delete", "3"}, "relance contact: `delete` is not a command", {"add", "list", "show", "edit", "rm", "merge"}},
      {{"outcome", "remove"}, "relance outcome: `remove` is not a command", {"add", "list", "show", "edit", "rm"}},
      {{"event"}, "relance event: which command?", {"add", "list", "show"}},
      {{"plugin", "instanse"}, "relance plugin: `instanse` is not a command", {"list"}},
      {{"followup", "tomorow"}, "relance followup: `tomorow` is not a command", {"today", "overdue", "upcoming"}},
  };
  for (const Case& c : cases) {
    auto [code, out] = founder.run(c.args);
    INFO("relance " << c.args.front() << ": " << out);
    CHECK(code == 2);
    CHECK(holds(out, c.says));
    for (const std::string& command : c.lists) CHECK(holds(out, "\n  " + command + " "));
  }
  // A mistake that is not a command's name keeps CLI11's own message.
  auto [bad_option, bad_option_out] = founder.run({"contact", "list", "--colour", "red"});
  CHECK(bad_option == 2);
  CHECK(holds(bad_option_out, "--colour"));
}

TEST_CASE("a logged-in user whose role may not do something exits 1 refused, a refused token exits 4") {
  World w;
  const As member(w, w.alpha_member);
  auto [refused, refused_out] = member.run({"plugin", "list"});
  INFO(refused_out);
  CHECK(refused == 1);
  CHECK(holds(refused_out, "refused"));
  CHECK_FALSE(holds(refused_out, "relance login"));

  As wrong = member;
  wrong.env["RELANCE_TOKEN"] = "rl_not-a-token";
  auto [unauthorised, unauthorised_out] = wrong.run({"event", "list"});
  INFO(unauthorised_out);
  CHECK(unauthorised == 4);
  CHECK(holds(unauthorised_out, "relance login"));
}

TEST_CASE("an org-admin sets up the email reminder from the CLI: documented settings, add, show without secrets, edit, rm") {
  World w(std::map<std::string, std::string>{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}});
  const As admin(w, w.alpha_admin);
  const std::string plugin = "org.relance.email-reminder";

  const std::string documented = admin.ok({"plugin", "settings", plugin});
  for (const std::string setting : {"smtp_url", "starttls", "username", "password", "from", "connect_timeout_ms",
                                    "timeout_ms", "insecure_tls", "message_id_domain"})
    CHECK(holds(documented, "\n" + setting + " "));
  CHECK(holds(documented, "one of: required, try, no"));
  CHECK(holds(documented, "url, required"));   // smtp_url: its type and need, as the plugin declares them
  CHECK(holds(documented, "email, required"));
  const auto as_json = admin.json_of({"plugin", "settings", plugin});
  CHECK(as_json.at("settings").as_array().size() == 9);

  const auto created = admin.json_of({"plugin", "instance", "add", plugin, "Rappels de l'équipe ✉", "-s",
                                      "smtp_url=smtp://smtp.alpha.test:587", "-s", "from=Relance <relance@alpha.test>",
                                      "-s", "username=relance", "-s", "password=mot de passe très secret", "-s",
                                      "timeout_ms=3000", "--event", "followup.due", "--event", "digest.due"});
  const std::string id = id_of(created);
  const auto& settings = created.at("settings").as_object();
  CHECK(settings.at("timeout_ms").as_int64() == 3000);  // a number, as the plugin wants it
  CHECK(settings.at("from") == "Relance <relance@alpha.test>");
  CHECK(settings.at("password") == "(set)");
  CHECK(created.at("events").as_array().size() == 2);

  const std::string shown = admin.ok({"plugin", "instance", "show", id});
  CHECK(holds(shown, "Rappels de l'équipe ✉"));
  CHECK(holds(shown, "smtp://smtp.alpha.test:587"));
  CHECK(holds(shown, "(set)"));
  CHECK_FALSE(holds(shown, "très secret"));
  CHECK(holds(shown, "delivery:"));

  // edit merges the settings given: the password stays, timeout_ms goes, starttls arrives.
  CHECK(holds(admin.ok({"plugin", "instance", "edit", id, "-s", "starttls=required", "--unset-setting", "timeout_ms",
                        "--name", "Rappels", "--disable"}),
              "plugin instance " + id + " updated"));
  const auto edited = admin.json_of({"plugin", "instance", "show", id});
  const auto& now = edited.at("settings").as_object();
  CHECK(edited.at("name") == "Rappels");
  CHECK(edited.at("enabled") == false);
  CHECK(now.at("starttls") == "required");
  CHECK(now.at("password") == "(set)");
  CHECK_FALSE(now.contains("timeout_ms"));
  CHECK(now.at("smtp_url") == "smtp://smtp.alpha.test:587");

  // Mistakes: a bad setting is refused by the plugin's rules, nothing changes.
  auto [bad, bad_out] = admin.run({"plugin", "instance", "edit", id, "-s", "timeout_ms"});
  CHECK(bad == 2);
  CHECK(holds(bad_out, "KEY=VALUE"));
  auto [missing, missing_out] = admin.run({"plugin", "settings", "org.example.nothing"});
  CHECK(missing == 5);
  CHECK(holds(missing_out, "org.example.nothing"));

  // A member of the organisation may not see it: refused, exit 1.
  const As member(w, w.alpha_member);
  auto [refused, refused_out] = member.run({"plugin", "instance", "show", id});
  INFO(refused_out);
  CHECK(refused == 1);

  CHECK(holds(admin.ok({"plugin", "instance", "rm", id}), "plugin instance " + id + " removed"));
  CHECK(admin.run({"plugin", "instance", "show", id}).first == 5);
}
