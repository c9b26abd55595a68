#include "cli/plugin_commands.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/plugin_instance_commands.hpp"
#include "cli/table.hpp"
#include "cli/user_profile.hpp"
#include "domain/time.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

std::string text(const json::value* v) { return cell_text(v); }

// "42 s", "3 min", "2 h" behind now, from an RFC 3339 instant.
std::string age(const json::value* at) {
  if (!at || !at->is_string()) return "-";
  const auto t = domain::parse_instant(std::string(at->as_string()));
  if (!t) return "-";
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - *t).count();
  if (s < 120) return std::to_string(std::max<long long>(s, 0)) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

int plugin_list(bool as_json) {
  ApiClient api(resolve_endpoint());
  const json::value doc = api.call("GET", "/api/v1/plugins").json();
  if (as_json) {
    std::cout << json::serialize(doc) << "\n";
    return ok;
  }
  std::vector<TableRow> files, instances;
  std::vector<std::string> crashes;  // a line each, under the tables: the way out
  for (const auto& p : doc.at("items").as_array()) {
    const auto& o = p.as_object();
    const std::string interfaces = text(&o.at("interfaces"));  // joined by ", "
    const std::string state = text(o.if_contains("state"));
    files.push_back({std::filesystem::path(text(o.if_contains("file"))).filename().string(), text(o.if_contains("id")),
                     text(o.if_contains("version")), text(o.if_contains("sdk_version")), state,
                     state == "loaded" ? interfaces : text(o.if_contains("error"))});
    for (const auto& i : o.at("instances").as_array()) {
      const auto& in = i.as_object();
      const auto& d = in.at("delivery").as_object();
      instances.push_back({text(in.if_contains("id")), text(in.if_contains("name")), text(in.if_contains("org_id")),
                           text(o.if_contains("id")), text(d.if_contains("state")), text(d.if_contains("pending")),
                           age(d.if_contains("oldest_pending_at")), text(d.if_contains("dead_letters")),
                           text(d.if_contains("last_error"))});
      if (const auto* c = d.if_contains("crash"); c && c->is_object()) {
        const std::string id = text(in.if_contains("id"));
        const std::string event = text(c->as_object().if_contains("event_id"));
        std::string signal = text(c->as_object().if_contains("signal"));
        if (signal.empty()) signal = say("cli.plugin.unknown_signal");
        crashes.push_back(event.empty() ? say("cli.plugin.crashed_call", {text(in.if_contains("name")), id, signal})
                                        : say("cli.plugin.crashed", {text(in.if_contains("name")), id, event, signal}));
      }
    }
  }
  auto headers = [](std::initializer_list<std::string_view> keys) {
    TableRow row;
    for (std::string_view key : keys) row.push_back(say(key));
    return row;
  };
  std::cout << render_table(headers({"cli.column.file", "cli.column.plugin", "cli.column.version", "cli.column.sdk",
                                     "cli.column.state", "cli.column.interfaces"}),
                            files, 80);
  if (!instances.empty())
    std::cout << "\n"
              << render_table(headers({"cli.column.instance", "cli.column.name", "cli.column.org", "cli.column.plugin",
                                       "cli.column.state", "cli.column.pending", "cli.column.lag",
                                       "cli.column.dead_letters", "cli.column.last_error"}),
                              instances);
  for (const std::string& line : crashes) std::cout << "\n" << line << "\n";
  return ok;
}

}  // namespace

void add_plugin_commands(CLI::App& app, std::function<int()>& run) {
  auto* plugin = app.add_subcommand("plugin", "The daemon's plugins (org-admin or admin)");
  plugin->require_subcommand(1);
  auto* list = plugin->add_subcommand(
      "list", "Each plugin file: version, SDK, state (or why it was refused); each instance: delivery state, "
              "pending events, lag, dead letters, last error");
  auto as_json = std::make_shared<bool>(false);
  list->add_flag("--json", *as_json, "Print the daemon's JSON answer");
  list->callback([&run, as_json] { run = [as_json] { return plugin_list(*as_json); }; });
  add_plugin_instance_commands(*plugin, run);
}

}  // namespace relance::cli
