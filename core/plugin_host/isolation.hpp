// Where a plugin runs: in the daemon, or in a child process of its own (isolated_instance.hpp)
// with these limits (docs/operations.md, "Isolated plugins"). Free of the SDK's headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relance::plugin_host {

enum class Isolation { in_process, process };

struct IsolationLimits {
  std::string program;               // the relance binary ("": this process's own)
  std::string work_dir;              // each plugin's working directory is a folder in it
  std::uint64_t memory_mb = 1024;    // address space of a child (RLIMIT_AS)
  std::uint64_t cpu_seconds = 3600;  // CPU time of one child (RLIMIT_CPU); then it is restarted
  std::uint64_t open_files = 256;    // RLIMIT_NOFILE
};

// Which plugins run where: `isolation` "auto" (a child for every plugin outside the bundled
// folders), "process" or "in-process", then the ids listed in `isolated` or `in_process`.
struct IsolationPolicy {
  std::string isolation = "in-process";
  std::vector<std::string> isolated, in_process;
  std::vector<std::string> bundled_dirs;  // the bundled plugins' folders ("auto")

  Isolation of(const std::string& plugin_id, const std::string& file) const;
};

}  // namespace relance::plugin_host
