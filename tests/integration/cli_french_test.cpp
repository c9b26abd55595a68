// The command line speaks the user's language (issue 14, point 7): a French user reads her
// login, import summaries, merges, invitations, plugin changes, usage errors and refusals in
// French, with French typography (a no-break space before ":", ";", "?" and "%"), whatever
// the language of her terminal; before the daemon knows who runs the command (not logged in,
// or no daemon at the address), the terminal's language decides (LANG), else English; a
// user whose language is English reads English on a French terminal.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "daemon.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

// The exit codes the CLI documents (core/cli/api_client.hpp, README).
constexpr int ok = 0, refused = 1, usage = 2, unreachable = 3, not_logged_in = 4, not_found = 5;

const std::string english_terminal = "en_US.UTF-8", french_terminal = "fr_FR.UTF-8";

// One person's machine: a home of its own, a terminal language (LANG, with LC_ALL and
// LC_MESSAGES empty so that LANG decides), a daemon; the token given, else the one `relance
// login` stores in the home.
struct Laptop {
  TempDir home;
  std::string url;
  std::map<std::string, std::string> env;

  Laptop(const World& w, const std::string& lang, const std::string& token = "")
      : url("http://127.0.0.1:" + std::to_string(w.daemon.port())),
        env{{"HOME", home.path().string()},
            {"XDG_CONFIG_HOME", home.file("config")},
            {"RELANCE_URL", url},
            {"RELANCE_TOKEN", token},
            {"LANG", lang},
            {"LC_ALL", ""},
            {"LC_MESSAGES", ""}} {}

  // `relance ARGS...`, `input` on standard input (a password, as a script gives it).
  std::pair<int, std::string> run(const std::vector<std::string>& args, const std::string& input = "") const {
    return relance_cli(env, args, input);
  }

  // A command that must succeed: its output.
  std::string ok(const std::vector<std::string>& args, const std::string& input = "") const {
    auto [code, out] = run(args, input);
    INFO("relance " << args.front() << " " << (args.size() > 1 ? args[1] : "") << ": " << out);
    REQUIRE(code == 0);
    return out;
  }

  // The id of the record a command creates (with --json).
  std::string id_of_new(std::vector<std::string> args, const std::string& input = "") const {
    args.push_back("--json");
    return std::to_string(json::parse(ok(args, input)).at("id").as_int64());
  }
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

bool holds(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The first group of `pattern` in `text` (REQUIREd).
std::string captured(const std::string& text, const std::string& pattern) {
  std::smatch m;
  INFO(text);
  REQUIRE(std::regex_search(text, m, std::regex(pattern)));
  return m[1].str();
}

const std::string lea_email = "lea@alpha.test", lea_password = "Léa's passphrase 🦁";

// Alpha Robotics' daemon (with the bundled plugins) and Léa, an org-admin whose language is
// French, added by the organisation's admin and logged in on a laptop whose terminal is in
// English: what she reads comes from her profile, not from her terminal.
struct Lea {
  World w{std::map<std::string, std::string>{{"RELANCE_PLUGINS_DIRECTORIES", RELANCE_BUNDLED_PLUGINS}}};
  Laptop laptop{w, english_terminal};
  std::string id;

  Lea() {
    const Laptop admin(w, english_terminal, w.alpha_admin.token());
    id = admin.id_of_new({"user", "add", lea_email, "--display-name", "Léa Fondatrice", "--role", "org-admin",
                          "--locale", "fr", "--time-zone", "Europe/Paris", "--password-stdin"},
                         lea_password + "\n");
    REQUIRE(laptop.run({"login", "--email", lea_email}, lea_password + "\n").first == ok);
  }
};

}  // namespace

TEST_CASE("a French user logs in and out in French whatever her terminal's language, and is refused in its language") {
  World w;
  const Laptop admin(w, english_terminal, w.alpha_admin.token());
  admin.ok({"user", "add", lea_email, "--display-name", "Léa Fondatrice", "--role", "org-admin", "--locale", "fr",
            "--password-stdin"},
           lea_password + "\n");

  // Before logging in nobody knows her language: the terminal's decides.
  const Laptop french(w, french_terminal), english(w, english_terminal);
  auto [fr_code, fr_out] = french.run({"login", "--email", lea_email}, "pas le bon mot de passe\n");
  CHECK(fr_code == not_logged_in);
  CHECK(fr_out == "relance: connexion refusée\u00a0: adresse e-mail ou mot de passe incorrect\n");
  auto [en_code, en_out] = english.run({"login", "--email", lea_email}, "not the password\n");
  CHECK(en_code == not_logged_in);
  CHECK(en_out == "relance: login refused: wrong email or password\n");
  auto [none_code, none_out] = french.run({"contact", "list"});
  CHECK(none_code == not_logged_in);
  CHECK(holds(none_out, "pas connecté\u00a0: lancez `relance login`, ou définissez RELANCE_URL et RELANCE_TOKEN"));

  // Logged in, she is known: French on the English terminal.
  const std::string in = english.ok({"login", "--email", lea_email}, lea_password + "\n");
  CHECK(in.starts_with("connecté à " + english.url + " en tant que " + lea_email + " jusqu’au "));
  CHECK(holds(in, " (" + english.home.file("config") + "/relance/credentials.toml)\n"));

  const std::string who = english.ok({"whoami"});
  CHECK(holds(who, lea_email + " (Léa Fondatrice), utilisateur "));
  CHECK(holds(who, ", org-admin de Alpha Robotics (org. " + std::to_string(w.alpha_id) + ")\n"));
  CHECK(holds(who, "sur " + english.url + " avec un jeton "));

  CHECK(english.ok({"logout"}) == "déconnecté de " + english.url + "\n");
  auto [after_code, after_out] = english.run({"contact", "list"});
  CHECK(after_code == not_logged_in);
  CHECK(holds(after_out, "not logged in: run `relance login`"));
}

TEST_CASE("a French user's import reports its dry run and its import in French, row by row") {
  Lea lea;
  const std::string file = lea.laptop.home.file("contacts-lyon.csv");
  // A LinkedIn export as it comes: CRLF, accents and emoji, a blank row, a second line for
  // the same person, a row with neither name nor email, LinkedIn's date-only trailing row.
  write_file(file,
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
             "Chloé,Bérard,https://www.linkedin.com/in/chloe-berard,chloe@lumiere.fr,Lumière Robotique SAS,"
             "Directrice R&D 🤖,03 Nov 2026\r\n"
             "Théo,Gaillard,https://www.linkedin.com/in/theo-gaillard,theo@odegaard.fr,Brasserie Ødegaard,"
             "Fondateur ☕,04 Nov 2026\r\n"
             "\r\n"
             "Chloé,Bérard,https://www.linkedin.com/in/chloe-berard,chloe@lumiere.fr,Lumière Robotique,CTO,"
             "05 Nov 2026\r\n"
             ",,https://www.linkedin.com/in/anonyme-7f3a,,Novo Nordisk A/S,CFO,06 Nov 2026\r\n"
             ",,,,,,08 Nov 2026\r\n");

  auto [dry_code, dry] = lea.laptop.run({"import", file, "--preset", "linkedin", "--dry-run"});
  INFO(dry);
  CHECK(dry_code == usage);  // an invalid row: the import would refuse the file
  CHECK(holds(dry, "terminé 100\u00a0% 6 lignes en "));
  CHECK(holds(dry, "Essai d’import de contacts-lyon.csv (UTF-8, ',', preset linkedin)\u00a0: terminé\n"
                   "  lignes        6\n"
                   "  créés         2\n"
                   "  mis à jour    0\n"
                   "  sautés        1 (doublons)\n"
                   "  ignorées      2 (lignes vides, dates seules)\n"
                   "  invalides     1\n"
                   "  note          l’import refuserait le fichier pour ses lignes invalides\u00a0; corrigez-les, "
                   "ou importez avec --skip-invalid (le rapport liste chaque ligne)\n"
                   "  rapport       relance import ... --report FICHIER, ou GET /api/v1/imports/"));

  const std::string real = lea.laptop.ok({"import", file, "--preset", "linkedin", "--skip-invalid"});
  INFO(real);
  CHECK(holds(real, "Import de contacts-lyon.csv (UTF-8, ',', preset linkedin)\u00a0: terminé\n"
                    "  lignes        6\n"
                    "  créés         2\n"));
  const std::string contacts = lea.laptop.ok({"contact", "list"});
  CHECK(holds(contacts, "ID  NOM"));
  CHECK(holds(contacts, "FONCTION"));
  CHECK(holds(contacts, "Chloé Bérard"));
  CHECK(holds(contacts, "Théo Gaillard"));

  // A file that is not there: said in French, nothing sent.
  auto [missing_code, missing] = lea.laptop.run({"import", lea.laptop.home.file("absent.csv")});
  CHECK(missing_code == usage);
  CHECK(holds(missing, "relance: impossible de lire " + lea.laptop.home.file("absent.csv") + "\n"));
}

TEST_CASE("a French user merges two contacts, undoes it and finds them again as duplicates, in French") {
  Lea lea;
  const Laptop& l = lea.laptop;
  const std::string anna = l.id_of_new({"contact", "add", "--first-name", "Anna", "--last-name", "Lima", "--email",
                                        "anna@lima.test"});
  const std::string twin = l.id_of_new({"contact", "add", "--first-name", "Anna", "--last-name", "Lima", "--email",
                                        "anna@lima.test", "--city", "Lyon"});
  const std::string lead = l.id_of_new({"lead", "add", "Pilote — Lima & Fils", "--contact-id", twin});

  const std::string merged = l.ok({"contact", "merge", anna, twin});
  const std::string merge = captured(merged, R"(\(fusion (\d+)\))");
  CHECK(merged == "contact " + twin + " fusionné dans le contact " + anna + " (fusion " + merge + ")\n" +
                      "  champs complétés\u00a0: city\n" +
                      "  déplacé vers le contact " + anna + "\u00a0: pistes " + lead + "\n" +
                      "pour annuler\u00a0: relance contact unmerge " + merge + "\n");

  const std::string merges = l.ok({"contact", "merges"});
  CHECK(holds(merges, "FUSION"));
  CHECK(holds(merges, "DOUBLON"));
  CHECK(holds(merges, "FUSIONNÉ LE"));

  const std::string undone = l.ok({"contact", "unmerge", merge});
  CHECK(holds(undone, "fusion " + merge + " annulée\u00a0: le contact " + twin + " est de retour\n"));
  CHECK(holds(undone, "  rendu au contact " + twin + "\u00a0: pistes " + lead + "\n"));
  CHECK(holds(undone, "  champs du contact " + anna + " rétablis\u00a0: city\n"));

  const std::string duplicates = l.ok({"contact", "duplicates"});
  CHECK(holds(duplicates, "groupe 1\u00a0: "));
  CHECK(holds(duplicates, "  pour fusionner\u00a0: relance contact merge " + anna + " " + twin + "\n"));
  CHECK(holds(duplicates, "1 groupe de doublons parmi 2 contacts\n"));
}

TEST_CASE("a French org-admin invites a user and sets up then removes a plugin instance, in French") {
  Lea lea;
  const Laptop& l = lea.laptop;
  const std::string invited = l.ok({"user", "invite", "zoe@alpha.test", "--display-name", "Zoé Dupré"});
  const std::string zoe = captured(invited, R"(utilisateur (\d+) créé)");
  CHECK(invited.starts_with("utilisateur " + zoe + " créé\u00a0: zoe@alpha.test\n"
                            "lien pour définir le mot de passe de zoe@alpha.test (valable une fois, jusqu’au "));
  CHECK(holds(invited, ")\u00a0:\n  http://"));
  CHECK(holds(invited, "l’instance n’a pas de réglage d’envoi d’e-mails\u00a0: transmettez-le vous-même à "
                       "zoe@alpha.test\n"));

  const std::string plugin = "org.relance.email-reminder";
  const std::string documented = l.ok({"plugin", "settings", plugin});
  CHECK(holds(documented, "RÉGLAGE"));
  CHECK(holds(documented, "(au choix\u00a0: required, try, no)"));
  CHECK(holds(documented, "Réglez-les avec `relance plugin instance add|edit ... -s CLÉ=VALEUR`.\n"));
  // A plugin that describes its settings in French (SDK 1.6) is read in French.
  const std::string chat = l.ok({"plugin", "settings", "org.relance.chat"});
  CHECK(holds(chat, "La langue des messages par défaut"));
  CHECK_FALSE(holds(chat, "The language of the default messages"));

  const std::string created = l.ok({"plugin", "instance", "add", plugin, "Rappels de l'équipe ✉", "-s",
                                    "smtp_url=smtp://smtp.alpha.test:587", "-s", "from=Relance <relance@alpha.test>"});
  const std::string instance = captured(created, R"(instance de plugin (\d+) créée)");
  CHECK(created == "instance de plugin " + instance + " créée\n");
  CHECK(holds(l.ok({"plugin", "instance", "show", instance}), "livraison\u00a0: "));
  auto [bad_code, bad] = l.run({"plugin", "instance", "edit", instance, "-s", "timeout_ms"});
  CHECK(bad_code == usage);
  CHECK(holds(bad, "--setting timeout_ms\u00a0: écrivez CLÉ=VALEUR"));
  CHECK(l.ok({"plugin", "instance", "rm", instance}) == "instance de plugin " + instance + " supprimée\n");
}

TEST_CASE("a French user is told in French that a command does not exist, is refused or finds nothing") {
  Lea lea;
  const Laptop& l = lea.laptop;
  auto [unknown_code, unknown] = l.run({"contact", "supprimer", "3"});
  CHECK(unknown_code == usage);
  CHECK(unknown.starts_with("relance contact\u00a0: `supprimer` n’est pas une commande. Les commandes sont\u00a0:\n"));
  CHECK(holds(unknown, "\n  merge "));
  CHECK(holds(unknown, "Lancez `relance contact --help` pour voir les options.\n"));
  auto [which_code, which] = l.run({"event"});
  CHECK(which_code == usage);
  CHECK(which.starts_with("relance event\u00a0: quelle commande\u00a0? Les commandes sont\u00a0:\n"));

  // Only the instance admin adds organisations: 403, refused (1), the daemon's reason after.
  auto [refused_code, refused_out] = l.run({"org", "add", "Gamma Énergie"});
  CHECK(refused_code == refused);
  CHECK(refused_out.starts_with("relance: refusé\u00a0: "));
  auto [missing_code, missing] = l.run({"contact", "show", "999999"});
  CHECK(missing_code == not_found);
  CHECK(missing.starts_with("relance: introuvable\u00a0: "));
}

TEST_CASE("an English user reads English on a French terminal, which speaks only when the daemon cannot be asked") {
  World w;  // its users' language is English (the test daemons' accounts.default_locale)
  const Laptop english(w, english_terminal, w.alpha_admin.token()), french(w, french_terminal, w.alpha_admin.token());
  for (const Laptop* l : {&english, &french}) {
    auto [code, out] = l->run({"contact", "supprimer"});
    CHECK(code == usage);
    CHECK(out.starts_with("relance contact: `supprimer` is not a command. The commands are:\n"));
    CHECK(holds(out, "Run `relance contact --help` for the options.\n"));
  }

  const std::string file = french.home.file("team.csv");
  write_file(file, "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                   "Zoé,Châteauneuf-Müller,https://www.linkedin.com/in/zoe-cm,zoe@muller.ch,Müller & Fils,CEO,"
                   "03 Nov 2026\r\n");
  const std::string imported = french.ok({"import", file, "--preset", "linkedin"});
  CHECK(holds(imported, "done 100% 1 rows in "));
  CHECK(holds(imported, "Import of team.csv (UTF-8, ',', preset linkedin): done\n"
                        "  rows       1\n"
                        "  created    1\n"
                        "  updated    0\n"
                        "  skipped    0 (duplicates)\n"
                        "  ignored    0 (blank rows, dates only)\n"
                        "  invalid    0\n"));

  const Laptop member(w, french_terminal, w.alpha_member.token());
  auto [member_code, member_out] = member.run({"plugin", "list"});
  CHECK(member_code == refused);
  CHECK(member_out.starts_with("relance: refused: "));
  const std::string zoe = member.id_of_new({"contact", "add", "--first-name", "Zoé", "--email", "zoe@muller.ch"});
  const std::string twin = member.id_of_new({"contact", "add", "--first-name", "Zoé", "--email", "zoe@muller.ch"});
  CHECK(holds(member.ok({"contact", "merge", zoe, twin}),
              "contact " + twin + " merged into contact " + zoe + " (merge "));

  // No daemon at the address: nobody to ask who the user is, the terminal's language says so.
  Laptop lost(w, french_terminal, w.alpha_admin.token());
  lost.env["RELANCE_URL"] = "http://127.0.0.1:1";
  auto [lost_code, lost_out] = lost.run({"contact", "list"});
  CHECK(lost_code == unreachable);
  CHECK(lost_out.starts_with("relance: impossible de joindre le démon à http://127.0.0.1:1\u00a0: "));
  CHECK(holds(lost_out, " (est-il lancé\u00a0? RELANCE_URL indique où)\n"));
}
