// Config: the daemon's settings, from defaults, then the TOML file, then the environment
// (RELANCE_<SECTION>_<KEY>, e.g. RELANCE_SERVER_LISTEN, RELANCE_LOG_LEVEL), then the
// command line. Every limit the daemon enforces is here.
#pragma once

#include <cstdint>
#include <string>

#include "api/routes.hpp"
#include "auth/outbound_policy.hpp"
#include "api/server.hpp"
#include "followups/scheduler.hpp"
#include "mail/smtp.hpp"
#include "services/plugin_service.hpp"
#include "plugin_host/isolation.hpp"
#include "plugin_host/runner.hpp"
#include "relance/storage/sqlite_store.hpp"

namespace relance::app {

struct LogConfig {
  std::string level = "info";
  std::string file = "relance.log";  // relative to the data directory; "" for none
  bool json = false;                 // JSON lines instead of text
  std::size_t max_file_bytes = 10 << 20;
  std::size_t max_files = 5;
};

struct PluginsConfig {
  // Where plugin files (*.so) are looked for. Default: the bundled plugins' folder, then
  // the data directory's plugins/ folder.
  std::vector<std::string> directories;
  plugin_host::DeliveryOptions delivery;
  std::size_t export_threads = 4;  // exports running at once; more wait their turn
  std::vector<services::ConfiguredInstance> instances;  // [[plugins.instance]]
  // Which plugins run in a child process (plugin_host/isolation.hpp): "auto" isolates
  // every plugin outside the bundled folder; `isolated` and `in_process` name plugin ids.
  std::string isolation = "auto";
  std::vector<std::string> isolated, in_process;
  plugin_host::IsolationLimits limits;  // of each child process
};

struct FollowupsConfig {
  followups::SchedulerOptions scheduler;
  std::string public_url;  // how users reach the daemon, for email links ("" = the listen address)
  int link_hours = 14 * 24;  // how long a reminder's done/snooze links work (0: they expire at once)
};

struct ImportsConfig {
  std::uint64_t max_bytes = 100 << 20;  // a larger file is refused (413); the import
                                        // route's body limit (server.max_body_bytes is for the rest)
  std::size_t batch = 5000;             // rows per write transaction
  std::int64_t report_retention_seconds = 24 * 3600;  // a finished job's report is kept this long
};

struct AccountsConfig {
  std::int64_t invite_link_seconds = 72 * 3600;  // how long an invitation's set-password link works
  std::int64_t reset_link_seconds = 3600;        // how long a reset's link works
  std::string default_locale = "fr";             // the language of a user created without one
};

struct WebConfig {
  // The web app's files (index.html, assets/). Default: the installed app, or the build
  // tree's when the daemon runs from there (Config::web_root).
  std::string root;
};

struct Config {
  std::string data_dir = "relance-data";
  api::ServerOptions server;
  api::ApiLimits api;
  storage::SqliteOptions storage;  // path is set from data_dir
  LogConfig log;
  PluginsConfig plugins;
  FollowupsConfig followups;
  ImportsConfig imports;
  AccountsConfig accounts;
  mail::SmtpSettings mail;  // [mail]: the instance's own outbound mail; none when smtp_url is empty
  auth::OutboundPolicy outbound;  // [outbound] allow: what plugins may connect to beyond public addresses
  WebConfig web;                  // [web] root

  std::string database_path() const;
  std::vector<std::string> plugin_directories() const;
  plugin_host::IsolationPolicy isolation_policy() const;
  std::string web_root() const;
};

// Reads `file` when it exists ("" for data_dir/relance.toml), then the environment.
// Throws std::runtime_error naming the bad key.
void load_config(Config& c, const std::string& file);
// "127.0.0.1:8080" -> host and port. Throws std::runtime_error.
void set_listen(Config& c, const std::string& host_port);

}  // namespace relance::app
