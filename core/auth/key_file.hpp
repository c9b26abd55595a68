// Key files of the data directory (secrets.key, link-signing.key): a few random bytes in a
// file of mode 0600, whatever the umask, written whole or not at all.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace relance::auth {

// The file's bytes; nullopt when it does not exist. Throws std::runtime_error when it
// cannot be read or does not hold exactly `size` bytes.
std::optional<std::string> read_key_file(const std::string& path, std::size_t size);

// `size` new random bytes, written to `path` (through a temporary file, synced, then
// renamed). Throws std::runtime_error when the disk refuses.
std::string create_key_file(const std::string& path, std::size_t size);

}  // namespace relance::auth
