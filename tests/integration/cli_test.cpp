// The `relance` command line as a founder uses it against a real daemon: login once (the
// token kept in a 0600 file), then contacts, companies, leads, activities and follow-ups
// without a curl command, merging duplicate contacts and undoing it; exit codes and messages
// for a wrong token, a daemon that is down, a missing record and a bad field; --help
// everywhere; a bash completion that bash reads.
#include <sys/stat.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string founder_email = "member@alpha.test";
const std::string founder_password = "password-of-member@alpha.test";

// A founder's machine: a home directory of their own, and no RELANCE_URL or RELANCE_TOKEN
// unless a test sets them.
struct Laptop {
  TempDir home;
  std::map<std::string, std::string> env;

  Laptop() : env{{"HOME", home.path().string()}, {"XDG_CONFIG_HOME", home.file("config")}} {
    ::unsetenv("RELANCE_URL");
    ::unsetenv("RELANCE_TOKEN");
  }

  fs::path credentials() const { return home.path() / "config" / "relance" / "credentials.toml"; }

  std::pair<int, std::string> run(const std::vector<std::string>& args) const { return Daemon::run_cli(args, env); }

  // Runs a command that must succeed and print JSON.
  json::value json_of(const std::vector<std::string>& args) const {
    auto [code, out] = run(args);
    INFO("relance " << args.front() << " ...: " << out);
    REQUIRE(code == 0);
    return json::parse(out);
  }

  // `relance login`, the password on standard input as a script would give it.
  std::pair<int, std::string> login(std::uint16_t port, const std::string& email, const std::string& password) const {
    std::string cmd = "printf '%s\\n' " + quoted(password) + " | env";
    for (const auto& [k, v] : env) cmd += " " + quoted(k + "=" + v);
    cmd += " " + quoted(RELANCE_BINARY) + " login --url " + quoted("http://127.0.0.1:" + std::to_string(port)) +
           " --email " + quoted(email);
    return shell(cmd);
  }
};

// `relance login` as the founder on their laptop.
void log_in(World& w, const Laptop& laptop) {
  auto [code, out] = laptop.login(w.daemon.port(), founder_email, founder_password);
  INFO(out);
  REQUIRE(code == 0);
}

std::string id_of(const json::value& record) { return std::to_string(record.at("id").as_int64()); }

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777u;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every command path of the completion script ("", "/contact", "/contact/add"...).
std::vector<std::string> command_paths(const std::string& script) {
  std::vector<std::string> paths;
  static const std::regex node("\n    \"([^\"]*)\"\\) words=");
  for (auto it = std::sregex_iterator(script.begin(), script.end(), node); it != std::sregex_iterator(); ++it)
    paths.push_back((*it)[1]);
  return paths;
}

}  // namespace

TEST_CASE("a founder logs in once and the credentials file is 0600 in a 0700 directory, then logs out") {
  World w;
  Laptop laptop;
  auto [code, out] = laptop.login(w.daemon.port(), founder_email, founder_password);
  INFO(out);
  REQUIRE(code == 0);
  CHECK(out.find("logged in") != std::string::npos);
  CHECK(out.find(founder_password) == std::string::npos);
  CHECK(mode_of(laptop.credentials()) == 0600u);
  CHECK(mode_of(laptop.credentials().parent_path()) == 0700u);
  const std::string stored = slurp(laptop.credentials());
  CHECK(stored.find("url = \"http://127.0.0.1:" + std::to_string(w.daemon.port()) + "\"") != std::string::npos);
  CHECK(stored.find("token = \"rl_") != std::string::npos);

  // No environment variables: the stored server and token are used.
  auto [listed, list_out] = laptop.run({"contact", "list"});
  INFO(list_out);
  CHECK(listed == 0);
  CHECK(list_out.find("NAME") != std::string::npos);

  auto [logged_out, logout_out] = laptop.run({"logout"});
  INFO(logout_out);
  CHECK(logged_out == 0);
  CHECK(slurp(laptop.credentials()).find("token =") == std::string::npos);
  auto [after, after_out] = laptop.run({"contact", "list"});
  CHECK(after == 4);
  CHECK(after_out.find("not logged in") != std::string::npos);

  auto [refused, refused_out] = laptop.login(w.daemon.port(), founder_email, "not the password");
  CHECK(refused == 4);
  CHECK(refused_out.find("wrong email or password") != std::string::npos);
}

TEST_CASE("a founder adds a contact with accents and finds it in the table and in the JSON, then shows, edits and removes it") {
  World w;
  Laptop laptop;
  log_in(w, laptop);
  const json::value company = laptop.json_of(
      {"company", "add", "Société Générale Ventures", "--kind", "vc-fund", "--country", "FR", "--tag", "vc", "--json"});
  CHECK(company.at("name") == "Société Générale Ventures");
  const json::value zoe = laptop.json_of({"contact", "add", "--first-name", "Zoé", "--last-name", "Châteauneuf-Müller",
                                          "--email", "zoe@example.fr", "--email", "z2@example.com", "--phone",
                                          "+33 6 12 34 56 78", "--company-id", id_of(company), "--title", "CEO",
                                          "--city", "Genève", "--country", "CH", "--tag", "ces", "--notes",
                                          "Rencontrée au CES", "--json"});
  CHECK(zoe.at("emails").as_array().size() == 2);
  CHECK(zoe.at("phones").as_array()[0] == "+33612345678");
  CHECK(zoe.at("company_id") == company.at("id"));
  laptop.json_of({"contact", "add", "--first-name", "Other", "--tag", "fair", "--json"});

  auto [code, table] = laptop.run({"contact", "list"});
  INFO(table);
  CHECK(code == 0);
  CHECK(table.find("ID  NAME") == 0);
  CHECK(table.find("Zoé Châteauneuf-Müller") != std::string::npos);
  CHECK(table.find("Genève, CH") != std::string::npos);

  const json::value found = laptop.json_of({"contact", "list", "--q", "geneve", "--json"});
  REQUIRE(found.at("items").as_array().size() == 1);
  CHECK(found.at("items").as_array()[0].at("first_name") == "Zoé");
  CHECK(laptop.json_of({"contact", "list", "--tag", "fair", "--json"}).at("items").as_array().size() == 1);

  auto [shown, show_out] = laptop.run({"contact", "show", id_of(zoe)});
  INFO(show_out);
  CHECK(shown == 0);
  CHECK(show_out.find("last_name:") != std::string::npos);
  CHECK(show_out.find("Châteauneuf-Müller") != std::string::npos);

  const json::value edited =
      laptop.json_of({"contact", "edit", id_of(zoe), "--city", "Lyon", "--unset", "title", "--json"});
  CHECK(edited.at("city") == "Lyon");
  CHECK(edited.at("title").is_null());
  CHECK(edited.at("first_name") == "Zoé");

  auto [removed, removed_out] = laptop.run({"contact", "rm", id_of(zoe)});
  INFO(removed_out);
  CHECK(removed == 0);
  CHECK(laptop.run({"contact", "show", id_of(zoe)}).first == 5);
}

TEST_CASE("contact list follows next_cursor with --all and stops at one page without it") {
  World w;
  Laptop laptop;
  log_in(w, laptop);
  for (int i = 0; i < 5; ++i) World::create(w.alpha_member, "contacts", {{"first_name", "P" + std::to_string(i)}});
  const json::value page = laptop.json_of({"contact", "list", "--limit", "2", "--json"});
  CHECK(page.at("items").as_array().size() == 2);
  CHECK(page.at("next_cursor").is_string());
  const json::value all = laptop.json_of({"contact", "list", "--limit", "2", "--all", "--json"});
  CHECK(all.at("items").as_array().size() == 5);
  CHECK(all.at("next_cursor").is_null());
  auto [code, out] = laptop.run({"contact", "list", "--limit", "2"});
  CHECK(code == 0);
  CHECK(out.find("--all") != std::string::npos);
}

TEST_CASE("a lead is added and moved, the stage change shows as an activity, a meeting is logged and a follow-up is snoozed and done") {
  World w;
  Laptop laptop;
  log_in(w, laptop);
  const json::value contact = laptop.json_of({"contact", "add", "--first-name", "Ana", "--json"});
  const json::value lead = laptop.json_of({"lead", "add", "Seed round", "--contact-id", id_of(contact), "--value",
                                           "250000", "--currency", "EUR", "--expected-close", "2030-03-01", "--json"});
  CHECK(lead.at("value") == "250000.00");
  CHECK(lead.at("stage") == "new");

  auto [moved, moved_out] = laptop.run({"lead", "move", id_of(lead), "meeting"});
  INFO(moved_out);
  CHECK(moved == 0);
  CHECK(moved_out.find("moved to meeting") != std::string::npos);
  const json::value changes =
      laptop.json_of({"activity", "list", "--lead-id", id_of(lead), "--kind", "stage-change", "--json"});
  REQUIRE(changes.at("items").as_array().size() == 1);
  CHECK(changes.at("items").as_array()[0].at("from_stage") == "new");
  CHECK(changes.at("items").as_array()[0].at("to_stage") == "meeting");
  CHECK(laptop.json_of({"lead", "list", "--stage", "meeting", "--json"}).at("items").as_array().size() == 1);

  const json::value meeting = laptop.json_of({"log", "meeting", "--lead-id", id_of(lead), "--subject",
                                              "Démo à Sand Hill Road", "--notes", "Ils veulent un pilote",
                                              "--occurred", "2h ago", "--json"});
  CHECK(meeting.at("kind") == "meeting");
  CHECK(meeting.at("subject") == "Démo à Sand Hill Road");

  const json::value followup =
      laptop.json_of({"followup", "add", "Envoyer le deck", "--lead-id", id_of(lead), "--due", "3d", "--json"});
  CHECK(followup.at("status") == "open");
  auto [listed, list_out] = laptop.run({"followup", "list", "--status", "open"});
  INFO(list_out);
  CHECK(listed == 0);
  CHECK(list_out.find("Envoyer le deck") != std::string::npos);

  const json::value snoozed = laptop.json_of({"followup", "snooze", id_of(followup), "1d", "--json"});
  CHECK(snoozed.at("status") == "snoozed");
  CHECK(snoozed.at("due_at").as_string() > followup.at("due_at").as_string());
  const json::value dated = laptop.json_of({"followup", "snooze", id_of(followup), "2031-01-15", "--json"});
  CHECK(dated.at("due_at").as_string().starts_with("2031-01-1"));
  const json::value done = laptop.json_of({"followup", "done", id_of(followup), "--json"});
  CHECK(done.at("status") == "done");
  CHECK(done.at("done_at").is_string());

  // The lead's page: the record, then its timeline and follow-ups.
  auto [shown, show_out] = laptop.run({"lead", "show", id_of(lead)});
  INFO(show_out);
  CHECK(shown == 0);
  CHECK(show_out.find("new → meeting") != std::string::npos);
  CHECK(show_out.find("Démo à Sand Hill Road") != std::string::npos);
  CHECK(show_out.find("Envoyer le deck") != std::string::npos);
}

TEST_CASE("a founder merges a duplicate contact, sees what was filled in and moved, finds the merge in the list and undoes it") {
  World w;
  Laptop laptop;
  laptop.env["RELANCE_URL"] = "http://127.0.0.1:" + std::to_string(w.daemon.port());
  laptop.env["RELANCE_TOKEN"] = w.alpha_member.token();
  const std::string survivor = id_of(World::create(w.alpha_member, "contacts", {{"first_name", "Ana"}, {"last_name", "Lima"}}));
  const std::string duplicate = id_of(World::create(
      w.alpha_member, "contacts", {{"first_name", "Anna"}, {"last_name", "Lima"}, {"city", "Palo Alto"}}));
  const std::string lead = id_of(World::create(w.alpha_member, "leads", {{"title", "Seed round"}, {"contact_id", std::stoll(duplicate)}}));

  auto [merged, merge_out] = laptop.run({"contact", "merge", survivor, duplicate});
  INFO(merge_out);
  REQUIRE(merged == 0);
  std::smatch m;
  REQUIRE(std::regex_search(merge_out, m, std::regex("contact " + duplicate + " merged into contact " + survivor + R"( \(merge (\d+)\))")));
  const std::string merge_id = m[1];
  CHECK(merge_out.find("filled in: city") != std::string::npos);
  CHECK(merge_out.find("moved to contact " + survivor + ": leads " + lead) != std::string::npos);
  CHECK(merge_out.find("relance contact unmerge " + merge_id) != std::string::npos);
  CHECK(laptop.run({"contact", "show", duplicate}).first == 5);

  auto [listed, list_out] = laptop.run({"contact", "merges"});
  INFO(list_out);
  CHECK(listed == 0);
  CHECK(list_out.find("MERGED FROM") != std::string::npos);
  CHECK(list_out.find(duplicate + " Anna Lima") != std::string::npos);
  const json::value page = laptop.json_of({"contact", "merges", "--survivor-id", survivor, "--json"});
  REQUIRE(page.at("items").as_array().size() == 1);
  CHECK(id_of(page.at("items").as_array()[0]) == merge_id);

  auto [unmerged, unmerge_out] = laptop.run({"contact", "unmerge", merge_id});
  INFO(unmerge_out);
  CHECK(unmerged == 0);
  CHECK(unmerge_out.find("merge " + merge_id + " undone: contact " + duplicate + " is back") != std::string::npos);
  CHECK(unmerge_out.find("moved back to contact " + duplicate + ": leads " + lead) != std::string::npos);
  CHECK(unmerge_out.find("fields restored: city") != std::string::npos);
  CHECK(laptop.json_of({"contact", "show", duplicate, "--json"}).at("city") == "Palo Alto");
  auto [again, again_out] = laptop.run({"contact", "unmerge", merge_id});
  CHECK(again == 1);
  CHECK(again_out.find("undone already") != std::string::npos);

  const json::value as_json = laptop.json_of({"contact", "merge", survivor, duplicate, "--json"});
  CHECK(as_json.at("duplicate_id").as_int64() == std::stoll(duplicate));
  CHECK(laptop.json_of({"contact", "unmerge", id_of(as_json), "--json"}).at("undone_at").is_string());
  auto [itself, itself_out] = laptop.run({"contact", "merge", survivor, survivor});
  CHECK(itself == 2);
  CHECK(itself_out.find("itself") != std::string::npos);
  CHECK(laptop.run({"contact", "merge", survivor, "999999"}).first == 5);
  CHECK(laptop.run({"contact", "unmerge", "999999"}).first == 5);
  CHECK(laptop.run({"contact", "merge", survivor}).first == 2);
}

TEST_CASE("a wrong token exits 4 and a daemon that is down exits 3, each with a clear message") {
  World w;
  Laptop laptop;
  laptop.env["RELANCE_URL"] = "http://127.0.0.1:" + std::to_string(w.daemon.port());
  laptop.env["RELANCE_TOKEN"] = "rl_wrong";
  auto [refused, refused_out] = laptop.run({"contact", "list"});
  CHECK(refused == 4);
  CHECK(refused_out.find("refused the token") != std::string::npos);
  CHECK(refused_out.find("relance login") != std::string::npos);

  laptop.env["RELANCE_URL"] = "http://127.0.0.1:1";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"contact", "list"},
                                               {"lead", "add", "X"},
                                               {"followup", "done", "1"}}) {
    auto [down, down_out] = laptop.run(args);
    CHECK(down == 3);
    CHECK(down_out.find("cannot reach the daemon at http://127.0.0.1:1") != std::string::npos);
  }
}

TEST_CASE("a missing id exits 5 and a bad field exits 2 with the API's reason") {
  World w;
  Laptop laptop;
  laptop.env["RELANCE_URL"] = "http://127.0.0.1:" + std::to_string(w.daemon.port());
  laptop.env["RELANCE_TOKEN"] = w.alpha_member.token();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"contact", "show", "999999"},
        {"company", "rm", "999999"},
        {"lead", "move", "999999", "won"},
        {"followup", "snooze", "999999", "1d"}}) {
    auto [code, out] = laptop.run(args);
    INFO(args[0] << " " << args[1] << ": " << out);
    CHECK(code == 5);
    CHECK(out.find("not found") != std::string::npos);
  }
  auto [phone, phone_out] = laptop.run({"contact", "add", "--first-name", "Bad", "--phone", "12"});
  INFO(phone_out);
  CHECK(phone == 2);
  CHECK(phone_out.find("not a valid phone number") != std::string::npos);
  CHECK(phone_out.find("phones/0") != std::string::npos);
  auto [kind, kind_out] = laptop.run({"company", "add", "Acme", "--kind", "bakery"});
  CHECK(kind == 2);
  CHECK(kind_out.find("kind") != std::string::npos);
  auto [stage, stage_out] = laptop.run({"lead", "add", "X", "--stage", "nowhere"});
  CHECK(stage == 2);
  CHECK(stage_out.find("stage") != std::string::npos);
  auto [missing, missing_out] = laptop.run({"company", "add"});
  INFO(missing_out);
  CHECK(missing == 2);
  CHECK(missing_out.find("name") != std::string::npos);
  // Refused by the command line itself: a usage error too.
  CHECK(laptop.run({"contact", "show", "abc"}).first == 2);
  CHECK(laptop.run({"contact", "edit", "1"}).first == 2);
  CHECK(laptop.run({"followup", "snooze", "1", "someday"}).first == 2);
  CHECK(laptop.run({"contact"}).first == 2);
}

TEST_CASE("every command answers --help without a daemon or a login") {
  Laptop laptop;
  auto [code, script] = laptop.run({"completion", "bash"});
  REQUIRE(code == 0);
  const auto paths = command_paths(script);
  CHECK(paths.size() > 30);
  for (const std::string& path : paths) {
    std::vector<std::string> args;
    std::stringstream words(path);
    for (std::string word; std::getline(words, word, '/');)
      if (!word.empty()) args.push_back(word);
    args.push_back("--help");
    auto [help, out] = laptop.run(args);
    INFO("relance" << path << " --help: " << out);
    CHECK(help == 0);
    CHECK(out.find("Usage:") != std::string::npos);
  }
}

TEST_CASE("the completion script is valid bash and completes subcommands and options") {
  Laptop laptop;
  TempDir dir;
  auto [code, script] = laptop.run({"completion", "bash"});
  REQUIRE(code == 0);
  const std::string file = dir.file("relance.bash");
  std::ofstream(file) << script;
  auto [syntax, syntax_out] = shell("bash -n " + quoted(file));
  INFO(syntax_out);
  CHECK(syntax == 0);
  auto complete = [&](const std::string& words, int cword) {
    return shell("bash -c " + quoted("source " + quoted(file) + "; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                     std::to_string(cword) + "; _relance; echo \"${COMPREPLY[*]}\""));
  };
  CHECK(complete("relance fol", 1).second == "followup\n");
  CHECK(complete("relance followup sn", 2).second == "snooze\n");
  CHECK(complete("relance contact add --first-name Zoé --ema", 5).second == "--email\n");
  CHECK(complete("relance lead list --st", 3).second == "--stage\n");
  CHECK(laptop.run({"completion", "zsh"}).first == 2);
}
