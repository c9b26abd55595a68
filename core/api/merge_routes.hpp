// Routes of contact merges (services/contact_merges.hpp): merge a duplicate into a contact,
// undo a merge, and read the organisation's merges.
#pragma once

#include "api/router.hpp"
#include "api/routes.hpp"

namespace relance::api {

void add_merge_routes(Router& router, services::ContactMergeService& merges, const ApiLimits& limits);

}  // namespace relance::api
