#include "api/transfer_coding.hpp"

#include <algorithm>
#include <string>

namespace relance::api {
namespace {

// RFC 9110 §5.6.2: the characters of a token.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_chunked(std::string_view s) {
  constexpr std::string_view chunked = "chunked";
  if (s.size() != chunked.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((s[i] | 0x20) != chunked[i]) return false;
  return true;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Problem malformed(const std::string& why) { return Problem::bad_request("malformed HTTP request: " + why); }

}  // namespace

std::optional<Problem> transfer_coding_problem(const std::vector<std::string_view>& fields, bool has_length,
                                               unsigned version) {
  if (fields.empty()) return std::nullopt;
  if (version < 11) return malformed("an HTTP/1.0 request cannot have a Transfer-Encoding");
  if (has_length) return malformed("a request cannot have both a Content-Length and a Transfer-Encoding");
  // Every coding of every field, in order: several fields make one list (RFC 9110 §5.3).
  std::vector<std::string_view> codings;
  for (std::string_view field : fields) {
    for (std::size_t at = 0; at <= field.size();) {
      const std::size_t comma = std::min(field.find(',', at), field.size());
      const std::string_view coding = trimmed(field.substr(at, comma - at));
      if (!is_token(coding)) return malformed("Transfer-Encoding is not a list of transfer codings");
      codings.push_back(coding);
      at = comma + 1;
    }
  }
  if (!is_chunked(codings.back())) return malformed("chunked must be the last transfer coding of a request");
  codings.pop_back();
  for (std::string_view coding : codings)
    if (is_chunked(coding)) return malformed("chunked is given more than once");
  if (!codings.empty())
    return Problem(Problem::Kind::not_implemented, "Not implemented",
                   "the transfer coding " + std::string(codings.front()) + " is not implemented: send the body chunked only");
  return std::nullopt;
}

}  // namespace relance::api
