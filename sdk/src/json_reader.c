/* Relance plugin SDK: the JSON reader of relance/json_reader.h, compiled into the plugin.
 * Valid C99 and C++: relance_add_plugin() compiles it as C++ in a project without C. */
#include "relance/json_reader.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const relance_json json_none = {RELANCE_JSON_NONE, NULL, 0};

static const char* skip_space(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  return p;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The four hex digits at `p` (checked to be inside the text), or -1. */
static long hex4(const char* p, const char* end) {
  long v = 0;
  int i;
  if (end - p < 4) return -1;
  for (i = 0; i < 4; ++i) {
    const int d = hex_digit(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Past the string starting at `p` (its opening quote), or NULL when malformed. */
static const char* scan_string(const char* p, const char* end) {
  for (++p; p < end; ++p) {
    const unsigned char c = (unsigned char)*p;
    if (c == '"') return p + 1;
    if (c < 0x20) return NULL; /* control characters are escaped in JSON */
    if (c != '\\') continue;
    if (++p == end) return NULL;
    if (*p == 'u') {
      if (hex4(p + 1, end) < 0) return NULL;
      p += 4;
    } else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
      return NULL;
    }
  }
  return NULL;
}

static const char* scan_digits(const char* p, const char* end) {
  const char* start = p;
  while (p < end && *p >= '0' && *p <= '9') ++p;
  return p == start ? NULL : p;
}

static const char* scan_number(const char* p, const char* end) {
  if (p < end && *p == '-') ++p;
  if (p < end && *p == '0') {
    ++p;
  } else if (!(p = scan_digits(p, end))) {
    return NULL;
  }
  if (p < end && *p == '.' && !(p = scan_digits(p + 1, end))) return NULL;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (!(p = scan_digits(p, end))) return NULL;
  }
  return p;
}

static const char* scan_word(const char* p, const char* end, const char* word) {
  const size_t n = strlen(word);
  return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* Past the value starting at `p`, or NULL when malformed or nested deeper than allowed. */
static const char* scan_value(const char* p, const char* end, int depth) {
  if (p >= end) return NULL;
  switch (*p) {
    case '"': return scan_string(p, end);
    case 't': return scan_word(p, end, "true");
    case 'f': return scan_word(p, end, "false");
    case 'n': return scan_word(p, end, "null");
    case '[':
    case '{': {
      const int object = *p == '{';
      const char close = object ? '}' : ']';
      if (depth >= RELANCE_JSON_MAX_DEPTH) return NULL;
      p = skip_space(p + 1, end);
      if (p < end && *p == close) return p + 1;
      for (;;) {
        if (object) {
          if (p >= end || *p != '"' || !(p = scan_string(p, end))) return NULL;
          p = skip_space(p, end);
          if (p >= end || *p != ':') return NULL;
          p = skip_space(p + 1, end);
        }
        if (!(p = scan_value(p, end, depth + 1))) return NULL;
        p = skip_space(p, end);
        if (p >= end) return NULL;
        if (*p == close) return p + 1;
        if (*p != ',') return NULL;
        p = skip_space(p + 1, end);
      }
    }
    default: return *p == '-' || (*p >= '0' && *p <= '9') ? scan_number(p, end) : NULL;
  }
}

static int kind_of(char c) {
  switch (c) {
    case '"': return RELANCE_JSON_STRING;
    case 't': return RELANCE_JSON_TRUE;
    case 'f': return RELANCE_JSON_FALSE;
    case 'n': return RELANCE_JSON_NULL;
    case '[': return RELANCE_JSON_ARRAY;
    case '{': return RELANCE_JSON_OBJECT;
    default: return RELANCE_JSON_NUMBER;
  }
}

/* The value at `p`, inside a checked document that ends at `end`. */
static relance_json value_at(const char* p, const char* end) {
  relance_json v;
  const char* after = scan_value(p, end, 0);
  if (!after) return json_none;
  v.kind = kind_of(*p);
  v.text = p;
  v.size = (size_t)(after - p);
  return v;
}

relance_json relance_json_parse(relance_str document) {
  const char* end = document.data + document.size;
  const char* p;
  relance_json v;
  if (!document.data) return json_none;
  p = skip_space(document.data, end);
  v = value_at(p, end);
  if (v.kind == RELANCE_JSON_NONE || skip_space(v.text + v.size, end) != end) return json_none;
  return v;
}

relance_json_iter relance_json_items(relance_json container) {
  relance_json_iter it = {NULL, NULL, 0};
  if (container.kind != RELANCE_JSON_ARRAY && container.kind != RELANCE_JSON_OBJECT) return it;
  it.object = container.kind == RELANCE_JSON_OBJECT;
  it.end = container.text + container.size - 1;
  it.next = skip_space(container.text + 1, it.end);
  if (it.next >= it.end) it.next = NULL;
  return it;
}

int relance_json_next(relance_json_iter* it, relance_json* value, relance_json* key) {
  const char* p;
  relance_json k = json_none, v;
  if (!it || !it->next) return 0;
  p = it->next;
  if (it->object) {
    k = value_at(p, it->end);
    if (k.kind != RELANCE_JSON_STRING) return (it->next = NULL), 0;
    p = skip_space(p + k.size, it->end);
    p = skip_space(p + 1, it->end); /* the ':' */
  }
  v = value_at(p, it->end);
  if (v.kind == RELANCE_JSON_NONE) return (it->next = NULL), 0;
  p = skip_space(v.text + v.size, it->end);
  it->next = p < it->end && *p == ',' ? skip_space(p + 1, it->end) : NULL;
  if (value) *value = v;
  if (key) *key = k;
  return 1;
}

static void put_utf8(unsigned long cp, char out[4], size_t* n) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    *n = 1;
  } else if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    *n = 2;
  } else if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    *n = 3;
  } else {
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    *n = 4;
  }
}

/* Decodes the character at `p` inside a checked string ending at `end` (its closing quote)
 * into out[0..*n); returns where the next one starts. */
static const char* next_char(const char* p, const char* end, char out[4], size_t* n) {
  unsigned long cp;
  if (*p != '\\') {
    out[0] = *p;
    *n = 1;
    return p + 1;
  }
  ++p;
  switch (*p) {
    case 'b': out[0] = '\b'; break;
    case 'f': out[0] = '\f'; break;
    case 'n': out[0] = '\n'; break;
    case 'r': out[0] = '\r'; break;
    case 't': out[0] = '\t'; break;
    case 'u':
      cp = (unsigned long)hex4(p + 1, end);
      p += 5;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        const long low = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
        if (low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)low - 0xDC00);
          p += 6;
        } else {
          cp = 0xFFFD; /* a high surrogate alone */
        }
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0xFFFD; /* a low surrogate alone */
      }
      put_utf8(cp, out, n);
      return p;
    default: out[0] = *p; /* " \ / */
  }
  *n = 1;
  return p + 1;
}

int relance_json_string(relance_json value, char* buffer, size_t capacity, size_t* size) {
  const char *p, *end;
  size_t used = 0;
  int fits = 1;
  if (size) *size = 0;
  if (buffer && capacity) buffer[0] = '\0';
  if (value.kind != RELANCE_JSON_STRING) return 0;
  end = value.text + value.size - 1;
  for (p = value.text + 1; p < end;) {
    char c[4];
    size_t n, i;
    p = next_char(p, end, c, &n);
    if (fits && buffer && used + n < capacity) {
      for (i = 0; i < n; ++i) buffer[used + i] = c[i];
    } else {
      fits = 0;
    }
    used += n;
  }
  if (size) *size = fits ? used : used + 1;
  if (!fits || !buffer || capacity == 0) {
    if (buffer && capacity) buffer[0] = '\0';
    return 0;
  }
  buffer[used] = '\0';
  return 1;
}

/* Whether `value` is a string equal to text[0..size). */
static int equals_n(relance_json value, const char* text, size_t size) {
  const char *p, *end;
  size_t at = 0;
  if (value.kind != RELANCE_JSON_STRING) return 0;
  end = value.text + value.size - 1;
  for (p = value.text + 1; p < end;) {
    char c[4];
    size_t n;
    p = next_char(p, end, c, &n);
    if (at + n > size || memcmp(text + at, c, n) != 0) return 0;
    at += n;
  }
  return at == size;
}

int relance_json_equals(relance_json value, const char* text) {
  return text && equals_n(value, text, strlen(text));
}

static relance_json get_n(relance_json object, const char* key, size_t size) {
  relance_json_iter it;
  relance_json k, v;
  if (object.kind != RELANCE_JSON_OBJECT) return json_none;
  it = relance_json_items(object);
  while (relance_json_next(&it, &v, &k))
    if (equals_n(k, key, size)) return v;
  return json_none;
}

relance_json relance_json_get(relance_json object, const char* key) {
  return key ? get_n(object, key, strlen(key)) : json_none;
}

relance_json relance_json_at(relance_json array, size_t index) {
  relance_json_iter it;
  relance_json v;
  size_t i = 0;
  if (array.kind != RELANCE_JSON_ARRAY) return json_none;
  it = relance_json_items(array);
  while (relance_json_next(&it, &v, NULL))
    if (i++ == index) return v;
  return json_none;
}

relance_json relance_json_path(relance_json value, const char* path) {
  const char* p = path;
  if (!path) return json_none;
  while (value.kind != RELANCE_JSON_NONE) {
    const char* dot = strchr(p, '.');
    const size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (value.kind == RELANCE_JSON_ARRAY) {
      size_t index = 0, i;
      if (n == 0 || n > 9) return json_none;
      for (i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9') return json_none;
        index = index * 10 + (size_t)(p[i] - '0');
      }
      value = relance_json_at(value, index);
    } else {
      value = get_n(value, p, n);
    }
    if (!dot) return value;
    p = dot + 1;
  }
  return value;
}

int relance_json_int64(relance_json value, int64_t* out) {
  const char* p = value.text;
  const char* end = value.text + value.size;
  const int negative = value.kind == RELANCE_JSON_NUMBER && *p == '-';
  uint64_t v = 0;
  const uint64_t limit = negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
  if (value.kind != RELANCE_JSON_NUMBER) return 0;
  if (negative) ++p;
  for (; p < end; ++p) {
    const unsigned digit = (unsigned)(*p - '0');
    if (*p < '0' || *p > '9') return 0; /* a fraction or an exponent */
    if (v > (limit - digit) / 10) return 0;
    v = v * 10 + digit;
  }
  if (out) *out = negative ? (v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v) : (int64_t)v;
  return 1;
}

int relance_json_double(relance_json value, double* out) {
  char text[128];
  size_t i;
  /* strtod reads the locale's decimal point: write the number with it. */
  const char point = localeconv()->decimal_point[0];
  if (value.kind != RELANCE_JSON_NUMBER || value.size >= sizeof text) return 0;
  for (i = 0; i < value.size; ++i) text[i] = value.text[i] == '.' ? point : value.text[i];
  text[value.size] = '\0';
  if (out) *out = strtod(text, NULL);
  return 1;
}

int relance_json_bool(relance_json value, int* out) {
  if (value.kind != RELANCE_JSON_TRUE && value.kind != RELANCE_JSON_FALSE) return 0;
  if (out) *out = value.kind == RELANCE_JSON_TRUE;
  return 1;
}
