#include "signature.hpp"

#include <sodium.h>

namespace webhook {

std::optional<std::string> decode_secret(std::string_view secret) {
  constexpr std::string_view prefix = "whsec_";
  if (!secret.starts_with(prefix)) return std::nullopt;
  secret.remove_prefix(prefix.size());
  std::string key(secret.size(), '\0');
  std::size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), secret.data(), secret.size(),
                        nullptr, &size, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  if (size < 24 || size > 64) return std::nullopt;
  key.resize(size);
  return key;
}

std::string sign(std::string_view key, std::string_view id, std::int64_t timestamp, std::string_view body) {
  const std::string stamp = std::to_string(timestamp);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  auto add = [&](std::string_view part) {
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  };
  add(id);
  add(".");
  add(stamp);
  add(".");
  add(body);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char text[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return std::string("v1,") + text;
}

}  // namespace webhook
