// The export routes, registered on the Router by add_routes().
#pragma once

#include "api/router.hpp"
#include "exports/export_service.hpp"

namespace relance::api {

void add_export_routes(Router& router, exports::ExportService& exports);

}  // namespace relance::api
