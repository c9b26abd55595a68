#include "cli/usage_errors.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "cli/api_client.hpp"
#include "cli/user_profile.hpp"

namespace relance::cli {

namespace {

// The subcommand the parse reached last: `contact` in `relance contact frobnicate`.
CLI::App* deepest_parsed(CLI::App& app) {
  CLI::App* at = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : at->get_subcommands({}))
      if (sub->parsed()) {
        at = sub;
        deeper = true;
        break;
      }
  }
  return at;
}

std::string command_path(const CLI::App* at) {
  std::string path;
  for (; at; at = at->get_parent()) path = (at->get_parent() ? at->get_name() : "relance") + (path.empty() ? "" : " ") + path;
  return path;
}

}  // namespace

int parse_error_exit(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) return app.exit(e);  // --help
  CLI::App* group = deepest_parsed(app);
  const std::vector<CLI::App*> commands = group->get_subcommands({});
  // A group's words are its commands: anything else left over, or nothing, means the user
  // did not name one of them (CLI11 would say "arguments not expected" or "a subcommand is
  // required").
  if (commands.empty()) {
    app.exit(e);  // CLI11's message and its hint
    return usage;
  }
  const std::string path = command_path(group);
  std::string unknown;
  for (const std::string& word : group->remaining())
    if (!word.empty() && word[0] != '-') {
      unknown = word;
      break;
    }
  if (unknown.empty() && dynamic_cast<const CLI::ExtrasError*>(&e) == nullptr &&
      dynamic_cast<const CLI::RequiredError*>(&e) == nullptr) {
    app.exit(e);
    return usage;
  }
  std::cerr << (unknown.empty() ? say("cli.usage.which_command", {path})
                                : say("cli.usage.not_a_command", {path, unknown}))
            << " " << say("cli.usage.commands_are") << "\n";
  std::size_t width = 0;
  for (const CLI::App* c : commands) width = std::max(width, c->get_name().size());
  for (const CLI::App* c : commands)
    std::cerr << "  " << c->get_name() << std::string(width - c->get_name().size() + 2, ' ')
              << c->get_description() << "\n";
  std::cerr << say("cli.usage.see_help", {path}) << "\n";
  return usage;
}

}  // namespace relance::cli
