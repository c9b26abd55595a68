// SecretBox: what the daemon keeps secret at rest (the secret settings of plugin
// instances) sealed with libsodium's crypto_secretbox (XSalsa20-Poly1305), a fresh random
// nonce per value, under a 32-byte key kept in a file of its own beside the database
// (DATA_DIR/secrets.key, mode 0600). A copy of the database without that file holds no
// readable secret; a backup must keep both (docs/operations.md).
//
// A sealed value is text: "$rsb1$" + unpadded base64url(nonce || ciphertext), so that it
// fits a JSON string and the password part of a URL.
//
// Thread safety: a SecretBox is immutable once loaded; seal and open may run concurrently.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace relance::auth {

class SecretBox {
 public:
  // The key in `path`, created (32 random bytes, mode 0600) when the file does not exist.
  // Throws std::runtime_error when it cannot be read or written, or is not a key.
  static SecretBox load_or_create(const std::string& path);
  // The key in `path`; nullopt when the file does not exist. Throws as above otherwise.
  static std::optional<SecretBox> load(const std::string& path);

  std::string seal(std::string_view plain) const;
  // The clear text of a sealed value; throws std::runtime_error when it is not one, or was
  // sealed under another key.
  std::string open(std::string_view sealed) const;

  static bool is_sealed(std::string_view text);
  // Where a sealed value starting at `text` ends (its length); 0 when none starts there.
  static std::size_t sealed_length(std::string_view text);

 private:
  SecretBox() = default;
  std::array<unsigned char, 32> key_{};
};

}  // namespace relance::auth
