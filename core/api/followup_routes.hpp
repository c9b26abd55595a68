// The follow-up views and the signed links of reminder emails, registered by add_routes().
#pragma once

#include "api/router.hpp"
#include "followups/followup_service.hpp"

namespace relance::api {

void add_followup_routes(Router& router, followups::FollowupService& followups);

}  // namespace relance::api
