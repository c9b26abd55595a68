// Accounts from day one, through the `relance` command line against the real daemon: the
// instance admin creates an organisation and its org-admin, who invites a member; a
// set-password link works once and not after it expires; a reset answers the same for any
// address and ends the other sessions; a disabled user cannot log in; whoami; nobody but
// the admin adds users to another organisation; the link's page in a browser; with a mail
// setting, the invitation and the reset arrive at a real SMTP server
// (tests/email/smtp_sink.py, aiosmtpd) and their links work; a bad mail setting stops the
// daemon at start without showing its secret.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon.hpp"
#include "temp_dir.hpp"
#include "tools.hpp"

using namespace relance::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// The exit codes the CLI documents (core/cli/api_client.hpp, README).
constexpr int ok = 0, refused = 1, usage = 2, not_logged_in = 4;

// One person's machine: a home of their own, talking to `port`.
struct Laptop {
  TempDir home;
  std::uint16_t port;
  std::map<std::string, std::string> env;

  explicit Laptop(std::uint16_t daemon_port)
      : port(daemon_port),
        env{{"HOME", home.path().string()},
            {"XDG_CONFIG_HOME", home.file("config")},
            {"RELANCE_URL", "http://127.0.0.1:" + std::to_string(daemon_port)}} {
    ::unsetenv("RELANCE_TOKEN");
  }

  // `relance ARGS...`, `input` on standard input (passwords, as a script gives them).
  std::pair<int, std::string> run(const std::vector<std::string>& args, const std::string& input = "") const {
    return relance_cli(env, args, input);
  }

  json::object json_of(const std::vector<std::string>& args) const {
    auto [code, out] = run(args);
    INFO("relance " << args.front() << " " << (args.size() > 1 ? args[1] : "") << ": " << out);
    REQUIRE(code == ok);
    return json::parse(out).as_object();
  }

  int login(const std::string& email, const std::string& password) const {
    auto [code, out] = run({"login", "--email", email}, password + "\n");
    INFO(out);
    return code;
  }
};

// A started daemon (with `env`) and its instance admin, logged in on a laptop of their own.
struct Instance {
  Daemon d;
  Laptop admin;

  explicit Instance(std::map<std::string, std::string> env = {}) : d(std::move(env)), admin(started(d)) {
    REQUIRE(admin.login(admin_email, admin_password) == ok);
  }

  // A new organisation named `name`, added by the admin: its id.
  std::string add_org(const std::string& name) const {
    return std::to_string(admin.json_of({"org", "add", name, "--json"}).at("id").as_int64());
  }

 private:
  static std::uint16_t started(Daemon& daemon) {
    daemon.start();
    return daemon.port();
  }
};

std::string link_of(const json::object& answer) { return std::string(answer.at("link").as_string()); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an admin creates an organisation and its org-admin who invites a member whose link sets the password once") {
  Instance instance;
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;

  const auto org = admin.json_of({"org", "add", "Lumière Robotique 🤖", "--json"});
  const std::string org_id = std::to_string(org.at("id").as_int64());
  auto [listed, orgs] = admin.run({"org", "list"});
  CHECK(listed == ok);
  CHECK(contains(orgs, "Lumière Robotique 🤖"));

  const auto ana = admin.json_of({"user", "invite", "ana@lumiere.test", "--org", org_id, "--role", "org-admin",
                                  "--display-name", "Ana Lopès", "--json"});
  CHECK(ana.at("emailed").as_bool() == false);  // no mail setting: the link is the admin's to give
  CHECK(ana.at("user").at("org_id").as_int64() == org.at("id").as_int64());
  const std::string ana_link = link_of(ana);
  CHECK(contains(ana_link, "/api/v1/auth/password?token=rl_"));

  Laptop ana_laptop(d.port());
  CHECK(ana_laptop.login("ana@lumiere.test", "anything-at-all") == not_logged_in);  // no password yet
  auto [set, set_out] = ana_laptop.run({"password", "set", ana_link}, "Ana's new passphrase ✨\n");
  INFO(set_out);
  REQUIRE(set == ok);
  auto [again, again_out] = ana_laptop.run({"password", "set", ana_link}, "a-second-try-password\n");
  CHECK(again == refused);
  CHECK(contains(again_out, "already used"));
  REQUIRE(ana_laptop.login("ana@lumiere.test", "Ana's new passphrase ✨") == ok);
  CHECK(ana_laptop.login("ana@lumiere.test", "a-second-try-password") == not_logged_in);

  auto [who, who_out] = ana_laptop.run({"whoami"});
  CHECK(who == ok);
  CHECK(contains(who_out, "ana@lumiere.test (Ana Lopès)"));
  CHECK(contains(who_out, "org-admin of Lumière Robotique 🤖 (org " + org_id + ")"));

  // The org-admin invites a member into their own organisation (no --org needed).
  const auto bob = ana_laptop.json_of({"user", "invite", "bob@lumiere.test", "--role", "member", "--json"});
  CHECK(bob.at("user").at("org_id").as_int64() == org.at("id").as_int64());
  Laptop bob_laptop(d.port());
  REQUIRE(bob_laptop.run({"password", "set", link_of(bob)}, "bob-password-123\n").first == ok);
  REQUIRE(bob_laptop.login("bob@lumiere.test", "bob-password-123") == ok);
  auto [bob_who, bob_who_out] = bob_laptop.run({"whoami", "--json"});
  REQUIRE(bob_who == ok);
  CHECK(json::parse(bob_who_out).at("role").as_string() == "member");
  auto [users, users_out] = ana_laptop.run({"user", "list"});
  CHECK(users == ok);
  CHECK(contains(users_out, "bob@lumiere.test"));
  CHECK(contains(users_out, "ana@lumiere.test"));
}

TEST_CASE("only the instance admin adds users to another organisation") {
  Instance instance;
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const auto lumiere = admin.json_of({"org", "add", "Lumière", "--json"});
  const auto other = admin.json_of({"org", "add", "Ötzi Biotech", "--json"});
  const std::string other_id = std::to_string(other.at("id").as_int64());
  auto [added, added_out] =
      admin.run({"user", "add", "ana@lumiere.test", "--org", std::to_string(lumiere.at("id").as_int64()), "--role",
                 "org-admin", "--password-stdin"},
                "ana-password-123\n");
  INFO(added_out);
  REQUIRE(added == ok);
  Laptop ana_laptop(d.port());
  REQUIRE(ana_laptop.login("ana@lumiere.test", "ana-password-123") == ok);

  for (const std::vector<std::string>& attempt :
       {std::vector<std::string>{"user", "add", "eve@otzi.test", "--org", other_id},
        std::vector<std::string>{"user", "invite", "eve@otzi.test", "--org", other_id, "--role", "member"}}) {
    auto [code, out] = ana_laptop.run(attempt);
    INFO(out);
    CHECK(code == refused);  // a 403: refused, not "not logged in"
    CHECK(contains(out, "only the instance admin adds users to another organisation"));
  }
  auto [listed, users_out] = admin.run({"user", "list", "--all"});
  REQUIRE(listed == ok);
  CHECK(!contains(users_out, "eve@otzi.test"));

  // A member adds nobody, even to their own organisation.
  const auto bob = ana_laptop.json_of({"user", "invite", "bob@lumiere.test", "--json"});
  Laptop bob_laptop(d.port());
  REQUIRE(bob_laptop.run({"password", "set", link_of(bob)}, "bob-password-123\n").first == ok);
  REQUIRE(bob_laptop.login("bob@lumiere.test", "bob-password-123") == ok);
  auto [member_add, member_out] = bob_laptop.run({"user", "add", "mallory@otzi.test", "--org", other_id});
  INFO(member_out);
  CHECK(member_add == refused);
  CHECK(!contains(admin.run({"user", "list", "--all"}).second, "mallory@otzi.test"));
}

TEST_CASE("a disabled user cannot log in and their session ends at once") {
  Instance instance;
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const std::string org_id = instance.add_org("Lumière");
  const auto bob = admin.json_of({"user", "invite", "bob@lumiere.test", "--org", org_id,
                                  "--json"});
  const std::string bob_id = std::to_string(bob.at("user").at("id").as_int64());
  Laptop bob_laptop(d.port());
  REQUIRE(bob_laptop.run({"password", "set", link_of(bob)}, "bob-password-123\n").first == ok);
  REQUIRE(bob_laptop.login("bob@lumiere.test", "bob-password-123") == ok);
  REQUIRE(bob_laptop.run({"whoami"}).first == ok);

  auto [disabled, disabled_out] = admin.run({"user", "disable", bob_id});
  CHECK(disabled == ok);
  CHECK(contains(disabled_out, "user " + bob_id + " disabled"));
  CHECK(bob_laptop.run({"whoami"}).first == not_logged_in);
  CHECK(bob_laptop.login("bob@lumiere.test", "bob-password-123") == not_logged_in);

  REQUIRE(admin.run({"user", "enable", bob_id}).first == ok);
  CHECK(bob_laptop.login("bob@lumiere.test", "bob-password-123") == ok);
}

TEST_CASE("an expired set-password link is refused and a new one works") {
  // Invitations work 10 s here: long enough to use a new one at once on a loaded machine
  // under the sanitizers (3 s was not: the admin's command and the password's hashing took it).
  Instance instance(std::map<std::string, std::string>{{"RELANCE_ACCOUNTS_INVITE_LINK_SECONDS", "10"}});
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const std::string org_id = instance.add_org("Lumière");
  const auto ana = admin.json_of({"user", "invite", "ana@lumiere.test", "--org", org_id,
                                  "--json"});
  std::this_thread::sleep_for(std::chrono::milliseconds(10500));
  Laptop ana_laptop(d.port());
  auto [late, late_out] = ana_laptop.run({"password", "set", link_of(ana)}, "ana-password-123\n");
  CHECK(late == refused);
  CHECK(contains(late_out, "expired"));
  CHECK(ana_laptop.login("ana@lumiere.test", "ana-password-123") == not_logged_in);

  // A new link (she still has no password: an invitation again, for 10 s), used at once.
  const auto again = admin.json_of({"password", "reset", "--user", std::to_string(ana.at("user").at("id").as_int64()),
                                    "--json"});
  REQUIRE(ana_laptop.run({"password", "set", link_of(again)}, "ana-password-123\n").first == ok);
  CHECK(ana_laptop.login("ana@lumiere.test", "ana-password-123") == ok);
}

TEST_CASE("a new password set through a link ends the user's other sessions") {
  Instance instance;
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const std::string org_id = instance.add_org("Lumière");
  const auto bob = admin.json_of({"user", "invite", "bob@lumiere.test", "--org", org_id,
                                  "--json"});
  const std::string bob_id = std::to_string(bob.at("user").at("id").as_int64());
  Laptop laptop(d.port()), phone(d.port());
  REQUIRE(laptop.run({"password", "set", link_of(bob)}, "bob-password-123\n").first == ok);
  REQUIRE(laptop.login("bob@lumiere.test", "bob-password-123") == ok);

  // Bob forgot it: the admin gives him a new link; the earlier session is over once it is used.
  const auto reset = admin.json_of({"password", "reset", "--user", bob_id, "--json"});
  auto [older, older_out] = admin.run({"password", "reset", "--user", bob_id});
  REQUIRE(older == ok);
  CHECK(contains(older_out, "the instance has no mail setting"));
  // The newer link replaced the first.
  auto [replaced, replaced_out] = phone.run({"password", "set", link_of(reset)}, "bob-password-456\n");
  CHECK(replaced == refused);
  CHECK(contains(replaced_out, "replaced by a newer one"));
  const std::string newest = older_out.substr(older_out.find("http://"), older_out.find('\n', older_out.find("http://")) -
                                                                              older_out.find("http://"));
  REQUIRE(phone.run({"password", "set", newest}, "bob-password-456\n").first == ok);
  CHECK(laptop.run({"whoami"}).first == not_logged_in);
  CHECK(phone.login("bob@lumiere.test", "bob-password-456") == ok);
}

TEST_CASE("asking for a reset by email answers the same whether or not the account exists") {
  Daemon d;
  d.start();
  Laptop someone(d.port());
  auto [known, known_out] = someone.run({"password", "reset", "--email", admin_email});
  auto [unknown, unknown_out] = someone.run({"password", "reset", "--email", "nobody@nowhere.test"});
  CHECK(known == ok);
  CHECK(unknown == ok);
  CHECK(known_out == unknown_out);
  // Rate limited like login: the sixth request for one address in 15 minutes is refused.
  for (int i = 0; i < 4; ++i) someone.run({"password", "reset", "--email", "nobody@nowhere.test"});
  auto [throttled, throttled_out] = someone.run({"password", "reset", "--email", "nobody@nowhere.test"});
  CHECK(throttled == refused);
  CHECK(contains(throttled_out, "try again in"));
}

TEST_CASE("a set-password link opened in a browser is a form that sets the password once and leaks nothing") {
  Instance instance;
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const std::string org_id = instance.add_org("Lumière");
  const auto ana = admin.json_of({"user", "invite", "ana@lumiere.test", "--org", org_id,
                                  "--json"});
  const std::string link = link_of(ana);
  const std::string target = link.substr(link.find("/api/v1/"));
  const std::string token = link.substr(link.find("token=") + 6);
  HttpClient browser = d.client();
  const Headers html{{"Accept", "text/html"}};

  // Opening the link (or a mail scanner fetching it) shows the form and uses nothing up.
  for (int i = 0; i < 2; ++i) {
    auto page = browser.request("GET", target, {}, html);
    REQUIRE(page.status == 200);
    CHECK(page.header("content-type").rfind("text/html", 0) == 0);
    CHECK(page.header("referrer-policy") == "same-origin");  // never to another origin
    CHECK(page.header("cache-control") == "no-store");
    CHECK(contains(page.header("content-security-policy"), "default-src 'none'"));
    CHECK(contains(page.body, "<form method=\"post\" action=\"/api/v1/auth/password\""));
    CHECK(contains(page.body, "name=\"token\" value=\"" + token + "\""));
  }
  const Headers form{{"Accept", "text/html"}, {"Content-Type", "application/x-www-form-urlencoded"}};
  auto differ = browser.request("POST", "/api/v1/auth/password",
                                "token=" + token + "&password=ana-password-123&confirm=ana-password-124", form);
  CHECK(differ.status == 422);
  CHECK(contains(differ.body, "The two passwords differ"));
  auto set = browser.request("POST", "/api/v1/auth/password",
                             "token=" + token + "&password=ana-password-123&confirm=ana-password-123", form);
  CHECK(set.status == 200);
  CHECK(contains(set.body, "Password set"));
  auto again = browser.request("POST", "/api/v1/auth/password",
                               "token=" + token + "&password=ana-password-456&confirm=ana-password-456", form);
  CHECK(again.status == 410);
  Laptop ana_laptop(d.port());
  CHECK(ana_laptop.login("ana@lumiere.test", "ana-password-123") == ok);
  CHECK(ana_laptop.login("ana@lumiere.test", "ana-password-456") == not_logged_in);
  // The link's token is no bearer token, and the log holds neither the token nor the password.
  HttpClient with_link = d.client();
  with_link.set_token(token);
  CHECK(with_link.get("/api/v1/me").status == 401);
  CHECK(!contains(d.log(), token));
  CHECK(!contains(d.log(), "ana-password-123"));
}

TEST_CASE("a mail setting with credentials in its URL or without a sender stops the daemon at start and shows no secret") {
  for (const auto& [env, names] :
       std::vector<std::pair<std::map<std::string, std::string>, std::string>>{
           {{{"RELANCE_MAIL_SMTP_URL", "smtp://relance:hunter2-secret@127.0.0.1:2525"},
             {"RELANCE_MAIL_FROM", "relance@lumiere.test"}},
            "mail.smtp_url"},
           {{{"RELANCE_MAIL_SMTP_URL", "smtp://127.0.0.1:2525"}, {"RELANCE_MAIL_PASSWORD", "hunter2-secret"},
             {"RELANCE_MAIL_USERNAME", "relance"}},
            "mail.from"}}) {
    Daemon d(env);
    std::string why;
    try {
      d.start();
    } catch (const std::exception& e) {
      why = e.what();
    }
    INFO(why);
    CHECK(contains(why, names));
    CHECK(!contains(why, "hunter2-secret"));
  }
}

#ifdef RELANCE_SMTP_PYTHON
namespace {

// tests/email/smtp_sink.py in a folder of its own: every message as DIR/<n>.eml.
struct SmtpSink {
  TempDir dir;
  int port = 0;
  int pid = 0;

  SmtpSink() {
    const std::string script = std::string(RELANCE_SOURCE_DIR) + "/tests/email/smtp_sink.py";
    auto [code, out] = shell(quoted(RELANCE_SMTP_PYTHON) + " " + quoted(script) + " " + quoted(dir.path().string()) +
                             " > " + quoted(dir.file("sink.log")) + " 2>&1 & echo $!");
    REQUIRE(code == 0);
    pid = std::stoi(out);
    for (int i = 0; i < 500 && !fs::exists(dir.path() / "port"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(fs::exists(dir.path() / "port"));
    std::ifstream(dir.path() / "port") >> port;
  }
  ~SmtpSink() { ::kill(pid, SIGTERM); }

  // The n-th message (from 1), read by Python's email package: "To\nSubject\n<text body>".
  std::string message(int n) {
    const fs::path file = dir.path() / (std::to_string(n) + ".eml");
    for (int i = 0; i < 500 && !fs::exists(file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(fs::exists(file));
    auto [code, out] = shell(quoted(RELANCE_SMTP_PYTHON) + " -c " +
                             quoted("import email, email.policy, sys\n"
                                    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
                                    "print(m['To']); print(m['Subject']); print(m.get_body(('plain',)).get_content())") +
                             " " + quoted(file.string()));
    REQUIRE(code == 0);
    return out;
  }
};

std::string link_in(const std::string& message) {
  const auto at = message.find("http://");
  REQUIRE(at != std::string::npos);
  return message.substr(at, message.find_first_of("\r\n", at) - at);
}

}  // namespace

TEST_CASE("with a mail setting the invitation and a reset arrive at a real SMTP server and their links work") {
  SmtpSink sink;
  Instance instance(std::map<std::string, std::string>{{"RELANCE_MAIL_SMTP_URL", "smtp://127.0.0.1:" + std::to_string(sink.port)},
            {"RELANCE_MAIL_FROM", "relance@lumiere.test"},
            {"RELANCE_MAIL_STARTTLS", "false"},
            {"RELANCE_MAIL_USERNAME", "relance"},
            {"RELANCE_MAIL_PASSWORD", "smtp-secret-never-logged"}});
  Daemon& d = instance.d;
  const Laptop& admin = instance.admin;
  const std::string org_id = instance.add_org("Lumière");
  auto [invited, invited_out] = admin.run({"user", "invite", "zoe@lumiere.test", "--org",
                                           org_id, "--display-name", "Zoé Dupré",
                                           "--locale", "fr"});
  INFO(invited_out);
  REQUIRE(invited == ok);
  CHECK(contains(invited_out, "emailed to zoe@lumiere.test"));
  const std::string invitation = sink.message(1);
  CHECK(contains(invitation, "zoe@lumiere.test\nVotre compte Relance\nBonjour Zoé Dupré,"));
  CHECK(contains(invitation, "Ce lien ne sert qu'une fois et expire dans 72 heures."));
  Laptop zoe(d.port());
  REQUIRE(zoe.run({"password", "set", link_in(invitation)}, "Zoé's passphrase\n").first == ok);
  REQUIRE(zoe.login("zoe@lumiere.test", "Zoé's passphrase") == ok);

  // She forgot it: she asks for a reset herself, without logging in.
  Laptop forgetful(d.port());
  REQUIRE(forgetful.run({"password", "reset", "--email", "zoe@lumiere.test"}).first == ok);
  const std::string reset = sink.message(2);
  CHECK(contains(reset, "Nouveau mot de passe Relance"));
  CHECK(contains(reset, "expire dans 1 heure."));
  REQUIRE(forgetful.run({"password", "set", link_in(reset)}, "Zoé's new passphrase\n").first == ok);
  CHECK(zoe.run({"whoami"}).first == not_logged_in);  // the reset ended her other session
  CHECK(forgetful.login("zoe@lumiere.test", "Zoé's new passphrase") == ok);

  CHECK(!contains(d.log(), "smtp-secret-never-logged"));
}
#endif
