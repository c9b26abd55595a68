#include "auth/key_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace relance::auth {

std::optional<std::string> read_key_file(const std::string& path, std::size_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw std::runtime_error("cannot read the key file " + path);
  }
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != size)
    throw std::runtime_error("the key file " + path + " holds " + std::to_string(key.size()) + " bytes, not " +
                             std::to_string(size) + ": restore it from the backup");
  return key;
}

std::string create_key_file(const std::string& path, std::size_t size) {
  std::string key(size, '\0');
  randombytes_buf(key.data(), key.size());
  const std::string tmp = path + ".new";
  // open() with the mode, not a stream and chmod after: the key is never readable by
  // others, not even for an instant.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + tmp);
  std::filesystem::rename(tmp, path);
  return key;
}

}  // namespace relance::auth
