#include "cli/record_commands.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/field_options.hpp"
#include "cli/merge_commands.hpp"
#include "cli/record_output.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"
#include "domain/list_vocabulary.hpp"

namespace relance::cli {
namespace json = boost::json;

void runs(CLI::App* cmd, std::function<int()>& run, std::function<int()> body) {
  cmd->callback([&run, body = std::move(body)] { run = body; });
}

void add_json_flag(CLI::App* cmd, bool& as_json) {
  cmd->add_flag("--json", as_json, "Print the daemon's JSON answer, for scripts");
}

namespace {

// "a contact", "an event": the noun with its article, for help texts.
std::string with_article(const std::string& noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + noun;
}

void add_id_argument(CLI::App* cmd, std::int64_t& id, const RecordKind& kind) {
  cmd->add_option("id", id, "The " + kind.command + "'s id")->required();
}

// The list's query parameters as options: --tag, --q, --limit, --sort, --company-id...
struct ListArgs {
  std::vector<std::pair<std::string, std::string>> params;  // API name, value
  std::vector<CLI::Option*> options;
  bool all = false, as_json = false;

  std::string query(const storage::Entity& entity, const std::string& cursor, const std::string& default_sort) const {
    auto encoded = [](const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); };
    std::string q;
    bool sorted = false, limited = false;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& [name, value] = params[i];
      if (options[i]->count() == 0 || (name == "cursor" && !cursor.empty())) continue;
      sorted = sorted || name == "sort";
      limited = limited || name == "limit";
      std::string bound = value;
      if (const auto kind = domain::range_kind(entity, name)) {
        std::string option = "--" + name;
        std::replace(option.begin(), option.end(), '_', '-');
        bound = range_bound_text(value, option, *kind == storage::FieldKind::date);
      }
      q += "&" + encoded(name) + "=" + encoded(bound);
    }
    if (!sorted && !default_sort.empty()) q += "&sort=" + encoded(default_sort);
    if (!limited && all) q += "&limit=200";
    if (!cursor.empty()) q += "&cursor=" + encoded(cursor);
    if (!q.empty()) q[0] = '?';
    return q;
  }
};

std::string list_option_help(const storage::Entity& e, const std::string& name) {
  if (name == "limit") return "Records a page (1 to 200, default 50)";
  if (name == "cursor") return "Start at this next_cursor of an earlier page";
  if (name == "sort") return "Sort by a field, e.g. --sort last_name or --sort=-updated_at";
  if (name == "q") return "Full-text search, folding case and accents (every word a prefix)";
  if (name == "tag") return "Only records with this tag";
  if (name == "org_id") return "Only the records of this organisation (for region staff: one start-up's)";
  if (name.ends_with("_from"))
    return "Only records from this time (inclusive): a date (its first moment, in your zone), "
           "2d ago, monday 09:00, an RFC 3339 instant...";
  if (name.ends_with("_to")) return "Only records before this time (exclusive), in the same forms as --*-from";
  const storage::Field* f = e.field(name);
  return "Only records with this " + (f ? std::string(f->description) : name);
}

int run_list(const RecordKind& kind, const ListArgs& args) {
  ApiClient api(resolve_endpoint());
  json::array items;
  json::value next_cursor = nullptr;
  std::string cursor;
  do {
    const json::value page = api.call("GET", kind.path() + args.query(*kind.entity, cursor, kind.default_sort)).json();
    for (const auto& item : page.at("items").as_array()) items.push_back(item);
    next_cursor = page.at("next_cursor");
    cursor = next_cursor.is_string() ? std::string(next_cursor.as_string()) : std::string();
  } while (args.all && !cursor.empty());
  if (args.as_json) {
    print_json(with_local_times(kind, json::object{{"items", items}, {"next_cursor", next_cursor}}));
    return ok;
  }
  std::cout << table_text(kind, items);
  if (!cursor.empty()) std::cerr << say("cli.list.more", {cursor}) << "\n";
  return ok;
}

}  // namespace

void print_written(const RecordKind& kind, const json::object& record, bool as_json, const std::string& what) {
  if (as_json) return print_json(with_local_times(kind, record));
  std::cout << kind.command << " " << json::serialize(record.at("id")) << " " << what << "\n";
}

int patch_record(const RecordKind& kind, std::int64_t id, const json::object& fields, bool as_json,
                 const std::string& what) {
  if (fields.empty()) throw CliError(usage, say("cli.nothing_to_change"));
  ApiClient api(resolve_endpoint());
  const json::value record = api.call("PATCH", kind.path(id), json::serialize(fields)).json();
  print_written(kind, record.as_object(), as_json, what);
  return ok;
}

CLI::App* add_record_group(CLI::App& app, const Kind& kind) {
  CLI::App* group = app.add_subcommand(kind->command, kind->help);
  group->require_subcommand(1);
  return group;
}

CLI::App* add_create_command(CLI::App& parent, std::function<int()>& run, const Kind& kind, const std::string& name,
                             const std::string& help) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  auto fields = std::make_shared<FieldOptions>(*cmd, *kind, FieldOptions::Purpose::create);
  auto as_json = std::make_shared<bool>(false);
  add_json_flag(cmd, *as_json);
  runs(cmd, run, [kind, fields, as_json] {
    ApiClient api(resolve_endpoint());
    const json::value record = api.call("POST", kind->path(), json::serialize(fields->body())).json();
    print_written(*kind, record.as_object(), *as_json, say("cli.created"));
    return int(ok);
  });
  return cmd;
}

CLI::App* add_list_command(CLI::App& group, std::function<int()>& run, const Kind& kind) {
  CLI::App* cmd = group.add_subcommand("list", "List " + std::string(kind->entity->name) + " (a page; --all for every one)");
  auto args = std::make_shared<ListArgs>();
  const auto names = domain::list_parameters(*kind->entity);
  args->params.reserve(names.size());  // CLI11 writes into the values: no reallocation
  for (const std::string& name : names) {
    if (std::any_of(args->params.begin(), args->params.end(), [&](const auto& p) { return p.first == name; }))
      continue;
    auto& [api_name, value] = args->params.emplace_back(name, std::string());
    std::string option = "--" + api_name;
    std::replace(option.begin(), option.end(), '_', '-');
    if (api_name == "q") option += ",--search";
    args->options.push_back(cmd->add_option(option, value, list_option_help(*kind->entity, api_name)));
  }
  cmd->add_flag("--all", args->all, "Every page, following next_cursor");
  add_json_flag(cmd, args->as_json);
  runs(cmd, run, [kind, args] { return run_list(*kind, *args); });
  return cmd;
}

CLI::App* add_show_command(CLI::App& group, std::function<int()>& run, const Kind& kind) {
  CLI::App* cmd = group.add_subcommand("show", "Show one " + kind->command);
  auto id = std::make_shared<std::int64_t>(0);
  auto as_json = std::make_shared<bool>(false);
  add_id_argument(cmd, *id, *kind);
  add_json_flag(cmd, *as_json);
  runs(cmd, run, [kind, id, as_json] {
    ApiClient api(resolve_endpoint());
    const json::value record = api.call("GET", kind->path(*id)).json();
    if (*as_json) {
      print_json(with_local_times(*kind, record));
      return int(ok);
    }
    std::cout << record_text(*kind, record.as_object());
    if (kind->more) kind->more(api, record.as_object());
    return int(ok);
  });
  return cmd;
}

CLI::App* add_edit_command(CLI::App& group, std::function<int()>& run, const Kind& kind) {
  CLI::App* cmd = group.add_subcommand("edit", "Change fields of " + with_article(kind->command) + " (only the options given)");
  auto id = std::make_shared<std::int64_t>(0);
  auto as_json = std::make_shared<bool>(false);
  add_id_argument(cmd, *id, *kind);
  auto fields = std::make_shared<FieldOptions>(*cmd, *kind, FieldOptions::Purpose::update);
  add_json_flag(cmd, *as_json);
  runs(cmd, run, [kind, id, fields, as_json] { return patch_record(*kind, *id, fields->body(), *as_json, say("cli.updated")); });
  return cmd;
}

CLI::App* add_remove_command(CLI::App& group, std::function<int()>& run, const Kind& kind) {
  CLI::App* cmd = group.add_subcommand("rm", "Delete " + with_article(kind->command));
  auto id = std::make_shared<std::int64_t>(0);
  add_id_argument(cmd, *id, *kind);
  runs(cmd, run, [kind, id] {
    ApiClient api(resolve_endpoint());
    api.call("DELETE", kind->path(*id));
    std::cout << kind->command << " " << *id << " " << say("cli.deleted") << "\n";
    return int(ok);
  });
  return cmd;
}

CLI::App* add_crud_commands(CLI::App& app, std::function<int()>& run, const Kind& kind) {
  CLI::App* group = add_record_group(app, kind);
  add_create_command(*group, run, kind, "add", "Add " + with_article(kind->command));
  add_list_command(*group, run, kind);
  add_show_command(*group, run, kind);
  add_edit_command(*group, run, kind);
  add_remove_command(*group, run, kind);
  return group;
}

void add_record_commands(CLI::App& app, std::function<int()>& run) {
  add_merge_commands(*add_crud_commands(app, run, contact_kind()), run);
  add_crud_commands(app, run, company_kind());
  add_crud_commands(app, run, event_kind());
  add_crud_commands(app, run, outcome_kind());
  const Kind lead = lead_kind();
  CLI::App* group = add_crud_commands(app, run, lead);
  // lead move ID STAGE: the stage change is logged as an activity by the daemon.
  CLI::App* move = group->add_subcommand("move", "Move a lead to another pipeline stage (logged as an activity)");
  struct Move {
    std::int64_t id = 0;
    std::string stage;
    bool as_json = false;
  };
  auto m = std::make_shared<Move>();
  add_id_argument(move, m->id, *lead);
  move->add_option("stage", m->stage, "The new stage: one of the organisation's (new, contacted, meeting, proposal, won, lost by default)")
      ->required();
  add_json_flag(move, m->as_json);
  runs(move, run, [lead, m] {
    return patch_record(*lead, m->id, json::object{{"stage", m->stage}}, m->as_json,
                        say("cli.lead.moved", {m->stage}));
  });
}

}  // namespace relance::cli
