// Small UTF-8 text helpers: validation, trimming, case and accent folding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relance::domain {

bool valid_utf8(std::string_view s);
std::size_t utf8_length(std::string_view s);  // code points; s must be valid UTF-8
// The longest start of `s` of at most `max_bytes` that does not cut a character in two.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);
std::string trim(std::string_view s);         // ASCII white space at both ends
// The parts of `s` between the `by` separators: "a,,b" -> {"a", "", "b"}; with skip_empty,
// {"a", "b"} ("" -> {}).
std::vector<std::string> split(std::string_view s, char by, bool skip_empty = false);
std::string fold_ascii_case(std::string_view s);
std::string fold_ascii_upper(std::string_view s);
// Case- and accent-folded form for comparing names and tags ("Zoé" == "ZOE").
std::string fold_case(std::string_view s);

}  // namespace relance::domain

namespace relance::domain {

// The whole text as a decimal integer ("12", "-3"); nullopt for "12abc", "1e3", " 5", "".
std::optional<std::int64_t> parse_int64(std::string_view text);

// Unpadded base64url (RFC 4648 §5), for opaque cursors.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace relance::domain
