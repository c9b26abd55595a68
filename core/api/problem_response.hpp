// Turns any error into an RFC 9457 application/problem+json response.
#pragma once

#include <exception>

#include "api/http.hpp"
#include "domain/problem.hpp"

namespace relance::api {

Response problem_response(const Problem& p);
// A Problem keeps its status; storage errors map to 507 (full), 503 (I/O, busy) or 409;
// anything else is a 500 whose detail is logged, not shown.
Response error_response(std::exception_ptr error);

}  // namespace relance::api
