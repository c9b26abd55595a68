// `relance plugin-host`: the child process that runs one plugin instance for the daemon
// (isolated_instance.hpp). Not a command for people: the daemon starts it with its socket
// at fd 3 and its call watch's page at fd 4 (child_process.hpp).
#pragma once

namespace relance::plugin_host {

// Serves the daemon's requests until it closes the socket; the exit status.
int run_plugin_host_child();

}  // namespace relance::plugin_host
