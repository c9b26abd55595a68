// relance.host.http/1 (sdk/include/relance/host/http.h): the service's table, which converts
// the C request into an HttpRequest, sends it with the instance's HttpClient (http_client.hpp)
// and keeps the answer the plugin borrows. The client does the work; this file only speaks
// the C contract, so a plugin in another process can be served by the same client.
//
// Thread safety: the instance's thread only (SDK contract), like its handle.
#pragma once

#include "relance/host/http.h"

namespace relance::plugin_host {

const relance_host_http_v1& http_v1();

}  // namespace relance::plugin_host
