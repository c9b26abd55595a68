// The plugin routes, registered on the Router by add_routes().
#pragma once

#include "api/routes.hpp"
#include "services/plugin_service.hpp"

namespace relance::api {

void add_plugin_routes(Router& router, services::PluginService& plugins, services::WorkPool& slow_work,
                       const ApiLimits& limits);

}  // namespace relance::api
