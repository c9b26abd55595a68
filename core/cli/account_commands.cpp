#include "cli/account_commands.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/field_options.hpp"
#include "cli/login_command.hpp"
#include "cli/record_commands.hpp"
#include "cli/record_output.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"

namespace relance::cli {
namespace json = boost::json;
namespace ent = storage::entities;

namespace {

Kind organisation_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::organisations, "org", "Organisations: the start-ups and the region (add: instance admin)",
      {{"cli.column.name", {"name"}},
       {"cli.column.kind", {"kind"}},
       {"cli.column.region", {"default_region"}},
       {"cli.column.stages", {"pipeline_stages"}}},
      {"name"}, "", {}});
  return k;
}

Kind user_kind() {
  static const Kind k = std::make_shared<RecordKind>(RecordKind{
      &ent::users, "user", "Users: add, invite, list, show, edit, disable, enable (org-admin or admin)",
      {{"cli.column.email", {"email"}},
       {"cli.column.name", {"display_name"}},
       {"cli.column.role", {"role"}},
       {"cli.column.org", {"org_id"}},
       {"cli.column.locale", {"locale"}},
       {"cli.column.zone", {"time_zone"}},
       {"cli.column.disabled", {"disabled"}}},
      {"email"}, "", {}});
  return k;
}

// A link as `relance` prints it: where it goes, until when, and whether it was emailed.
void print_link(const json::object& answer, const std::string& email, bool as_json) {
  if (as_json) return print_json(answer);
  std::cout << say("cli.password_link.heading", {email, local_time(answer.at("expires_at").as_string())}) << "\n  "
            << std::string(answer.at("link").as_string()) << "\n";
  if (answer.at("emailed").as_bool()) {
    std::cout << say("cli.password_link.emailed", {email}) << "\n";
  } else if (const auto* why = answer.if_contains("mail_error")) {
    std::cout << say("cli.password_link.not_emailed", {why->as_string(), email}) << "\n";
  } else {
    std::cout << say("cli.password_link.no_mail", {email}) << "\n";
  }
}

json::object issue_link(ApiClient& api, std::int64_t user_id) {
  return api.call("POST", "/api/v1/users/" + std::to_string(user_id) + "/password-link").json().as_object();
}

// `user add EMAIL` and `user invite EMAIL`: the user fields, and --org for the instance admin.
struct NewUser {
  std::int64_t org = 0;
  bool password_stdin = false, as_json = false;
  std::unique_ptr<FieldOptions> fields;

  json::object body() const {
    json::object b = fields->body();
    if (org > 0) b["org_id"] = org;
    return b;
  }
};

std::shared_ptr<NewUser> add_new_user_options(CLI::App* cmd, const Kind& kind) {
  auto u = std::make_shared<NewUser>();
  u->fields = std::make_unique<FieldOptions>(*cmd, *kind, FieldOptions::Purpose::create,
                                             std::vector<std::string_view>{"disabled"});
  cmd->add_option("--org", u->org, "The organisation's id (instance admin; default: your own)");
  add_json_flag(cmd, u->as_json);
  return u;
}

void add_user_commands(CLI::App& app, std::function<int()>& run) {
  const Kind user = user_kind();
  CLI::App* group = add_record_group(app, user);

  CLI::App* add = group->add_subcommand(
      "add", "Add a user; with --password-stdin their password is one line of standard input, else they get "
             "one through `relance user invite` or `relance password reset`");
  auto added = add_new_user_options(add, user);
  add->add_flag("--password-stdin", added->password_stdin, "Read the user's password from standard input");
  runs(add, run, [user, added] {
    json::object body = added->body();
    if (added->password_stdin) body["password"] = read_password(say("cli.user.prompt.password"));
    ApiClient api(resolve_endpoint());
    const json::value record = api.call("POST", user->path(), json::serialize(body)).json();
    print_written(*user, record.as_object(), added->as_json, say("cli.created"));
    if (!added->password_stdin && !added->as_json)
      std::cout << say("cli.user.no_password_yet", {std::to_string(record.at("id").as_int64())}) << "\n";
    return int(ok);
  });

  CLI::App* invite = group->add_subcommand(
      "invite", "Add a user without a password and print a one-time, expiring link where they set it (emailed to "
                "them when the instance has a mail setting), e.g. relance user invite ana@acme.example --org 2 "
                "--role org-admin");
  auto invited = add_new_user_options(invite, user);
  runs(invite, run, [user, invited] {
    ApiClient api(resolve_endpoint());
    const json::value record = api.call("POST", user->path(), json::serialize(invited->body())).json();
    const std::int64_t id = record.at("id").as_int64();
    const std::string email(record.at("email").as_string());
    json::object link = issue_link(api, id);
    if (invited->as_json) {
      link["user"] = record;
      print_json(link);
    } else {
      std::cout << say("cli.user.invited", {std::to_string(id), email}) << "\n";
      print_link(link, email, false);
    }
    return int(ok);
  });

  add_list_command(*group, run, user);
  add_show_command(*group, run, user);
  add_edit_command(*group, run, user);

  struct Target {
    std::int64_t id = 0;
    bool as_json = false;
  };
  CLI::App* disable = group->add_subcommand(
      "disable", "Disable a user: they cannot log in, and their sessions and tokens are revoked");
  auto d = std::make_shared<Target>();
  disable->add_option("id", d->id, "The user's id")->required();
  add_json_flag(disable, d->as_json);
  runs(disable, run, [user, d] {
    ApiClient api(resolve_endpoint());
    const json::value record = api.call("DELETE", user->path(d->id)).json();
    print_written(*user, record.as_object(), d->as_json, say("cli.disabled"));
    return int(ok);
  });
  CLI::App* enable = group->add_subcommand("enable", "Enable a disabled user again (they log in anew)");
  auto e = std::make_shared<Target>();
  enable->add_option("id", e->id, "The user's id")->required();
  add_json_flag(enable, e->as_json);
  runs(enable, run, [user, e] {
    return patch_record(*user, e->id, json::object{{"disabled", false}}, e->as_json, say("cli.enabled"));
  });
}

void add_org_commands(CLI::App& app, std::function<int()>& run) {
  const Kind org = organisation_kind();
  CLI::App* group = add_record_group(app, org);
  add_create_command(*group, run, org, "add", "Add an organisation (instance admin), e.g. relance org add \"Acme\"");
  add_list_command(*group, run, org);
  add_show_command(*group, run, org);
  add_edit_command(*group, run, org);
}

// The daemon's URL of a set-password link: its scheme, host and port.
struct LinkParts {
  std::string origin, token;
};

LinkParts parse_link(const std::string& link) {
  auto u = boost::urls::parse_uri(link);
  if (!u) throw CliError(usage, say("cli.password.not_a_link", {link}));
  LinkParts parts{std::string(u->scheme()) + "://" + std::string(u->encoded_authority()), {}};
  for (const auto& p : u->params())
    if (p.key == "token") parts.token = p.value;
  if (parts.token.empty()) throw CliError(usage, say("cli.password.no_token"));
  return parts;
}

std::string new_password() {
  const std::string password = read_password(say("cli.password.prompt.new"));
  // On a terminal, typed twice: a typo would lock the user out of an account they just set.
  if (isatty(0) && read_password(say("cli.password.prompt.again")) != password)
    throw CliError(usage, say("cli.password.differ"));
  return password;
}

void add_password_commands(CLI::App& app, std::function<int()>& run) {
  CLI::App* group = app.add_subcommand("password", "Set-password links and your own password");
  group->require_subcommand(1);

  struct Reset {
    std::string email, url;
    std::int64_t user = 0;
    bool as_json = false;
  };
  auto r = std::make_shared<Reset>();
  CLI::App* reset = group->add_subcommand(
      "reset", "--email YOURS: ask for a link to set a new password, emailed to you (no login needed); "
               "--user ID (org-admin or admin): print a new link for that user, emailed to them too when the "
               "instance has a mail setting");
  auto* by_email = reset->add_option("--email", r->email, "Your login email: the link goes to it");
  auto* by_user = reset->add_option("--user", r->user, "A user's id: the link is printed for you to give");
  by_email->excludes(by_user);
  reset->add_option("--url", r->url, "The daemon's URL (default: RELANCE_URL, the stored one, or http://127.0.0.1:8080)");
  add_json_flag(reset, r->as_json);
  runs(reset, run, [r] {
    if (r->user > 0) {
      ApiClient api(resolve_endpoint());
      const json::value user = api.call("GET", "/api/v1/users/" + std::to_string(r->user)).json();
      print_link(issue_link(api, r->user), std::string(user.at("email").as_string()), r->as_json);
      return int(ok);
    }
    if (r->email.empty()) throw CliError(usage, say("cli.password.email_or_user"));
    Endpoint e = configured_endpoint();
    if (!r->url.empty()) e.url = r->url;
    ApiClient api(Endpoint{e.url, ""});
    const json::value answer =
        api.call("POST", "/api/v1/auth/password-reset", json::serialize(json::object{{"email", r->email}})).json();
    if (r->as_json) print_json(answer);
    else std::cout << std::string(answer.at("detail").as_string()) << "\n";
    return int(ok);
  });

  auto link = std::make_shared<std::string>();
  CLI::App* set = group->add_subcommand(
      "set", "Set your password with a set-password link (asked without echo, or one line of standard input); "
             "every other session of the account ends");
  set->add_option("link", *link, "The link, as it was sent")->required();
  runs(set, run, [link] {
    const LinkParts parts = parse_link(*link);
    const std::string password = new_password();
    ApiClient api(Endpoint{parts.origin, ""});
    const ApiResponse answer = api.request(
        "POST", "/api/v1/auth/password", json::serialize(json::object{{"token", parts.token}, {"password", password}}));
    if (answer.status == 410)
      throw CliError(failed, say("cli.password.not_set", {answer.json().at("detail").as_string()}));
    check_status(answer);
    std::cout << say("cli.password.set", {parts.origin}) << "\n";
    return int(ok);
  });

  CLI::App* change = group->add_subcommand(
      "change", "Change your own password (asks the current one, then the new one); your other sessions end");
  runs(change, run, [] {
    ApiClient api(resolve_endpoint());
    const json::value me = api.call("GET", "/api/v1/me").json();
    const std::string current = read_password(say("cli.password.prompt.current"));
    const std::string password = new_password();
    api.call("PATCH", "/api/v1/users/" + std::to_string(me.at("id").as_int64()),
             json::serialize(json::object{{"password", password}, {"current_password", current}}));
    std::cout << say("cli.password.changed") << "\n";
    return int(ok);
  });
}

void add_whoami_command(CLI::App& app, std::function<int()>& run) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* whoami = app.add_subcommand("whoami", "Who you are logged in as: user, role, organisation, daemon");
  add_json_flag(whoami, *as_json);
  runs(whoami, run, [as_json] {
    const Endpoint e = resolve_endpoint();
    ApiClient api(e);
    const json::value me = api.call("GET", "/api/v1/me").json();
    if (*as_json) {
      print_json(me);
      return int(ok);
    }
    const auto& o = me.as_object();
    auto text = [](const json::object& from, std::string_view key) {
      const auto* v = from.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::string who = text(o, "email");
    if (const std::string name = text(o, "display_name"); !name.empty()) who += " (" + name + ")";
    const std::string id = std::to_string(o.at("id").as_int64());
    if (const auto* org = o.if_contains("organisation"); org && org->is_object())
      std::cout << say("cli.whoami.who_in_org", {who, id, text(o, "role"), text(org->as_object(), "name"),
                                                 std::to_string(org->as_object().at("id").as_int64())});
    else
      std::cout << say("cli.whoami.who", {who, id, text(o, "role")});
    std::cout << "\n" << say("cli.whoami.where", {e.url, text(o, "token_scope")}) << "\n";
    return int(ok);
  });
}

}  // namespace

void add_account_commands(CLI::App& app, std::function<int()>& run) {
  add_org_commands(app, run);
  add_user_commands(app, run);
  add_password_commands(app, run);
  add_whoami_command(app, run);
}

}  // namespace relance::cli
