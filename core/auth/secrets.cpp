#include "auth/secrets.hpp"

#include <sodium.h>

#include <stdexcept>
#include <tuple>

namespace relance::auth {

void init_crypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string("rl_") + b64;
}

TokenDigest token_digest(std::string_view data) {
  TokenDigest h;
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     nullptr, 0);
  return h;
}

std::string to_hex(const TokenDigest& d) {
  char hex[2 * std::tuple_size_v<TokenDigest> + 1];
  sodium_bin2hex(hex, sizeof hex, d.data(), d.size());
  return hex;
}

std::string token_hash(std::string_view token) { return to_hex(token_digest(token)); }
std::string digest(std::string_view data) { return to_hex(token_digest(data)); }

bool equal_secrets(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace relance::auth
