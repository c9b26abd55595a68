/* Relance plugin SDK: host service "relance.host.http/1", HTTP(S) requests made by the daemon
 * for the plugin (since SDK 1.5).
 *
 * Contract: a connector asks the daemon to send a request and reads the answer; it opens no
 * socket itself. The daemon resolves the URL's host, checks every address it resolved to
 * against its outbound policy (relance/host/outbound.h: loopback, private, link-local and
 * metadata addresses are refused unless `[outbound] allow` in relance.toml names them),
 * connects only to an allowed address, verifies TLS certificates and host names, and ignores
 * proxy settings of its environment. Redirects are not followed unless the request asks
 * (RELANCE_HTTP_FOLLOW_REDIRECTS), and then each hop is resolved and checked again (303, and
 * 301 or 302 after a POST, continue as a GET without the body; Authorization and Cookie
 * headers are not sent to another host). Only http:// and https:// URLs are sent. The
 * connection to a host stays open between the requests of one instance (keep-alive).
 * Offered to instance handles only. Thread: the instance's; the call blocks until the answer,
 * the timeout or a failure, so its timeout must fit in the daemon's call budget
 * (plugins.call_budget_ms, 10000 ms by default). */
#ifndef RELANCE_HOST_HTTP_H
#define RELANCE_HOST_HTTP_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_HTTP_V1 "relance.host.http/1"

/* relance_http_request.flags */
#define RELANCE_HTTP_FOLLOW_REDIRECTS 1u /* follow 301, 302, 303, 307 and 308 answers (each hop
                                            checked by the outbound policy) */
/* relance_http_response.flags */
#define RELANCE_HTTP_TRUNCATED 1u /* the answer's body was longer than max_response_bytes: `body`
                                     holds its first max_response_bytes bytes */

/* One header line. An array element: it never grows (a reader's stride is `header_size`). */
typedef struct relance_http_header {
  relance_str name;  /* "Content-Type" */
  relance_str value; /* "application/json" */
} relance_http_header;

/* What to send. Everything is borrowed for the call. */
typedef struct relance_http_request {
  uint32_t struct_size;
  uint32_t flags;    /* RELANCE_HTTP_FOLLOW_REDIRECTS */
  relance_str method; /* "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"... (a token) */
  relance_str url;    /* absolute http:// or https:// URL */
  size_t header_count;
  size_t header_size; /* bytes from one header to the next (sizeof(relance_http_header)) */
  const relance_http_header* headers; /* sent as given; no CR or LF in names or values */
  relance_str body;   /* sent when not {NULL, 0} (always, possibly empty, for POST, PUT and PATCH) */
  uint32_t timeout_ms; /* the whole exchange, redirects included; 0: 5000 ms; at most 60000.
                          Keep it below the daemon's call budget: a call that outlasts the
                          budget suspends the instance. */
  uint32_t max_redirects;     /* with RELANCE_HTTP_FOLLOW_REDIRECTS; 0: 5; at most 20 */
  size_t max_response_bytes;  /* the body kept at most; 0: 1 MiB. At most 16 MiB. */
} relance_http_request;

/* The answer. Filled by the daemon; its strings stay valid until the next http call of the
 * instance, or the end of the plugin call that made this one, whichever comes first. */
typedef struct relance_http_response {
  uint32_t struct_size; /* set by the plugin to sizeof(relance_http_response): the daemon
                           fills the fields that fit */
  uint32_t flags;       /* RELANCE_HTTP_TRUNCATED */
  int32_t status;       /* the HTTP status of the last answer (after the redirects followed);
                           0 when no answer came */
  uint32_t redirects;   /* redirects followed */
  size_t header_count;
  size_t header_size; /* sizeof(relance_http_header) of the daemon */
  const relance_http_header* headers; /* of the last answer, as received */
  relance_str body;
  relance_str error;  /* when the call did not return RELANCE_OK: why, in English, without
                         the addresses the policy refused; {NULL, 0} otherwise */
} relance_http_response;

typedef struct relance_host_http_v1 {
  uint32_t struct_size;
  /* Sends `request` and waits for its answer.
   * RELANCE_OK: an answer came, whatever its HTTP status (a 500, a 302 not followed);
   *   response->status says which.
   * RELANCE_RETRY: no answer: the host did not resolve or did not accept the connection, the
   *   timeout passed, TLS failed, the connection broke, the answer was not HTTP.
   * RELANCE_INVALID: the request cannot be sent as given: a bad URL, scheme, method or
   *   header; every address of the host (or of a redirect's) refused by the outbound policy
   *   (the daemon's log says which and how to allow it); too many redirects.
   * `response->error` says why in each case but OK. Thread: the instance's. */
  relance_status (*request)(const relance_host* host, const relance_http_request* request,
                            relance_http_response* response);
} relance_host_http_v1;

#ifdef __cplusplus
}
#endif

#endif
