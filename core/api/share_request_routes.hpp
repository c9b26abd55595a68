// Routes of share requests (services/share_requests.hpp): region staff ask a start-up to
// share a lead, the start-up answers, both sides list the requests and read a lead's
// sharing history.
#pragma once

#include "api/router.hpp"
#include "api/routes.hpp"

namespace relance::api {

void add_share_request_routes(Router& router, services::ShareRequestService& share_requests,
                              const ApiLimits& limits);

}  // namespace relance::api
