// relance.host.http/1 (sdk/include/relance/host/http.h): the service's table, which converts
// the C request into an HttpRequest, sends it with the instance's HttpClient (http_client.hpp)
// and keeps the answer the plugin borrows. The client does the work; this file only speaks
// the C contract, so a plugin in another process can be served by the same client.
//
// Thread safety: the instance's thread only (SDK contract), like its handle.
#pragma once

#include <cstddef>

#include "relance/host/http.h"

namespace relance::plugin_host {

const relance_host_http_v1& http_v1();

// Whether `request` can be read: a relance_http_request with its headers' array. The daemon's
// table and the stub of a plugin in a child process (proxied_services.cpp) judge alike.
bool readable_http_request(const relance_http_request* request);
// The request's header `k`, at the plugin's stride.
const relance_http_header& http_header(const relance_http_request& request, std::size_t k);
// Copies `full` (every field set) into the plugin's `response`, as many fields as it has room for.
void give_http_response(const relance_http_response& full, relance_http_response& response);

}  // namespace relance::plugin_host
