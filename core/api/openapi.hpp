// The OpenAPI 3.1 document, derived from the router's table and the entity descriptors.
#pragma once

#include <boost/json/object.hpp>

#include "api/router.hpp"

namespace relance::api {

boost::json::object openapi_document(const Router& router);

}  // namespace relance::api
