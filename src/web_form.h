/* web_form.h — what a client sends, parsed from bytes: the query string, the
 * Cookie header, and a POST body as application/x-www-form-urlencoded or
 * multipart/form-data (RFC 7578). Pure functions over a byte range: no
 * server, no globals, nothing but buf and err, so the fuzzer
 * (tests/fuzz/fuzz_http.c) drives them directly.
 *
 * Contract of every parser: given n bytes (any bytes; not NUL-terminated),
 * either append every field to `out` and return 0, or return -1 with err set
 * to a message fit to show the client, and `out->too_big` set to 1 when the
 * refusal is for size (the server answers 413) and 0 when the input is
 * malformed (400). After -1, `out` may hold some fields: free it, never use
 * it. Nothing is ever read outside [p, p + n). Sizes are bounded: at most
 * WEB_FORM_MAX_FIELDS fields, names of at most WEB_FORM_NAME_MAX bytes; the
 * caller bounds the whole input (WEB_BODY_MAX, WEB_UPLOAD_MAX, MHD's header
 * limit). */
#ifndef KPI_WEB_FORM_H
#define KPI_WEB_FORM_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define WEB_FORM_MAX_FIELDS 512         /* fields (or cookies) one request may carry */
#define WEB_FORM_NAME_MAX 1024          /* bytes of a field's name or an upload's file name */
#define WEB_FORM_PART_HEADERS_MAX 8192  /* bytes of one multipart part's headers */
#define WEB_FORM_BOUNDARY_MAX 70        /* bytes of a multipart boundary (RFC 2046) */

/* One field. name is a NUL-free C string; value may hold any bytes (an
 * uploaded file) and is NUL-terminated after its len bytes. */
typedef struct WebField {
    char *name;
    Buf value;
    char *filename;        /* set for a file upload (multipart with filename=), else NULL */
} WebField;

typedef struct WebForm {
    WebField *fields;
    int n, cap;
    int too_big;           /* after -1: 1 when refused for size, 0 when malformed */
} WebForm;

#define WEB_FORM_INIT {NULL, 0, 0, 0}

void web_form_release(WebForm *f);
/* The first field called name, NULL when none. */
const WebField *web_form_get(const WebForm *f, const char *name);

/* A query string (the part after '?', without it) or an
 * application/x-www-form-urlencoded body: fields split by '&', name and value
 * by the first '=', '+' is a space and %XX a byte. An empty piece ("a=1&&b=2")
 * is skipped; a piece without '=' is a field with an empty value. Refused: a
 * '%' not followed by two hex digits, an empty name, a name holding a NUL
 * byte, too many fields, a name too long. */
int web_form_urlencoded(const char *p, size_t n, WebForm *out, Err *err);

/* A Cookie header's value ("a=1; b=2"), as browsers send it (RFC 6265 5.4).
 * Lenient, as a browser on a shared host sends other sites' cookies too: a
 * pair without '=' or without a name is skipped; a value in double quotes
 * loses them; nothing is percent-decoded. Refused: too many cookies. */
int web_form_cookies(const char *p, size_t n, WebForm *out, Err *err);

/* The boundary of a multipart/form-data Content-Type (ctype is a C string):
 * into out, without quotes. Refused: another media type, no boundary, a
 * boundary empty or longer than WEB_FORM_BOUNDARY_MAX. */
int web_form_boundary(const char *ctype, Buf *out, Err *err);

/* A multipart/form-data body with the given boundary (from
 * web_form_boundary). Each part must carry Content-Disposition: form-data
 * with a name (a part without one is refused, not skipped); a filename makes
 * it a file upload. Refused besides: a body without a first boundary or
 * without its closing boundary (an upload cut off), a part's headers not
 * ended by an empty line or longer than WEB_FORM_PART_HEADERS_MAX, too many
 * parts. A preamble before the first boundary and an epilogue after the
 * closing one are ignored. */
int web_form_multipart(const char *boundary, const char *p, size_t n, WebForm *out, Err *err);

/* A form body no kpi page sends, which the handlers would read one way of
 * several: a field given twice (web_form_get sees the first only; which copy
 * was meant is not ours to guess) or a value, other than an uploaded file's,
 * holding a NUL byte (its text would silently stop there). 0, or -1 with err
 * naming the field in the words of the page's error summary. */
int web_form_check(const WebForm *f, Err *err);

#endif
