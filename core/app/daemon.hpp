// The daemon's commands on a data directory: serve, init, migrate, backup.
#pragma once

#include <string>

#include "app/config.hpp"

namespace relance::app {

// Runs the daemon until SIGTERM/SIGINT; creates the data directory and the instance admin
// on first run. Returns the process exit code.
int serve(Config c);
// Creates the data directory, the database and the instance admin.
int init(Config c, const std::string& admin_email, std::string password);
int migrate(const Config& c);
int backup(Config c, const std::string& output);

}  // namespace relance::app
