// The web app's session cookie: the session token of a login that asked for one
// (POST /api/v1/auth/login with "cookie": true), held by the browser where no script
// reads it (HttpOnly), sent back on the app's own requests only (SameSite=Lax, and the
// router's Origin check for writes: api/router.cpp), Secure when the browser reaches the
// daemon over TLS. docs/security.md, "The web app's session".
#pragma once

#include <string>
#include <string_view>

#include "api/http.hpp"

namespace relance::api {

inline constexpr std::string_view session_cookie_name = "relance_session";

// The session token the request's Cookie header holds, or "".
std::string_view session_token_of(const Request& request);

// Whether the browser reaches the daemon over TLS: its configured public URL is https, or
// a TLS-terminating proxy says so (X-Forwarded-Proto: https). The cookie is then Secure.
bool reached_over_tls(const Request& request, std::string_view public_url);

// The Set-Cookie value that gives the browser `token`, and the one that takes it back.
std::string session_cookie(std::string_view token, bool secure);
std::string cleared_session_cookie(bool secure);

}  // namespace relance::api
