// Passwords (Argon2id through libsodium) and bearer tokens (random, kept only as a hash).
#pragma once

#include <array>
#include <cstring>
#include <string>
#include <string_view>

namespace relance::auth {

// Call once before any other function here (initialises libsodium).
void init_crypto();

// Argon2id hash in libsodium's self-describing string form.
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

// A new bearer token: "rl_" + 43 characters of base64url (256 random bits).
std::string new_token();
// What the database keeps of a token: hex BLAKE2b-256. Tokens are random and long, so a
// fast hash is safe here; a slow one would cost every request.
std::string token_hash(std::string_view token);
// The same hash as bytes (token_hash is its hex), to key what is kept of tokens in memory
// without formatting the hex on every request.
using TokenDigest = std::array<unsigned char, 32>;
TokenDigest token_digest(std::string_view token);
std::string to_hex(const TokenDigest& d);
struct TokenDigestHash {
  std::size_t operator()(const TokenDigest& d) const noexcept {
    std::size_t h;  // a cryptographic hash's first bytes are as good as any hash of it
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};
// Keyed digest of arbitrary data (request bodies for idempotency), hex.
std::string digest(std::string_view data);

// Constant-time comparison.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace relance::auth
