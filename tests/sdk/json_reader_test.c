/* relance/json_reader.h against the documents a plugin meets: an event as the daemon writes
 * it (accents, emoji, CRLF in notes), escapes (\u00e9, surrogate pairs, lone surrogates),
 * deep nesting, and malformed input, which must answer NONE and never read past the text.
 * Every malformed case is also parsed from a heap copy of exactly its size, so that
 * AddressSanitizer (and valgrind) would see a read past the end. */
#include "relance/json_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      printf("%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

static relance_str str(const char* s) {
  relance_str r;
  r.data = s;
  r.size = strlen(s);
  return r;
}

/* Parses an exact-size heap copy of `text`: no NUL after it to stop a runaway read. */
static int parses(const char* text) {
  const size_t n = strlen(text);
  char* copy = (char*)malloc(n ? n : 1);
  relance_str s;
  int kind;
  memcpy(copy, text, n);
  s.data = copy;
  s.size = n;
  kind = relance_json_parse(s).kind;
  free(copy);
  return kind != RELANCE_JSON_NONE;
}

static void event_document(void) {
  const char* doc_text =
      "{\"schema\":\"relance.event/1\",\"type\":\"lead.stage_changed\",\"org_id\":2,"
      "\"entity\":\"leads\",\"entity_id\":41,\"actor_id\":7,\"occurred_at\":\"2026-03-09T17:30:00.000Z\","
      "\"data\":{\"id\":41,\"title\":\"S\\u00e9rie A \\ud83d\\ude80\",\"stage\":\"meeting\","
      "\"amount\":-12.5e1,\"emails\":[\"zoe@example.fr\",\"z\\u00f6e@example.de\"],"
      "\"notes\":\"ligne 1\\r\\nligne 2 \xc3\xa9 \\\"cit\\u00e9e\\\"\",\"shared\":false,\"company_id\":null},"
      "\"changed\":{\"stage\":true},\"from_stage\":\"new\",\"to_stage\":\"meeting\"}";
  const relance_json doc = relance_json_parse(str(doc_text));
  char buffer[64];
  size_t size = 0;
  int64_t i = 0;
  double d = 0;
  int b = -1;
  relance_json_iter it;
  relance_json v, k;
  int n = 0;

  CHECK(doc.kind == RELANCE_JSON_OBJECT);
  CHECK(relance_json_equals(relance_json_get(doc, "type"), "lead.stage_changed"));
  CHECK(relance_json_string(relance_json_path(doc, "from_stage"), buffer, sizeof buffer, &size));
  CHECK(strcmp(buffer, "new") == 0 && size == 3);
  CHECK(relance_json_int64(relance_json_get(doc, "entity_id"), &i) && i == 41);
  CHECK(relance_json_string(relance_json_path(doc, "data.title"), buffer, sizeof buffer, &size));
  CHECK(strcmp(buffer, "S\xc3\xa9rie A \xf0\x9f\x9a\x80") == 0); /* é, then U+1F680 from a surrogate pair */
  CHECK(relance_json_string(relance_json_path(doc, "data.notes"), buffer, sizeof buffer, NULL));
  CHECK(strcmp(buffer, "ligne 1\r\nligne 2 \xc3\xa9 \"cit\xc3\xa9" "e\"") == 0);
  CHECK(relance_json_equals(relance_json_path(doc, "data.emails.1"), "z\xc3\xb6" "e@example.de"));
  CHECK(relance_json_path(doc, "data.emails.2").kind == RELANCE_JSON_NONE);
  CHECK(relance_json_path(doc, "data.emails.x").kind == RELANCE_JSON_NONE);
  CHECK(relance_json_path(doc, "data.company_id").kind == RELANCE_JSON_NULL);
  CHECK(relance_json_path(doc, "data.missing.deeper").kind == RELANCE_JSON_NONE);
  CHECK(relance_json_bool(relance_json_path(doc, "changed.stage"), &b) && b == 1);
  CHECK(relance_json_bool(relance_json_path(doc, "data.shared"), &b) && b == 0);
  CHECK(relance_json_double(relance_json_path(doc, "data.amount"), &d) && d == -125.0);
  CHECK(!relance_json_int64(relance_json_path(doc, "data.amount"), &i)); /* not an integer */
  CHECK(!relance_json_int64(relance_json_path(doc, "type"), &i));        /* not a number */

  /* A buffer too small: 0, "" and the size it needs. */
  CHECK(!relance_json_string(relance_json_path(doc, "data.title"), buffer, 5, &size));
  CHECK(buffer[0] == '\0' && size == strlen("S\xc3\xa9rie A \xf0\x9f\x9a\x80") + 1);
  CHECK(!relance_json_string(relance_json_get(doc, "org_id"), buffer, sizeof buffer, &size) && size == 0);

  it = relance_json_items(relance_json_path(doc, "data.emails"));
  while (relance_json_next(&it, &v, NULL)) ++n;
  CHECK(n == 2);
  n = 0;
  it = relance_json_items(doc);
  while (relance_json_next(&it, &v, &k)) {
    if (n == 0) CHECK(relance_json_equals(k, "schema"));
    ++n;
  }
  CHECK(n == 11);
  it = relance_json_items(relance_json_parse(str(" [ ] ")));
  CHECK(!relance_json_next(&it, &v, NULL));
}

static void escapes_and_numbers(void) {
  char buffer[32];
  int64_t i = 0;
  /* A lone surrogate, high or low, reads as U+FFFD. */
  CHECK(relance_json_string(relance_json_parse(str("\"a\\ud83db\"")), buffer, sizeof buffer, NULL));
  CHECK(strcmp(buffer, "a\xef\xbf\xbd" "b") == 0);
  CHECK(relance_json_string(relance_json_parse(str("\"\\udc00\"")), buffer, sizeof buffer, NULL));
  CHECK(strcmp(buffer, "\xef\xbf\xbd") == 0);
  CHECK(relance_json_string(relance_json_parse(str("\"\\/\\\\\\b\\f\\t\\u0041\"")), buffer, sizeof buffer, NULL));
  CHECK(strcmp(buffer, "/\\\b\f\tA") == 0);
  CHECK(relance_json_equals(relance_json_get(relance_json_parse(str("{\"caf\\u00e9\":1}")), "caf\xc3\xa9"), "x") == 0);
  CHECK(relance_json_get(relance_json_parse(str("{\"caf\\u00e9\":1}")), "caf\xc3\xa9").kind == RELANCE_JSON_NUMBER);
  CHECK(relance_json_int64(relance_json_parse(str("9223372036854775807")), &i) && i == INT64_MAX);
  CHECK(relance_json_int64(relance_json_parse(str("-9223372036854775808")), &i) && i == INT64_MIN);
  CHECK(!relance_json_int64(relance_json_parse(str("9223372036854775808")), &i));
  CHECK(!relance_json_int64(relance_json_parse(str("1e3")), &i));
}

static void malformed(void) {
  static const char* bad[] = {"", " ", "{", "}", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
                              "\"open", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12g4\"", "\"tab\there\"",
                              "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "[1] [2]", "{\"a\":1}}",
                              "[\"a\" \"b\"]", "\"\\", "[", "{\"a\":[1,{\"b\":}]}", "NaN"};
  size_t i;
  char deep[2 * RELANCE_JSON_MAX_DEPTH + 8];
  for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    if (parses(bad[i])) printf("malformed input accepted: %s\n", bad[i]);
    CHECK(!parses(bad[i]));
  }
  /* Lookups on NONE stay NONE. */
  CHECK(relance_json_path(relance_json_parse(str("{")), "a.b").kind == RELANCE_JSON_NONE);
  /* Nesting: up to the limit reads, one more level is refused (no unbounded recursion). */
  memset(deep, '[', RELANCE_JSON_MAX_DEPTH);
  memset(deep + RELANCE_JSON_MAX_DEPTH, ']', RELANCE_JSON_MAX_DEPTH);
  deep[2 * RELANCE_JSON_MAX_DEPTH] = '\0';
  CHECK(parses(deep));
  memset(deep, '[', RELANCE_JSON_MAX_DEPTH + 1);
  memset(deep + RELANCE_JSON_MAX_DEPTH + 1, ']', RELANCE_JSON_MAX_DEPTH + 1);
  deep[2 * RELANCE_JSON_MAX_DEPTH + 2] = '\0';
  CHECK(!parses(deep));
  CHECK(parses(" {\"a\" : [ 1 , -0.5e-3 , true , null , \"\" ] }\r\n"));
}

int main(void) {
  event_document();
  escapes_and_numbers();
  malformed();
  if (failures) return 1;
  printf("json reader: all checks passed\n");
  return 0;
}
