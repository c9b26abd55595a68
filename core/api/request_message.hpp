// The one copy of a parsed Beast request into the handlers' plain Request. Defined in
// server.cpp (the only translation unit that compiles Beast's HTTP code); the HTTP fuzz
// target calls it too, so what it fuzzes is what the server runs.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http.hpp"

namespace relance::api {

// Fills `into` from `message` (its body is moved), keeping the capacity of `into`'s strings
// from one request of a connection to the next. False when the target is not a valid
// origin-form path (the caller answers 400); `into` is then unchanged.
bool read_request(boost::beast::http::request<boost::beast::http::string_body>& message, Request& into);

}  // namespace relance::api
