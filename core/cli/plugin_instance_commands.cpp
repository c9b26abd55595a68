#include "cli/plugin_instance_commands.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/record_commands.hpp"
#include "cli/record_output.hpp"
#include "cli/table.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

const std::string instances_path = "/api/v1/plugin-instances";

std::string instance_path(std::int64_t id) { return instances_path + "/" + std::to_string(id); }

// Instance fields and settings: an absent value shows as nothing.
std::string text(const json::value* v) { return cell_text(v, ""); }

// What `add` and `edit` take besides the instance's id.
struct InstanceArgs {
  std::string name;
  std::vector<std::string> settings;        // key=value
  std::vector<std::string> unset_settings;  // key
  std::vector<std::string> events, datasets;
  std::int64_t org_id = 0;
  bool enable = false, disable = false, from_beginning = false, as_json = false;
  CLI::Option *name_option = nullptr, *events_option = nullptr, *datasets_option = nullptr;
};

void add_instance_options(CLI::App* cmd, InstanceArgs& a) {
  cmd->add_option("--setting,-s", a.settings,
                  "A setting, KEY=VALUE (repeatable): VALUE is read as JSON when it is a number, true, false, "
                  "an object or a \"quoted string\", as text otherwise (`relance plugin settings PLUGIN` lists them)");
  a.events_option = cmd->add_option("--event", a.events,
                                    "An event type or pattern the instance receives (repeatable; followup.due, lead.*, *)");
  a.datasets_option =
      cmd->add_option("--dataset", a.datasets, "A dataset the instance may read (repeatable; contacts, leads...)");
  add_json_flag(cmd, a.as_json);
}

// VALUE of KEY=VALUE as JSON: what parses as a JSON number, boolean, object, array or
// quoted string is that; anything else is text, so `from=Relance <r@x.fr>` needs no quotes.
json::value setting_value(const std::string& raw) {
  boost::system::error_code ec;
  json::value v = json::parse(raw, ec);
  if (!ec && !v.is_null()) return v;
  return json::string(raw);
}

void apply_settings(json::object& settings, const InstanceArgs& a) {
  for (const std::string& kv : a.settings) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CliError(usage, say("cli.plugin.bad_setting", {kv}));
    settings[kv.substr(0, eq)] = setting_value(kv.substr(eq + 1));
  }
  for (const std::string& key : a.unset_settings)
    if (settings.erase(key) == 0) throw CliError(usage, say("cli.plugin.no_such_setting", {key}));
}

// The fields of `a` that were given, as the API's body.
json::object instance_body(const InstanceArgs& a, json::object settings) {
  json::object body;
  if (!a.name.empty()) body["name"] = a.name;
  if (!a.settings.empty() || !a.unset_settings.empty()) {
    apply_settings(settings, a);
    body["settings"] = std::move(settings);
  }
  auto strings = [](const std::vector<std::string>& v) {
    json::array out;
    for (const auto& s : v) out.push_back(json::string(s));
    return out;
  };
  if (a.events_option->count()) body["events"] = strings(a.events);
  if (a.datasets_option->count()) body["datasets"] = strings(a.datasets);
  if (a.enable) body["enabled"] = true;
  if (a.disable) body["enabled"] = false;
  return body;
}

// Two aligned columns without a header line.
std::string aligned(std::vector<TableRow> rows) {
  if (rows.empty()) return {};
  const TableRow first = rows.front();
  rows.erase(rows.begin());
  return render_table(first, rows, 200);
}

void print_instance(const json::object& o) {
  std::vector<TableRow> rows;
  for (const char* key : {"id", "name", "plugin", "org_id", "enabled", "events", "datasets", "source"})
    rows.push_back({std::string(key) + ":", text(o.if_contains(key))});
  std::cout << aligned(std::move(rows));
  if (const auto* s = o.if_contains("settings"); s && s->is_object() && !s->as_object().empty()) {
    std::cout << "settings:\n";
    std::vector<TableRow> settings;
    for (const auto& kv : s->as_object()) settings.push_back({"  " + std::string(kv.key()), text(&kv.value())});
    std::cout << aligned(std::move(settings));
  }
  if (const auto* d = o.if_contains("delivery"); d && d->is_object()) {
    const auto& del = d->as_object();
    const std::string state = text(del.if_contains("state")), pending = text(del.if_contains("pending")),
                      dead = text(del.if_contains("dead_letters")), error = text(del.if_contains("last_error"));
    std::cout << (error.empty() ? say("cli.plugin.delivery", {state, pending, dead})
                                : say("cli.plugin.delivery_error", {state, pending, dead, error}))
              << "\n";
  }
}

// `sentence`: the catalogue's "plugin instance {0} created" (or updated).
void print_changed(const json::value& instance, bool as_json, std::string_view sentence) {
  if (as_json) return print_json(instance);
  std::cout << say(sentence, {text(instance.as_object().if_contains("id"))}) << "\n";
}

void add_instance_add(CLI::App& group, std::function<int()>& run) {
  CLI::App* cmd = group.add_subcommand(
      "add", "Enable a plugin for your organisation, e.g. relance plugin instance add org.relance.email-reminder "
             "Rappels -s smtp_url=smtp://mail.example.org:587 -s from=\"Relance <relance@example.org>\" "
             "--event followup.due --event digest.due");
  struct Add {
    std::string plugin;
    InstanceArgs args;
  };
  auto a = std::make_shared<Add>();
  cmd->add_option("plugin", a->plugin, "The plugin's id (relance plugin list)")->required();
  cmd->add_option("name", a->args.name, "The instance's name, unique in the organisation")->required();
  add_instance_options(cmd, a->args);
  cmd->add_option("--org-id", a->args.org_id, "For the instance admin: the organisation (default: yours)");
  cmd->add_flag("--from-beginning", a->args.from_beginning, "Deliver every event kept, not only those from now on");
  cmd->add_flag("--disabled", a->args.disable, "Create it disabled (enable it later with edit --enable)");
  runs(cmd, run, [a] {
    json::object body = instance_body(a->args, json::object());
    body["plugin"] = a->plugin;
    if (!body.contains("settings")) body["settings"] = json::object();
    if (a->args.org_id) body["org_id"] = a->args.org_id;
    if (a->args.from_beginning) body["start"] = "beginning";
    ApiClient api(resolve_endpoint());
    print_changed(api.call("POST", instances_path, json::serialize(body)).json(), a->args.as_json,
                  "cli.plugin_instance.created");
    return int(ok);
  });
}

void add_instance_edit(CLI::App& group, std::function<int()>& run) {
  CLI::App* cmd = group.add_subcommand(
      "edit", "Change an instance: only the options given (settings are merged into the stored ones; "
              "secrets stay as they are unless given)");
  struct Edit {
    std::int64_t id = 0;
    InstanceArgs args;
  };
  auto e = std::make_shared<Edit>();
  cmd->add_option("id", e->id, "The instance's id (relance plugin list)")->required();
  cmd->add_option("--name", e->args.name, "A new name");
  add_instance_options(cmd, e->args);
  cmd->add_option("--unset-setting", e->args.unset_settings, "Remove a setting (its key; repeatable)");
  auto* enable = cmd->add_flag("--enable", e->args.enable, "Deliver events again");
  cmd->add_flag("--disable", e->args.disable, "Stop delivering events (they wait, nothing is lost)")->excludes(enable);
  runs(cmd, run, [e] {
    ApiClient api(resolve_endpoint());
    json::object settings;
    if (!e->args.settings.empty() || !e->args.unset_settings.empty()) {
      // The stored settings as the API shows them (secrets "(set)", which it keeps when
      // sent back), with the changes given over them.
      const json::value now = api.call("GET", instance_path(e->id)).json();
      if (const auto* s = now.as_object().if_contains("settings"); s && s->is_object()) settings = s->as_object();
    }
    const json::object body = instance_body(e->args, std::move(settings));
    if (body.empty()) throw CliError(usage, say("cli.plugin.nothing_to_change"));
    print_changed(api.call("PATCH", instance_path(e->id), json::serialize(body)).json(), e->args.as_json,
                  "cli.plugin_instance.updated");
    return int(ok);
  });
}

void add_instance_show_and_rm(CLI::App& group, std::function<int()>& run) {
  CLI::App* show = group.add_subcommand("show", "Show an instance: settings (secrets as \"(set)\"), events, delivery");
  struct Show {
    std::int64_t id = 0;
    bool as_json = false;
  };
  auto s = std::make_shared<Show>();
  show->add_option("id", s->id, "The instance's id (relance plugin list)")->required();
  add_json_flag(show, s->as_json);
  runs(show, run, [s] {
    ApiClient api(resolve_endpoint());
    const json::value instance = api.call("GET", instance_path(s->id)).json();
    if (s->as_json)
      print_json(instance);
    else
      print_instance(instance.as_object());
    return int(ok);
  });

  CLI::App* rm = group.add_subcommand("rm", "Remove an instance with its delivery position, state and dead letters");
  auto id = std::make_shared<std::int64_t>(0);
  rm->add_option("id", *id, "The instance's id")->required();
  runs(rm, run, [id] {
    ApiClient api(resolve_endpoint());
    api.call("DELETE", instance_path(*id));
    std::cout << say("cli.plugin_instance.removed", {std::to_string(*id)}) << "\n";
    return int(ok);
  });
}

// The delivery field `key` of an instance as the API answers it.
std::string delivery_text(const json::value& instance, const char* key) {
  const auto* d = instance.as_object().if_contains("delivery");
  return d && d->is_object() ? text(d->as_object().if_contains(key)) : std::string();
}

// `resume ID` and `skip ID --to EVENT_ID`: the ways out of a suspension or a crash.
void add_instance_resume_and_skip(CLI::App& group, std::function<int()>& run) {
  CLI::App* resume = group.add_subcommand(
      "resume", "Deliver again to an instance the daemon suspended (a call overran its budget) or quarantined "
                "after a crash (it goes on after the event that crashed it)");
  struct Resume {
    std::int64_t id = 0;
    bool as_json = false;
  };
  auto r = std::make_shared<Resume>();
  resume->add_option("id", r->id, "The instance's id (relance plugin list)")->required();
  add_json_flag(resume, r->as_json);
  runs(resume, run, [r] {
    ApiClient api(resolve_endpoint());
    const json::value instance = api.call("POST", instance_path(r->id) + "/resume").json();
    if (r->as_json) print_json(instance);
    else std::cout << say("cli.plugin_instance.resumed", {std::to_string(r->id), delivery_text(instance, "state")}) << "\n";
    return int(ok);
  });

  CLI::App* skip = group.add_subcommand(
      "skip", "Move an instance past an event (it and those before it count as handled), e.g. past the event "
              "that crashed it: relance plugin instance skip 7 --to 1234");
  struct Skip {
    std::int64_t id = 0, to = 0;
    bool as_json = false;
  };
  auto k = std::make_shared<Skip>();
  skip->add_option("id", k->id, "The instance's id (relance plugin list)")->required();
  skip->add_option("--to", k->to, "The event id to move past (relance plugin list shows a crash's event)")->required();
  add_json_flag(skip, k->as_json);
  runs(skip, run, [k] {
    ApiClient api(resolve_endpoint());
    const json::value instance =
        api.call("POST", instance_path(k->id) + "/skip", json::serialize(json::object{{"to", k->to}})).json();
    if (k->as_json) print_json(instance);
    else
      std::cout << say("cli.plugin_instance.skipped", {std::to_string(k->id), std::to_string(k->to),
                                                        delivery_text(instance, "cursor"),
                                                        delivery_text(instance, "state")})
                << "\n";
    return int(ok);
  });
}

// `plugin settings PLUGIN`: the settings the plugin documents, a table (or --json).
void add_settings_command(CLI::App& plugin, std::function<int()>& run) {
  CLI::App* cmd = plugin.add_subcommand("settings", "The settings a plugin's instances take, as the plugin documents them");
  struct Settings {
    std::string plugin;
    bool as_json = false;
  };
  auto a = std::make_shared<Settings>();
  cmd->add_option("plugin", a->plugin, "The plugin's id, e.g. org.relance.email-reminder (relance plugin list)")
      ->required();
  add_json_flag(cmd, a->as_json);
  runs(cmd, run, [a] {
    ApiClient api(resolve_endpoint());
    const json::value doc =
        api.call("GET", "/api/v1/plugins/" + std::string(boost::urls::encode(a->plugin, boost::urls::unreserved_chars)) +
                            "/settings")
            .json();
    if (a->as_json) {
      print_json(doc);
      return int(ok);
    }
    const auto& settings = doc.at("settings").as_array();
    if (settings.empty()) {
      std::cout << say("cli.plugin.no_settings", {a->plugin}) << "\n";
      return int(ok);
    }
    // A daemon before SDK 1.6 sends no description_fr: the English one then.
    const bool french = user_locale() == domain::Locale::fr;
    std::vector<TableRow> rows;
    for (const auto& v : settings) {
      const auto& o = v.as_object();
      const auto* fr = french ? o.if_contains("description_fr") : nullptr;
      std::string what = text(fr ? fr : o.if_contains("description"));
      if (const std::string choices = text(o.if_contains("choices")); !choices.empty())
        what = say("cli.plugin.one_of", {what, choices});
      std::string type = text(o.if_contains("type"));
      if (const auto* r = o.if_contains("required"); r && r->is_bool() && r->get_bool())
        type = say("cli.plugin.required_type", {type});
      rows.push_back({text(o.if_contains("name")), type, text(o.if_contains("default")), what});
    }
    std::cout << render_table({say("cli.column.setting"), say("cli.column.type"), say("cli.column.default"),
                               say("cli.column.what_it_does")},
                              rows, 200)
              << "\n" << say("cli.plugin.settings_hint") << "\n";
    return int(ok);
  });
}

// `plugin test-email INSTANCE --to EMAIL`: one real message through the instance's
// settings; the SMTP server's answer, or why it failed (exit 1).
void add_test_email_command(CLI::App& plugin, std::function<int()>& run) {
  CLI::App* cmd = plugin.add_subcommand(
      "test-email", "Send one real message through an email instance's settings and show the SMTP server's answer");
  struct Test {
    std::int64_t id = 0;
    std::string to;
    bool as_json = false;
  };
  auto a = std::make_shared<Test>();
  cmd->add_option("instance", a->id, "The instance's id (relance plugin list)")->required();
  cmd->add_option("--to", a->to, "Where to send the message, e.g. lea@example.org")->required();
  add_json_flag(cmd, a->as_json);
  runs(cmd, run, [a] {
    ApiClient api(resolve_endpoint());
    const json::value result =
        api.call("POST", instance_path(a->id) + "/test", json::serialize(json::object{{"to", a->to}})).json();
    const auto& o = result.as_object();
    const bool passed = o.at("passed").as_bool();
    if (a->as_json)
      print_json(result);
    else if (passed)
      std::cout << say("cli.plugin.test_sent", {text(o.if_contains("report"))}) << "\n";
    else
      std::cerr << "relance: "
                << say("cli.plugin.test_failed", {text(o.if_contains("status")), text(o.if_contains("report"))}) << "\n";
    return int(passed ? ok : failed);
  });
}

}  // namespace

void add_plugin_instance_commands(CLI::App& plugin, std::function<int()>& run) {
  add_settings_command(plugin, run);
  add_test_email_command(plugin, run);
  CLI::App* group =
      plugin.add_subcommand("instance", "An organisation's instances of a plugin: add, edit, rm, show, resume, skip");
  group->require_subcommand(1);
  add_instance_add(*group, run);
  add_instance_edit(*group, run);
  add_instance_show_and_rm(*group, run);
  add_instance_resume_and_skip(*group, run);
}

}  // namespace relance::cli
