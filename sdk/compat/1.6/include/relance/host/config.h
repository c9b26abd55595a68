/* Relance plugin SDK: host service "relance.host.config/1", the instance's configuration.
 *
 * Contract: offered to instance handles only. The strings live as long as the instance
 * (a changed configuration recreates the instance). Thread: the instance's. */
#ifndef RELANCE_HOST_CONFIG_H
#define RELANCE_HOST_CONFIG_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_CONFIG_V1 "relance.host.config/1"

typedef struct relance_host_config_v1 {
  uint32_t struct_size;
  /* The instance's settings: a JSON object, as the admin configured it. */
  relance_str (*settings)(const relance_host* host);
  /* The instance's name (unique in its organisation) and organisation id. */
  relance_str (*instance_name)(const relance_host* host);
  int64_t (*org_id)(const relance_host* host);
} relance_host_config_v1;

#ifdef __cplusplus
}
#endif

#endif
