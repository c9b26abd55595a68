// Request and Response as handlers see them: plain structs, so that no handler, service or
// test of the routing needs Beast. Only server.cpp translates them to and from the wire.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "services/body_stream.hpp"

namespace relance::api {

// A request's query string, decoded, as (name, value) pairs in their order (a name may
// repeat). The one type of query parameters: core/api reads it into typed requests for the
// services, which never see query strings.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, without the query
  QueryParams query;   // decoded, in order
  std::string body;
  std::string content_type;
  std::string authorization;
  std::string if_match;
  std::string idempotency_key;
  std::string accept;  // the Accept header: pages for browsers, JSON for programs
  std::string accept_language;  // the language of pages for a person nobody's profile names
  // Where a browser says a request comes from (Origin, Host, Sec-Fetch-Site): the pages
  // that act without a token refuse a POST made by another site.
  std::string origin;
  std::string host;
  std::string fetch_site;
  // The web app's session (api/web_session.hpp) and how its assets may be sent.
  std::string cookie;
  std::string accept_encoding;
  // "https" when a TLS-terminating proxy says the browser reached it over TLS: the session
  // cookie is then marked Secure.
  std::string forwarded_proto;
  std::string remote_address;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is produced while it is sent (chunked) and `body` is ignored.
  std::shared_ptr<services::BodyStream> stream;
};

// Completes a request. May be called from any thread, exactly once.
using Reply = std::function<void(Response)>;

}  // namespace relance::api
