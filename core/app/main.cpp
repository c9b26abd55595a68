// relance: the daemon and its operator commands.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <string_view>

#include "app/config.hpp"
#include "app/daemon.hpp"
#include "cli/account_commands.hpp"
#include "cli/activity_commands.hpp"
#include "cli/api_client.hpp"
#include "cli/completion_command.hpp"
#include "cli/export_command.hpp"
#include "cli/import_command.hpp"
#include "cli/followup_commands.hpp"
#include "cli/login_command.hpp"
#include "cli/plugin_commands.hpp"
#include "cli/record_commands.hpp"
#include "cli/report_command.hpp"
#include "cli/usage_errors.hpp"
#include "domain/problem.hpp"
#include "plugin_host/plugin_host_child.hpp"
#include "relance/storage/sqlite_store.hpp"
#include "relance/version.h"

namespace {

constexpr const char* version_text = "0.1.0";

}  // namespace

int main(int argc, char** argv) {
  // The child process of an isolated plugin (plugin_host/child_process.hpp): started by the
  // daemon only, so not among the commands people are shown.
  if (argc == 2 && std::string_view(argv[1]) == "plugin-host") return relance::plugin_host::run_plugin_host_child();
  using relance::app::Config;
  CLI::App app{"Relance: follow-up pipeline for the contacts and leads of a trade mission"};
  app.require_subcommand(1);
  Config config;
  if (const char* d = std::getenv("RELANCE_DATA_DIR")) config.data_dir = d;
  std::string config_file, listen, admin_email, output;

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data-dir", config.data_dir, "Data directory (database, log, relance.toml)")
        ->capture_default_str();
    cmd->add_option("--config", config_file, "TOML configuration file (default DATA_DIR/relance.toml)");
  };
  auto* serve = app.add_subcommand("serve", "Run the daemon (creates the data directory on first run)");
  add_common(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  auto* init = app.add_subcommand("init", "Create the data directory, the database and the instance admin");
  add_common(init);
  init->add_option("--admin-email", admin_email, "Email of the instance admin")->required();
  relance::demo::Options demo_options;
  auto* demo = app.add_subcommand(
      "demo", "Fill a FRESH data directory with a fictional June mission of the region in Silicon Valley "
              "(30 start-ups, their users, leads in every stage, follow-ups, outcomes) and print the logins");
  add_common(demo);
  demo->add_option("--scale", demo_options.contacts,
                   "Contacts, spread over the 30 start-ups (a few big ones); leads are a fifth, outcomes a "
                   "fiftieth, activities and follow-ups in proportion")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  auto* demo_seed = demo->add_option(
      "--seed", demo_options.seed,
      "The same seed writes the same data (names, counts, stages). Passwords are random on every run, unless "
      "--seed is given: then they are derived from it, for benchmarks and tests (never for an instance others reach)");
  demo_seed->capture_default_str();
  auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_common(migrate);
  auto* backup = app.add_subcommand("backup", "Copy the database with SQLite's online backup, verified");
  add_common(backup);
  backup->add_option("--output,-o", output, "Backup file to write")->required();
  auto* version = app.add_subcommand("version", "Print the version");
  // Client commands: they speak to a running daemon over its API.
  std::function<int()> client_command;
  relance::cli::add_plugin_commands(app, client_command);
  relance::cli::add_export_command(app, client_command);
  relance::cli::add_report_command(app, client_command);
  relance::cli::add_import_command(app, client_command);
  relance::cli::add_login_commands(app, client_command);
  relance::cli::add_account_commands(app, client_command);
  relance::cli::add_record_commands(app, client_command);
  relance::cli::add_activity_commands(app, client_command);
  relance::cli::add_followup_commands(app, client_command);
  relance::cli::add_completion_command(app, client_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return relance::cli::parse_error_exit(app, e);  // the help, or what is wrong and the real commands
  }
  try {
    if (client_command) return client_command();
    if (version->parsed()) {
      std::cout << "relance " << version_text << " (schema " << relance::storage::latest_schema_version()
                << ", plugin SDK " << RELANCE_SDK_EPOCH << "." << RELANCE_SDK_MINOR << "."
                << RELANCE_SDK_PATCH << ")\n";
      return 0;
    }
    relance::app::load_config(config, config_file);
    if (!listen.empty()) relance::app::set_listen(config, listen);
    if (serve->parsed()) return relance::app::serve(config);
    if (init->parsed()) return relance::app::init(config, admin_email, "");
    if (demo->parsed()) {
      demo_options.seeded = demo_seed->count() > 0;
      return relance::app::run_demo(config, demo_options);
    }
    if (migrate->parsed()) return relance::app::migrate(config);
    if (backup->parsed()) return relance::app::backup(config, output);
  } catch (const relance::cli::CliError& e) {
    std::cerr << "relance: " << e.what() << "\n";
    return e.code();
  } catch (const relance::Problem& p) {
    std::cerr << "relance: " << p.detail() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "relance: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
