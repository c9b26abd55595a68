#include "cli/followup_commands.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/record_commands.hpp"
#include "cli/record_output.hpp"
#include "cli/user_profile.hpp"
#include "cli/when.hpp"
#include "domain/time.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

struct Change {
  std::int64_t id = 0;
  std::string until;  // snooze: a duration or an instant
  std::string zone;   // snooze: the zone a local time is read in
  bool as_json = false;
};

CLI::App* add_change_command(CLI::App& group, const std::string& name, const std::string& help, Change& c) {
  CLI::App* cmd = group.add_subcommand(name, help);
  cmd->add_option("id", c.id, "The follow-up's id")->required();
  cmd->add_flag("--json", c.as_json, "Print the daemon's JSON answer, for scripts");
  return cmd;
}

// When a snoozed follow-up is due: later by a duration, or at a date or an instant.
struct Until {
  std::optional<Clock::duration> later;
  Clock::time_point at;
};

Until read_until(const std::string& text, const std::string& zone) {
  if (const auto d = parse_duration(text.starts_with("in ") ? text.substr(3) : text)) return {d, {}};
  const auto t = domain::parse_instant(instant_text(text, "until", zone));
  return {std::nullopt, *t};
}

// A duration moves the due instant from the current one, or from now when that is past, so
// that a snoozed follow-up is never already overdue.
std::string due_after(const Until& until, const json::value& due_at) {
  if (!until.later) return domain::format_instant(until.at);
  const auto now = Clock::now();
  const auto from = due_at.is_string() ? domain::parse_instant(due_at.as_string()) : std::nullopt;
  return domain::format_instant(std::max(from.value_or(now), now) + *until.later);
}

}  // namespace

void add_followup_commands(CLI::App& app, std::function<int()>& run) {
  const Kind followup = followup_kind();
  CLI::App* group = add_crud_commands(app, run, followup);

  auto done = std::make_shared<Change>();
  add_change_command(*group, "done", "Mark a follow-up done", *done)->callback([&run, followup, done] {
    run = [followup, done] {
      return patch_record(*followup, done->id, json::object{{"status", "done"}}, done->as_json, say("cli.done"));
    };
  });

  auto snooze = std::make_shared<Change>();
  CLI::App* cmd = add_change_command(
      *group, "snooze", "Snooze a follow-up: status snoozed, due later by a duration (3h, 1d, 2w) or at a date",
      *snooze);
  cmd->add_option("until", snooze->until,
                  "3h, 1d, 2w (later than now or the current due instant), or a time: tomorrow 09:00, demain 9h, "
                  "mon 14:30, 2026-12-05 09:00, 2026-12-05 (09:00), RFC 3339")
      ->required();
  cmd->add_option("--time-zone", snooze->zone, "IANA time zone a local time is read in (default: yours)");
  cmd->callback([&run, followup, snooze] {
    run = [followup, snooze] {
      const Until until = read_until(snooze->until, snooze->zone);
      const std::string due = [&] {
        ApiClient api(resolve_endpoint());
        return due_after(until, api.call("GET", followup->path(snooze->id)).json().at("due_at"));
      }();
      return patch_record(*followup, snooze->id, json::object{{"status", "snoozed"}, {"due_at", due}},
                          snooze->as_json, say("cli.snoozed_until", {local_time(due)}));
    };
  });

  // The views: what is due today (in your own day), overdue, or coming.
  struct View {
    std::string assignee = "me";
    int days = 7;
    bool as_json = false;
  };
  for (const char* which : {"today", "overdue", "upcoming"}) {
    auto v = std::make_shared<View>();
    const std::string name = which;
    CLI::App* view = group->add_subcommand(
        name, name == "today" ? "Follow-ups due today (your local day), open or snoozed"
              : name == "overdue" ? "Follow-ups past their due time, open or snoozed"
                                  : "Follow-ups due in the coming days");
    view->add_option("--assignee", v->assignee, "me (default), all (the whole organisation) or a user id");
    if (name == "upcoming") view->add_option("--days", v->days, "How many days ahead (default 7)");
    view->add_flag("--json", v->as_json, "Print the daemon's JSON answer, for scripts");
    view->callback([&run, followup, v, name] {
      run = [followup, v, name] {
        ApiClient api(resolve_endpoint());
        std::string path = "/api/v1/followups/" + name + "?assignee=" + v->assignee;
        if (name == "upcoming") path += "&days=" + std::to_string(v->days);
        const json::value page = api.call("GET", path).json();
        if (v->as_json) {
          print_json(page);
        } else {
          const auto& items = page.at("items").as_array();
          if (items.empty()) std::cout << say("cli.nothing." + name) << "\n";
          else std::cout << table_text(*followup, items);
        }
        return static_cast<int>(ok);
      };
    });
  }
}

}  // namespace relance::cli
