/* Compiled by the header compile matrix as C99, C11, C++11, C++17 and C++20: the C contract
 * must be usable from each, warning-free, as a plugin (the entry) and as a host (reading a
 * record that may be older than the headers). Valid C and C++ at once. */
#include <string.h>

#include "relance/relance.h"

static relance_status use_init(const relance_host* host) {
  const relance_host_log_v1* log =
      (const relance_host_log_v1*)host->get_service(host, RELANCE_HOST_LOG_V1);
  if (log != NULL && RELANCE_HAS_FIELD(log, relance_host_log_v1, log)) {
    relance_str message = {"loaded", 6};
    log->log(host, RELANCE_LOG_INFO, message);
  }
  {
    const relance_host_outbound_v1* outbound =
        (const relance_host_outbound_v1*)host->get_service(host, RELANCE_HOST_OUTBOUND_V1);
    relance_str address = {"192.0.2.1", 9};
    if (outbound != NULL && RELANCE_HAS_FIELD(outbound, relance_host_outbound_v1, check) &&
        outbound->check(host, address, 25) != RELANCE_OK)
      return RELANCE_UNSUPPORTED;
  }
  {
    const relance_host_http_v1* http = (const relance_host_http_v1*)host->get_service(host, RELANCE_HOST_HTTP_V1);
    relance_http_header header = {{"Accept", 6}, {"application/json", 16}};
    relance_http_request request;
    relance_http_response response;
    memset(&request, 0, sizeof request);
    memset(&response, 0, sizeof response);
    request.struct_size = sizeof request;
    request.method.data = "GET";
    request.method.size = 3;
    request.url.data = "https://partner.example/";
    request.url.size = 24;
    request.header_count = 1;
    request.header_size = sizeof header;
    request.headers = &header;
    response.struct_size = sizeof response;
    if (http != NULL && RELANCE_HAS_FIELD(http, relance_host_http_v1, request) &&
        http->request(host, &request, &response) == RELANCE_OK && response.status == 410) {
      const relance_host_suspend_v1* suspend =
          (const relance_host_suspend_v1*)host->get_service(host, RELANCE_HOST_SUSPEND_V1);
      relance_str reason = {"gone", 4};
      if (suspend != NULL && RELANCE_HAS_FIELD(suspend, relance_host_suspend_v1, suspend))
        (void)suspend->suspend(host, reason);
    }
  }
  return RELANCE_OK;
}

static const char* const use_interfaces[] = {RELANCE_EVENT_SINK_V1, RELANCE_EXPORTER_V1, NULL};

RELANCE_PLUGIN_ENTRY = {sizeof(relance_plugin_entry), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR,
                        RELANCE_SDK_PATCH, "org.relance.test.headers", "Headers", "Relance",
                        "1.0.0", use_interfaces, use_init, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
