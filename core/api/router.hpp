// Router: the table of every route of the API. Dispatch matches the method and path,
// authenticates the caller when the route needs it, and hands the handler a Call. The
// same table produces the OpenAPI document, so a route cannot exist undocumented.
//
// Thread safety: routes are added before the server starts; dispatch() is then called
// concurrently from the server's threads.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "auth/principal.hpp"
#include "relance/model/schema.hpp"

namespace relance::api {

struct Call {
  const Request& request;
  auth::Principal principal;
  std::vector<std::int64_t> ids;  // the {id} and {..._id} segments of the path, in order
  std::vector<std::string> names;  // the other {name} segments ("{format}"), in order
};

using Handler = std::function<void(Call& call, Reply reply)>;

// What the OpenAPI document says of a route.
struct RouteDoc {
  enum class Shape { object, entity, page, created, no_content, text };

  RouteDoc(std::string summary_, std::string tag_, Shape shape_,
           const storage::Entity* entity_ = nullptr, bool has_body_ = false,
           std::vector<std::string> query_ = {}, bool conditional_ = false,
           bool idempotent_create_ = false)
      : summary(std::move(summary_)), tag(std::move(tag_)), shape(shape_), entity(entity_),
        has_body(has_body_), query(std::move(query_)), conditional(conditional_),
        idempotent_create(idempotent_create_) {}

  std::string summary;
  std::string tag;
  Shape shape = Shape::object;
  const storage::Entity* entity = nullptr;  // the schema of bodies and results
  bool has_body = false;
  std::vector<std::string> query;           // query parameters understood
  // The JSON Schemas of query parameters by name, where the entity's list vocabulary does
  // not say (api/openapi.cpp: list_parameter_schema) and a string is not all there is to say.
  boost::json::object query_schemas;
  bool conditional = false;                 // honours If-Match
  bool idempotent_create = false;           // honours Idempotency-Key
  bool versioned = false;                   // without an entity, answers a record with its ETag
  bool located = true;                      // a 201 says where the created resource is read
  // For a route without an entity: the JSON Schemas of its body and of its result (empty:
  // any object).
  boost::json::object body_schema;
  boost::json::object result_schema;
  // For a route with an entity: what its body takes besides the entity's writable fields
  // (a user's password), as JSON Schema properties.
  boost::json::object extra_body_fields;
  // What its answer holds besides the entity (a new token's secret), as JSON Schema
  // properties, all present.
  boost::json::object extra_result_fields;
  // OpenAPI response objects by status ("202", "410") that replace the shape's own or add to
  // them (api/openapi.hpp has helpers); a null removes the shape's.
  boost::json::object responses;
  // When the body is not JSON alone: its media types and their schemas (an import's file).
  boost::json::object request_content;
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/contacts/{id}": {id}, {event_id} are ids, {format} a word
  std::string label;    // "GET /api/v1/contacts/{id}", for metrics
  bool signed_in = true;
  Handler handler;
  RouteDoc doc;
  std::vector<std::string> segments;
};

class Router {
 public:
  using Authenticate = std::function<auth::Principal(std::string_view bearer)>;
  // Called once per request with the route's label, "METHOD /pattern" ("unmatched" when
  // none matched); labels live as long as the router.
  using Observe = std::function<void(const std::string& label, int status, double seconds)>;

  Router(Authenticate authenticate, Observe observe)
      : authenticate_(std::move(authenticate)), observe_(std::move(observe)) {}

  void add(std::string method, std::string pattern, bool signed_in, RouteDoc doc, Handler h);
  void dispatch(const Request& request, Reply reply) const;
  const std::vector<Route>& routes() const { return routes_; }

  // How users reach the daemon (server.public_url; "" when not configured): the origin the
  // web app's cookie-authenticated writes must come from, and whether its cookie is Secure.
  void set_public_url(std::string url) { public_url_ = std::move(url); }
  const std::string& public_url() const { return public_url_; }
  // What answers a GET of a path outside /api/ that no route matches: the web app's own
  // paths (/contacts/12), which its page routes in the browser.
  void set_fallback(Handler h) { fallback_ = std::move(h); }

 private:
  Authenticate authenticate_;
  Observe observe_;
  std::vector<Route> routes_;
  std::string public_url_;
  Handler fallback_;
};

}  // namespace relance::api
