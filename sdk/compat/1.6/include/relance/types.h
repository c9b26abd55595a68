/* Relance plugin SDK: the types that cross the boundary.
 *
 * Contract: only these cross between the daemon and a plugin. Fixed-width integers, UTF-8
 * string views, opaque handles, int32_t status codes and structs of function pointers. No
 * C++ type, exception, RTTI or allocator crosses. Every struct that may grow starts with
 * `struct_size` and only grows at its end: a reader checks, with RELANCE_HAS_FIELD, that a
 * field is inside the struct it was given before it reads that field.
 *
 * Memory: inputs are borrowed for the duration of the call that receives them; outputs stay
 * the plugin's (or the host's) until the next call on the same instance (or its destruction).
 * Nothing is freed across the boundary. */
#ifndef RELANCE_TYPES_H
#define RELANCE_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "relance/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A UTF-8 string view: `size` bytes at `data`, not NUL-terminated. {NULL, 0} is absent. */
typedef struct relance_str {
  const char* data;
  size_t size;
} relance_str;

/* Result of a call. The daemon owns retries, backoff and dead letters. */
typedef int32_t relance_status;
#define RELANCE_OK 0          /* done */
#define RELANCE_RETRY 1       /* transient failure: the daemon retries later, with backoff */
#define RELANCE_INVALID 2     /* this input can never succeed: do not retry (dead letter) */
#define RELANCE_UNSUPPORTED 3 /* the plugin does not handle this input or option */
#define RELANCE_FATAL 4       /* the instance is broken: the daemon destroys and recreates it */

/* The kind of a value in a row. New kinds may be added by a minor version: a reader treats
 * an unknown kind as text (`text` is always set for non-null values of kinds above TEXT). */
#define RELANCE_VALUE_NULL 0
#define RELANCE_VALUE_INTEGER 1 /* `integer` */
#define RELANCE_VALUE_REAL 2    /* `real` */
#define RELANCE_VALUE_BOOLEAN 3 /* `integer`: 0 or 1 */
#define RELANCE_VALUE_TEXT 4    /* `text` */
#define RELANCE_VALUE_DATE 5    /* `text`: "YYYY-MM-DD" */
#define RELANCE_VALUE_INSTANT 6 /* `text`: RFC 3339 UTC "YYYY-MM-DDTHH:MM:SS.mmmZ";
                                   `integer`: milliseconds since 1970-01-01T00:00:00Z */
#define RELANCE_VALUE_MONEY 7   /* `integer`: amount in minor units; `scale`: decimal places
                                   (EUR: 2, JPY: 0); `text`: ISO 4217 currency or empty */
#define RELANCE_VALUE_LIST 8    /* `text`: a JSON array of strings (emails, phones, tags) */

typedef struct relance_value {
  int32_t kind;     /* RELANCE_VALUE_* */
  int32_t scale;    /* MONEY only; 0 otherwise */
  int64_t integer;  /* INTEGER, BOOLEAN, INSTANT, MONEY */
  double real;      /* REAL */
  relance_str text; /* TEXT, DATE, INSTANT, MONEY, LIST */
} relance_value;

/* Column flags. */
#define RELANCE_COLUMN_PERSONAL 1u /* personal data (GDPR): handle with care */

/* One column of a dataset. An element of an array: it never grows (a larger column would
 * come with a new dataset struct), so that a plugin that indexed `columns[i]` keeps working.
 * Step by relance_dataset.column_size all the same (relance_column_at does): it is the
 * writer's sizeof, and costs nothing. */
typedef struct relance_column {
  int32_t kind;     /* RELANCE_VALUE_* of the column's non-null values */
  uint32_t flags;   /* RELANCE_COLUMN_* */
  relance_str name; /* stable field name, as in the API: "first_name" */
} relance_column;

/* A named dataset and its columns, in order. */
typedef struct relance_dataset {
  uint32_t struct_size;
  relance_str name; /* "contacts", "companies", "leads", "activities", "followups", "outcomes" */
  size_t column_count;
  size_t column_size; /* bytes from one column to the next (the writer's sizeof(relance_column)) */
  const relance_column* columns;
} relance_dataset;

/* Column `i` of `dataset`, stepping by the writer's column size. */
static inline const relance_column* relance_column_at(const relance_dataset* dataset, size_t i) {
#ifdef __cplusplus
  return reinterpret_cast<const relance_column*>(reinterpret_cast<const char*>(dataset->columns) +
                                                 i * dataset->column_size);
#else
  return (const relance_column*)(const void*)((const char*)(const void*)dataset->columns +
                                              i * dataset->column_size);
#endif
}

/* One row of a dataset: `count` values, aligned with the dataset's columns. */
typedef struct relance_row {
  uint32_t struct_size;
  size_t count;
  const relance_value* values;
} relance_row;

/* A buffer the caller owns, for the reason of a failure (since SDK 1.4): the callee writes
 * at most `capacity` bytes of UTF-8 at `data` and sets `size` to the bytes written; the
 * caller sets `size` to 0 before the call. A plain view: it never grows. */
typedef struct relance_reason {
  char* data;
  size_t capacity;
  size_t size;
} relance_reason;

/* Copies `size` bytes of `text` into `reason`, cut at its capacity without splitting a UTF-8
 * sequence. A NULL `reason` is ignored. */
static inline void relance_reason_put(relance_reason* reason, const char* text, size_t size) {
  size_t n = size;
  size_t i;
  if (!reason || !reason->data || !text) return;
  if (n > reason->capacity) {
    n = reason->capacity;
    /* Back to the start of the sequence that does not fit: continuation bytes are 10xxxxxx. */
    while (n > 0 && ((unsigned char)text[n] & 0xC0u) == 0x80u) --n;
  }
  for (i = 0; i < n; ++i) reason->data[i] = text[i];
  reason->size = n;
}

/* True when the struct at `ptr` (whose first member is struct_size) contains `field`. */
#ifdef __cplusplus
#define RELANCE_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(type::field))
#else
#define RELANCE_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))
#endif

#ifdef __cplusplus
}
#endif

#endif
