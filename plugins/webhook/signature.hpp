// The Standard Webhooks signature (https://www.standardwebhooks.com): the receiver checks
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), key being the bytes
// of the shared secret "whsec_<base64>". HMAC from libsodium, which the daemon already needs,
// rather than a hand-made SHA-256.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace webhook {

// The key bytes of "whsec_<base64>" (24 to 64 bytes), or nullopt.
std::optional<std::string> decode_secret(std::string_view secret);

// The webhook-signature header's value for one message.
std::string sign(std::string_view key, std::string_view id, std::int64_t timestamp, std::string_view body);

}  // namespace webhook
