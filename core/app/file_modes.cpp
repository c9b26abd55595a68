#include "app/file_modes.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>

namespace relance::app {
namespace fs = std::filesystem;

void keep_files_private() { ::umask(077); }

std::vector<std::string> warn_loose_modes(const Config& c) {
  std::vector<std::string> loose;
  auto check = [&](const fs::path& p, bool directory) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
    if (directory != S_ISDIR(st.st_mode) || (!directory && !S_ISREG(st.st_mode))) return;
    spdlog::warn("{} has mode {:04o}: other local users may {} it; chmod {} {}", p.string(), st.st_mode & 07777,
                 directory ? "enter" : "read", directory ? "0700" : "0600", p.string());
    loose.push_back(p.string());
  };
  const fs::path dir = c.data_dir;
  check(dir, true);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) check(it->path(), false);
  return loose;
}

}  // namespace relance::app
