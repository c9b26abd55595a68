#include "cli/followup_commands.hpp"

#include <boost/json/value.hpp>

#include <algorithm>
#include <memory>

#include "cli/api_client.hpp"
#include "cli/record_commands.hpp"
#include "cli/when.hpp"
#include "domain/time.hpp"

namespace relance::cli {
namespace json = boost::json;

namespace {

struct Change {
  std::int64_t id = 0;
  std::string until;  // snooze: a duration or an instant
  bool as_json = false;
};

CLI::App* add_change_command(CLI::App& group, const std::string& name, const std::string& help, Change& c) {
  CLI::App* cmd = group.add_subcommand(name, help);
  cmd->add_option("id", c.id, "The follow-up's id")->required();
  cmd->add_flag("--json", c.as_json, "Print the daemon's JSON answer, for scripts");
  return cmd;
}

// The new due instant: a duration moves it from the current due instant (from now when that
// is past, so that a snoozed follow-up is never already overdue); a date or an instant sets it.
std::string snoozed_until(const std::string& until, const json::value& due_at) {
  const auto now = Clock::now();
  if (const auto d = parse_duration(until.starts_with("in ") ? until.substr(3) : until)) {
    auto from = due_at.is_string() ? domain::parse_instant(due_at.as_string()) : std::nullopt;
    return domain::format_instant(std::max(from.value_or(now), now) + *d);
  }
  const auto t = parse_when(until, now);
  if (!t) throw CliError(usage, "snooze until what? " + until + " is not a duration (3h, 1d, 2w), a date (YYYY-MM-DD) or an instant");
  return domain::format_instant(*t);
}

}  // namespace

void add_followup_commands(CLI::App& app, std::function<int()>& run) {
  const Kind followup = followup_kind();
  CLI::App* group = add_crud_commands(app, run, followup);

  auto done = std::make_shared<Change>();
  add_change_command(*group, "done", "Mark a follow-up done", *done)->callback([&run, followup, done] {
    run = [followup, done] {
      return patch_record(*followup, done->id, json::object{{"status", "done"}}, done->as_json, "done");
    };
  });

  auto snooze = std::make_shared<Change>();
  CLI::App* cmd = add_change_command(
      *group, "snooze", "Snooze a follow-up: status snoozed, due later by a duration (3h, 1d, 2w) or at a date",
      *snooze);
  cmd->add_option("until", snooze->until, "3h, 1d, 2w (later than now or the current due instant), YYYY-MM-DD (09:00 local) or an RFC 3339 instant")
      ->required();
  cmd->callback([&run, followup, snooze] {
    run = [followup, snooze] {
      const std::string due = [&] {
        ApiClient api(resolve_endpoint());
        const json::value current = api.call("GET", followup->path(snooze->id)).json();
        return snoozed_until(snooze->until, current.at("due_at"));
      }();
      return patch_record(*followup, snooze->id, json::object{{"status", "snoozed"}, {"due_at", due}},
                          snooze->as_json, "snoozed until " + local_time(due));
    };
  });
}

}  // namespace relance::cli
