// Contract: every response an integration test receives is checked against the OpenAPI
// document of the daemon that sent it (status listed, media type, body schema, declared
// headers), so that a drift between the document and the server fails the test that caused
// it, with the operation, the status and the validator's message.
//
// The checking is done by tests/support/contract_checker.py (python3-jsonschema, JSON Schema
// 2020-12), one process per test binary, started at the first check. Drifts already known
// are listed in tests/support/contract_known_drifts.txt, which only shrinks.
//
// Thread safety: check() may be called from any thread; a drift seen off the test's main
// thread (where Catch2 assertions are not allowed) is reported by the next check on the
// main thread, or by report_pending().
#pragma once

#include <cstdint>
#include <string>

namespace relance::test {

struct HttpResponse;

namespace contract {

// Remembers the document served on `port`, replacing one an earlier daemon there served.
void learn(std::uint16_t port, const std::string& document);
// Whether the document served on `port` is known; forget() when a new daemon starts there.
bool knows(std::uint16_t port);
void forget(std::uint16_t port);
// Checks one response to `method target` received from `port`; a drift fails the test. A
// response from a port whose document is not known yet is not checked (HttpClient fetches
// the document over its own connection first, which a daemon at its connection limit may
// refuse: the tests of those limits count every connection).
void check(std::uint16_t port, const std::string& method, const std::string& target, const HttpResponse& response);
// Fails the test with the drifts other threads saw, if any.
void report_pending();

}  // namespace contract
}  // namespace relance::test
