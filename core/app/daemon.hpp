// The daemon's commands on a data directory: serve, init, demo, migrate, backup.
#pragma once

#include <string>

#include "app/config.hpp"
#include "demo/demo.hpp"

namespace relance::app {

// Runs the daemon until SIGTERM/SIGINT; creates the data directory and the instance admin
// on first run. Returns the process exit code.
int serve(Config c);
// Creates the data directory, the database and the instance admin.
int init(Config c, const std::string& admin_email, std::string password);
// Creates a fresh data directory as init does and fills it with the demo's mission; prints
// the logins and how to serve it. Exit code 2, nothing touched, when it already has a database.
int run_demo(Config c, demo::Options options);
int migrate(const Config& c);
int backup(Config c, const std::string& output);

}  // namespace relance::app
