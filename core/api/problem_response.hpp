// Turns any error into an RFC 9457 application/problem+json response.
#pragma once

#include <exception>

#include "api/http.hpp"
#include "domain/problem.hpp"

namespace relance::api {

// The HTTP status of a kind of problem: the one place where a use case's error becomes a
// status code (invalid: 422, changed: 412, storage_full: 507...).
int http_status(Problem::Kind kind);

Response problem_response(const Problem& p);
// A Problem gets its kind's status; storage errors map to 507 (full), 503 (I/O, busy) or 409;
// anything else is a 500 whose detail is logged, not shown.
Response error_response(std::exception_ptr error);

}  // namespace relance::api
