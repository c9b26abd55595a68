// Routes of the contact import jobs (imports/import_service.hpp).
#pragma once

#include "api/router.hpp"
#include "imports/import_service.hpp"

namespace relance::api {

void add_import_routes(Router& router, imports::ImportService& imports);

}  // namespace relance::api
