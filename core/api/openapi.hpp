// The OpenAPI 3.1 document, derived from the router's table and the entity descriptors.
#pragma once

#include <boost/json/object.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

#include "api/router.hpp"

namespace relance::api {

boost::json::object openapi_document(const Router& router);

// The schema of the query parameter `name` of a list of `e` (limit, cursor, sort, q, tag,
// a filter or a range), typed as the server reads it; a string for a name the list lacks.
boost::json::object list_parameter_schema(const storage::Entity& e, const std::string& name);

// For the routes' own documentation (RouteDoc::responses, request_content).
// A response object: its description, content (doc_content) and headers (doc_header).
boost::json::object doc_response(std::string_view description, boost::json::object content = {},
                                 boost::json::object headers = {});
// Content: each media type with the same schema.
boost::json::object doc_content(std::initializer_list<std::string_view> media_types, boost::json::object schema);
// A response header's description and schema (a string).
boost::json::object doc_header(std::string_view description);
// The JSON Schema of a text or file body.
boost::json::object doc_text();
boost::json::object doc_binary();
// An option or a setting a plugin declares (an exporter's option, a documented setting):
// name, description, default (null: none) and choices (empty or null: any value).
boost::json::object doc_plugin_option();
// A problem response (application/problem+json).
boost::json::object doc_problem(std::string_view description);

}  // namespace relance::api
