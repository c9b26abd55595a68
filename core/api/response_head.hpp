// The status line and header fields of a response with a body of known size, as the bytes
// that go on the wire. The server writes them with the body in one gather write, into a
// buffer each connection reuses: no fields container, serializer or allocation per
// response (Beast's serializer was a tenth of the daemon's CPU time on a GET by id).
#pragma once

#include <cstddef>
#include <string>

#include "api/http.hpp"

namespace relance::api {

// Replaces `out` with the head of `r` (its body not included): status line, Server,
// Content-Type when set, r.headers, Content-Length (except for 1xx, 204 and 304), the
// Connection field HTTP/1.0 and 1.1 need for `keep_alive`, and the blank line.
void write_response_head(std::string& out, const Response& r, std::size_t body_size,
                         bool keep_alive, unsigned version);

}  // namespace relance::api
