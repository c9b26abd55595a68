// Where a browser says a request comes from (Origin, Sec-Fetch-Site), judged against the
// daemon's own origin: the one check behind the web app's cookie-authenticated writes
// (api/router.cpp) and the buttons of reminder links' pages (api/followup_routes.cpp).
// The daemon's own origin is its configured public URL's, or the Host the browser asked
// for (a page another site served names that site in Origin, whatever Host it reached).
#pragma once

#include <string_view>

#include "api/http.hpp"

namespace relance::api {

// True when the browser says another site or another origin made the request. Programs
// (curl, the CLI) send neither header: they are not from another origin.
bool from_another_origin(const Request& request, std::string_view public_url);

// True only when the browser proves the request comes from the daemon's own pages:
// Sec-Fetch-Site: same-origin, or, from a browser that sends no Sec-Fetch-Site, an Origin
// that is the daemon's. A request with neither header proves nothing.
bool from_own_origin(const Request& request, std::string_view public_url);

}  // namespace relance::api
