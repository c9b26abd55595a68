/* Relance plugin SDK: host service "relance.host.log/1", the daemon's log.
 *
 * Contract: messages go to the daemon's log, tagged with the plugin id and the instance.
 * The message is copied before log returns. Thread: any. */
#ifndef RELANCE_HOST_LOG_H
#define RELANCE_HOST_LOG_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_LOG_V1 "relance.host.log/1"

#define RELANCE_LOG_DEBUG 0
#define RELANCE_LOG_INFO 1
#define RELANCE_LOG_WARN 2
#define RELANCE_LOG_ERROR 3

typedef struct relance_host_log_v1 {
  uint32_t struct_size;
  void (*log)(const relance_host* host, int32_t level, relance_str message);
} relance_host_log_v1;

#ifdef __cplusplus
}
#endif

#endif
