/* Relance plugin SDK: host service "relance.host.query/1", reads the CRM's records.
 *
 * Contract: offered to instance handles only. An instance reads the datasets its
 * configuration grants ("contacts", "companies", "leads", "activities", "followups",
 * "outcomes"), of its own organisation, as typed rows. A query is a forward cursor: open, next until *row is NULL,
 * close. The row and the dataset are borrowed until the next call on the cursor.
 * Thread: the instance's; a cursor is used by one thread. */
#ifndef RELANCE_HOST_QUERY_H
#define RELANCE_HOST_QUERY_H

#include "relance/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_HOST_QUERY_V1 "relance.host.query/1"

typedef struct relance_query relance_query;

typedef struct relance_host_query_v1 {
  uint32_t struct_size;
  /* Opens a query on `dataset` with `filters`: a JSON object of list filters as the API
   * takes them ({"stage": "meeting", "updated_from": "2026-01-01T00:00:00Z"}), or empty.
   * RELANCE_OK with *query and *columns set; RELANCE_UNSUPPORTED for a dataset not granted;
   * RELANCE_INVALID for bad filters (the reason in the daemon's log). */
  relance_status (*open)(const relance_host* host, relance_str dataset, relance_str filters,
                         relance_query** query, const relance_dataset** columns);
  /* The next row in *row, or *row = NULL at the end. */
  relance_status (*next)(relance_query* query, const relance_row** row);
  void (*close)(relance_query* query);
} relance_host_query_v1;

#ifdef __cplusplus
}
#endif

#endif
