// The data directory holds personal data (the database, its WAL, import spools and
// reports), the keys (secrets.key, link-signing.key) and a log that names people: none of
// it is for other local users. The daemon's commands create it all private (directories
// 0700, files 0600) whatever the umask they inherit, and `relance serve` says when it
// finds looser modes.
#pragma once

#include <string>
#include <vector>

#include "app/config.hpp"

namespace relance::app {

// Sets the process's umask to 077, so that every file the daemon, SQLite (its -wal and
// -shm take the database's mode) or a plugin creates is private. For the daemon's commands
// only: the client commands write the user's files with the user's umask.
void keep_files_private();

// The data directory, and the files directly in it, that group or others may read, write
// or enter; one warning line each in the log. Returns them.
std::vector<std::string> warn_loose_modes(const Config& c);

}  // namespace relance::app
