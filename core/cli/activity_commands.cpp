#include "cli/activity_commands.hpp"

#include "cli/record_commands.hpp"

namespace relance::cli {

void add_activity_commands(CLI::App& app, std::function<int()>& run) {
  const Kind activity = activity_kind();
  add_create_command(app, run, activity, "log",
                     "Log a meeting, call, email or note on a lead, e.g. relance log meeting --lead-id 3 "
                     "--subject \"Demo\" --occurred \"2h ago\" (default: now)");
  CLI::App* group = add_record_group(app, activity);
  add_list_command(*group, run, activity);
  add_show_command(*group, run, activity);
  add_edit_command(*group, run, activity);
  add_remove_command(*group, run, activity);
}

}  // namespace relance::cli
