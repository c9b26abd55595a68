/* Relance plugin SDK: host service "relance.host.outbound/1", the daemon's outbound policy
 * (since SDK 1.1).
 *
 * Contract: a plugin that opens network connections asks before each one, with every
 * address its host name resolved to (resolve first, then ask for each address you are about
 * to connect to, just before connecting). The daemon refuses loopback, private, link-local,
 * multicast, reserved and cloud metadata addresses, in IPv4, IPv6 and the IPv6 forms that
 * carry an IPv4 address, unless its operator allowed them (`[outbound] allow` in
 * relance.toml); it logs why it refused. A refused address must not be connected to, not
 * even to probe it. Without this service (a daemon older than SDK 1.1), a plugin does not
 * connect. Offered to every handle, the plugin-wide one included. Thread: any. */
#ifndef RELANCE_HOST_OUTBOUND_H
#define RELANCE_HOST_OUTBOUND_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_OUTBOUND_V1 "relance.host.outbound/1"

typedef struct relance_host_outbound_v1 {
  uint32_t struct_size;
  /* May the plugin connect to `address` on `port`? `address` is numeric, as resolved:
   * "192.0.2.1" or "2001:db8::1" (no brackets, no zone), never a host name. The string is
   * read during the call only.
   * RELANCE_OK: connect. RELANCE_INVALID: do not connect (refused by the policy, or
   * `address` is not a numeric address); the daemon's log says why. */
  relance_status (*check)(const relance_host* host, relance_str address, uint16_t port);
} relance_host_outbound_v1;

#ifdef __cplusplus
}
#endif

#endif
