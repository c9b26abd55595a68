// Routes of accounts (services/account_service.hpp): logging in and out, who am I, personal
// API tokens, users, organisations and the audit log.
#pragma once

#include "api/router.hpp"
#include "api/routes.hpp"
#include "services/account_service.hpp"
#include "services/work_pool.hpp"

namespace relance::api {

// `slow_work` runs the password hashing of logins and user writes off the HTTP threads.
void add_account_routes(Router& router, services::AccountService& accounts,
                        services::WorkPool& slow_work, const ApiLimits& limits);

}  // namespace relance::api
