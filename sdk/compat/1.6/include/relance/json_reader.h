/* Relance plugin SDK: a small JSON reader, for the event documents and settings a plugin
 * receives (since SDK 1.4). Not part of the ABI: nothing of it crosses the boundary. Its one
 * source, json_reader.c, is compiled into the plugin: relance_add_plugin() adds it, and
 * `pkg-config --variable=json_reader relance-sdk` names it for other builds.
 *
 * It reads in place: a relance_json is a view of one value inside the document, which must
 * stay alive while its views are used. No allocation; strings are unescaped into a buffer
 * the caller gives. Malformed input never reads past the document: relance_json_parse
 * checks the whole document (nesting at most RELANCE_JSON_MAX_DEPTH levels) and answers
 * RELANCE_JSON_NONE when it is not JSON; every lookup on NONE answers NONE.
 *
 *   relance_json doc = relance_json_parse(event->document);
 *   char stage[64];
 *   if (relance_json_string(relance_json_path(doc, "data.stage"), stage, sizeof stage, NULL)) ...
 *   relance_json_iter it = relance_json_items(relance_json_path(doc, "data.emails"));
 *   for (relance_json email; relance_json_next(&it, &email, NULL);) ...
 *
 * Thread: any; it keeps no state. */
#ifndef RELANCE_JSON_READER_H
#define RELANCE_JSON_READER_H

#include <stddef.h>
#include <stdint.h>

#include "relance/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RELANCE_JSON_MAX_DEPTH 64

/* relance_json.kind */
#define RELANCE_JSON_NONE 0 /* absent, or not JSON */
#define RELANCE_JSON_NULL 1
#define RELANCE_JSON_FALSE 2
#define RELANCE_JSON_TRUE 3
#define RELANCE_JSON_NUMBER 4
#define RELANCE_JSON_STRING 5
#define RELANCE_JSON_ARRAY 6
#define RELANCE_JSON_OBJECT 7

/* One value of a checked document: its kind and its text (a string's with its quotes). */
typedef struct relance_json {
  int kind;
  const char* text;
  size_t size;
} relance_json;

/* The document's root value, or NONE when `document` is not one well-formed JSON value
 * (surrounding white space allowed). */
relance_json relance_json_parse(relance_str document);

/* Member `key` (NUL-terminated, compared after unescaping) of an object, or NONE. */
relance_json relance_json_get(relance_json object, const char* key);
/* Element `index` of an array, or NONE. */
relance_json relance_json_at(relance_json array, size_t index);
/* Follows a path of keys and array indexes separated by dots: "data.emails.0". A key that
 * holds a dot needs relance_json_get. */
relance_json relance_json_path(relance_json value, const char* path);

/* A string, unescaped to UTF-8 (\u escapes and surrogate pairs included; a lone surrogate
 * becomes U+FFFD) and NUL-terminated into `buffer`. Returns 1 when `value` is a string that
 * fits in full; 0 otherwise (then `buffer` holds "" when capacity allows). `size`, when not
 * NULL, receives the string's length in bytes, the length it needs when it did not fit
 * (plus one for the NUL), or 0 when `value` is not a string. */
int relance_json_string(relance_json value, char* buffer, size_t capacity, size_t* size);
/* 1 when `value` is a string equal to `text` (NUL-terminated UTF-8) once unescaped. */
int relance_json_equals(relance_json value, const char* text);
/* A number that is an integer within int64_t (no fraction, no exponent): 1 and *out, or 0. */
int relance_json_int64(relance_json value, int64_t* out);
/* Any number, as a double: 1 and *out, or 0. */
int relance_json_double(relance_json value, double* out);
/* true or false: 1 and *out (1 or 0), or 0. */
int relance_json_bool(relance_json value, int* out);

/* Walks the elements of an array or the members of an object, in order. */
typedef struct relance_json_iter {
  const char* next; /* where the next element starts; NULL when done */
  const char* end;  /* the container's closing bracket */
  int object;       /* 1: members of an object */
} relance_json_iter;

relance_json_iter relance_json_items(relance_json container);
/* The next element (a member's value, with its key in *key when `key` is not NULL, a
 * STRING): 1, or 0 when there is none. */
int relance_json_next(relance_json_iter* it, relance_json* value, relance_json* key);

#ifdef __cplusplus
}
#endif

#endif
