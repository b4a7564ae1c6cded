/* json.h — the little JSON kpi needs: writing strings, and reading one flat
 * object of strings, numbers, booleans and nulls (the API's request bodies). */
#ifndef KPI_JSON_H
#define KPI_JSON_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define JSON_MAX_MEMBERS 64 /* members one object may hold */

/* Append s as a JSON string (quotes added; control characters escaped). */
void json_string(Buf *b, const char *s);

/* Append one flat object: cols[i] maps to cells[i], written as null when the
 * cell is empty, as a bare number when is_number(i), else as a string. The
 * rows of `kpi compare --format json` and of the API are written by this. */
void json_row(Buf *b, const char *const *cols, const Buf *cells, int ncols, int (*is_number)(int));

typedef enum JsonType { JSON_NULL, JSON_STRING, JSON_NUMBER, JSON_BOOL } JsonType;

typedef struct JsonMember {
    char *key;
    JsonType type;
    char *text;     /* the string (unescaped), the number as written, "true"/"false", or NULL */
} JsonMember;

typedef struct JsonObject {
    JsonMember v[JSON_MAX_MEMBERS];
    int n;
} JsonObject;

/* Parse text[0..len) as one object. Nested objects and arrays, duplicate
 * keys, bad UTF-8 and NUL characters are errors that say what and where. */
int json_parse_object(const char *text, size_t len, JsonObject *out /* OUT, json_object_release */, Err *err);
const JsonMember *json_get(const JsonObject *o, const char *key); /* NULL when absent */
void json_object_release(JsonObject *o);

#endif
