#include "api/web_session.hpp"

#include "domain/text.hpp"

namespace relance::api {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string with_attributes(std::string value, bool secure) {
  value += "; Path=/; HttpOnly; SameSite=Lax";
  if (secure) value += "; Secure";
  return value;
}

}  // namespace

std::string_view session_token_of(const Request& request) {
  std::string_view rest = request.cookie;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    const std::string_view pair = trimmed(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && trimmed(pair.substr(0, eq)) == session_cookie_name)
      return trimmed(pair.substr(eq + 1));
  }
  return {};
}

bool reached_over_tls(const Request& request, std::string_view public_url) {
  return public_url.starts_with("https://") || domain::fold_ascii_case(request.forwarded_proto) == "https";
}

// A cookie without Max-Age lasts the browser's session; the token's own expiry (the
// login's expires_at) ends it on the server's side in any case.
std::string session_cookie(std::string_view token, bool secure) {
  return with_attributes(std::string(session_cookie_name) + "=" + std::string(token), secure);
}

std::string cleared_session_cookie(bool secure) {
  return with_attributes(std::string(session_cookie_name) + "=; Max-Age=0", secure);
}

}  // namespace relance::api
