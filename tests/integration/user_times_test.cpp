// Times are the user's, and so are the words (issue 14): a founder in Los Angeles types
// "tomorrow 09:00" on a laptop whose TZ says Tokyo and the follow-up is due at 09:00 in Los
// Angeles; tables show her clock with its abbreviation, --json adds due_local; a user
// created without a zone gets the daemon's; a French user gets French sentences from the
// command line and a French page behind a reminder's link, with local times and the zone.
// Expected instants are computed from the zone's rules (python3's zoneinfo), never written.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string los_angeles = "America/Los_Angeles";

// What python3's zoneinfo says of 09:00 in `zone`, `days` after its today: the UTC instant
// as the daemon writes it, the local date and the zone's abbreviation that day.
struct Expected {
  std::string utc, date, abbreviation;
};
Expected nine_in(const std::string& zone, int days) {
  const std::string script =
      "import datetime, zoneinfo\n"
      "z = zoneinfo.ZoneInfo('" + zone + "')\n"
      "d = datetime.datetime.now(z).date() + datetime.timedelta(days=" + std::to_string(days) + ")\n"
      "t = datetime.datetime(d.year, d.month, d.day, 9, 0, tzinfo=z)\n"
      "print(t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z'), d.isoformat(), t.strftime('%Z'), sep='|')\n";
  auto [code, out] = shell("python3 -c " + quoted(script));
  REQUIRE(code == 0);
  const auto a = out.find('|'), b = out.find('|', a + 1);
  std::string abbreviation = out.substr(b + 1);
  while (!abbreviation.empty() && (abbreviation.back() == '\n' || abbreviation.back() == '\r')) abbreviation.pop_back();
  return {out.substr(0, a), out.substr(a + 1, b - a - 1), abbreviation};
}
Expected nine_tomorrow(const std::string& zone) { return nine_in(zone, 1); }

// Now plus an offset, as RFC 3339 UTC.
std::string utc_in(std::chrono::seconds from_now) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
  return buf;
}

// A user of Alpha with their own zone and language, logged in.
HttpClient person(World& w, const std::string& email, const std::string& zone, const std::string& locale) {
  const std::string password = "password-of-" + email;
  World::create(w.admin, "users",
                {{"org_id", w.alpha_id}, {"email", email}, {"role", "member"}, {"password", password},
                 {"display_name", "Léa Martin 🌉"}, {"time_zone", zone}, {"locale", locale}});
  return login(w.daemon.port(), email, password);
}

// The `relance` command on a laptop whose own clock says `tz`, as `as`.
struct Laptop {
  TempDir home;
  std::map<std::string, std::string> env;
  Laptop(const World& w, const HttpClient& as, const std::string& tz)
      : env{{"HOME", home.path().string()},
            {"XDG_CONFIG_HOME", home.file("config")},
            {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(w.daemon.port())},
            {"RELANCE_TOKEN", as.token()},
            {"TZ", tz},
            {"LANG", "C.UTF-8"},
            {"LC_ALL", ""}} {}
  std::pair<int, std::string> run(const std::vector<std::string>& args) const { return Daemon::run_cli(args, env); }
};

std::string id_of(const json::value& v) { return std::to_string(v.at("id").as_int64()); }
std::string text_at(const json::value& v, const char* key) {
  const json::value& x = v.at(key);
  return x.is_string() ? std::string(x.as_string()) : json::serialize(x);
}

}  // namespace

TEST_CASE("a Los Angeles user's follow-up due tomorrow 09:00 is 09:00 in Los Angeles whatever TZ the CLI runs under") {
  World w;
  HttpClient lea = person(w, "lea@alpha.test", los_angeles, "en");
  for (const std::string tz : {"Asia/Tokyo", "Europe/Paris", "UTC"}) {
    INFO("TZ=" << tz);
    const Laptop laptop(w, lea, tz);
    const Expected expected = nine_tomorrow(los_angeles);
    auto [code, out] = laptop.run({"followup", "add", "Call Léa about the pilot 📞", "--due", "tomorrow 09:00", "--json"});
    INFO(out);
    REQUIRE(code == 0);
    const json::value created = json::parse(out);
    CHECK(text_at(created, "due_at") == expected.utc);
    CHECK(text_at(created, "due_local") == expected.date + "T09:00:00");
    // Stored so: the API says the same.
    CHECK(text_at(lea.get("/api/v1/followups/" + id_of(created)).json(), "due_at") == expected.utc);

    // The table and the record show her clock, with the zone's abbreviation.
    auto [show_code, shown] = laptop.run({"followup", "show", id_of(created)});
    INFO(shown);
    CHECK(show_code == 0);
    CHECK(shown.find(expected.date + " 09:00 " + expected.abbreviation) != std::string::npos);
    auto [list_code, table] = laptop.run({"followup", "list"});
    CHECK(list_code == 0);
    CHECK(table.find(expected.date + " 09:00 " + expected.abbreviation) != std::string::npos);
  }
}

TEST_CASE("a wall-clock time is read in the zone that --time-zone names, French forms too") {
  World w;
  HttpClient lea = person(w, "lea@alpha.test", los_angeles, "en");
  const Laptop laptop(w, lea, "Asia/Tokyo");
  const Expected paris = nine_tomorrow("Europe/Paris");
  auto [code, out] = laptop.run({"followup", "add", "Appeler Zoé", "--due", "demain 9h", "--time-zone", "Europe/Paris", "--json"});
  INFO(out);
  REQUIRE(code == 0);
  CHECK(text_at(json::parse(out), "due_at") == paris.utc);
  CHECK(json::parse(out).at("time_zone") == "Europe/Paris");

  // An activity has no zone of its own: --time-zone only says how to read the time.
  const Expected tokyo = nine_in("Asia/Tokyo", 0);
  auto [a_code, a_out] = laptop.run({"log", "call", "--occurred", "aujourd'hui 9h", "--time-zone", "Asia/Tokyo",
                                     "--subject", "Appel à Zoé", "--json"});
  INFO(a_out);
  REQUIRE(a_code == 0);
  CHECK(text_at(json::parse(a_out), "occurred_at") == tokyo.utc);
}

TEST_CASE("list ranges read typed times in the user's zone, a day alone from its first moment there") {
  World w;
  HttpClient lea = person(w, "lea-ranges@alpha.test", los_angeles, "en");
  const Laptop laptop(w, lea, "Asia/Tokyo");
  // Los Angeles' midnight today, from the zone's rules; one activity at that moment, one a
  // minute before it (yesterday there, whatever Tokyo's date is).
  const std::string script =
      "import datetime, zoneinfo\n"
      "z = zoneinfo.ZoneInfo('America/Los_Angeles')\n"
      "d = datetime.datetime.now(z).date()\n"
      "t = datetime.datetime(d.year, d.month, d.day, tzinfo=z).astimezone(datetime.timezone.utc)\n"
      "f = '%Y-%m-%dT%H:%M:%SZ'\n"
      "print(t.strftime(f), (t - datetime.timedelta(minutes=1)).strftime(f), d.isoformat(), sep='|')\n";
  auto [code, out] = shell("python3 -c " + quoted(script));
  REQUIRE(code == 0);
  const auto bar = out.find('|'), bar2 = out.find('|', bar + 1);
  const std::string midnight = out.substr(0, bar), before = out.substr(bar + 1, bar2 - bar - 1);
  std::string today = out.substr(bar2 + 1);
  while (!today.empty() && (today.back() == '\n' || today.back() == '\r')) today.pop_back();
  const std::string at_midnight = id_of(World::create(lea, "activities", {{"kind", "call"}, {"subject", "Appel à minuit"}, {"occurred_at", midnight}}));
  const std::string just_before = id_of(World::create(lea, "activities", {{"kind", "note"}, {"subject", "La veille 🌙"}, {"occurred_at", before}}));

  auto ids = [&](const std::vector<std::string>& args) {
    std::vector<std::string> command{"activity", "list", "--json"};
    command.insert(command.end(), args.begin(), args.end());
    auto [list_code, listed] = laptop.run(command);
    INFO(listed);
    REQUIRE(list_code == 0);
    std::vector<std::string> out_ids;
    const json::value page = json::parse(listed);
    for (const auto& item : page.at("items").as_array()) out_ids.push_back(id_of(item));
    std::sort(out_ids.begin(), out_ids.end());
    return out_ids;
  };
  for (const std::string& day : {std::string("today"), today, std::string("aujourd'hui")}) {
    INFO("--occurred-from " << day);
    CHECK(ids({"--occurred-from", day}) == std::vector<std::string>{at_midnight});
    CHECK(ids({"--occurred-to", day}) == std::vector<std::string>{just_before});
  }
  // A time of day and a relative form are read as for --due.
  CHECK(ids({"--occurred-from", today + " 00:00", "--occurred-to", "in 1h"}) == std::vector<std::string>{at_midnight});
  CHECK(ids({"--occurred-from", "3d ago"}).size() == 2);

  // A date field's range takes the user's local date of what is typed.
  World::create(lea, "leads", {{"title", "Pilote Intel"}, {"expected_close", today}});
  auto [lead_code, leads] = laptop.run({"lead", "list", "--expected-close-from", "today", "--json"});
  INFO(leads);
  REQUIRE(lead_code == 0);
  CHECK(json::parse(leads).at("items").as_array().size() == 1);

  // An unreadable bound is refused with the forms, naming the option.
  auto [bad_code, refused] = laptop.run({"activity", "list", "--occurred-from", "la semaine dernière"});
  CHECK(bad_code == 2);
  CHECK(refused.find("--occurred-from: cannot read \"la semaine dernière\" as a time. Accepted forms:") != std::string::npos);
}

TEST_CASE("an unreadable --due is refused with the accepted forms and nothing is created") {
  World w;
  HttpClient lea = person(w, "lea@alpha.test", los_angeles, "en");
  const Laptop laptop(w, lea, "Asia/Tokyo");
  const auto before = list_all(lea, "followups").size();
  auto [code, out] = laptop.run({"followup", "add", "Call Léa", "--due", "next blue moon"});
  INFO(out);
  CHECK(code == 2);
  for (const char* form : {"next blue moon", "tomorrow 09:00", "demain 9h", "mon 14:30", "in 2h", "3d", "RFC 3339"})
    CHECK(out.find(form) != std::string::npos);
  auto [zone_code, zone_out] = laptop.run({"followup", "add", "Call Léa", "--due", "tomorrow 09:00", "--time-zone", "Mars/Olympus"});
  CHECK(zone_code == 2);
  CHECK(zone_out.find("Mars/Olympus") != std::string::npos);
  CHECK(list_all(lea, "followups").size() == before);
}

TEST_CASE("a user created without a time zone gets the daemon's default zone") {
  World w(std::map<std::string, std::string>{{"RELANCE_FOLLOWUPS_DEFAULT_TIME_ZONE", "America/New_York"}});
  const auto user = World::create(w.admin, "users",
                                  {{"org_id", w.alpha_id}, {"email", "noa@alpha.test"}, {"role", "member"},
                                   {"password", "password-of-noa"}, {"display_name", "Noa"}});
  CHECK(user.at("time_zone") == "America/New_York");
  const auto chosen = World::create(w.admin, "users",
                                    {{"org_id", w.alpha_id}, {"email", "kai@alpha.test"}, {"role", "member"},
                                     {"password", "password-of-kai"}, {"display_name", "Kai"},
                                     {"time_zone", "Asia/Tokyo"}});
  CHECK(chosen.at("time_zone") == "Asia/Tokyo");
  CHECK(w.alpha_member.get("/api/v1/me").json().at("time_zone") == "America/New_York");
}

TEST_CASE("a user created without a language gets the daemon's default one, and the command line speaks it") {
  World w(std::map<std::string, std::string>{{"RELANCE_ACCOUNTS_DEFAULT_LOCALE", "fr"}});
  HttpClient& unset = w.alpha_member;  // created by World without a locale
  CHECK(unset.get("/api/v1/me").json().at("locale") == "fr");
  CHECK(w.admin.get("/api/v1/me").json().at("locale") == "fr");  // the first-run administrator too
  const auto chosen = World::create(w.admin, "users",
                                    {{"org_id", w.alpha_id}, {"email", "kai-en@alpha.test"}, {"role", "member"},
                                     {"password", "password-of-kai"}, {"locale", "en"}});
  CHECK(chosen.at("locale") == "en");
  // The laptop's language says English; the user's own (the default) wins.
  Laptop laptop(w, unset, "UTC");
  laptop.env["LANG"] = "en_US.UTF-8";
  auto [code, out] = laptop.run({"followup", "overdue"});
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("rien en retard") != std::string::npos);

  // A daemon told otherwise gives English.
  Daemon english(std::map<std::string, std::string>{{"RELANCE_ACCOUNTS_DEFAULT_LOCALE", "en"}});
  english.start();
  CHECK(english.admin().get("/api/v1/me").json().at("locale") == "en");
  // And refuses a language it does not speak, naming the setting.
  Daemon german(std::map<std::string, std::string>{{"RELANCE_ACCOUNTS_DEFAULT_LOCALE", "de"}});
  CHECK_THROWS(german.start());
  CHECK(german.log().find("default_locale") != std::string::npos);
}

TEST_CASE("a French user gets the command line's sentences in French") {
  World w;
  HttpClient zoe = person(w, "zoe@alpha.test", "Europe/Paris", "fr");
  const Laptop laptop(w, zoe, "America/New_York");
  const auto f = World::create(zoe, "followups", {{"title", "Relancer Chloé"}, {"due_at", utc_in(std::chrono::hours(24 * 30))}});
  auto [code, out] = laptop.run({"followup", "done", id_of(f)});
  INFO(out);
  CHECK(code == 0);
  CHECK(out.find("faite") != std::string::npos);
  auto [bad_code, bad] = laptop.run({"followup", "add", "Relancer Chloé", "--due", "la semaine des quatre jeudis"});
  INFO(bad);
  CHECK(bad_code == 2);
  CHECK(bad.find("Formes acceptées") != std::string::npos);
  CHECK(bad.find("demain 9h") != std::string::npos);
  // Snoozed to a French wall-clock time, read on her clock and said back on it.
  const auto later = World::create(zoe, "followups", {{"title", "Envoyer le devis"}, {"due_at", utc_in(3600s)}});
  const Expected paris = nine_tomorrow("Europe/Paris");
  auto [snooze_code, snoozed] = laptop.run({"followup", "snooze", id_of(later), "demain 9h"});
  INFO(snoozed);
  CHECK(snooze_code == 0);
  CHECK(snoozed.find("reportée au " + paris.date + " 09:00 " + paris.abbreviation) != std::string::npos);
  CHECK(text_at(zoe.get("/api/v1/followups/" + id_of(later)).json(), "due_at") == paris.utc);
  auto [missing_code, missing] = laptop.run({"followup", "show", "999999"});
  CHECK(missing_code == 5);
  CHECK(missing.find("introuvable") != std::string::npos);
}

TEST_CASE("a French user's reminder link shows a French page with the local time and the zone") {
  World w(std::map<std::string, std::string>{{"RELANCE_FOLLOWUPS_TICK_MS", "100"}});
  HttpClient zoe = person(w, "zoe@alpha.test", "Europe/Paris", "fr");
  const auto lead = World::create(zoe, "leads", {{"title", "Pilote chez Acmé"}, {"stage", "meeting"}});
  const std::int64_t me = zoe.get("/api/v1/me").json().at("id").as_int64();
  const std::string due = utc_in(-2s);
  const auto f = World::create(zoe, "followups",
                               {{"title", "Relancer Chloé ✉️"}, {"due_at", due}, {"assignee_id", me},
                                {"lead_id", lead.at("id")}});
  const std::string id = id_of(f);
  const std::string query = "SELECT payload FROM outbox WHERE type = 'followup.due' AND entity_id = " + id;
  REQUIRE(eventually([&] { return !sqlite(w.daemon.database(), query).empty(); }, 10s));
  const json::value event = json::parse(sqlite(w.daemon.database(), query));
  // The event tells the plugins the stage's name in the recipient's language.
  CHECK(text_at(event.at("lead"), "stage") == "meeting");
  CHECK(event.at("lead").at("stage_label") == "Rendez-vous");

  const std::string done_url(event.at("links").at("done").as_string());
  const std::string done = done_url.substr(done_url.find("/api/v1/"));
  HttpClient anyone = w.daemon.client();
  auto page = anyone.request("GET", done, {}, {{"Accept", "text/html"}});
  INFO(page.body);
  CHECK(page.status == 200);
  CHECK(page.body.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(page.body.find("Marquer comme fait") != std::string::npos);
  CHECK(page.body.find("Relancer Chloé ✉️") != std::string::npos);
  CHECK(page.body.find("Ce lien a été envoyé à") != std::string::npos);
  // The due time on her clock, with the zone: "Prévue le 2026-12-05 09:00 CET."
  auto [code, local] = shell("python3 -c " + quoted("import datetime, zoneinfo\n"
                                                     "t = datetime.datetime.fromisoformat('" + due.substr(0, 19) +
                                                     "+00:00').astimezone(zoneinfo.ZoneInfo('Europe/Paris'))\n"
                                                     "print(t.strftime('%Y-%m-%d %H:%M %Z'), end='')\n"));
  REQUIRE(code == 0);
  CHECK(page.body.find("Prévue le " + local) != std::string::npos);

  auto acted = anyone.request("POST", done, {}, {{"Accept", "text/html"}});
  INFO(acted.body);
  CHECK(acted.status == 200);
  CHECK(acted.body.find("C’est fait") != std::string::npos);
  CHECK(acted.body.find("est faite") != std::string::npos);
  auto again = anyone.request("POST", done, {}, {{"Accept", "text/html"}});
  CHECK(again.body.find("était déjà faite") != std::string::npos);
}

TEST_CASE("a reminder link's page speaks its recipient's language, else the browser's, refusals included") {
  // Links that expire at once: every link below is past its expiry when followed.
  World w(std::map<std::string, std::string>{{"RELANCE_FOLLOWUPS_TICK_MS", "100"}, {"RELANCE_FOLLOWUPS_LINK_HOURS", "0"}});
  HttpClient zoe = person(w, "zoe-expired@alpha.test", "Europe/Paris", "fr");
  HttpClient& sam = w.alpha_member;  // without a language: none chosen (a user from before every user had one)
  REQUIRE(sam.patch("/api/v1/users/" + std::to_string(sam.get("/api/v1/me").json().at("id").as_int64()),
                    json::object{{"locale", nullptr}}).status == 200);
  auto done_link = [&](HttpClient& as, const std::string& title) {
    const std::int64_t me = as.get("/api/v1/me").json().at("id").as_int64();
    const std::string id = id_of(World::create(as, "followups", {{"title", title}, {"due_at", utc_in(-2s)}, {"assignee_id", me}}));
    const std::string query = "SELECT payload FROM outbox WHERE type = 'followup.due' AND entity_id = " + id;
    REQUIRE(eventually([&] { return !sqlite(w.daemon.database(), query).empty(); }, 10s));
    const std::string url(json::parse(sqlite(w.daemon.database(), query)).at("links").at("done").as_string());
    return url.substr(url.find("/api/v1/"));
  };
  const std::string zoe_link = done_link(zoe, "Relancer Chloé ✉️");
  const std::string sam_link = done_link(sam, "Call Chloé back");
  std::this_thread::sleep_for(1100ms);
  HttpClient browser = w.daemon.client();
  auto follow = [&](const std::string& link, const std::string& languages) {
    Headers h{{"Accept", "text/html"}};
    if (!languages.empty()) h.push_back({"Accept-Language", languages});
    auto r = browser.request("GET", link, {}, h);
    INFO(link << " Accept-Language: " << languages << " -> " << r.body);
    CHECK(r.status == 410);
    return r.body;
  };
  // Expired, but authentic: it names Zoé, whose language wins over the browser's.
  const std::string zoe_page = follow(zoe_link, "en-US,en;q=0.9");
  CHECK(zoe_page.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(zoe_page.find("le lien a expiré le ") != std::string::npos);
  // Sam chose none: the browser's language, French or English.
  CHECK(follow(sam_link, "fr-CH, fr;q=0.9, en;q=0.8").find("le lien a expiré le ") != std::string::npos);
  CHECK(follow(sam_link, "de-DE,en;q=0.5").find("the link expired on ") != std::string::npos);
  // A forged link names nobody: the browser's language; a program without one reads English.
  std::string forged = zoe_link;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto refused = browser.request("GET", forged, {}, {{"Accept", "text/html"}, {"Accept-Language", "fr-FR,fr;q=0.9"}});
  INFO(refused.body);
  CHECK(refused.status == 403);
  CHECK(refused.body.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(refused.body.find("la signature du lien ne correspond pas") != std::string::npos);
  auto program = browser.request("POST", forged);
  CHECK(program.status == 403);
  CHECK(std::string(program.json().at("detail").as_string()).find("signature does not match") != std::string::npos);
}

TEST_CASE("a set-password link's page and its answers speak the browser's language") {
  World w;
  const std::int64_t id = World::create(w.admin, "users", {{"org_id", w.alpha_id}, {"email", "ines@alpha.test"}, {"role", "member"}})
                              .at("id")
                              .as_int64();
  auto issued = w.admin.post("/api/v1/users/" + std::to_string(id) + "/password-link", json::object{});
  INFO(issued.body);
  REQUIRE(issued.status == 201);
  const std::string link(issued.json().at("link").as_string());
  const std::string token = link.substr(link.find("token=") + 6);
  HttpClient browser = w.daemon.client();
  const Headers french{{"Accept", "text/html"}, {"Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"}};
  auto page = browser.request("GET", link.substr(link.find("/api/v1/")), {}, french);
  INFO(page.body);
  CHECK(page.status == 200);
  CHECK(page.body.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(page.body.find("Choisissez votre mot de passe") != std::string::npos);
  CHECK(page.body.find("Nouveau mot de passe (10 caractères au moins)") != std::string::npos);

  Headers form = french;
  form.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  auto differ = browser.request("POST", "/api/v1/auth/password", "token=" + token + "&password=mot-de-passe-1&confirm=mot-de-passe-2", form);
  CHECK(differ.status == 422);
  CHECK(differ.body.find("Les deux mots de passe diffèrent") != std::string::npos);
  auto set = browser.request("POST", "/api/v1/auth/password", "token=" + token + "&password=mot-de-passe-1&confirm=mot-de-passe-1", form);
  CHECK(set.status == 200);
  CHECK(set.body.find("Votre mot de passe est enregistré") != std::string::npos);
  auto again = browser.request("POST", "/api/v1/auth/password", "token=" + token + "&password=mot-de-passe-3&confirm=mot-de-passe-3", form);
  CHECK(again.status == 410);
  CHECK(again.body.find("ce lien a déjà servi") != std::string::npos);
  // A program without Accept-Language reads the API's English.
  auto program = browser.post("/api/v1/auth/password", json::object{{"token", token}, {"password", "mot-de-passe-4"}});
  CHECK(program.status == 410);
  CHECK(std::string(program.json().at("detail").as_string()).find("already used") != std::string::npos);
}
