// Routes of the contact import jobs (imports/import_service.hpp) and of deduplication on
// demand (imports/duplicates.hpp).
#pragma once

#include "api/router.hpp"
#include "imports/import_service.hpp"
#include "services/work_pool.hpp"

namespace relance::api {

// The duplicates scan reads every contact of the organisation: it runs on `slow_work`.
void add_import_routes(Router& router, imports::ImportService& imports, services::WorkPool& slow_work);

}  // namespace relance::api
